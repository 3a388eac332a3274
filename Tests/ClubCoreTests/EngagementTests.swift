import ClubCore
import Foundation
import Testing

@Suite("Engagements, agreements, check-ins and feedback")
struct EngagementTests {
    static func matchedLead() throws -> Lead {
        var lead = try LeadTests.lead()
        try lead.apply(LeadTests.reframing, rules: rules, at: epoch)
        try lead.markShortlisted(rules: rules, at: epoch)
        return lead
    }

    static func accepted(_ studioId: String = "stu_1") throws -> Referral {
        var referral = Referral(id: "ref_1", requestId: "req_1", studioId: studioId, shortlistId: nil, offeredBy: "Anna", answerHours: 48, at: epoch)
        try referral.answer(ReferralAnswer(accept: true), at: epoch)
        return referral
    }

    static let pixelHands = MatchingTests.studio("stu_1", ["landing", "context_ads"], capacity: 1)

    static func engagement() throws -> Engagement {
        try Engagement(
            id: "eng_1",
            input: EngagementInput(studioId: "stu_1"),
            lead: try matchedLead(),
            acceptedReferral: try accepted(),
            studio: pixelHands,
            keyStages: ["design", "development"],
            at: epoch
        )
    }

    @Test func anEngagementNeedsTheStudiosAcceptance() throws {
        let lead = try Self.matchedLead()
        var declined = Referral(id: "ref_1", requestId: "req_1", studioId: "stu_1", shortlistId: nil, offeredBy: "Anna", answerHours: 48, at: epoch)
        try declined.answer(ReferralAnswer(accept: false), at: epoch)
        for referral in [nil, declined, try Self.accepted("stu_other")] {
            #expect(
                throws: DomainError.ruleBroken(
                    .referralNeedsAcceptance,
                    detail: "an engagement starts only with a studio that accepted the referral for this request"
                )
            ) {
                _ = try Engagement(
                    id: "eng",
                    input: EngagementInput(studioId: "stu_1"),
                    lead: lead,
                    acceptedReferral: referral,
                    studio: Self.pixelHands,
                    keyStages: [],
                    at: epoch
                )
            }
        }
    }

    @Test func anEngagementNeedsFreeCapacity() throws {
        let full = MatchingTests.studio("stu_1", ["landing"], capacity: 1, open: 1)
        #expect(throws: DomainError.self) {
            _ = try Engagement(
                id: "eng",
                input: EngagementInput(studioId: "stu_1"),
                lead: try Self.matchedLead(),
                acceptedReferral: try Self.accepted(),
                studio: full,
                keyStages: [],
                at: epoch
            )
        }
    }

    @Test func theScopeMustBePartOfTheRequest() throws {
        #expect(throws: DomainError.self) {
            _ = try Engagement(
                id: "eng",
                input: EngagementInput(studioId: "stu_1", scope: ["seo"]),
                lead: try Self.matchedLead(),
                acceptedReferral: try Self.accepted(),
                studio: Self.pixelHands,
                keyStages: [],
                at: epoch
            )
        }
        let partial = try Engagement(
            id: "eng",
            input: EngagementInput(studioId: "stu_1", scope: ["context_ads"]),
            lead: try Self.matchedLead(),
            acceptedReferral: try Self.accepted(),
            studio: Self.pixelHands,
            keyStages: [],
            at: epoch
        )
        #expect(partial.scope == ["context_ads"])
    }

    @Test(arguments: [
        ([4], false), ([2], true), ([5, 4], false), ([5, 4, 3], true), ([5, 3, 4], false), ([4, 4, 3], false), ([3, 5, 4, 3], true), ([1], true),
    ])
    func checkInSentimentRule(sentiments: [Int], risky: Bool) {
        #expect(CheckIn.signalsRisk(sentiments) == risky)
    }

    @Test func aRiskySentimentPutsAnActiveEngagementAtRisk() throws {
        var engagement = try Self.engagement()
        let calm = engagement.assessRisk(sentiments: [4], at: epoch)
        #expect(!calm)
        #expect(engagement.status == .active)
        let worried = engagement.assessRisk(sentiments: [4, 2], at: epoch)
        #expect(worried)
        #expect(engagement.status == .atRisk)
    }

    @Test func aCheckInNeedsASentimentFromOneToFive() {
        let input = CheckInInput(heldAt: epoch, attendees: ["Oleg"], studioReport: "design ready", clientSentiment: 6)
        #expect(invalidFields { _ = try CheckIn(id: "c", engagementId: "e", input: input, by: coordinator.actor, at: epoch) } == ["clientSentiment"])
    }

    @Test func manualMovesFollowTheStateMachine() throws {
        var engagement = try Self.engagement()
        #expect(throws: DomainError.illegalTransition(entity: "engagement", from: "active", action: "move to in_recovery")) {
            try engagement.apply(EngagementPatch(status: .inRecovery), at: epoch)
        }
        #expect(throws: DomainError.self) { try engagement.apply(EngagementPatch(status: .terminated), at: epoch) }
        #expect(throws: DomainError.self) { try engagement.apply(EngagementPatch(status: .completed), at: epoch) }
        try engagement.apply(EngagementPatch(status: .released), at: epoch)
        try engagement.apply(EngagementPatch(status: .completed), at: epoch)
        #expect(engagement.status == .completed)
        #expect(!engagement.status.isOpen)
        #expect(engagement.endedAt == epoch)
    }

    @Test func feedbackComesOnlyFromTheClientOncePerKeyStageWithAScoreFromOneToFive() throws {
        let engagement = try Self.engagement()
        let client = Principal(tokenId: "t", name: "Oleg", role: .client, clientId: "cli_1")
        let studio = Principal(tokenId: "t", name: "Pixel Hands", role: .studio, studioId: "stu_1")
        #expect(throws: DomainError.forbidden("only the engagement's client gives stage feedback")) {
            _ = try StageFeedback(
                id: "f",
                engagement: engagement,
                input: FeedbackInput(stage: "design", score: 5),
                by: studio,
                alreadyGiven: [],
                at: epoch
            )
        }
        #expect(
            invalidFields {
                _ = try StageFeedback(
                    id: "f",
                    engagement: engagement,
                    input: FeedbackInput(stage: "design", score: 0),
                    by: client,
                    alreadyGiven: [],
                    at: epoch
                )
            } == ["score"]
        )
        #expect(
            invalidFields {
                _ = try StageFeedback(
                    id: "f",
                    engagement: engagement,
                    input: FeedbackInput(stage: "party", score: 3),
                    by: client,
                    alreadyGiven: [],
                    at: epoch
                )
            } == ["stage"]
        )
        #expect(throws: DomainError.ruleBroken(.feedbackAlreadyGiven, detail: "feedback for stage 'design' was already given")) {
            _ = try StageFeedback(
                id: "f",
                engagement: engagement,
                input: FeedbackInput(stage: "design", score: 3),
                by: client,
                alreadyGiven: ["design"],
                at: epoch
            )
        }
        let feedback = try StageFeedback(
            id: "f",
            engagement: engagement,
            input: FeedbackInput(stage: "design", score: 3, comment: "slow start"),
            by: client,
            alreadyGiven: [],
            at: epoch
        )
        #expect(feedback.studioId == "stu_1")
    }

    @Test func aPatchThatChangesNothingIsNoNewVersion() throws {
        var engagement = try Self.engagement()
        try engagement.apply(EngagementPatch(status: .active, keyStages: ["design", "development"]), at: epoch)
        #expect(engagement.version == 1)
    }

    @Test func stagesReachedWithoutFeedbackAreListed() throws {
        var engagement = try Self.engagement()
        try engagement.apply(EngagementPatch(stagesReached: ["design", "development"]), at: epoch)
        #expect(engagement.stagesAwaitingFeedback(given: ["design"]) == ["development"])
        #expect(invalidFields { try engagement.apply(EngagementPatch(stagesReached: ["party"]), at: epoch) } == ["stagesReached[0]"])
    }

    @Test func agreementsAreConfirmedOncePerSideAndNeverByACoordinator() throws {
        var agreement = try Agreement(
            id: "agr",
            engagementId: "eng",
            input: AgreementInput(
                what: "client sends texts and photos",
                owner: .client,
                due: try #require(Day("2027-01-20")),
                consequence: "release moves by the days of delay"
            ),
            by: coordinator.actor,
            at: epoch
        )
        let client = Principal(tokenId: "t", name: "Oleg", role: .client, clientId: "cli_1")
        let studio = Principal(tokenId: "t", name: "Pixel Hands", role: .studio, studioId: "stu_1")
        #expect(throws: DomainError.self) { try agreement.confirm(by: coordinator, at: epoch) }
        try agreement.confirm(by: client, at: epoch)
        #expect(!agreement.isConfirmed)
        #expect(throws: DomainError.ruleBroken(.alreadyConfirmed, detail: "the client already confirmed this agreement")) {
            try agreement.confirm(by: client, at: epoch)
        }
        try agreement.confirm(by: studio, at: epoch)
        #expect(agreement.isConfirmed)
        #expect(agreement.clientConfirmation?.by == "Oleg")
    }

    @Test func anAgreementIsOverdueOnceItsDayIsOverUntilFulfilled() throws {
        var agreement = try Agreement(
            id: "agr",
            engagementId: "eng",
            input: AgreementInput(what: "texts", owner: .client, due: try #require(Day("2027-01-15")), consequence: "delay"),
            by: coordinator.actor,
            at: epoch
        )
        #expect(!agreement.isOverdue(at: epoch, in: .gmt))
        let nextDay = epoch.addingTimeInterval(16 * 3600)
        #expect(agreement.isOverdue(at: nextDay, in: .gmt))
        try agreement.fulfil(at: nextDay)
        #expect(!agreement.isOverdue(at: nextDay, in: .gmt))
    }
}

@Suite("Scorecards")
struct ScorecardTests {
    @Test func aStudioWithNoRecordRatesNeutral() {
        #expect(Scorecard(studioId: "s", name: "S", outcomes: StudioOutcomes(), answerWindowHours: 48).rating == 0.5)
    }

    @Test func theRatingFollowsFeedbackAnswersAndComplaints() {
        var good = StudioOutcomes()
        good.feedbackCount = 2
        good.feedbackTotal = 10
        good.referralsOffered = 2
        good.referralsAccepted = 2
        good.answerHours = [0, 0]
        var poor = good
        poor.feedbackTotal = 3
        poor.referralsAccepted = 0
        poor.referralsDeclined = 2
        poor.upheldComplaints = 2
        let goodCard = Scorecard(studioId: "g", name: "G", outcomes: good, answerWindowHours: 48)
        let poorCard = Scorecard(studioId: "p", name: "P", outcomes: poor, answerWindowHours: 48)
        #expect(goodCard.rating == 1)
        #expect(goodCard.acceptanceRate == 1)
        #expect(poorCard.rating < goodCard.rating)
        #expect(poorCard.averageFeedback == 1.5)
        #expect(poorCard.medianAnswerHours == 0)
    }
}
