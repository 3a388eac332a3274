import ClubCore
import ClubStore
import Foundation
import Hummingbird

/// The final correction list: drafting, agreement, amendments, striking, reopening, history and
/// share links. Every change is announced to the list's open share pages after it committed.
struct FixListsController {
    let database: AppDatabase
    let updates: ShareUpdates

    /// A share link as answered to its maker: the record, the token, and the page's address.
    struct ShareLinkAnswer: Encodable {
        let issued: IssuedShareLink
        let url: String

        enum CodingKeys: String, CodingKey { case url }

        func encode(to encoder: any Encoder) throws {
            try issued.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(url, forKey: .url)
        }
    }

    func addRoutes(to group: RouterGroup<ClubRequestContext>) {
        group.post("engagements/:id/fix-lists") { request, context in
            let input = try await request.decodeJSON(FixListInput.self, context: context)
            let record = try await database.createFixList(context.parameters.require("id"), input, by: context.caller())
            return try JSONCoding.response(record, status: .created, etag: record.list.version)
        }
        group.get("fix-lists/:id") { _, context in
            let record = try await database.fixList(context.parameters.require("id"), for: context.caller())
            return try JSONCoding.response(record, etag: record.list.version)
        }
        group.post("fix-lists/:id/items") { request, context in
            let input = try await request.decodeJSON(FixItemInput.self, context: context)
            return try await announce(try await database.addFixItem(context.parameters.require("id"), input, by: context.caller()), status: .created)
        }
        group.patch("fix-items/:id") { request, context in
            let patch = try await request.decodeJSON(FixItemPatch.self, context: context)
            return try await announce(try await database.updateFixItem(context.parameters.require("id"), patch, ifVersion: ETag.ifMatch(request), by: context.caller()))
        }
        group.delete("fix-items/:id") { _, context in
            try await announce(try await database.removeFixItem(context.parameters.require("id"), by: context.caller()))
        }
        group.post("fix-lists/:id/confirm") { request, context in
            _ = try await request.decodeJSON(EmptyBody.self, context: context)
            return try await announce(try await database.confirmFixList(context.parameters.require("id"), by: context.caller()))
        }
        group.post("fix-items/:id/strike") { request, context in
            let input = try await request.decodeJSON(StrikeInput.self, context: context)
            return try await announce(try await database.strikeFixItem(context.parameters.require("id"), input, by: context.caller()))
        }
        group.post("fix-items/:id/reopen") { request, context in
            let input = try await request.decodeJSON(ReopenInput.self, context: context)
            return try await announce(try await database.reopenFixItem(context.parameters.require("id"), input, by: context.caller()))
        }
        group.get("fix-lists/:id/history") { request, context in
            let page = try await database.fixListHistory(context.parameters.require("id"), page: request.pageRequest(), for: context.caller())
            return try JSONCoding.response(Page(items: page.items.map(JournalEventView.init), nextCursor: page.nextCursor))
        }
        group.post("fix-lists/:id/share-links") { request, context in
            let input = try await request.decodeJSON(ShareLinkInput.self, context: context)
            let issued = try await database.createShareLink(context.parameters.require("id"), input, by: context.caller())
            let authority = request.head.authority ?? "localhost:8443"
            return try JSONCoding.secretResponse(ShareLinkAnswer(issued: issued, url: "https://\(authority)/share/\(issued.token)"), status: .created)
        }
        group.delete("share-links/:id") { _, context in
            let link = try await database.revokeShareLink(context.parameters.require("id"), by: context.caller())
            await updates.publish(link.fixListId)
            return Response(status: .noContent)
        }
    }

    /// Answers with the list and tells its open pages.
    private func announce(_ record: FixListRecord, status: HTTPResponse.Status = .ok) async throws -> Response {
        await updates.publish(record.list.id)
        return try JSONCoding.response(record, status: status, etag: record.list.version)
    }
}
