import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

@Suite("Fix lists in the store")
struct FixListStoreTests {
    /// An engagement with an agreed two-item list; returns the list and the studio's and client's principals.
    static func agreedList() async throws -> (MatchingFixture, FixListRecord, studio: Principal, client: Principal) {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"]])
        let database = club.database
        _ = try await database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let studio = try await club.studioPrincipal(0)
        let referral = try await database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[0]]), by: head)[0]
        _ = try await database.answerReferral(referral.id, ReferralAnswer(accept: true), by: studio)
        let engagement = try await database.startEngagement(club.lead.id, EngagementInput(studioId: club.studios[0]), by: head).engagement
        let issued = try await database.issueToken(TokenGrant(role: .client, clientId: club.lead.clientId, name: "Oleg"), by: head)
        let client = try #require(try await database.authenticate(secret: issued.secret))
        let due = try #require(Day("2027-01-20"))
        let draft = try await database.createFixList(
            engagement.id,
            FixListInput(items: [
                FixItemInput(statement: "The contact form sends leads to the CRM", acceptance: "a test lead arrives", due: due),
                FixItemInput(statement: "The page loads fast on mobile", acceptance: "PageSpeed 80+", due: due),
            ]),
            by: head
        )
        _ = try await database.confirmFixList(draft.list.id, by: client)
        let agreed = try await database.confirmFixList(draft.list.id, by: studio)
        return (club, agreed, studio, client)
    }

    /// `GET /v1/engagements/{id}/fix-lists`: the engagement's parties read all its lists; a
    /// studio assigned an item in someone else's engagement reads only the list that holds it;
    /// any other studio, or a client of another engagement, gets 404 like for an unknown one.
    @Test func anEngagementsListsAreReadByItsPartiesAndByStudiosAssignedItems() async throws {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"], ["web"], ["seo"]])
        let database = club.database
        _ = try await database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let referral = try await database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[0]]), by: head)[0]
        _ = try await database.answerReferral(referral.id, ReferralAnswer(accept: true), by: try await club.studioPrincipal(0))
        let engagement = try await database.startEngagement(club.lead.id, EngagementInput(studioId: club.studios[0]), by: head).engagement
        let due = try #require(Day("2027-01-20"))
        let own = try await database.createFixList(
            engagement.id,
            FixListInput(items: [FixItemInput(statement: "The form sends leads", acceptance: "a lead arrives", due: due)]),
            by: head
        )
        let shared = try await database.createFixList(
            engagement.id,
            FixListInput(items: [
                FixItemInput(statement: "The ads point to the new page", acceptance: "clicks land there", due: due, assignedStudioId: club.studios[1])
            ]),
            by: head
        )
        let issued = try await database.issueToken(TokenGrant(role: .client, clientId: club.lead.clientId, name: "Oleg"), by: head)
        let client = try #require(try await database.authenticate(secret: issued.secret))
        let ids = { (principal: Principal) in try await database.fixLists(ofEngagement: engagement.id, for: principal).map(\.list.id) }

        #expect(try await ids(head) == [own.list.id, shared.list.id])
        #expect(try await ids(client) == [own.list.id, shared.list.id])
        #expect(try await ids(try await club.studioPrincipal(0)) == [own.list.id, shared.list.id])
        #expect(try await ids(try await club.studioPrincipal(1)) == [shared.list.id])
        await #expect(throws: DomainError.notFound(entity: "engagement", id: engagement.id)) {
            try await database.fixLists(ofEngagement: engagement.id, for: try await club.studioPrincipal(2))
        }
        await #expect(throws: DomainError.notFound(entity: "engagement", id: "eng_none")) {
            try await database.fixLists(ofEngagement: "eng_none", for: head)
        }
        let records = try await database.fixLists(ofEngagement: engagement.id, for: client)
        #expect(records[0].items == own.items && records[1].items == shared.items, "each list comes with its items")
    }

    @Test func theHistoryIsTheJournalOfTheListAndItsItems() async throws {
        let (club, list, studio, client) = try await Self.agreedList()
        _ = try await club.database.strikeFixItem(list.items[0].id, StrikeInput(note: "deployed"), by: studio)
        _ = try await club.database.reopenFixItem(list.items[0].id, ReopenInput(reason: "still broken on mobile"), by: client)
        let history = try await club.database.fixListHistory(list.list.id, page: PageRequest(limit: 200), for: client).items
        let journal = try await club.database.journal(entityType: nil, entityId: nil, page: PageRequest(limit: 200), for: head).items
        let related = Set([list.list.id] + list.items.map(\.id))
        #expect(history == journal.filter { related.contains($0.entityId) })
        #expect(
            history.map(\.action) == ["created", "created", "created", "confirmed-by-client", "agreed", "agreed", "agreed", "struck", "reopened"]
        )
        #expect(history.last?.after.contains("still broken on mobile") == true)
    }

    @Test func aRefusedStrikeChangesNothing() async throws {
        let (club, list, _, client) = try await Self.agreedList()
        let before = try await club.database.journalHead()
        await #expect(throws: DomainError.self) { try await club.database.strikeFixItem(list.items[0].id, StrikeInput(note: "done"), by: client) }
        await #expect(throws: DomainError.self) {
            try await club.database.reopenFixItem(list.items[0].id, ReopenInput(reason: "not struck yet"), by: client)
        }
        #expect(try await club.database.journalHead() == before)
        #expect(try await club.database.fixList(list.list.id, for: head).items == list.items)
    }

    @Test func lateStrikesAndReopensCountOnTheScorecard() async throws {
        let (club, list, studio, client) = try await Self.agreedList()
        club.test.clock.advance(by: 10 * 24 * 3600)
        _ = try await club.database.strikeFixItem(list.items[0].id, StrikeInput(note: "late but done"), by: studio)
        _ = try await club.database.reopenFixItem(list.items[0].id, ReopenInput(reason: "not on mobile", due: Day("2027-01-28")), by: client)
        let card = try #require(try await club.database.scorecards(page: PageRequest(), for: head).items.first { $0.studioId == club.studios[0] })
        #expect(card.fixItemsStruck == 1 && card.fixItemsStruckLate == 1, "a reopened item's strike stays in its round")
        #expect(card.fixItemsReopened == 1)
        _ = try await club.database.strikeFixItem(list.items[0].id, StrikeInput(note: "fixed"), by: studio)
        let again = try #require(try await club.database.scorecards(page: PageRequest(), for: head).items.first { $0.studioId == club.studios[0] })
        #expect(again.fixItemsStruck == 2 && again.fixItemsStruckLate == 1 && again.fixesOnTimeShare == 0.5, "the second round was on time")
    }

    @Test func theShareTokenIsStoredOnlyAsAHash() async throws {
        let (club, list, _, client) = try await Self.agreedList()
        let issued = try await club.database.createShareLink(list.list.id, ShareLinkInput(), by: client)
        let stored = try await club.database.writer.read { db in try String.fetchAll(db, sql: "SELECT tokenHash FROM shareLink") }
        #expect(stored == [TokenSecret.hash(issued.token)])
        guard case .available(let record, _, let context) = try await club.database.sharedFixList(token: issued.token) else {
            Issue.record("the link should open the list")
            return
        }
        #expect(record.list.id == list.list.id)
        #expect(context.studioName == "Studio 0")
    }
}
