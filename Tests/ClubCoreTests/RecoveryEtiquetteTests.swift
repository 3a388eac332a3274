import ClubCore
import Foundation
import Testing

/// Seed 004's recovery etiquette on record (docs/design.md §3.6): the acknowledgement, the
/// meeting's mode, the rhythm of updates, the explicit decision on the studio and the client's
/// answer to the resolution.
@Suite("Recovery etiquette")
struct RecoveryEtiquetteTests {
    static let client = Principal(tokenId: "tok_o", name: "Oleg", role: .client, clientId: "cli_1")
    static let studio = Principal(tokenId: "tok_s", name: "Pixel Hands", role: .studio, studioId: "stu_1")
    static let otherClient = Principal(tokenId: "tok_x", name: "Xenia", role: .client, clientId: "cli_other")
    static let day: TimeInterval = 24 * 3600

    /// A complaint whose plan, with the rhythm given, the head approved at `epoch`.
    static func inRecovery(every: Int? = 7) throws -> Complaint {
        var complaint = try ComplaintTests.complaint()
        try complaint.recordMeeting(MeetingInput(heldAt: epoch, studiosPresent: false, facts: ["late"]), by: coordinator.actor, at: epoch)
        let plan = PlanInput(goals: ["release"], steps: ComplaintTests.plan.steps, updateEveryDays: every)
        try complaint.proposePlan(plan, stepIds: ["s1"], by: coordinator.actor, at: epoch)
        try complaint.approve(by: head, at: epoch)
        return complaint
    }

    static func resolved(_ upheld: UpheldDecision = .partly) throws -> Complaint {
        var complaint = try inRecovery()
        try complaint.resolve(
            ResolutionInput(outcome: .retained, upheld: upheld, upheldReason: "late, but the texts came late too"),
            budget: 600_000,
            by: coordinator.actor,
            at: epoch.addingTimeInterval(day)
        )
        return complaint
    }

