import ClubCore
import Foundation
import Testing

@Suite("Complaints")
struct ComplaintTests {
    static func complaint(_ demand: ComplaintDemand = ComplaintDemand(kind: .refund, amount: 300_000)) throws -> Complaint {
        try Complaint(
            id: "cmp",
            engagement: try EngagementTests.engagement(),
            budget: 600_000,
            input: ComplaintInput(channel: "email", summary: "late and losing leads", demand: demand),
            at: epoch
        )
    }

    static let plan = PlanInput(
        goals: ["deliver and release"],
        steps: [PlanInput.Step(action: "agree the correction list", owner: .club, due: Day("2027-01-17") ?? Day(containing: epoch, in: .gmt))],
        upsell: "CRM"
    )

    @Test func aRefundIsNeverAboveTheBudgetAndOnlyRefundsHaveAmounts() throws {
        #expect(invalidFields { _ = try Self.complaint(ComplaintDemand(kind: .refund, amount: 700_000)) } == ["demand.amount"])
        #expect(invalidFields { _ = try Self.complaint(ComplaintDemand(kind: .refund)) } == ["demand.amount"])
        #expect(invalidFields { _ = try Self.complaint(ComplaintDemand(kind: .redo, amount: 5)) } == ["demand.amount"])
        #expect(try Self.complaint().demand.amount == 300_000)
    }

    @Test func theStepsComeInOrderAndOnlyTheHeadApproves() throws {
        var complaint = try Self.complaint()
        #expect(throws: DomainError.self) { try complaint.proposePlan(Self.plan, stepIds: ["s1"], by: coordinator.actor, at: epoch) }
        try complaint.recordMeeting(
            MeetingInput(heldAt: epoch, studiosPresent: false, facts: ["release is three weeks late"], emotions: ["feels ignored"]),
            by: coordinator.actor,
            at: epoch
        )
        #expect(complaint.meeting?.facts == ["release is three weeks late"] && complaint.meeting?.emotions == ["feels ignored"])
        #expect(throws: DomainError.self) { try complaint.approve(by: head, at: epoch) }
        try complaint.proposePlan(Self.plan, stepIds: ["s1"], by: coordinator.actor, at: epoch)
        #expect(throws: DomainError.forbidden("only the head coordinator may approve a recovery plan")) {
            try complaint.approve(by: coordinator, at: epoch)
        }
        #expect(throws: DomainError.self) {
            let input = ResolutionInput(outcome: .retained, upheld: .upheld, upheldReason: "late")
            try complaint.resolve(input, budget: 600_000, by: coordinator.actor, at: epoch)
        }
        try complaint.approve(by: head, at: epoch)
        #expect(complaint.status == .planApproved && complaint.plan?.approvedBy == "Maria")
        #expect(
            invalidFields {
                let input = ResolutionInput(outcome: .partialRefund, upheld: .upheld, upheldReason: "late")
                try complaint.resolve(input, budget: 600_000, by: coordinator.actor, at: epoch)
            } == ["amount"]
        )
        try complaint.resolve(
            ResolutionInput(outcome: .partialRefund, amount: 100_000, upsell: "CRM", upheld: .upheld, upheldReason: "late"),
            budget: 600_000,
            by: coordinator.actor,
            at: epoch
        )
        #expect(complaint.status == .resolved && complaint.isUpheld && complaint.resolution?.upsell == "CRM")
    }

    @Test func overduePlanStepsAreThoseNotDoneAfterTheirDay() throws {
        var complaint = try Self.complaint()
        try complaint.recordMeeting(MeetingInput(heldAt: epoch, studiosPresent: false, facts: ["late"]), by: coordinator.actor, at: epoch)
        try complaint.proposePlan(Self.plan, stepIds: ["s1"], by: coordinator.actor, at: epoch)
        let later = epoch.addingTimeInterval(4 * 24 * 3600)
        #expect(complaint.plan?.steps.first?.isOverdue(at: later, in: .gmt) == true)
        try complaint.apply(ComplaintPatch(completedSteps: ["s1"]), at: later)
        #expect(complaint.plan?.steps.first?.isOverdue(at: later, in: .gmt) == false)
        #expect(throws: DomainError.self) { try complaint.apply(ComplaintPatch(completedSteps: ["nope"]), at: later) }
    }

    @Test func approvalPutsTheEngagementIntoRecovery() throws {
        var engagement = try EngagementTests.engagement()
        try engagement.enterRecovery(at: epoch)
        #expect(engagement.status == .inRecovery)
        #expect(throws: DomainError.self) { try engagement.enterRecovery(at: epoch) }
    }
}

