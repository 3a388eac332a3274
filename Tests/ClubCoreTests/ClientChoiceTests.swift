import ClubCore
import Foundation
import Testing

/// The rules of the client's choice and the small ones of issue 19 (docs/design.md §3.3–§3.5).
@Suite("The client's choice")
struct ClientChoiceTests {
    static let client = Principal(tokenId: "tok_o", name: "Oleg", role: .client, clientId: "cli_1")

    static func lead(deadline: String = "2027-03-01") throws -> Lead {
        var lead = try Lead(
            id: "req_1",
            input: LeadInput(
                clientId: "cli_1",
                statedAsk: "Instagram promotion",
                businessGoal: "leads",
                budget: 600_000,
                deadline: try #require(Day(deadline))
            ),
            rules: rules,
            at: epoch
        )
        try lead.apply(LeadPatch(requiredCompetences: ["landing", "context_ads"], rationale: "too little content"), rules: rules, at: epoch)
        return lead
    }

    static func accepted(_ id: String, studio: String) throws -> Referral {
        var referral = Referral(id: id, requestId: "req_1", studioId: studio, shortlistId: "shl_1", offeredBy: "Anna", answerHours: 48, at: epoch)
        try referral.answer(ReferralAnswer(accept: true, note: "free from Monday"), at: epoch)
        return referral
    }

    static func engagement(_ id: String, scope: [String], referral: Referral) throws -> Engagement {
        let studio = MatchCandidate(
            studioId: referral.studioId,
            status: .active,
            competences: ["landing", "context_ads"],
            regions: [],
            budgetMin: 0,
            budgetMax: 1_000_000,
            capacity: 3,
            openEngagements: 0,
            rating: 0.5,
            upheldComplaints: 0
        )
        var lead = try lead()
        try lead.markShortlisted(rules: rules, at: epoch)
        return try Engagement(
            id: id,
            input: EngagementInput(studioId: referral.studioId, scope: scope),
            lead: lead,
            acceptedReferral: referral,
            studio: studio,
            keyStages: rules.keyStages,
            at: epoch
        )
    }

