import ClubStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `GET /v1/health`: open to all, reports the database and the journal head.
struct HealthController<Context: APIRequestContext> {
    let database: AppDatabase

    struct Health: Encodable {
        let status: String
        let database: String
        let journal: JournalHead
    }

    struct JournalHead: Encodable {
        let events: Int64
        let head: String
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/v1/health") { _, _ in
            let head = try await database.journalHead()
            return try JSONCoding.response(Health(status: "ok", database: "ok", journal: JournalHead(events: head.seq, head: head.hash)))
        }
    }
}
