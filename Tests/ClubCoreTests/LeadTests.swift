import ClubCore
import Foundation
import Testing

@Suite("Requests and rush handling")
struct LeadTests {
    static func lead(deadline: String = "2027-02-01", at now: Date = epoch) throws -> Lead {
        try Lead(
            id: "req_1",
            input: LeadInput(
                clientId: "cli_1",
                statedAsk: "Instagram promotion",
                businessGoal: "leads from the internet",
                budget: 600_000,
                deadline: try #require(Day(deadline)),
                region: "RU-MOW"
            ),
            rules: rules,
            at: now
        )
    }

    static let reframing = LeadPatch(
        requiredCompetences: ["landing", "context_ads"],
        proposedApproach: "landing page and contextual ads",
        rationale: "too little content for Instagram"
    )

    // epoch is 2027-01-15T08:00:00Z
    @Test func aRequestIsQualifiedOnlyWithCompetencesAndARationale() throws {
        var lead = try Self.lead()
        try lead.apply(LeadPatch(requiredCompetences: ["landing"]), rules: rules, at: epoch)
        #expect(lead.status == .new)
        try lead.apply(LeadPatch(rationale: "the goal is leads"), rules: rules, at: epoch)
        #expect(lead.status == .qualified)
        #expect(invalidFields { try lead.apply(LeadPatch(requiredCompetences: []), rules: rules, at: epoch) } == ["requiredCompetences"])
    }

    @Test func aNewRequestCannotBeShortlisted() throws {
        var lead = try Self.lead()
        #expect(throws: DomainError.self) { try lead.markShortlisted(rules: rules, at: epoch) }
    }

    @Test func aDeadlineCloserThanTheThresholdIsARush() throws {
        let rush = try Self.lead(deadline: "2027-01-20")
        #expect(rush.rush)
        #expect(!(try Self.lead(deadline: "2027-02-01").rush))
        let relaxed = ClubRules(rushThresholdDays: 3)
        #expect(!relaxed.isRush(try #require(Day("2027-01-20")), at: epoch))
    }

    @Test func aRushRequestNeedsSharedResponsibilityBeforeShortlisting() throws {
        var lead = try Self.lead(deadline: "2027-01-20")
        try lead.apply(Self.reframing, rules: rules, at: epoch)
        #expect(
            throws: DomainError.ruleBroken(
                .rushNeedsSharedResponsibility,
                detail: "the deadline 2027-01-20 is closer than 7 days: record the client's acceptance of shared responsibility before shortlisting"
            )
        ) {
            try lead.markShortlisted(rules: rules, at: epoch)
        }
        try lead.recordSharedResponsibility(
            SharedResponsibilityInput(acceptedBy: "Oleg", acceptedAt: epoch, note: "accepts that late texts move the release"),
            by: coordinator.actor,
            at: epoch
        )
        try lead.markShortlisted(rules: rules, at: epoch)
        #expect(lead.status == .shortlisted)
        #expect(lead.sharedResponsibility?.acceptedBy == "Oleg")
    }

    @Test func aRequestBecomesARushAsTimePasses() throws {
        var lead = try Self.lead(deadline: "2027-01-30")
        #expect(!lead.rush)
        lead.refreshRush(rules: rules, at: epoch.addingTimeInterval(10 * 24 * 3600))
        #expect(lead.rush)
    }

    @Test func aDeadlineInThePastIsRefused() {
        #expect(invalidFields { _ = try Self.lead(deadline: "2027-01-01") } == ["deadline"])
    }

    @Test func closingNeedsAMatchOrIsLostOrWithdrawn() throws {
        var lead = try Self.lead()
        try lead.apply(Self.reframing, rules: rules, at: epoch)
        #expect(throws: DomainError.self) { try lead.close(LeadClosing(outcome: .closed, reason: "done"), at: epoch) }
        try lead.close(LeadClosing(outcome: .lost, reason: "chose another agency"), at: epoch)
        #expect(lead.status == .lost)
        #expect(throws: DomainError.self) { try lead.apply(LeadPatch(budget: 1), rules: rules, at: epoch) }
    }

    @Test func datesAreCheckedForRealCalendarDays() {
        #expect(Day("2027-02-29") == nil)
        #expect(Day("2028-02-29") != nil)
        #expect(Day("2027-13-01") == nil)
        #expect(Day("27-01-01") == nil)
        #expect(Day("2027-01-10")?.description == "2027-01-10")
    }
}

