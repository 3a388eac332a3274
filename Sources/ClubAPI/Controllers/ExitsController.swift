import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird

/// Parting with a client: the exit, the free consulting offer and its sessions.
struct ExitsController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("engagements/:id/exit") { request, context in
            let input = try await request.decodeJSON(ExitInput.self, context: context)
            return try JSONCoding.response(
                try await database.exitEngagement(context.parameters.require("id"), input, by: context.caller()),
                shape: "EngagementExit",
                for: context.caller(),
                status: .created
            )
        }
        group.post("exits/:id/offer") { request, context in
            let input = try await request.decodeJSON(ConsultingOfferInput.self, context: context)
            return try JSONCoding.response(
                try await database.offerConsulting(context.parameters.require("id"), input, by: context.caller()),
                shape: "ConsultingOffer",
                for: context.caller(),
                status: .created
            )
        }
        group.post("consulting-offers/:id/answer") { request, context in
            let answer = try await request.decodeJSON(ConsultingAnswer.self, context: context)
            let offer = try await database.answerConsultingOffer(context.parameters.require("id"), answer, by: context.caller())
            return try JSONCoding.response(offer, shape: "ConsultingOffer", for: context.caller())
        }
        group.post("consulting-offers/:id/sessions") { request, context in
            let input = try await request.decodeJSON(ConsultingSessionInput.self, context: context)
            return try JSONCoding.response(
                try await database.scheduleSession(context.parameters.require("id"), input, by: context.caller()),
                shape: "ConsultingSession",
                for: context.caller(),
                status: .created
            )
        }
        group.get("consulting-offers/:id/sessions") { _, context in
            let sessions = try await database.sessions(ofOffer: context.parameters.require("id"), for: context.caller())
            return try JSONCoding.listResponse(ItemList(items: sessions), itemShape: "ConsultingSession", for: context.caller())
        }
        group.patch("consulting-sessions/:id") { request, context in
            let patch = try await request.decodeJSON(ConsultingSessionPatch.self, context: context)
            let session = try await database.updateSession(context.parameters.require("id"), patch, by: context.caller())
            return try JSONCoding.response(session, shape: "ConsultingSession", for: context.caller())
        }
    }
}
