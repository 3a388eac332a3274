import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

@Suite("Journal hash chain")
struct JournalTests {
    func populated() async throws -> AppDatabase {
        let database = try TestDatabase().open()
        let studio = try await database.createStudio(pixelHands(), by: head)
        _ = try await database.createClient(ClientInput(name: "Yacht Charter Ltd"), by: head)
        _ = try await database.addConductNote(studio.id, ConductNoteInput(note: "late twice"), by: head)
        return database
    }

    @Test func anUntouchedChainVerifies() async throws {
        let database = try await populated()
        let head = try await database.journalHead()
        #expect(try database.verifyJournal() == .intact(events: 3, head: head.hash))
    }

    @Test func eachEventLinksToTheOneBefore() async throws {
        let database = try await populated()
        let events = try await database.journal(entityType: nil, entityId: nil, page: PageRequest(), for: head).items
        #expect(events.first?.previousHash == JournalEvent.genesisHash)
        for (earlier, later) in zip(events, events.dropFirst()) {
            #expect(later.previousHash == earlier.hash)
        }
    }

    @Test func anAlteredRowIsNamed() async throws {
        let database = try await populated()
        let second = try await database.journal(entityType: nil, entityId: nil, page: PageRequest(), for: head).items[1]
        try await database.writer.write { db in
            try db.execute(sql: #"UPDATE journal SET after = '{"name":"Someone Else"}' WHERE seq = 2"#)
        }
        guard case .broken(let seq, let id, _) = try database.verifyJournal() else {
            Issue.record("tampering went unnoticed")
            return
        }
        #expect(seq == 2)
        #expect(id == second.id)
    }

    @Test func aDeletedRowBreaksTheLink() async throws {
        let database = try await populated()
        try await database.writer.write { db in try db.execute(sql: "DELETE FROM journal WHERE seq = 2") }
        guard case .broken(let seq, _, let reason) = try database.verifyJournal() else {
            Issue.record("a missing event went unnoticed")
            return
        }
        #expect(seq == 3)
        #expect(reason.contains("previousHash"))
    }

    /// Appends by hand an event hashed by scheme 1, as events were before field digests, leaving
    /// `hashScheme` to the column's default.
    static func appendSchemeOneEvent(
        to database: AppDatabase,
        entityType: String,
        entityId: String,
        before: String = "{}",
        after: String
    ) async throws -> JournalEvent {
        try await database.writer.write { db in
            let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1")
            let seq: Int64 = (last?["seq"] ?? 0) + 1
            let unsealed = JournalEvent(
                seq: seq,
                id: "evt_scheme1_\(seq)",
                at: Date(timeIntervalSince1970: 1_790_000_000.125),
                actor: Actor(id: "tok_c", name: "Anna", role: "coordinator"),
                entityType: entityType,
                entityId: entityId,
                action: "updated",
                before: before,
                after: after,
                previousHash: last?["hash"] ?? JournalEvent.genesisHash,
                hash: "",
                hashScheme: 1
            )
            let event = JournalEvent(
                seq: seq,
                id: unsealed.id,
                at: unsealed.at,
                actor: unsealed.actor,
                entityType: entityType,
                entityId: entityId,
                action: unsealed.action,
                before: before,
                after: after,
                previousHash: unsealed.previousHash,
                hash: try #require(unsealed.expectedHash),
                hashScheme: 1
            )
            try db.execute(
                sql: """
                    INSERT INTO journal (seq, id, atMillis, actorId, actorName, actorRole, entityType, entityId, action,
                        before, after, previousHash, hash)
                    VALUES (?, ?, 1790000000125, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    seq, event.id, event.actor.id, event.actor.name, event.actor.role, entityType, entityId, event.action, before, after,
                    event.previousHash, event.hash,
                ]
            )
            return event
        }
    }

    @Test func newEventsAreHashedFieldByFieldAndOldOnesByTheirText() async throws {
        let database = try await populated()
        let events = try await database.journal(entityType: nil, entityId: nil, page: PageRequest(), for: head).items
        #expect(events.allSatisfy { $0.hashScheme == 2 })
        let old = try await Self.appendSchemeOneEvent(to: database, entityType: "studio", entityId: events[0].entityId, after: #"{"name":"Pixel"}"#)
        #expect(try database.verifyJournal() == .intact(events: 4, head: old.hash), "an event of scheme 1 checks by its own scheme")
        let stored = try await database.journal(entityType: nil, entityId: nil, page: PageRequest(), for: head).items
        #expect(stored.last == old, "the column's default is scheme 1")

        // Scheme 2 covers the fields, not their spelling: the same fields written otherwise still check ...
        let spelled = try await database.writer.write { db in
            let after = try #require(try String.fetchOne(db, sql: "SELECT after FROM journal WHERE seq = 1"))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(after.utf8)) as? [String: Any])
            let pretty = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]), as: UTF8.self)
            try db.execute(sql: "UPDATE journal SET after = ? WHERE seq = 1", arguments: [pretty])
            return pretty != after
        }
        #expect(spelled)
        #expect(try database.verifyJournal() == .intact(events: 4, head: old.hash))
        // ... while scheme 1 covers the text itself.
        try await database.writer.write { db in try db.execute(sql: #"UPDATE journal SET after = '{ "name": "Pixel" }' WHERE seq = 4"#) }
        guard case .broken(let seq, _, _) = try database.verifyJournal() else {
            Issue.record("an old event rewritten went unnoticed")
            return
        }
        #expect(seq == 4)
    }

    @Test func aLoweredSchemeIsNamed() async throws {
        let database = try await populated()
        try await database.writer.write { db in try db.execute(sql: "UPDATE journal SET hashScheme = 1 WHERE seq = 2") }
        guard case .broken(let seq, _, _) = try database.verifyJournal() else {
            Issue.record("a changed scheme went unnoticed")
            return
        }
        #expect(seq == 2)
        try await database.writer.write { db in try db.execute(sql: "UPDATE journal SET hashScheme = 7 WHERE seq = 2") }
        #expect(
            try database.verifyJournal()
                == .broken(
                    seq: 2,
                    id: try await database.journal(entityType: nil, entityId: nil, page: PageRequest(), for: head).items[1].id,
                    reason: "it names an unknown hash scheme 7"
                )
        )
    }

    @Test func journalPagesFollowTheCursor() async throws {
        let database = try await populated()
        let first = try await database.journal(entityType: nil, entityId: nil, page: PageRequest(limit: 2), for: head)
        #expect(first.items.map(\.seq) == [1, 2])
        let cursor = try #require(first.nextCursor)
        let second = try await database.journal(entityType: nil, entityId: nil, page: PageRequest.parse(limit: "2", cursor: cursor), for: head)
        #expect(second.items.map(\.seq) == [3])
        #expect(second.nextCursor == nil)
    }
}