    /// The console takes times to the minute: a complaint received at 13:34:20 may be answered
    /// "at 13:34", but not at 13:33.
    @Test func anAcknowledgementMayNameTheMinuteTheComplaintArrivedButNotBefore() throws {
        let arrived = epoch.addingTimeInterval(20)  // epoch is on a whole minute
        var complaint = try Complaint(
            id: "cmp",
            engagement: try EngagementTests.engagement(),
            budget: 600_000,
            input: ComplaintInput(channel: "email", summary: "late and losing leads", demand: ComplaintDemand(kind: .redo)),
            at: arrived
        )
        let before = AcknowledgementInput(sentAt: epoch.addingTimeInterval(-1), channel: "phone", message: "we hear you", apology: true)
        #expect(invalidFields { try complaint.acknowledge(before, by: coordinator.actor, at: arrived) } == ["sentAt"])
        try complaint.acknowledge(
            AcknowledgementInput(sentAt: epoch, channel: "phone", message: "we hear you", apology: true),
            by: coordinator.actor,
            at: arrived
        )
        #expect(complaint.acknowledgement?.sentAt == epoch)
        #expect(
            invalidFields {
                try complaint.recordUpdate(
                    ComplaintUpdateInput(sentAt: epoch.addingTimeInterval(-60), channel: "call", summary: "news"),
                    by: coordinator.actor,
                    at: arrived
                )
            } == ["sentAt"]
        )
    }

    @Test func theAcknowledgementIsRecordedCorrectedAndClosedWithTheComplaint() throws {
        var complaint = try ComplaintTests.complaint()
        #expect(complaint.acknowledgement == nil)
        let said = AcknowledgementInput(channel: "phone", message: "we heard you; we are sorry", apology: true)
        #expect(
            invalidFields {
                try complaint.acknowledge(AcknowledgementInput(channel: " ", message: "", apology: false), by: coordinator.actor, at: epoch)
            }
                == ["channel", "message"]
        )
        #expect(
            invalidFields {
                try complaint.acknowledge(
                    AcknowledgementInput(sentAt: epoch.addingTimeInterval(60), channel: "phone", message: "hi", apology: false),
                    by: coordinator.actor,
                    at: epoch
                )
            } == ["sentAt"]
        )
        try complaint.acknowledge(said, by: coordinator.actor, at: epoch)
        #expect(complaint.acknowledgement?.apology == true && complaint.acknowledgement?.by == "Anna" && complaint.version == 2)
        // The same words again change nothing; a correction keeps when it was first recorded.
        try complaint.acknowledge(
            AcknowledgementInput(sentAt: epoch, channel: "phone", message: "we heard you; we are sorry", apology: true),
            by: coordinator.actor,
            at: epoch.addingTimeInterval(60)
        )
        #expect(complaint.version == 2)
        let corrected = AcknowledgementInput(sentAt: epoch, channel: "email", message: "we heard you", apology: false)
        try complaint.acknowledge(corrected, by: head.actor, at: epoch.addingTimeInterval(120))
        #expect(
            complaint.acknowledgement?.channel == "email" && complaint.acknowledgement?.recordedAt == epoch
                && complaint.acknowledgement?.by == "Maria"
        )

        var resolved = try Self.resolved()
        #expect(throws: DomainError.self) { try resolved.acknowledge(said, by: coordinator.actor, at: epoch.addingTimeInterval(2 * Self.day)) }
    }

    @Test func aMeetingWithoutAModeStaysValidAndTheModeAndAttendeesAreKeptWhenGiven() throws {
        var complaint = try ComplaintTests.complaint()
        try complaint.recordMeeting(MeetingInput(heldAt: epoch, studiosPresent: false, facts: ["late"]), by: coordinator.actor, at: epoch)
        #expect(complaint.meeting?.mode == nil && complaint.meeting?.attendees == nil)
        try complaint.recordMeeting(
            MeetingInput(heldAt: epoch, mode: .inPerson, attendees: ["Oleg", "Anna"], studiosPresent: false, facts: ["late"]),
            by: coordinator.actor,
            at: epoch
        )
        #expect(complaint.meeting?.mode == .inPerson && complaint.meeting?.attendees == ["Oleg", "Anna"])
        #expect(
            invalidFields {
                try complaint.recordMeeting(
                    MeetingInput(heldAt: epoch, attendees: ["Oleg", "Oleg"], studiosPresent: false, facts: ["late"]),
                    by: coordinator.actor,
                    at: epoch
                )
            } == ["attendees[1]"]
        )
    }

    @Test(arguments: [0, 31, -1])
    func theRhythmIsOneToThirtyDays(_ every: Int) throws {
        var complaint = try ComplaintTests.complaint()
        try complaint.recordMeeting(MeetingInput(heldAt: epoch, studiosPresent: false, facts: ["late"]), by: coordinator.actor, at: epoch)
        let plan = PlanInput(goals: ["release"], steps: ComplaintTests.plan.steps, updateEveryDays: every)
        #expect(invalidFields { try complaint.proposePlan(plan, stepIds: ["s1"], by: coordinator.actor, at: epoch) } == ["updateEveryDays"])
    }

    @Test func anUpdateIsMissedOnceTheDayOfTheRhythmIsOverAndCountsFromTheLatestUpdate() throws {
        // Approved at 2027-01-15T08:00Z, every 7 days: due by the end of 2027-01-22.
        var complaint = try Self.inRecovery(every: 7)
        #expect(complaint.missedUpdate(at: epoch.addingTimeInterval(7 * Self.day), in: .gmt) == nil)
        let late = try #require(complaint.missedUpdate(at: epoch.addingTimeInterval(10 * Self.day), in: .gmt))
        #expect(late.due == Day("2027-01-22") && late.daysLate == 3 && late.since == epoch)

        try complaint.recordUpdate(
            ComplaintUpdateInput(channel: "phone", summary: "the form is fixed"),
            by: coordinator.actor,
            at: epoch.addingTimeInterval(10 * Self.day)
        )
        #expect(complaint.updates.map(\.summary) == ["the form is fixed"] && complaint.updates.first?.by == "Anna")
        #expect(complaint.missedUpdate(at: epoch.addingTimeInterval(12 * Self.day), in: .gmt) == nil)
        #expect(complaint.missedUpdate(at: epoch.addingTimeInterval(18 * Self.day), in: .gmt)?.daysLate == 1)
        // No rhythm agreed, nothing is ever missed.
        #expect(try Self.inRecovery(every: nil).missedUpdate(at: epoch.addingTimeInterval(90 * Self.day), in: .gmt) == nil)
    }

    @Test func theDueDayOfAnUpdateIsTheClubsDay() throws {
        // Approved at 04:00Z on 2027-01-15: 23:00 on the 14th in New York, so an update is due by the end
        // of the 15th there; 07:00 on the 15th in Moscow, so due by the end of the 16th there.
        let approvedAt = Date(timeIntervalSince1970: 1_800_000_000 - 4 * 3600)
        var complaint = try ComplaintTests.complaint()
        try complaint.recordMeeting(MeetingInput(heldAt: approvedAt, studiosPresent: false, facts: ["late"]), by: coordinator.actor, at: approvedAt)
        let plan = PlanInput(goals: ["release"], steps: ComplaintTests.plan.steps, updateEveryDays: 1)
        try complaint.proposePlan(plan, stepIds: ["s1"], by: coordinator.actor, at: approvedAt)
        try complaint.approve(by: head, at: approvedAt)
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let moscow = try #require(TimeZone(identifier: "Europe/Moscow"))
        let now = Date(timeIntervalSince1970: 1_800_000_000 + 28 * 3600)  // 2027-01-16T12:00Z
        let missed = try #require(complaint.missedUpdate(at: now, in: newYork))
        #expect(missed.since == approvedAt && missed.due == Day("2027-01-15") && missed.daysLate == 1)
        #expect(complaint.missedUpdate(at: now, in: moscow) == nil)
    }

    @Test func resolvingNeedsAnExplicitDecisionOnTheStudioAndItsReason() throws {
        var complaint = try Self.inRecovery()
        #expect(
            invalidFields {
                try complaint.resolve(
                    ResolutionInput(outcome: .retained, upheld: nil, upheldReason: nil),
                    budget: 1,
                    by: coordinator.actor,
                    at: epoch
                )
            }
                == ["upheld", "upheldReason"]
        )
        #expect(complaint.status == .planApproved)
        try complaint.resolve(
            ResolutionInput(outcome: .retained, upheld: .notUpheld, upheldReason: "the client's texts came late"),
            budget: 1,
            by: coordinator.actor,
            at: epoch
        )
        #expect(complaint.resolution?.upheld == .notUpheld && !complaint.isUpheld)
        #expect(try Self.resolved(.partly).isUpheld && Self.resolved(.upheld).isUpheld)
    }

    @Test func theDecisionReadsTrueFalseOrPartlyAndNothingElse() throws {
        let decoder = JSONDecoder()
        func decode(_ json: String) throws -> UpheldDecision { try decoder.decode([UpheldDecision].self, from: Data(json.utf8))[0] }
        #expect(try decode("[true]") == .upheld && decode("[false]") == .notUpheld && decode(#"["partly"]"#) == .partly)
        #expect(throws: DecodingError.self) { try decode(#"["yes"]"#) }
        let encoded = try JSONEncoder().encode([UpheldDecision.upheld, .notUpheld, .partly])
        #expect(String(decoding: encoded, as: UTF8.self) == #"[true,false,"partly"]"#)
    }

    @Test func theClientConfirmsOnceOrContestsWhichReopensTheComplaint() throws {
        var confirmed = try Self.resolved()
        #expect(throws: DomainError.forbidden("only the client who complained answers its resolution")) {
            try confirmed.answerResolution(ResolutionAnswerInput(satisfied: true), by: Self.otherClient, at: epoch)
        }
        #expect(throws: DomainError.forbidden(Action.answerResolution.refusal)) {
            try confirmed.answerResolution(ResolutionAnswerInput(satisfied: true), by: Self.studio, at: epoch)
        }
        try confirmed.answerResolution(ResolutionAnswerInput(satisfied: true), by: Self.client, at: epoch)
        #expect(confirmed.status == .resolved && confirmed.resolutionAnswers.map(\.satisfied) == [true])
        #expect(confirmed.resolutionAnswers.first?.onBehalf == false)
        #expect(throws: DomainError.self) {
            try confirmed.answerResolution(ResolutionAnswerInput(satisfied: false, comment: "no"), by: Self.client, at: epoch)
        }

        var contested = try Self.resolved()
        #expect(invalidFields { try contested.answerResolution(ResolutionAnswerInput(satisfied: false), by: Self.client, at: epoch) } == ["comment"])
        let reopenedAt = epoch.addingTimeInterval(3 * Self.day)
        try contested.answerResolution(
            ResolutionAnswerInput(satisfied: false, comment: "nobody told me about the delay"),
            by: coordinator,
            at: reopenedAt
        )
        #expect(contested.status == .planApproved && contested.resolution == nil && !contested.isUpheld)
        let answer = try #require(contested.resolutionAnswers.last)
        #expect(answer.comment == "nobody told me about the delay" && answer.onBehalf && answer.resolution.upheld == .partly)
        // The rhythm of updates counts again from the reopening.
        #expect(contested.missedUpdate(at: reopenedAt.addingTimeInterval(7 * Self.day), in: .gmt) == nil)
        #expect(contested.missedUpdate(at: reopenedAt.addingTimeInterval(9 * Self.day), in: .gmt)?.since == reopenedAt)
        // Resolved again, the new resolution takes its own answer.
        try contested.resolve(
            ResolutionInput(outcome: .partialRefund, amount: 50_000, upheld: .upheld, upheldReason: "late"),
            budget: 600_000,
            by: coordinator.actor,
            at: reopenedAt.addingTimeInterval(Self.day)
        )
        try contested.answerResolution(ResolutionAnswerInput(satisfied: true), by: Self.client, at: reopenedAt.addingTimeInterval(2 * Self.day))
        #expect(contested.resolutionAnswers.map(\.satisfied) == [false, true] && contested.status == .resolved)
    }

    @Test func aPartlyUpheldComplaintWeighsHalfInTheRating() {
        var full = StudioOutcomes()
        full.upheldComplaints = 2
        var partly = full
        partly.partlyUpheldComplaints = 2
        let fullCard = Scorecard(studioId: "stu", name: "Pixel Hands", outcomes: full, answerWindowHours: 48)
        let partlyCard = Scorecard(studioId: "stu", name: "Pixel Hands", outcomes: partly, answerWindowHours: 48)
        #expect(fullCard.rating == 0.333 && partlyCard.rating == 0.5)
        #expect(partlyCard.upheldComplaints == 2 && partlyCard.partlyUpheldComplaints == 2)
    }
}
