import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    /// Journal events, oldest first, optionally for one entity (coordinators only).
    public func journal(entityType: String?, entityId: String?, page: PageRequest, for principal: Principal) async throws -> Page<JournalEvent> {
        try Policy.require(principal, .readJournal)
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let entityType {
            conditions.append("entityType = ?")
            _ = arguments.append(contentsOf: [entityType])
        }
        if let entityId {
            conditions.append("entityId = ?")
            _ = arguments.append(contentsOf: [entityId])
        }
        if let after = page.after {
            conditions.append("seq > ?")
            _ = arguments.append(contentsOf: [after])
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        _ = arguments.append(contentsOf: [page.limit + 1])
        // Events, not rows, leave the read (a `Row` is not `Sendable`), which keeps the read asynchronous.
        let fetched = try await writer.read { [arguments] db in
            try Row.fetchAll(db, sql: "SELECT * FROM journal \(filter) ORDER BY seq LIMIT ?", arguments: arguments).map(Journal.event(from:))
        }
        let events = fetched.prefix(page.limit)
        let next = fetched.count > page.limit ? events.last.map { String($0.seq) } : nil
        return Page(items: Array(events), nextCursor: next)
    }

    /// The newest event's sequence number and hash, for health reports.
    public func journalHead() async throws -> (seq: Int64, hash: String) {
        try await writer.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1")
            return (row?["seq"] ?? 0, row?["hash"] ?? JournalEvent.genesisHash)
        }
    }

    /// When the first event after `seq` was recorded, nil when none follows: the oldest change a
    /// replica that holds events up to `seq` is missing.
    public func journalTime(after seq: Int64) async throws -> Date? {
        try await writer.read { db in
            let millis = try Int64.fetchOne(db, sql: "SELECT atMillis FROM journal WHERE seq > ? ORDER BY seq LIMIT 1", arguments: [seq])
            return millis.map { Date(timeIntervalSince1970: Double($0) / 1000) }
        }
    }

    /// Walks the whole chain and reports the first broken event, if any.
    public func verifyJournal() throws -> JournalVerification {
        try writer.read { db in
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM journal ORDER BY seq")
            var events: [JournalEvent] = []
            while let row = try cursor.next() { events.append(Journal.event(from: row)) }
            return JournalVerification.check(events)
        }
    }
}