    @Test func theClientsChoiceIsTheClientsAndACoordinatorSaysHowItWasMade() throws {
        let referral = try Self.accepted("ref_1", studio: "stu_1")
        let scope = ["landing", "context_ads"]
        let own = try ClientChoice.engagementInput(ChoiceInput(studioId: "stu_1"), by: Self.client, candidate: referral, candidateScope: scope)
        #expect(own.party == .client)
        #expect(own.input.scope == scope)
        #expect(own.note == nil)
        #expect(
            invalidFields {
                _ = try ClientChoice.engagementInput(ChoiceInput(studioId: "stu_1"), by: coordinator, candidate: referral, candidateScope: scope)
            }
                == ["note"]
        )
        let phoned = try ClientChoice.engagementInput(
            ChoiceInput(studioId: "stu_1", note: "chosen on the phone"),
            by: coordinator,
            candidate: referral,
            candidateScope: scope
        )
        #expect(phoned.party == .coordinator)
        #expect(phoned.note == "chosen on the phone")
    }

    @Test func onlyAStudioThatAcceptedIsChosenAndOnlyForWhatItAccepted() throws {
        var offered = Referral(id: "ref_2", requestId: "req_1", studioId: "stu_2", shortlistId: nil, offeredBy: "Anna", answerHours: 48, at: epoch)
        #expect(
            throws: DomainError.ruleBroken(
                .choiceNeedsAcceptedReferral,
                detail: "studio stu_2 has no accepted referral for this request that is still open to a choice"
            )
        ) {
            try ClientChoice.engagementInput(ChoiceInput(studioId: "stu_2"), by: Self.client, candidate: offered, candidateScope: ["landing"])
        }
        #expect(throws: DomainError.self) {
            try ClientChoice.engagementInput(ChoiceInput(studioId: "stu_2"), by: Self.client, candidate: nil, candidateScope: ["landing"])
        }
        try offered.answer(ReferralAnswer(accept: true), at: epoch)
        #expect(
            invalidFields {
                _ = try ClientChoice.engagementInput(
                    ChoiceInput(studioId: "stu_2", scope: ["landing", "context_ads"]),
                    by: Self.client,
                    candidate: offered,
                    candidateScope: ["landing"]
                )
            } == ["scope"]
        )
    }

    @Test func aCandidateIsNotChosenOnceItsWholePartHasAStudio() throws {
        let first = try Self.accepted("ref_1", studio: "stu_1")
        let second = try Self.accepted("ref_2", studio: "stu_2")
        let ads = try Self.accepted("ref_3", studio: "stu_3")
        let accepted = [
            (referral: first, scope: ["landing", "context_ads"]), (referral: second, scope: ["landing", "context_ads"]),
            (referral: ads, scope: ["context_ads"]),
        ]
        #expect(ClientChoice.notChosen(accepted, chosen: "ref_1", covered: ["landing"]).isEmpty)
        #expect(ClientChoice.notChosen(accepted, chosen: "ref_1", covered: ["landing", "context_ads"]).map(\.id) == ["ref_2", "ref_3"])
    }

    @Test func aReferralClosesAsNotChosenOnlyFromAccepted() throws {
        var referral = try Self.accepted("ref_1", studio: "stu_1")
        try referral.closeNotChosen()
        #expect(referral.status == .notChosen)
        #expect(referral.status.wasAccepted)
        #expect(throws: DomainError.self) { try referral.closeNotChosen() }
        #expect(throws: DomainError.self, "a closed candidate takes no recommendation") { try referral.apply(ReferralPatch(recommendation: "x")) }
    }

    @Test func theRecommendationIsSetAndClearedWhileTheReferralIsOpen() throws {
        var referral = try Self.accepted("ref_1", studio: "stu_1")
        try referral.apply(ReferralPatch(recommendation: " one pair of hands "))
        #expect(referral.recommendation == "one pair of hands")
        #expect(referral.version == 3)
        try referral.apply(ReferralPatch(recommendation: "one pair of hands"))
        #expect(referral.version == 3, "the same words change nothing")
        try referral.apply(ReferralPatch(recommendation: ""))
        #expect(referral.recommendation == nil)
    }

    @Test func aRematchMovesScopeOutButNeverAllOfIt() throws {
        var engagement = try Self.engagement("eng_1", scope: ["landing", "context_ads"], referral: try Self.accepted("ref_1", studio: "stu_1"))
        #expect(engagement.chosenBy == .coordinator)
        let outside = try engagement.moveScopeOut(["seo"], to: "eng_2", at: epoch)
        #expect(outside == false)
        let moved = try engagement.moveScopeOut(["context_ads"], to: "eng_2", at: epoch)
        #expect(moved)
        #expect(engagement.scope == ["landing"])
        #expect(engagement.version == 2)
        #expect(
            throws: DomainError.ruleBroken(
                .rematchTakesWholeScope,
                detail: "engagement eng_1 is active on landing: engagement eng_3 would take all of it; part with the studio through an exit first"
            )
        ) {
            try engagement.moveScopeOut(["landing", "context_ads"], to: "eng_3", at: epoch)
        }
        try engagement.terminate(at: epoch)
        let ended = try engagement.moveScopeOut(["landing"], to: "eng_4", at: epoch)
        #expect(ended == false, "an ended engagement keeps its history")
        #expect(engagement.scope == ["landing"])
    }

    @Test func completionFeedbackOnlyOnceCompleted() throws {
        var engagement = try Self.engagement("eng_1", scope: ["landing"], referral: try Self.accepted("ref_1", studio: "stu_1"))
        try engagement.checkFeedbackStage("design")
        try engagement.apply(EngagementPatch(status: .released), at: epoch)
        #expect(throws: DomainError.self) { try engagement.checkFeedbackStage("completion") }
        try engagement.apply(EngagementPatch(status: .completed), at: epoch)
        try engagement.checkFeedbackStage("completion")
        #expect(Rule.completionFeedbackNeedsCompletion.isStateConflict)
    }

    @Test func rushIsAboutTheTimeLeftToFindAStudio() throws {
        var lead = try Self.lead(deadline: "2027-01-18")
        #expect(lead.rush)
        try lead.recordSharedResponsibility(
            SharedResponsibilityInput(acceptedBy: "Oleg", acceptedAt: epoch, note: "late materials move the date"),
            by: coordinator.actor,
            at: epoch
        )
        try lead.markShortlisted(rules: rules, at: epoch)
        #expect(lead.rush)
        try lead.markMatched(at: epoch)
        #expect(lead.rush == false)
        lead.refreshRush(rules: rules, at: epoch)
        #expect(lead.rush == false, "matched: the studio is found")
        #expect(lead.sharedResponsibility != nil)

        var late = try Self.lead(deadline: "2027-01-18")
        late.refreshRush(rules: rules, at: epoch.addingTimeInterval(4 * 24 * 3600))
        #expect(late.rush == false, "past its deadline there is no time left to be short of")
    }
}
