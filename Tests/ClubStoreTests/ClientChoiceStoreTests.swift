import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

/// The client's choice among the studios that accepted, and the small ones of issue 19: rush after
/// matching, completion feedback, a re-match moving scope (docs/design.md §3.3–§3.5).
@Suite("The client's choice in the store")
struct ClientChoiceStoreTests {
    /// Two studios covering the whole request, both offered and both accepted.
    static func twoCandidates() async throws -> (club: MatchingFixture, referrals: [Referral], client: Principal) {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"], ["landing", "context_ads"]])
        _ = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let offers = try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: club.studios), by: head)
        for (index, offer) in offers.enumerated() {
            let studio = try await club.studioPrincipal(club.studios.firstIndex(of: offer.studioId) ?? index)
            _ = try await club.database.answerReferral(offer.id, ReferralAnswer(accept: true, note: "free from Monday"), by: studio)
        }
        let issued = try await club.database.issueToken(TokenGrant(role: .client, clientId: club.lead.clientId, name: "Oleg"), by: head)
        let client = try #require(try await club.database.authenticate(secret: issued.secret))
        return (club, offers, client)
    }

    static func journal(_ database: AppDatabase, _ entityId: String) async throws -> [String] {
        try await database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT action FROM journal WHERE entityId = ? ORDER BY seq", arguments: [entityId])
        }
    }

    @Test func theClientChoosesOneCandidateAndTheOtherIsNotChosen() async throws {
        let (club, offers, client) = try await Self.twoCandidates()
        _ = try await club.database.recommend(offers[0].id, ReferralPatch(recommendation: "one pair of hands"), ifVersion: nil, by: head)
        let candidates = try await club.database.candidates(club.lead.id, for: client)
        #expect(candidates.map(\.studioId) == offers.map(\.studioId))
        #expect(candidates.first?.recommendation == "one pair of hands")
        #expect(candidates.first?.answerNote == "free from Monday")
        #expect(candidates.allSatisfy { $0.status == .accepted && $0.engagementId == nil })

        let chosen = offers[1]
        let record = try await club.database.choose(club.lead.id, ChoiceInput(studioId: chosen.studioId, note: "their portfolio"), by: client)
        #expect(record.engagement.chosenBy == .client)
        #expect(record.engagement.choiceNote == "their portfolio")
        #expect(record.engagement.scope == ["landing", "context_ads"], "by default what the referral was offered for")
        #expect(try await Self.journal(club.database, record.engagement.id) == ["created", "chosen"])
        #expect(try await Self.journal(club.database, offers[0].id).last == "not-chosen")

        let after = try await club.database.candidates(club.lead.id, for: client)
        #expect(after.first { $0.referralId == offers[0].id }?.status == .notChosen)
        #expect(after.first { $0.referralId == chosen.id }?.engagementId == record.engagement.id)
        let lead = try await club.database.lead(club.lead.id, for: head)
        #expect(lead.status == .matched)
    }

    @Test func onlyAnAcceptedUnusedReferralCanBeChosenAndACoordinatorSaysHow() async throws {
        let (club, offers, client) = try await Self.twoCandidates()
        await #expect(
            throws: DomainError.invalid("note", "a coordinator recording the client's choice says how it was made (\"chosen on the phone\")")
        ) {
            try await club.database.choose(club.lead.id, ChoiceInput(studioId: offers[0].studioId), by: head)
        }
        let record = try await club.database.choose(club.lead.id, ChoiceInput(studioId: offers[0].studioId, note: "chosen on the phone"), by: head)
        #expect(record.engagement.chosenBy == .coordinator)
        do {
            _ = try await club.database.choose(club.lead.id, ChoiceInput(studioId: offers[1].studioId), by: client)
            Issue.record("a studio not chosen cannot be chosen any more")
        } catch DomainError.ruleBroken(let rule, _) {
            #expect(rule == .choiceNeedsAcceptedReferral)
        }
    }

    @Test func anotherClientsRequestIsNotFoundAndAStudioIsRefused() async throws {
        let (club, offers, _) = try await Self.twoCandidates()
        let other = try await club.database.createClient(ClientInput(name: "Other Ltd"), by: head)
        let issued = try await club.database.issueToken(TokenGrant(role: .client, clientId: other.id, name: "Other"), by: head)
        let stranger = try #require(try await club.database.authenticate(secret: issued.secret))
        await #expect(throws: DomainError.notFound(entity: "request", id: club.lead.id)) {
            try await club.database.candidates(club.lead.id, for: stranger)
        }
        await #expect(throws: DomainError.notFound(entity: "request", id: club.lead.id)) {
            try await club.database.choose(club.lead.id, ChoiceInput(studioId: offers[0].studioId), by: stranger)
        }
        let studio = try await club.studioPrincipal(0)
        await #expect(throws: DomainError.forbidden(Action.readCandidates.refusal)) {
            try await club.database.candidates(club.lead.id, for: studio)
        }
    }

    @Test func aCoordinatorsEngagementAlsoClosesTheOthersAndRecordsWhoChose() async throws {
        let (club, offers, _) = try await Self.twoCandidates()
        let record = try await club.database.startEngagement(club.lead.id, EngagementInput(studioId: offers[0].studioId), by: head)
        #expect(record.engagement.chosenBy == .coordinator)
        #expect(record.engagement.choiceNote == nil)
        let others = try await club.database.referrals(ReferralFilter(requestId: club.lead.id), page: PageRequest(), for: head).items
        #expect(others.first { $0.id == offers[1].id }?.status == .notChosen)
        let card = try await club.database.scorecards(page: PageRequest(), for: head).items.first { $0.studioId == offers[1].studioId }
        #expect(card?.referralsAccepted == 1, "a studio not chosen still said yes")
    }

    @Test func aCandidateAskedForMoreThanWasGivenKeepsItsChance() async throws {
        let (club, offers, client) = try await Self.twoCandidates()
        let record = try await club.database.choose(club.lead.id, ChoiceInput(studioId: offers[0].studioId, scope: ["landing"]), by: client)
        #expect(record.engagement.scope == ["landing"])
        let candidates = try await club.database.candidates(club.lead.id, for: client)
        #expect(candidates.first { $0.referralId == offers[1].id }?.status == .accepted, "context_ads has no studio yet")
        let second = try await club.database.choose(club.lead.id, ChoiceInput(studioId: offers[1].studioId, scope: ["context_ads"]), by: client)
        #expect(second.engagement.scope == ["context_ads"])
        let first = try await club.database.engagementRecord(record.engagement.id, for: head)
        #expect(first.engagement.scope == ["landing"], "nothing of the first moved: the scopes did not overlap")
    }

    @Test func aRematchMovesThePartOutOfTheFirstEngagement() async throws {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"], ["context_ads"]])
        _ = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let first = try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[0]]), by: head)[0]
        _ = try await club.database.answerReferral(first.id, ReferralAnswer(accept: true), by: try await club.studioPrincipal(0))
        let landing = try await club.database.startEngagement(club.lead.id, EngagementInput(studioId: club.studios[0]), by: head).engagement
        _ = try await club.database.makeShortlist(club.lead.id, ShortlistInput(scope: ["context_ads"], exclude: [club.studios[0]]), by: head)
        let ads = try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[1]]), by: head)[0]
        _ = try await club.database.answerReferral(ads.id, ReferralAnswer(accept: true), by: try await club.studioPrincipal(1))
        let second = try await club.database.startEngagement(
            club.lead.id,
            EngagementInput(studioId: club.studios[1], scope: ["context_ads"]),
            by: head
        )
        #expect(second.engagement.scope == ["context_ads"])
        let moved = try await club.database.engagementRecord(landing.id, for: head).engagement
        #expect(moved.scope == ["landing"])
        #expect(moved.version == landing.version + 1)
        #expect(try await Self.journal(club.database, landing.id).last == "scope-moved")
    }

    @Test func aRematchCannotTakeTheWholeScopeOfARunningEngagement() async throws {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"], ["landing", "context_ads"]])
        _ = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let first = try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[0]]), by: head)[0]
        _ = try await club.database.answerReferral(first.id, ReferralAnswer(accept: true), by: try await club.studioPrincipal(0))
        let running = try await club.database.startEngagement(club.lead.id, EngagementInput(studioId: club.studios[0], scope: ["landing"]), by: head)
        let second = try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[1]]), by: head)[0]
        _ = try await club.database.answerReferral(second.id, ReferralAnswer(accept: true), by: try await club.studioPrincipal(1))
        do {
            _ = try await club.database.startEngagement(club.lead.id, EngagementInput(studioId: club.studios[1]), by: head)
            Issue.record("two studios would hold the landing page")
        } catch DomainError.ruleBroken(let rule, _) {
            #expect(rule == .rematchTakesWholeScope)
        }
        let unchanged = try await club.database.engagementRecord(running.engagement.id, for: head).engagement
        #expect(unchanged.scope == ["landing"], "the refused start changed nothing")
        #expect(try await club.database.engagements(EngagementFilter(requestId: club.lead.id), page: PageRequest(), for: head).items.count == 1)
    }

    @Test func completionFeedbackWaitsForTheEngagementToBeCompleted() async throws {
        let (club, offers, client) = try await Self.twoCandidates()
        let engagement = try await club.database.choose(club.lead.id, ChoiceInput(studioId: offers[0].studioId), by: client).engagement
        _ = try await club.database.updateEngagement(engagement.id, EngagementPatch(status: .released), ifVersion: nil, by: head)
        do {
            _ = try await club.database.giveFeedback(engagement.id, FeedbackInput(stage: "completion", score: 5), by: client)
            Issue.record("a released engagement is not completed")
        } catch DomainError.ruleBroken(let rule, _) {
            #expect(rule == .completionFeedbackNeedsCompletion)
        }
        _ = try await club.database.updateEngagement(engagement.id, EngagementPatch(status: .completed), ifVersion: nil, by: head)
        let feedback = try await club.database.giveFeedback(engagement.id, FeedbackInput(stage: "completion", score: 5), by: client)
        #expect(feedback.stage == "completion")
    }

    @Test func aMatchedRequestIsNoLongerRushButKeepsItsSharedResponsibility() async throws {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"]], deadline: "2027-01-18")
        #expect(try await club.database.lead(club.lead.id, for: head).rush)
        let responsibility = SharedResponsibilityInput(acceptedBy: "Oleg", acceptedAt: club.test.clock.now(), note: "late materials move the date")
        _ = try await club.database.recordSharedResponsibility(club.lead.id, responsibility, by: head)
        _ = try await club.database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let offer = try await club.database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[0]]), by: head)[0]
        _ = try await club.database.answerReferral(offer.id, ReferralAnswer(accept: true), by: try await club.studioPrincipal(0))
        _ = try await club.database.startEngagement(club.lead.id, EngagementInput(studioId: club.studios[0]), by: head)
        let matched = try await club.database.lead(club.lead.id, for: head)
        #expect(matched.rush == false)
        #expect(matched.sharedResponsibility?.acceptedBy == "Oleg")
        let stored = try await club.database.writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT rush FROM lead WHERE id = ?", arguments: [club.lead.id])
        }
        #expect(stored == false, "the transition stores it too")
    }

    @Test func aRequestPastItsDeadlineIsNoLongerRush() async throws {
        let club = try await MatchingFixture(studios: [["landing"]], deadline: "2027-01-18")
        #expect(try await club.database.lead(club.lead.id, for: head).rush)
        club.test.clock.advance(by: 5 * 24 * 3600)
        #expect(try await club.database.lead(club.lead.id, for: head).rush == false)
        #expect(try await club.database.leads(LeadFilter(), page: PageRequest(), for: head).items.first?.rush == false)
    }
}
