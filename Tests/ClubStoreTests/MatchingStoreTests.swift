import ClubCore
import Foundation
import GRDB
import Testing

@testable import ClubStore

/// A club with a client, a qualified request and active studios, on a fresh database.
struct MatchingFixture {
    let test: TestDatabase
    let database: AppDatabase
    let lead: Lead
    let studios: [String]

    /// `studios` are created active, each with the competences given, in this order.
    init(studios competences: [[String]], capacity: Int = 3, deadline: String = "2027-03-01") async throws {
        test = try TestDatabase()
        database = try test.open()
        var ids: [String] = []
        for (index, list) in competences.enumerated() {
            let studio = try await database.createStudio(
                StudioInput(
                    name: "Studio \(index)",
                    competences: list,
                    regions: ["RU-MOW"],
                    budgetMin: 100_000,
                    budgetMax: 2_000_000,
                    capacity: capacity
                ),
                by: head
            )
            for kind in VettingCheckKind.allCases {
                _ = try await database.recordVettingCheck(studio.id, VettingCheckInput(kind: kind, passed: true), by: head)
            }
            _ = try await database.decideStudio(studio.id, DecisionInput(decision: .admit, reason: "ok"), by: head)
            ids.append(studio.id)
        }
        studios = ids
        let client = try await database.createClient(ClientInput(name: "Yacht Charter Ltd"), by: head)
        let created = try await database.createLead(
            LeadInput(
                clientId: client.id,
                statedAsk: "Instagram promotion",
                businessGoal: "leads from the internet",
                budget: 600_000,
                deadline: try #require(Day(deadline)),
                region: "RU-MOW"
            ),
            by: head
        )
        lead = try await database.updateLead(
            created.id,
            LeadPatch(
                requiredCompetences: ["landing", "context_ads"],
                proposedApproach: "landing page and contextual ads",
                rationale: "too little content for Instagram"
            ),
            ifVersion: nil,
            by: head
        )
    }

    func studioPrincipal(_ index: Int) async throws -> Principal {
        let issued = try await database.issueToken(TokenGrant(role: .studio, studioId: studios[index], name: "studio \(index)"), by: head)
        return try #require(try await database.authenticate(secret: issued.secret))
    }
}

@Suite("Matching, referrals and engagements in the store")
struct MatchingStoreTests {
    /// Competences and regions are stored joined, each value between two separators; they are
    /// read back byte by byte, whatever the script.
    @Test func joinedValuesReadBackWhole() {
        #expect(AppDatabase.fields("\u{1F}landing\u{1F}context_ads\u{1F}") == ["landing", "context_ads"])
        #expect(AppDatabase.fields("\u{1F}RU-MOW\u{1F}Москва\u{1F}Zürich\u{1F}") == ["RU-MOW", "Москва", "Zürich"])
        #expect(AppDatabase.fields("seo") == ["seo"])
        #expect(AppDatabase.fields("\u{1F}\u{1F}").isEmpty && AppDatabase.fields("").isEmpty && AppDatabase.fields(nil).isEmpty)
    }

    @Test func theShortlistRanksWholeScopeFirstAndIsStored() async throws {
        let club = try await MatchingFixture(studios: [["landing"], ["landing", "context_ads"], ["seo"]])
        let shortlist = try await club.database.makeShortlist(club.lead.id, ShortlistInput(size: 3), by: head)
        #expect(shortlist.candidates.map(\.studioId) == [club.studios[1], club.studios[0]])
        #expect(try await club.database.latestShortlist(club.lead.id, for: head) == shortlist)
        #expect(try await club.database.lead(club.lead.id, for: head).status == .shortlisted)
    }

    @Test func aPartScopeShortlistExcludesTheNamedStudios() async throws {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"], ["context_ads"]])
        _ = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let ads = try await club.database.makeShortlist(club.lead.id, ShortlistInput(scope: ["context_ads"], exclude: [club.studios[0]]), by: head)
        #expect(ads.scope == ["context_ads"])
        #expect(ads.candidates.map(\.studioId) == [club.studios[1]])
        await #expect(throws: DomainError.self) { try await club.database.makeShortlist(club.lead.id, ShortlistInput(scope: ["seo"]), by: head) }
    }