@Suite("Referrals")
struct ReferralTests {
    static func offered() -> Referral {
        Referral(id: "ref_1", requestId: "req_1", studioId: "stu_1", shortlistId: "shl_1", offeredBy: "Anna", answerHours: 48, at: epoch)
    }

    @Test func anAnswerWithinTheDeadlineIsKeptWithItsTime() throws {
        var referral = Self.offered()
        try referral.answer(ReferralAnswer(accept: true, note: "two people free from Monday"), at: epoch.addingTimeInterval(3 * 3600))
        #expect(referral.status == .accepted)
        #expect(referral.answerHours == 3)
        #expect(throws: DomainError.self) { try referral.answer(ReferralAnswer(accept: false), at: epoch) }
    }

    @Test func anOfferPastItsDeadlineCanNoLongerBeAnsweredOnlyExpired() throws {
        var referral = Self.offered()
        let late = epoch.addingTimeInterval(48 * 3600)
        #expect(referral.isOverdue(at: late))
        #expect(throws: DomainError.self) { try referral.answer(ReferralAnswer(accept: true), at: late) }
        try referral.expire(at: late)
        #expect(referral.status == .expired)
    }

    @Test func anOfferWithinItsDeadlineDoesNotExpire() {
        var referral = Self.offered()
        #expect(throws: DomainError.self) { try referral.expire(at: epoch.addingTimeInterval(47 * 3600)) }
    }

    @Test func theNextCandidateIsTheBestNotYetAskedAndStillEligible() {
        let breakdown = ScoreBreakdown(coverage: 1, singleStudio: 1, budgetFit: 1, freeCapacity: 1, rating: 1, upheldComplaints: 1, region: 1)
        let shortlist = Shortlist(
            id: "shl",
            requestId: "req",
            scope: ["landing"],
            excluded: [],
            candidates: ["stu_a", "stu_b", "stu_c", "stu_d"].map {
                ShortlistCandidate(studioId: $0, score: 1, breakdown: breakdown, covers: ["landing"])
            },
            createdAt: epoch,
            createdBy: "Anna"
        )
        #expect(shortlist.nextCandidate(alreadyAsked: ["stu_a"], eligible: { $0 != "stu_b" }) == "stu_c")
        #expect(shortlist.nextCandidate(alreadyAsked: ["stu_a", "stu_b", "stu_c", "stu_d"], eligible: { _ in true }) == nil)
    }
}

@Suite("Times")
struct TimeTests {
    @Test(arguments: [0.041, 0.999, 0.0005, 0.9996, 0.5])
    func rfc3339KeepsTheNearestMillisecond(fraction: Double) throws {
        let date = Date(timeIntervalSince1970: 1_800_000_000 + fraction)
        let text = RFC3339.string(from: date)
        let parsed = try #require(RFC3339.date(from: text))
        #expect(abs(parsed.timeIntervalSince1970 - date.timeIntervalSince1970) <= 0.0005 + 1e-9, "\(text)")
        #expect(text.hasSuffix("Z") && text.count == 24)
    }
}

extension TimeTests {
    @Test func rfc3339AgreesWithFoundationAcrossCenturies() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let seconds = Double(Int64.random(in: -2_208_988_800...4_102_444_800, using: &generator))
            let date = Date(timeIntervalSince1970: seconds)
            #expect(RFC3339.string(from: date) == formatter.string(from: date).replacingOccurrences(of: "Z", with: ".000Z"))
        }
        // Milliseconds, and years beyond four digits, which are written the long way.
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for _ in 0..<500 {
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: 0...4_102_444_800_000, using: &generator)) / 1000)
            #expect(RFC3339.string(from: date) == formatter.string(from: date), "\(date.timeIntervalSince1970)")
        }
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 253_402_300_800.25)) == "10000-01-01T00:00:00.250Z")
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    }
}
