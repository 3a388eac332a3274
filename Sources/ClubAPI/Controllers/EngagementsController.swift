import ClubCore
import ClubStore
import Hummingbird

/// Engagements and what is written on them: agreements, check-ins, stage feedback.
struct EngagementsController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("requests/:id/engagements") { request, context in
            let input = try await request.decodeJSON(EngagementInput.self, context: context)
            let record = try await database.startEngagement(context.parameters.require("id"), input, by: context.caller())
            return try JSONCoding.response(
                EngagementAnswer(record),
                shape: "Engagement",
                for: context.caller(),
                status: .created,
                etag: record.engagement.version
            )
        }
        group.get("engagements") { request, context in
            let filter = EngagementFilter(
                status: try request.queryEnum("status", as: EngagementStatus.self),
                requestId: request.uri.queryParameters.get("requestId")
            )
            let page = try await database.engagements(filter, page: request.pageRequest(), for: context.caller())
            return try JSONCoding.listResponse(page, itemShape: "Engagement", for: context.caller())
        }
        group.get("engagements/:id") { _, context in
            let record = try await database.engagementRecord(context.parameters.require("id"), for: context.caller())
            return try JSONCoding.response(EngagementAnswer(record), shape: "Engagement", for: context.caller(), etag: record.engagement.version)
        }
        group.patch("engagements/:id") { request, context in
            let patch = try await request.decodeJSON(EngagementPatch.self, context: context)
            let record = try await database.updateEngagement(
                context.parameters.require("id"),
                patch,
                ifVersion: ETag.ifMatch(request),
                by: context.caller()
            )
            return try JSONCoding.response(EngagementAnswer(record), shape: "Engagement", for: context.caller(), etag: record.engagement.version)
        }
        group.post("engagements/:id/agreements") { request, context in
            let input = try await request.decodeJSON(AgreementInput.self, context: context)
            return try JSONCoding.response(
                try await database.addAgreement(context.parameters.require("id"), input, by: context.caller()),
                shape: "Agreement",
                for: context.caller(),
                status: .created
            )
        }
        group.post("agreements/:id/confirm") { request, context in
            _ = try await request.decodeJSON(EmptyBody.self, context: context)
            let agreement = try await database.confirmAgreement(context.parameters.require("id"), by: context.caller())
            return try JSONCoding.response(agreement, shape: "Agreement", for: context.caller())
        }
        group.post("agreements/:id/fulfil") { request, context in
            _ = try await request.decodeJSON(EmptyBody.self, context: context)
            let agreement = try await database.fulfilAgreement(context.parameters.require("id"), by: context.caller())
            return try JSONCoding.response(agreement, shape: "Agreement", for: context.caller())
        }
        group.get("agreements") { request, context in
            let page = try await database.agreements(
                overdue: try request.queryBool("overdue"),
                unconfirmed: try request.queryBool("unconfirmed"),
                page: request.pageRequest(),
                for: context.caller()
            )
            let answers = Page(items: page.items.map(AgreementStatusAnswer.init), nextCursor: page.nextCursor)
            return try JSONCoding.listResponse(answers, itemShape: "Agreement", for: context.caller())
        }
        group.post("engagements/:id/check-ins") { request, context in
            let input = try await request.decodeJSON(CheckInInput.self, context: context)
            return try JSONCoding.response(
                try await database.addCheckIn(context.parameters.require("id"), input, by: context.caller()),
                shape: "CheckIn",
                for: context.caller(),
                status: .created
            )
        }
        group.post("engagements/:id/feedback") { request, context in
            let input = try await request.decodeJSON(FeedbackInput.self, context: context)
            return try JSONCoding.response(
                try await database.giveFeedback(context.parameters.require("id"), input, by: context.caller()),
                shape: "StageFeedback",
                for: context.caller(),
                status: .created
            )
        }
    }
}
