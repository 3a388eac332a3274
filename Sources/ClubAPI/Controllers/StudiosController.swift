import ClubCore
import ClubStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Studios and their vetting: registry, checks, decisions and conduct notes.
struct StudiosController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("studios") { request, context in
            let input = try await request.decodeJSON(StudioInput.self, context: context)
            return try JSONCoding.response(
                try await database.createStudio(input, by: context.caller()),
                shape: "Studio",
                for: context.caller(),
                status: .created
            )
        }
        group.get("studios") { request, context in
            let filter = StudioFilter(
                status: try request.queryEnum("status", as: StudioStatus.self),
                competence: request.uri.queryParameters.get("competence")
            )
            let page = try await database.studios(filter, page: request.pageRequest(), for: context.caller())
            return try JSONCoding.listResponse(page, itemShape: "Studio", for: context.caller())
        }
        group.get("studios/:id") { _, context in
            try JSONCoding.response(
                try await database.studio(context.parameters.require("id"), for: context.caller()),
                shape: "Studio",
                for: context.caller()
            )
        }
        group.patch("studios/:id") { request, context in
            let patch = try await request.decodeJSON(StudioPatch.self, context: context)
            let studio = try await database.updateStudio(
                context.parameters.require("id"),
                patch,
                ifVersion: ETag.ifMatch(request),
                by: context.caller()
            )
            return try JSONCoding.response(studio, shape: "Studio", for: context.caller())
        }
        group.post("studios/:id/vetting-checks") { request, context in
            let check = try await request.decodeJSON(VettingCheckInput.self, context: context)
            let studio = try await database.recordVettingCheck(context.parameters.require("id"), check, by: context.caller())
            return try JSONCoding.response(studio, shape: "Studio", for: context.caller(), status: .created)
        }
        group.post("studios/:id/decisions") { request, context in
            let decision = try await request.decodeJSON(DecisionInput.self, context: context)
            let studio = try await database.decideStudio(context.parameters.require("id"), decision, by: context.caller())
            return try JSONCoding.response(studio, shape: "Studio", for: context.caller(), status: .created)
        }
        group.post("studios/:id/conduct-notes") { request, context in
            let note = try await request.decodeJSON(ConductNoteInput.self, context: context)
            let studio = try await database.addConductNote(context.parameters.require("id"), note, by: context.caller())
            return try JSONCoding.response(studio, shape: "Studio", for: context.caller(), status: .created)
        }
    }
}
