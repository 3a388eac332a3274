import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

/// The client checks each fix in the store (docs/design.md §3.7): accepting, the daemon's
/// acceptance on the clock, the list done only when all are accepted, and item comments.
@Suite("Fix items: the client's check in the store")
struct FixChecksStoreTests {
    @Test func theListIsDoneOnlyWhenTheClientHasAcceptedEveryStruckItem() async throws {
        let (club, list, studio, client) = try await FixListStoreTests.agreedList()
        let database = club.database
        for item in list.items { _ = try await database.strikeFixItem(item.id, StrikeInput(note: "deployed"), by: studio) }
        var record = try await database.fixList(list.list.id, for: client)
        #expect(record.list.status == .agreed, "struck items await the client's check")
        #expect(record.progress.struck == 2 && record.progress.awaitingCheck == 2 && record.progress.accepted == 0 && record.progress.total == 2)
        await #expect(throws: DomainError.self) { try await database.acceptFixItem(list.items[0].id, AcceptInput(), by: studio) }
        _ = try await database.acceptFixItem(list.items[0].id, AcceptInput(note: "a test lead arrived"), by: client)
        record = try await database.acceptFixItem(list.items[1].id, AcceptInput(), by: client)
        #expect(record.list.status == .done && record.progress.accepted == 2)
        let history = try await database.fixListHistory(list.list.id, page: PageRequest(limit: 200), for: client).items
        #expect(history.suffix(3).map(\.action) == ["accepted", "accepted", "done"])
        #expect(history.suffix(3).allSatisfy { $0.actor.name == "Oleg" })
    }

    @Test func theDaemonAcceptsWhatNobodyCheckedInTimeOnTheStoresClock() async throws {
        let (club, list, studio, client) = try await FixListStoreTests.agreedList()
        let database = club.database
        let days = database.rules.fixItemAutoAcceptDays
        _ = try await database.strikeFixItem(list.items[0].id, StrikeInput(note: "deployed"), by: studio)
        _ = try await database.strikeFixItem(list.items[1].id, StrikeInput(note: "cached"), by: studio)
        _ = try await database.acceptFixItem(list.items[1].id, AcceptInput(), by: client)
        club.test.clock.advance(by: Double(days) * 24 * 3600 - 60)
        #expect(try await database.autoAcceptDueFixItems() == 0, "not yet: the client still has a minute")
        club.test.clock.advance(by: 60)
        #expect(try await database.autoAcceptDueFixItems() == 1)
        #expect(try await database.autoAcceptDueFixItems() == 0, "each item is accepted once")
        let record = try await database.fixList(list.list.id, for: client)
        #expect(record.list.status == .done)
        #expect(record.items[0].state == .accepted && record.items[0].autoAccepted && record.items[0].acceptedBy == Actor.system.name)
        let events = try await database.fixListHistory(list.list.id, page: PageRequest(limit: 200), for: head).items.suffix(2)
        #expect(events.map(\.action) == ["auto-accepted", "done"])
        #expect(events.allSatisfy { $0.actor.id == Actor.system.id && $0.actor.role == "system" }, "the daemon's own events")
    }

    @Test func theDaemonsDaysCanBeGivenToTheUseCase() async throws {
        let (club, list, studio, _) = try await FixListStoreTests.agreedList()
        _ = try await club.database.strikeFixItem(list.items[0].id, StrikeInput(note: "deployed"), by: studio)
        club.test.clock.advance(by: 2 * 24 * 3600)
        #expect(try await club.database.autoAcceptDueFixItems(days: 3) == 0)
        #expect(try await club.database.autoAcceptDueFixItems(days: 2) == 1)
    }

    @Test func aReopeningAfterTheDueDayCarriesTheNewDueDayAndEachRoundIsJudgedOnItsOwn() async throws {
        let (club, list, studio, client) = try await FixListStoreTests.agreedList()
        let database = club.database
        _ = try await database.strikeFixItem(list.items[0].id, StrikeInput(note: "deployed"), by: studio)
        club.test.clock.advance(by: 10 * 24 * 3600)
        let refused = await #expect(throws: DomainError.self) {
            try await database.reopenFixItem(list.items[0].id, ReopenInput(reason: "the phone number is lost"), by: client)
        }
        #expect(refused.map { if case .invalid(let errors) = $0 { errors.map(\.field) } else { [] } } == ["due"])
        _ = try await database.reopenFixItem(list.items[0].id, ReopenInput(reason: "the phone number is lost", due: Day("2027-01-30")), by: client)
        let record = try await database.strikeFixItem(list.items[0].id, StrikeInput(note: "phone number kept"), by: studio)
        #expect(record.items[0].rounds.map(\.onTime) == [true, true] && record.items[0].due == Day("2027-01-30"))
        let card = try #require(try await database.scorecards(page: PageRequest(), for: head).items.first { $0.studioId == club.studios[0] })
        #expect(card.fixItemsStruck == 2 && card.fixItemsStruckLate == 0 && card.fixesOnTimeShare == 1 && card.fixItemsReopened == 1)
        // Stored and read back: the rounds survive the database.
        let stored = try await database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT rounds FROM fixItem WHERE id = ?", arguments: [list.items[0].id])
        }
        #expect(stored?.contains("phone number kept") == true)
    }

    @Test func theListsPartiesCommentAndReadTheThreadAndNobodyElse() async throws {
        let (club, list, studio, client) = try await FixListStoreTests.agreedList()
        let database = club.database
        let itemId = list.items[0].id
        _ = try await database.commentOnFixItem(itemId, FixItemCommentInput(text: "the form loses the phone number"), by: client)
        _ = try await database.commentOnFixItem(itemId, FixItemCommentInput(text: "looking at it today"), by: studio)
        _ = try await database.commentOnFixItem(itemId, FixItemCommentInput(text: "call on Friday?"), by: coordinator)
        for reader in [client, studio, coordinator] {
            let thread = try await database.fixItemComments(itemId, for: reader)
            #expect(thread.map(\.side) == [.client, .studio, .club] && thread[1].text == "looking at it today")
        }
        let stranger = Principal(tokenId: "tok_x", name: "Other Ltd", role: .client, clientId: "cli_other")
        await #expect(throws: DomainError.notFound(entity: "fix item", id: itemId)) { try await database.fixItemComments(itemId, for: stranger) }
        await #expect(throws: DomainError.notFound(entity: "fix item", id: itemId)) {
            try await database.commentOnFixItem(itemId, FixItemCommentInput(text: "hello"), by: stranger)
        }
        await #expect(throws: DomainError.self) { try await database.commentOnFixItem(itemId, FixItemCommentInput(text: " "), by: client) }
        let history = try await database.fixListHistory(list.list.id, page: PageRequest(limit: 200), for: client).items
        #expect(history.filter { $0.entityType == "fix-item-comment" }.count == 3)
        #expect(try await database.fixListComments(list.list.id, for: studio).count == 3)
    }
}
