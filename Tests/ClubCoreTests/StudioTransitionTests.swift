import ClubCore
import Foundation
import Testing

@Suite("Studio state machine")
struct StudioTransitionTests {
    @Test func aNewStudioIsAnApplicant() throws {
        let studio = try applicant()
        #expect(studio.status == .applicant)
        #expect(studio.version == 1)
    }

    @Test func theFirstVettingCheckStartsVetting() throws {
        var studio = try applicant()
        try studio.record(VettingCheckInput(kind: .portfolio, passed: true, notes: "12 landing pages reviewed"), by: coordinator.actor, at: epoch)
        #expect(studio.status == .vetting)
        #expect(studio.vettingChecks.first?.notes == "12 landing pages reviewed")
        #expect(studio.version == 2)
    }

    @Test func admissionNeedsEveryRequiredCheckPassed() throws {
        var studio = try applicant()
        for kind in [VettingCheckKind.portfolio, .references, .trialTask] {
            try studio.record(VettingCheckInput(kind: kind, passed: true), by: coordinator.actor, at: epoch)
        }
        #expect(
            throws: DomainError.ruleBroken(
                .admissionNeedsPassedChecks,
                detail: "admission needs every required check passed; not yet passed: interview"
            )
        ) {
            try studio.decide(DecisionInput(decision: .admit, reason: "looks fine"), by: coordinator, rules: rules, at: epoch)
        }
        #expect(studio.status == .vetting)
    }

    @Test func aFailedCheckBlocksAdmissionUntilRetakenAndPassed() throws {
        var studio = try vetted()
        try studio.record(VettingCheckInput(kind: .interview, passed: false, notes: "no-show"), by: coordinator.actor, at: epoch)
        #expect(throws: DomainError.self) {
            try studio.decide(DecisionInput(decision: .admit, reason: "x"), by: coordinator, rules: rules, at: epoch)
        }
        try studio.record(VettingCheckInput(kind: .interview, passed: true), by: coordinator.actor, at: epoch)
        try studio.decide(DecisionInput(decision: .admit, reason: "retaken"), by: coordinator, rules: rules, at: epoch)
        #expect(studio.status == .active)
    }

    @Test func configuredRequiredChecksAreTheOnesThatCount() throws {
        let lenient = ClubRules(requiredChecks: [.portfolio])
        var studio = try applicant()
        try studio.record(VettingCheckInput(kind: .portfolio, passed: true), by: coordinator.actor, at: epoch)
        try studio.decide(DecisionInput(decision: .admit, reason: "portfolio is enough here"), by: coordinator, rules: lenient, at: epoch)
        #expect(studio.status == .active)
    }

    @Test func admissionRecordsTheDecision() throws {
        let studio = try active()
        #expect(studio.status == .active)
        let decision = try #require(studio.decisions.last)
        #expect(decision.from == .vetting && decision.to == .active && decision.reason == "all checks passed" && decision.decidedBy == "Anna")
    }

    @Test func suspendAndReinstate() throws {
        var studio = try active()
        try studio.decide(DecisionInput(decision: .suspend, reason: "missed deadlines"), by: coordinator, rules: rules, at: epoch)
        #expect(studio.status == .suspended)
        try studio.decide(DecisionInput(decision: .reinstate, reason: "plan agreed"), by: coordinator, rules: rules, at: epoch)
        #expect(studio.status == .active)
    }

    @Test func onlyTheHeadExpels() throws {
        var studio = try active()
        #expect(throws: DomainError.forbidden("only the head coordinator may expel a studio")) {
            try studio.decide(DecisionInput(decision: .expel, reason: "ethics"), by: coordinator, rules: rules, at: epoch)
        }
        try studio.decide(DecisionInput(decision: .expel, reason: "ethics"), by: head, rules: rules, at: epoch)
        #expect(studio.status == .expelled)
    }

    @Test func aCoordinatorWithoutHeadRightsIsRefusedBeforeTheStateIsConsidered() throws {
        var studio = try applicant()
        #expect(throws: DomainError.forbidden("only the head coordinator may expel a studio")) {
            try studio.decide(DecisionInput(decision: .expel, reason: "ethics"), by: coordinator, rules: rules, at: epoch)
        }
    }

    @Test func rejectionEndsVetting() throws {
        var studio = try vetted()
        try studio.decide(DecisionInput(decision: .reject, reason: "weak references"), by: coordinator, rules: rules, at: epoch)
        #expect(studio.status == .rejected)
        #expect(
            throws: DomainError.ruleBroken(
                .vettingClosed,
                detail: "vetting checks are recorded only for applicants and studios in vetting; this studio is rejected"
            )
        ) {
            try studio.record(VettingCheckInput(kind: .portfolio, passed: true), by: coordinator.actor, at: epoch)
        }
    }

    @Test(arguments: [
        (StudioStatus.applicant, StudioDecision.suspend), (.applicant, .reinstate), (.applicant, .expel),
        (.vetting, .suspend), (.vetting, .reinstate), (.vetting, .expel),
        (.active, .admit), (.active, .reject), (.active, .reinstate),
        (.suspended, .admit), (.suspended, .reject), (.suspended, .suspend),
        (.expelled, .admit), (.expelled, .reinstate), (.expelled, .suspend), (.expelled, .reject), (.expelled, .expel),
        (.rejected, .admit), (.rejected, .reinstate), (.rejected, .reject),
    ])
    func decisionsOutsideTheStateMachineAreRefused(from status: StudioStatus, decision: StudioDecision) {
        #expect(status.after(decision) == nil)
    }

    @Test func anIllegalDecisionNamesTheStateAndTheAction() throws {
        var studio = try applicant()
        #expect(throws: DomainError.illegalTransition(entity: "studio", from: "applicant", action: "suspend")) {
            try studio.decide(DecisionInput(decision: .suspend, reason: "x"), by: coordinator, rules: rules, at: epoch)
        }
    }

    @Test func aDecisionNeedsAReason() throws {
        var studio = try active()
        #expect(
            invalidFields { try studio.decide(DecisionInput(decision: .suspend, reason: "  "), by: coordinator, rules: rules, at: epoch) } == [
                "reason"
            ]
        )
        #expect(studio.status == .active)
    }

    @Test func conductNotesAreKept() throws {
        var studio = try active()
        try studio.addConductNote(ConductNoteInput(note: "criticised a colleague's work without a proposal"), by: coordinator.actor, at: epoch)
        #expect(studio.conductNotes.map(\.note) == ["criticised a colleague's work without a proposal"])
        #expect(invalidFields { try studio.addConductNote(ConductNoteInput(note: ""), by: coordinator.actor, at: epoch) } == ["note"])
    }
}
