import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

@Suite("One transaction per mutation")
struct TransactionTests {
    func counts(_ database: AppDatabase) async throws -> (studios: Int, events: Int) {
        try await database.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM studio") ?? -1, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM journal") ?? -1)
        }
    }

    @Test func aFailedJournalAppendLeavesNoRowBehind() async throws {
        let database = try TestDatabase().open()
        // Make the journal refuse inserts on the writer connection: the studio insert before it
        // must be rolled back with it.
        try await database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TEMP TRIGGER refuse_journal BEFORE INSERT ON journal BEGIN SELECT RAISE(ABORT, 'journal refused'); END")
        }
        await #expect(throws: (any Error).self) { try await database.createStudio(pixelHands(), by: head) }
        let after = try await counts(database)
        #expect(after.studios == 0)
        #expect(after.events == 0)
    }

    @Test func aRefusedTransitionChangesNothing() async throws {
        let database = try TestDatabase().open()
        let studio = try await database.createStudio(pixelHands(), by: head)
        let before = try await counts(database)
        await #expect(throws: DomainError.self) {
            try await database.decideStudio(studio.id, DecisionInput(decision: .admit, reason: "eager"), by: head)
        }
        #expect(try await counts(database) == before)
        #expect(try await database.studio(studio.id, for: head) == studio)
    }

    @Test func everyMutationAppendsOneEvent() async throws {
        let database = try TestDatabase().open()
        let studio = try await database.createStudio(pixelHands(), by: head)
        _ = try await database.recordVettingCheck(studio.id, VettingCheckInput(kind: .portfolio, passed: true), by: coordinator)
        _ = try await database.updateStudio(studio.id, StudioPatch(capacity: 4), ifVersion: nil, by: coordinator)
        let events = try await database.journal(entityType: "studio", entityId: studio.id, page: PageRequest(), for: head).items
        #expect(events.map(\.action) == ["created", "vetting-check-recorded", "updated"])
        #expect(events[2].before == #"{"capacity":3}"#)
        #expect(events[2].after == #"{"capacity":4}"#)
        #expect(events[2].actor.name == "Anna")
    }

    @Test func aStaleVersionIsRefused() async throws {
        let database = try TestDatabase().open()
        let studio = try await database.createStudio(pixelHands(), by: head)
        _ = try await database.updateStudio(studio.id, StudioPatch(capacity: 4), ifVersion: 1, by: coordinator)
        await #expect(throws: StoreError.versionMismatch(current: 2)) {
            try await database.updateStudio(studio.id, StudioPatch(capacity: 5), ifVersion: 1, by: coordinator)
        }
        #expect(try await database.studio(studio.id, for: head).capacity == 4)
    }
}
