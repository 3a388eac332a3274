import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird

/// Retrospectives, the club's lessons, and the exportable case file.
struct RetrospectivesController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("engagements/:id/retrospective") { request, context in
            let input = try await request.decodeJSON(RetrospectiveInput.self, context: context)
            return try JSONCoding.response(
                try await database.createRetrospective(context.parameters.require("id"), input, by: context.caller()),
                status: .created
            )
        }
        group.get("engagements/:id/retrospective") { _, context in
            try JSONCoding.response(try await database.retrospective(of: context.parameters.require("id"), for: context.caller()))
        }
        group.get("lessons") { request, context in
            let query = request.uri.queryParameters.get("q")
            if let query, query.count > Limits.shortText { throw RequestInputError.badField("q", "must be at most \(Limits.shortText) characters") }
            return try JSONCoding.response(try await database.lessons(matching: query, page: request.pageRequest(), for: context.caller()))
        }
        group.get("engagements/:id/case-file") { _, context in
            let file = try await database.caseFile(context.parameters.require("id"), for: context.caller())
            var response = try JSONCoding.response(file)
            response.headers[.contentDisposition] = "attachment; filename=\"case-file-\(file.engagement.id).json\""
            return response
        }
    }
}
