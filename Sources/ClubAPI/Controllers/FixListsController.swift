import ClubCore
import ClubStore
import Foundation
import Hummingbird

/// The final correction list: drafting, agreement, amendments, striking, the client's check
/// (accepting or reopening), item comments, history and share links. Open share pages learn of
/// each change from the store's change feed, not from here.
struct FixListsController<Context: APIRequestContext> {
    let database: AppDatabase
    let publicAddress: PublicAddress

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("engagements/:id/fix-lists") { request, context in
            let input = try await request.decodeJSON(FixListInput.self, context: context)
            let record = try await database.createFixList(context.parameters.require("id"), input, by: context.caller())
            return try answer(record, for: context.caller(), status: .created)
        }
        group.get("engagements/:id/fix-lists") { _, context in
            let records = try await database.fixLists(ofEngagement: context.parameters.require("id"), for: context.caller())
            return try JSONCoding.listResponse(trees: records.map { FixListAnswer($0).jsonTree }, itemShape: "FixList", for: context.caller())
        }
        group.get("fix-lists/:id") { _, context in
            try answer(try await database.fixList(context.parameters.require("id"), for: context.caller()), for: context.caller())
        }
        group.post("fix-lists/:id/items") { request, context in
            let input = try await request.decodeJSON(FixItemInput.self, context: context)
            let record = try await database.addFixItem(context.parameters.require("id"), input, by: context.caller())
            return try answer(record, for: context.caller(), status: .created)
        }
        group.patch("fix-items/:id") { request, context in
            let patch = try await request.decodeJSON(FixItemPatch.self, context: context)
            let id = try context.parameters.require("id")
            return try answer(
                try await database.updateFixItem(id, patch, ifVersion: ETag.ifMatch(request), by: context.caller()),
                for: context.caller()
            )
        }
        group.delete("fix-items/:id") { _, context in
            try answer(try await database.removeFixItem(context.parameters.require("id"), by: context.caller()), for: context.caller())
        }
        group.post("fix-lists/:id/confirm") { request, context in
            _ = try await request.decodeJSON(EmptyBody.self, context: context)
            return try answer(try await database.confirmFixList(context.parameters.require("id"), by: context.caller()), for: context.caller())
        }
        group.post("fix-items/:id/strike") { request, context in
            let input = try await request.decodeJSON(StrikeInput.self, context: context)
            return try answer(try await database.strikeFixItem(context.parameters.require("id"), input, by: context.caller()), for: context.caller())
        }
        group.post("fix-items/:id/reopen") { request, context in
            let input = try await request.decodeJSON(ReopenInput.self, context: context)
            return try answer(try await database.reopenFixItem(context.parameters.require("id"), input, by: context.caller()), for: context.caller())
        }
        group.post("fix-items/:id/accept") { request, context in
            // `{}` or `{"note": …}`; a coordinator accepting on the client's behalf gives the note.
            let input = try await request.decodeJSON(AcceptInput.self, context: context)
            return try answer(try await database.acceptFixItem(context.parameters.require("id"), input, by: context.caller()), for: context.caller())
        }
        group.get("fix-items/:id/comments") { _, context in
            let comments = try await database.fixItemComments(context.parameters.require("id"), for: context.caller())
            return try JSONCoding.listResponse(ItemList(items: comments), itemShape: "FixItemComment", for: context.caller())
        }
        group.post("fix-items/:id/comments") { request, context in
            let input = try await request.decodeJSON(FixItemCommentInput.self, context: context)
            let comment = try await database.commentOnFixItem(context.parameters.require("id"), input, by: context.caller())
            return try JSONCoding.response(comment, shape: "FixItemComment", for: context.caller(), status: .created)
        }
        group.get("fix-lists/:id/history") { request, context in
            let id = try context.parameters.require("id")
            let page = try await database.fixListHistory(id, page: request.pageRequest(), for: context.caller())
            return try JSONCoding.journalResponse(
                Page(items: page.items.map(JournalEventView.init), nextCursor: page.nextCursor),
                shapes: ["fix-list": "FixList", "fix-item": "FixItem", "fix-item-comment": "FixItemComment"],
                for: context.caller()
            )
        }
        group.post("fix-lists/:id/share-links") { request, context in
            let input = try await request.decodeJSON(ShareLinkInput.self, context: context)
            let issued = try await database.createShareLink(context.parameters.require("id"), input, by: context.caller())
            let url = publicAddress.link("/share/\(issued.token)")
            return try JSONCoding.secretResponse(ShareLinkAnswer(issued, url: url), shape: "ShareLink", for: context.caller(), status: .created)
        }
        group.delete("share-links/:id") { _, context in
            _ = try await database.revokeShareLink(context.parameters.require("id"), by: context.caller())
            return Response(status: .noContent)
        }
    }

    /// The list as `principal` may read it, with its version as the `ETag`.
    private func answer(_ record: FixListRecord, for principal: Principal, status: HTTPResponse.Status = .ok) throws -> Response {
        try JSONCoding.response(tree: FixListAnswer(record).jsonTree, shape: "FixList", for: principal, status: status, etag: record.list.version)
    }
}