@Suite("Audits")
struct AuditTests {
    static let studio = Principal(tokenId: "t_s", name: "Ad Minds lead", role: .studio, studioId: "stu_1")

    static func audit() throws -> Audit {
        try Audit(
            id: "aud",
            engagement: try EngagementTests.engagement(),
            input: AuditInput(
                auditor: "Northwind",
                receivedAt: epoch,
                subject: "advertising campaign",
                findings: [
                    AuditInput.Finding(statement: "too few negative keywords", severity: "critical", category: "keywords"),
                    AuditInput.Finding(statement: "no call tracking", severity: "high", category: "analytics", proposal: "add a call goal"),
                ]
            ),
            findingIds: ["f1", "f2"],
            at: epoch
        )
    }

    @Test func aFindingWithoutAProposalIsNotConstructive() throws {
        let audit = try Self.audit()
        #expect(audit.findings.map(\.constructive) == [false, true])
        #expect(audit.findings[0].severity == "critical", "the auditor's mark is kept as given")
    }

    @Test func theAuditIsAnsweredOnlyWhenEveryFindingHasAPosition() throws {
        var audit = try Self.audit()
        try audit.rebut(
            findingId: "f1",
            RebuttalInput(position: .dispute, argument: "quality is not count", evidence: ["https://example.org/report"]),
            by: coordinator,
            at: epoch
        )
        #expect(audit.status == .underReview)
        #expect(
            throws: DomainError.ruleBroken(
                .auditNeedsEveryPosition,
                detail: "every finding needs a position before the audit is answered; missing: 2"
            )
        ) { try audit.answer(at: epoch) }
        let correction = CorrectionInput(acceptance: "a call goal shows in the report", due: Day("2027-05-01") ?? Day(containing: epoch, in: .gmt))
        try audit.rebut(findingId: "f2", RebuttalInput(position: .accept, argument: "added", correction: correction), by: coordinator, at: epoch)
        try audit.answer(at: epoch)
        #expect(audit.status == .answered)
        #expect(throws: DomainError.self) {
            try audit.rebut(findingId: "f1", RebuttalInput(position: .accept, argument: "x"), by: coordinator, at: epoch)
        }
        try audit.close(AuditClosing(outcome: "the client accepted the answer"), at: epoch)
        #expect(audit.status == .closed)
    }

    @Test func theStudioProposesArgumentsButTakesNoPosition() throws {
        var audit = try Self.audit()
        #expect(
            invalidFields { try audit.rebut(findingId: "f1", RebuttalInput(position: .dispute, argument: "no"), by: Self.studio, at: epoch) } == [
                "position"
            ]
        )
        try audit.rebut(findingId: "f1", RebuttalInput(argument: "the search-term report shows no irrelevant clicks"), by: Self.studio, at: epoch)
        #expect(audit.findings[0].studioArguments.count == 1 && audit.findings[0].rebuttal == nil)
        #expect(invalidFields { try audit.rebut(findingId: "f1", RebuttalInput(argument: "x"), by: coordinator, at: epoch) } == ["position"])
        #expect(
            invalidFields {
                try audit.rebut(
                    findingId: "f1",
                    RebuttalInput(position: .accept, argument: "x", evidence: ["not a link"]),
                    by: coordinator,
                    at: epoch
                )
            } == ["evidence[0]"]
        )
    }

    @Test func theLetterGoesThroughTheFindingsInOrderWithASummary() throws {
        var audit = try Self.audit()
        #expect(throws: DomainError.self) {
            _ = try ResponseLetter(audit: audit, studioName: "Ad Minds", clientName: "Yacht Charter").render(.plainText)
        }
        try audit.rebut(
            findingId: "f1",
            RebuttalInput(position: .dispute, argument: "quality of negative keywords is not their count"),
            by: coordinator,
            at: epoch
        )
        let correction = CorrectionInput(acceptance: "a call goal shows in the report", due: Day("2027-05-01") ?? Day(containing: epoch, in: .gmt))
        try audit.rebut(
            findingId: "f2",
            RebuttalInput(position: .partial, argument: "call goal added for mobile only", correction: correction),
            by: coordinator,
            at: epoch
        )
        try audit.answer(at: epoch)
        let letter = ResponseLetter(audit: audit, studioName: "Ad Minds", clientName: "Yacht Charter")
        let text = try letter.render(.plainText)
        let first = try #require(text.range(of: "Finding 1: too few negative keywords"))
        let second = try #require(text.range(of: "Finding 2: no call tracking"))
        #expect(first.lowerBound < second.lowerBound)
        #expect(text.contains("Our position: disputed") && text.contains("Our position: partly accepted"))
        #expect(text.contains("Of 2 findings we accept 0, accept 1 in part and dispute 1. 1 of them came without a proposal"))
        let markdown = try letter.render(.markdown)
        #expect(markdown.hasPrefix("# Response to the audit \"advertising campaign\""))
        #expect(markdown.contains("## Finding 2: no call tracking") && markdown.contains("- **Our position:** partly accepted"))
    }
}

