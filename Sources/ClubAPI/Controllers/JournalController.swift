import ClubCore
import ClubStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `GET /v1/journal`: the hash-chained history, for coordinators.
struct JournalController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("journal") { request, context in
            let query = request.uri.queryParameters
            let page = try await database.journal(
                entityType: query.get("entityType"),
                entityId: query.get("entityId"),
                page: request.pageRequest(),
                for: context.caller()
            )
            return try JSONCoding.response(Page(items: page.items.map(JournalEventView.init), nextCursor: page.nextCursor))
        }
    }
}
