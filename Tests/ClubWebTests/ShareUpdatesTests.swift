import ClubCore
import ClubDemo
import ClubStore
import ClubWeb
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// Live share pages learn of changes from the store's feed, whoever made them: these changes are
/// made through the store alone, with no HTTP route involved.
@Suite("Share pages follow the change feed")
struct ShareUpdatesTests {
    static func club(zone: TimeZone = .gmt) async throws -> (AppDatabase, ReferenceCase.Summary) {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let database = try AppDatabase.inMemory(clock: clock, rules: ClubRules(timeZone: zone))
        return (database, try await ReferenceCase(database: database, clock: clock).load())
    }

    @Test func aStoreChangeToAnItemWakesThePagesOfItsList() async throws {
        let (database, summary) = try await Self.club()
        let updates = ShareUpdates()
        let page = await updates.subscribe(to: summary.fixListId)
        let service = Task { try await ShareUpdatesService(database: database, updates: updates).run() }
        defer { service.cancel() }
        // The service subscribes to the feed when it starts; a change before that would be missed.
        while database.changes.subscriberCount == 0 { await Task.yield() }

        let list = try await database.fixList(summary.fixListId, for: .system)
        _ = try await database.commentOnFixItem(list.items[0].id, FixItemCommentInput(text: "the form is broken again"), by: .system)
        var signals = page.signals.makeAsyncIterator()
        let signal = await signals.next()
        #expect(signal == .changed)
    }

    /// While no page is open the service skips looking up each change's list; it must look again
    /// as soon as one opens, and stop when the last one closes.
    @Test func theFeedIsWatchedOnlyWhilePagesAreOpen() async throws {
        let updates = ShareUpdates()
        #expect(await updates.isWatched == false)
        let first = await updates.subscribe(to: "fxl_a")
        let second = await updates.subscribe(to: "fxl_b")
        await updates.unsubscribe(first.id, from: "fxl_a")
        #expect(await updates.isWatched)
        await updates.unsubscribe(second.id, from: "fxl_b")
        #expect(await updates.isWatched == false)
    }

    @Test func aLinkRevokedInTheStoreEndsTheOpenPageStream() async throws {
        let (database, summary) = try await Self.club()
        let updates = ShareUpdates()
        let router = Router(context: BasicRequestContext.self)
        try WebRoutes(database: database, updates: updates).addRoutes(to: router)
        let app = Application(router: router, services: [ShareUpdatesService(database: database, updates: updates)])
        try await app.test(.router) { client in
            async let stream = client.execute(uri: "/share/\(summary.shareToken)/events", method: .get)
            while await updates.watchers(of: summary.fixListId) == 0 { try await Task.sleep(for: .milliseconds(5)) }
            let links = try await database.writer.read { db in
                try String.fetchAll(db, sql: "SELECT id FROM shareLink WHERE fixListId = ?", arguments: [summary.fixListId])
            }
            for link in links { _ = try await database.revokeShareLink(link, by: .system) }
            let response = try await stream
            #expect(response.status == .ok)
            let body = String(buffer: response.body)
            #expect(body.hasPrefix("retry: 3000\n: connected"))
            #expect(body.contains("event: gone"))
        }
        #expect(await updates.watchers(of: summary.fixListId) == 0)
    }
}