@Suite("Exit with consulting")
struct ExitTests {
    static let client = Principal(tokenId: "t_c", name: "Oleg", role: .client, clientId: "cli_1")

    static func offer(sessions: Int = 2) throws -> ConsultingOffer {
        let exit = try EngagementExit(
            id: "ext",
            engagement: try EngagementTests.engagement(),
            input: ExitInput(reason: "parting while keeping loyalty"),
            by: coordinator.actor,
            at: epoch
        )
        return try ConsultingOffer(
            id: "cof",
            exit: exit,
            input: ConsultingOfferInput(sessions: sessions, validUntil: epoch.addingTimeInterval(30 * 24 * 3600)),
            by: coordinator.actor,
            at: epoch
        )
    }

    @Test func partingEndsTheEngagementFromAnyOpenState() throws {
        var engagement = try EngagementTests.engagement()
        try engagement.terminate(at: epoch)
        #expect(engagement.status == .terminated && !engagement.status.isOpen)
        #expect(throws: DomainError.self) { try engagement.terminate(at: epoch) }
    }

    @Test func onlyTheClientAnswersWhileTheOfferIsOpen() throws {
        var offer = try Self.offer()
        #expect(throws: DomainError.self) { try offer.answer(accept: true, by: coordinator, at: epoch) }
        var late = offer
        #expect(throws: DomainError.self) { try late.answer(accept: true, by: Self.client, at: epoch.addingTimeInterval(31 * 24 * 3600)) }
        #expect(late.currentStatus(at: epoch.addingTimeInterval(31 * 24 * 3600)) == .expired)
        try offer.answer(accept: true, by: Self.client, at: epoch)
        #expect(offer.status == .accepted)
    }

    @Test func sessionsNeverExceedTheOfferNorOutliveIt() throws {
        var offer = try Self.offer(sessions: 1)
        #expect(throws: DomainError.self, "not before acceptance") {
            _ = try ConsultingSession(id: "s", offer: offer, input: ConsultingSessionInput(scheduledAt: epoch), activeSessions: 0, at: epoch)
        }
        try offer.answer(accept: true, by: Self.client, at: epoch)
        var session = try ConsultingSession(
            id: "s1",
            offer: offer,
            input: ConsultingSessionInput(scheduledAt: epoch.addingTimeInterval(3600)),
            activeSessions: 0,
            at: epoch
        )
        #expect(throws: DomainError.ruleBroken(.consultingSessionsExhausted, detail: "all 1 offered sessions are already scheduled or held")) {
            _ = try ConsultingSession(
                id: "s2",
                offer: offer,
                input: ConsultingSessionInput(scheduledAt: epoch.addingTimeInterval(7200)),
                activeSessions: 1,
                at: epoch
            )
        }
        #expect(throws: DomainError.self, "never after the offer expired") {
            _ = try ConsultingSession(
                id: "s3",
                offer: offer,
                input: ConsultingSessionInput(scheduledAt: epoch.addingTimeInterval(40 * 24 * 3600)),
                activeSessions: 0,
                at: epoch
            )
        }
        #expect(throws: DomainError.self, "not held before its time") { try session.apply(ConsultingSessionPatch(status: .held), at: epoch) }
        try session.apply(ConsultingSessionPatch(status: .held, notes: "campaigns explained"), at: epoch.addingTimeInterval(3600))
        #expect(throws: DomainError.self) { try session.apply(ConsultingSessionPatch(status: .cancelled), at: epoch) }
    }
}

@Suite("Retrospectives")
struct RetrospectiveTests {
    @Test func factsAndLessonsAreRequiredAndMistakesCarryTheirCounterfactual() throws {
        #expect(
            invalidFields {
                _ = try Retrospective(id: "r", engagementId: "e", input: RetrospectiveInput(facts: [], lessons: []), by: coordinator.actor, at: epoch)
            } == ["facts", "lessons"]
        )
        let missing = RetrospectiveInput(
            facts: ["late"],
            mistakes: [Mistake(side: .club, statement: "I was wrong to accept the deadline", counterfactual: " ")],
            lessons: ["rush needs shared responsibility"]
        )
        #expect(
            invalidFields { _ = try Retrospective(id: "r", engagementId: "e", input: missing, by: coordinator.actor, at: epoch) } == [
                "mistakes[0].counterfactual"
            ]
        )
    }
}
