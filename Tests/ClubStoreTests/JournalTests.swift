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
