import ClubCore
import ClubStore
import Foundation
import Testing

/// The console's notices read from the journal (docs/design.md §9.6): each person's changes since
/// their last visit, within their reach, without their own actions.
@Suite("Notices in the store")
struct NoticesTests {
    /// Two studios offered the request; studio 0 accepts, studio 1 accepts, the client chooses studio 1.
    struct Club {
        let club: MatchingFixture
        let referrals: [Referral]
        let studio0: Person
        let studio1: Person
        let client: Person
        let coordinator: Person
        let engagementId: String
    }

    static func club() async throws -> Club {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"], ["landing", "context_ads"]])
        let database = club.database
        func person(_ email: String, _ role: Role, studioId: String? = nil, clientId: String? = nil) async throws -> Person {
            try await database.createPerson(PersonInput(email: email, name: email, role: role, studioId: studioId, clientId: clientId), by: head)
                .person
        }
        let studio0 = try await person("pm@zero.example", .studio, studioId: club.studios[0])
        let studio1 = try await person("pm@one.example", .studio, studioId: club.studios[1])
        let client = try await person("oleg@yacht.example", .client, clientId: club.lead.clientId)
        let coordinator = try await person("anna@club.example", .coordinator)
        _ = try await database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let offers = try await database.offerReferrals(club.lead.id, ReferralOffer(studioIds: club.studios), by: head)
        let byStudio = Dictionary(uniqueKeysWithValues: offers.map { ($0.studioId, $0) })
        let referrals = [try #require(byStudio[club.studios[0]]), try #require(byStudio[club.studios[1]])]
        _ = try await database.answerReferral(referrals[0].id, ReferralAnswer(accept: true, note: "free"), by: studio0.principal)
        _ = try await database.answerReferral(referrals[1].id, ReferralAnswer(accept: true, note: "ready"), by: studio1.principal)
        _ = try await database.recommend(referrals[1].id, ReferralPatch(recommendation: "steady"), ifVersion: nil, by: coordinator.principal)
        let record = try await database.choose(club.lead.id, ChoiceInput(studioId: club.studios[1], note: "portfolio"), by: client.principal)
        return Club(
            club: club,
            referrals: referrals,
            studio0: studio0,
            studio1: studio1,
            client: client,
            coordinator: coordinator,
            engagementId: record.engagement.id
        )
    }

    static func keys(_ notices: [Notice]) -> [String] {
        notices.map { "\($0.entityType) \($0.entityId) \($0.action)" }
    }

    @Test func aStudioSeesItsOwnReferralsButNeitherAnotherStudiosNorItsOwnActions() async throws {
        let setup = try await Self.club()
        let database = setup.club.database
        let (mine, theirs) = (setup.referrals[0], setup.referrals[1])

        let studio0 = try await database.changes(for: setup.studio0)
        let seen0 = Self.keys(studio0)
        #expect(seen0.contains("referral \(mine.id) created"), "offered to it by the club")
        #expect(seen0.contains("referral \(mine.id) not-chosen"), "the client went another way")
        #expect(!seen0.contains("referral \(mine.id) accepted"), "its own answer is not news to it")
        #expect(!studio0.contains { $0.entityId == theirs.id || $0.entityId == setup.engagementId }, "another studio's referral and engagement")
        #expect(!studio0.contains { $0.entityType == "request" || $0.entityType == "shortlist" || $0.entityType == "person" })
        #expect(studio0.first { $0.entityId == mine.id }?.path == "/referrals/" + mine.id)
        #expect(studio0.map(\.seq) == studio0.map(\.seq).sorted(by: >), "newest first")

        let studio1 = Self.keys(try await database.changes(for: setup.studio1))
        #expect(studio1.contains("engagement \(setup.engagementId) created") && studio1.contains("engagement \(setup.engagementId) chosen"))
        #expect(!studio1.contains { $0.contains(mine.id) })
    }

    @Test func aClientSeesTheAnswersOfItsCandidatesButNotTheClubsOffersNorItsOwnChoice() async throws {
        let setup = try await Self.club()
        let notices = try await setup.club.database.changes(for: setup.client)
        let keys = Self.keys(notices)
        #expect(keys.contains("referral \(setup.referrals[0].id) accepted") && keys.contains("referral \(setup.referrals[1].id) recommended"))
        #expect(keys.contains("request \(setup.club.lead.id) shortlisted"))
        #expect(!keys.contains { $0.hasSuffix(" created") && $0.hasPrefix("referral") }, "which studios the club asked stays the club's")
        #expect(!notices.contains { $0.entityType == "engagement" }, "the choice was its own")
        #expect(notices.first { $0.entityType == "referral" }?.path == "/requests/" + setup.club.lead.id)
    }

    @Test func aCoordinatorSeesEverythingButItsOwnActions() async throws {
        let setup = try await Self.club()
        let notices = try await setup.club.database.changes(for: setup.coordinator)
        let keys = Self.keys(notices)
        #expect(keys.contains("referral \(setup.referrals[0].id) accepted") && keys.contains("engagement \(setup.engagementId) chosen"))
        #expect(!keys.contains("referral \(setup.referrals[1].id) recommended"), "its own recommendation")
        #expect(!notices.contains { $0.actorName == setup.coordinator.name })
    }

    @Test func markingSeenEmptiesTheListAndTheCountFollowsIt() async throws {
        let setup = try await Self.club()
        let database = setup.club.database
        let before = try await database.changes(for: setup.studio1)
        #expect(!before.isEmpty)
        #expect(try await database.unseenNoticeCount(for: setup.studio1) == before.count)
        #expect(try await database.noticesSeenAt(of: setup.studio1) == nil)

        try await database.markNoticesSeen(setup.studio1)
        #expect(try await database.changes(for: setup.studio1).isEmpty)
        #expect(try await database.unseenNoticeCount(for: setup.studio1) == 0)
        #expect(try await database.noticesSeenAt(of: setup.studio1) == database.clock.now())
        #expect(try await database.unseenNoticeCount(for: setup.studio0) > 0, "another person's notices stay unseen")

        setup.club.test.clock.advance(by: 60)
        let fixList = try await database.createFixList(
            setup.engagementId,
            FixListInput(items: [FixItemInput(statement: "The form sends", acceptance: "a lead arrives", due: try #require(Day("2027-02-01")))]),
            by: head
        )
        let after = try await database.changes(for: setup.studio1)
        #expect(Self.keys(after).contains("fix-list \(fixList.list.id) created"))
        #expect(after.first { $0.entityType == "fix-list" }?.path == "/fix-lists/" + fixList.list.id)
        #expect(try await database.unseenNoticeCount(for: setup.studio1) == after.count)
        #expect(try await database.changes(for: setup.studio0).allSatisfy { $0.entityType != "fix-list" && $0.entityType != "fix-item" })
    }

    @Test func withoutAVisitOnlyTheLastTwoWeeksAreListed() async throws {
        let setup = try await Self.club()
        let database = setup.club.database
        #expect(try await database.unseenNoticeCount(for: setup.client) > 0)
        setup.club.test.clock.advance(by: Double(AppDatabase.noticeWindowDays) * 24 * 3600 + 1)
        #expect(try await database.changes(for: setup.client).isEmpty)
        #expect(try await database.unseenNoticeCount(for: setup.client) == 0)
    }
}
