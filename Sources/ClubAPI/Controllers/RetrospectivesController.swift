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
                shape: "Retrospective",
                for: context.caller(),
                status: .created
            )
        }
        group.get("engagements/:id/retrospective") { _, context in
            let retrospective = try await database.retrospective(of: context.parameters.require("id"), for: context.caller())
            return try JSONCoding.response(retrospective, shape: "Retrospective", for: context.caller())
        }
        group.get("lessons") { request, context in
            let query = request.uri.queryParameters.get("q")
            if let query, query.count > Limits.shortText { throw RequestInputError.badField("q", "must be at most \(Limits.shortText) characters") }
            return try JSONCoding.response(try await database.lessons(matching: query, page: request.pageRequest(), for: context.caller()))
        }
        group.get("engagements/:id/case-file") { _, context in
            // Already read for the caller: records and journal images redacted in the store (DESIGN §3.11).
            let file = try await database.caseFile(context.parameters.require("id"), for: context.caller())
            let headers: HTTPFields = [
                .contentType: "application/json",
                .contentDisposition: "attachment; filename=\"case-file-\(file.engagementId).json\"",
            ]
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try file.jsonData())))
        }
    }
}