    @Test func aRushRequestIsNotShortlistedWithoutSharedResponsibility() async throws {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"]], deadline: "2027-01-18")
        await #expect(throws: DomainError.self) { try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head) }
        #expect(try await club.database.lead(club.lead.id, for: head).status == .qualified)
        _ = try await club.database.recordSharedResponsibility(
            club.lead.id,
            SharedResponsibilityInput(acceptedBy: "Oleg", acceptedAt: club.test.clock.now(), note: "agreed on the phone"),
            by: head
        )
        _ = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
    }

    @Test func anExpiredReferralPassesToTheNextShortlistedStudioWithoutAnyone() async throws {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"], ["landing"], ["context_ads"]])
        let shortlist = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let first = try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [shortlist.candidates[0].studioId]), by: head)[0]
        club.test.clock.advance(by: 47 * 3600)
        #expect(try await club.database.expireOverdueReferrals() == 0)
        club.test.clock.advance(by: 3600)
        #expect(try await club.database.overdueReferralCount() == 1)
        #expect(try await club.database.expireOverdueReferrals() == 1)
        let all = try await club.database.referrals(ReferralFilter(requestId: club.lead.id), page: PageRequest(), for: head).items
        #expect(all.map(\.status) == [.expired, .offered])
        #expect(all[1].studioId == shortlist.candidates[1].studioId)
        #expect(all[1].handedOverFrom == first.id)
        #expect(all[1].offeredBy == "clubd")
    }

    @Test func aDeclineHandsOverAtOnceAndTheStudioIsNeverAskedAgain() async throws {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"], ["landing", "context_ads"]])
        let shortlist = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let firstId = shortlist.candidates[0].studioId
        let index = club.studios.firstIndex(of: firstId) ?? 0
        let referral = try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [firstId]), by: head)[0]
        let studio = try await club.studioPrincipal(index)
        _ = try await club.database.answerReferral(referral.id, ReferralAnswer(accept: false, note: "busy"), by: studio)
        let open = try await club.database.referrals(ReferralFilter(requestId: club.lead.id, status: .offered), page: PageRequest(), for: head).items
        #expect(open.map(\.studioId) == [shortlist.candidates[1].studioId])
        await #expect(throws: DomainError.self) {
            try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [firstId]), by: head)
        }
        let again = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        #expect(!again.candidates.map(\.studioId).contains(firstId))
    }

    @Test func anEngagementTakesCapacityUntilItEnds() async throws {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"]], capacity: 1)
        _ = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        await #expect(throws: DomainError.self) {
            try await club.database.startEngagement(club.lead.id, EngagementInput(studioId: club.studios[0]), by: head)
        }
        let referral = try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[0]]), by: head)[0]
        _ = try await club.database.answerReferral(referral.id, ReferralAnswer(accept: true), by: try await club.studioPrincipal(0))
        let record = try await club.database.startEngagement(club.lead.id, EngagementInput(studioId: club.studios[0]), by: head)
        #expect(try await club.database.lead(club.lead.id, for: head).status == .matched)
        let full = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        #expect(full.candidates.isEmpty, "a studio without free capacity is not proposed")
        _ = try await club.database.updateEngagement(record.engagement.id, EngagementPatch(status: .released), ifVersion: nil, by: head)
        _ = try await club.database.updateEngagement(record.engagement.id, EngagementPatch(status: .completed), ifVersion: nil, by: head)
        let freed = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        #expect(freed.candidates.map(\.studioId) == [club.studios[0]])
    }

    @Test func aFallingSentimentPutsTheEngagementAtRiskInTheSameTransaction() async throws {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"]])
        _ = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let referral = try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[0]]), by: head)[0]
        _ = try await club.database.answerReferral(referral.id, ReferralAnswer(accept: true), by: try await club.studioPrincipal(0))
        let engagement = try await club.database.startEngagement(club.lead.id, EngagementInput(studioId: club.studios[0]), by: head).engagement
        for sentiment in [5, 4] {
            club.test.clock.advance(by: 3600)
            _ = try await club.database.addCheckIn(
                engagement.id,
                CheckInInput(heldAt: club.test.clock.now(), attendees: ["Oleg"], studioReport: "on track", clientSentiment: sentiment),
                by: head
            )
        }
        #expect(try await club.database.engagementRecord(engagement.id, for: head).engagement.status == .active)
        club.test.clock.advance(by: 3600)
        _ = try await club.database.addCheckIn(
            engagement.id,
            CheckInInput(heldAt: club.test.clock.now(), attendees: ["Oleg"], studioReport: "texts late", clientSentiment: 3),
            by: head
        )
        let record = try await club.database.engagementRecord(engagement.id, for: head)
        #expect(record.engagement.status == .atRisk)
        #expect(record.checkIns.count == 3)
        let events = try await club.database.journal(entityType: "engagement", entityId: engagement.id, page: PageRequest(), for: head).items
        #expect(events.map(\.action) == ["created", "at-risk"])
    }

    @Test func anAcceptedReferralStartsOneEngagementAndANewOfferNeedsTheFirstToEnd() async throws {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"]])
        _ = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let studio = try await club.studioPrincipal(0)
        let referral = try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[0]]), by: head)[0]
        _ = try await club.database.answerReferral(referral.id, ReferralAnswer(accept: true), by: studio)
        await #expect(throws: DomainError.self, "an accepted, unused offer is still pending") {
            try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[0]]), by: head)
        }
        let first = try await club.database.startEngagement(club.lead.id, EngagementInput(studioId: club.studios[0], scope: ["landing"]), by: head)
            .engagement
        #expect(first.referralId == referral.id)
        await #expect(
            throws: DomainError.ruleBroken(
                .referralNeedsAcceptance,
                detail: "an engagement starts only with a studio that accepted the referral for this request"
            )
        ) {
            try await club.database.startEngagement(club.lead.id, EngagementInput(studioId: club.studios[0], scope: ["context_ads"]), by: head)
        }
        let again = try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[0]]), by: head)[0]
        _ = try await club.database.answerReferral(again.id, ReferralAnswer(accept: true), by: studio)
        let second = try await club.database.startEngagement(
            club.lead.id,
            EngagementInput(studioId: club.studios[0], scope: ["context_ads"]),
            by: head
        ).engagement
        #expect(second.referralId == again.id)
    }

    @Test func aDeclineDoesNotHandOverOnceAnotherStudioAccepted() async throws {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"], ["landing", "context_ads"], ["landing", "context_ads"]])
        let shortlist = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let firstTwo = Array(shortlist.candidates.prefix(2).map(\.studioId))
        let offers = try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: firstTwo), by: head)
        let principals = try await [
            club.studioPrincipal(club.studios.firstIndex(of: firstTwo[0]) ?? 0), club.studioPrincipal(club.studios.firstIndex(of: firstTwo[1]) ?? 0),
        ]
        _ = try await club.database.answerReferral(offers[0].id, ReferralAnswer(accept: true), by: principals[0])
        _ = try await club.database.answerReferral(offers[1].id, ReferralAnswer(accept: false), by: principals[1])
        let all = try await club.database.referrals(ReferralFilter(requestId: club.lead.id), page: PageRequest(), for: head).items
        #expect(all.count == 2, "no third studio is asked while one has accepted")
    }

    @Test func referralsOfAClosedRequestCannotBeAnswered() async throws {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"]])
        _ = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let referral = try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[0]]), by: head)[0]
        _ = try await club.database.closeLead(club.lead.id, LeadClosing(outcome: .withdrawn, reason: "client postponed"), by: head)
        await #expect(throws: DomainError.self) {
            try await club.database.answerReferral(referral.id, ReferralAnswer(accept: true), by: try await club.studioPrincipal(0))
        }
    }

    @Test func theMatchProjectionFollowsStudioChanges() async throws {
        let club = try await MatchingFixture(studios: [["landing"]])
        #expect(try await club.database.makeShortlist(club.lead.id, ShortlistInput(scope: ["context_ads"]), by: head).candidates.isEmpty)
        _ = try await club.database.updateStudio(club.studios[0], StudioPatch(competences: ["landing", "context_ads"]), ifVersion: nil, by: head)
        #expect(
            try await club.database.makeShortlist(club.lead.id, ShortlistInput(scope: ["context_ads"]), by: head).candidates.map(\.studioId) == [
                club.studios[0]
            ]
        )
        _ = try await club.database.decideStudio(club.studios[0], DecisionInput(decision: .suspend, reason: "missed deadlines"), by: head)
        #expect(
            try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head).candidates.isEmpty,
            "a suspended studio is not proposed"
        )
    }
}
