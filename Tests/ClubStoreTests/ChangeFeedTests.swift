import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

@Suite("The feed of committed changes")
struct ChangeFeedTests {
    /// Collects what the feed announces until `count` changes arrived.
    static func next(_ count: Int, from stream: AsyncStream<Change>) async -> [Change] {
        var seen: [Change] = []
        for await change in stream {
            seen.append(change)
            if seen.count == count { break }
        }
        return seen
    }

    @Test func aCommittedChangeIsAnnouncedAsItsJournalEvent() async throws {
        let database = try TestDatabase().open()
        let stream = database.changes.subscribe()
        let studio = try await database.createStudio(pixelHands(), by: head)
        let changes = await Self.next(1, from: stream)
        let head = try await database.journalHead()
        #expect(changes == [Change(seq: head.seq, entityType: "studio", entityId: studio.id, action: "created")])
    }

    @Test func aTransactionWithSeveralEventsAnnouncesEachInOrder() async throws {
        let fixture = try await MatchingFixture(studios: [["landing", "context_ads"]])
        let stream = fixture.database.changes.subscribe()
        // A shortlist is one transaction with two events: the shortlist and the request's new state.
        _ = try await fixture.database.makeShortlist(fixture.lead.id, ShortlistInput(), by: head)
        let changes = await Self.next(2, from: stream)
        #expect(changes.map(\.entityType) == ["shortlist", "request"])
        #expect(changes[1].seq == changes[0].seq + 1)
    }

    @Test func aRolledBackChangeIsNeverAnnounced() async throws {
        let database = try TestDatabase().open()
        let stream = database.changes.subscribe()
        try await database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TEMP TRIGGER refuse_studio BEFORE INSERT ON studio BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        await #expect(throws: (any Error).self) { try await database.createStudio(pixelHands(), by: head) }
        // The next committed change is the first one announced: the refused one left no trace.
        let client = try await database.createClient(ClientInput(name: "Yacht Charter Ltd"), by: head)
        let changes = await Self.next(1, from: stream)
        #expect(changes.map(\.entityId) == [client.id])
    }

    @Test func aSubscriberThatStopsListeningIsForgotten() async throws {
        let database = try TestDatabase().open()
        let task = Task {
            for await _ in database.changes.subscribe() {}
        }
        while database.changes.subscriberCount == 0 { await Task.yield() }
        task.cancel()
        await task.value
        #expect(database.changes.subscriberCount == 0)
    }

    @Test func changesToAListItsItemsAndItsLinksNameTheList() async throws {
        let (club, list, studio, _) = try await FixListStoreTests.agreedList()
        let stream = club.database.changes.subscribe()
        _ = try await club.database.strikeFixItem(list.items[0].id, StrikeInput(note: "deployed"), by: studio)
        let struck = await Self.next(1, from: stream)
        #expect(struck.map(\.entityType) == ["fix-item"])
        #expect(try await club.database.fixListId(touchedBy: struck[0]) == list.list.id)
        let other = Change(seq: 0, entityType: "studio", entityId: club.studios[0], action: "created")
        #expect(try await club.database.fixListId(touchedBy: other) == nil)
    }
}
