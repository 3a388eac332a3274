import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

/// Seed 004's recovery etiquette as the store keeps it (docs/design.md §3.6): journaled, on the
/// follow-ups while the client waits, and counted on the studio's scorecard only as decided.
@Suite("Recovery etiquette in the store")
struct RecoveryEtiquetteStoreTests {
    static let day: TimeInterval = 24 * 3600

    /// A complaint of the fixture's engagement, through the meeting to the head's approval of a
    /// plan that agreed an update every `every` days.
    static func inRecovery(every: Int? = 7) async throws -> (club: MatchingFixture, complaint: Complaint, client: Principal, studio: Principal) {
        let (club, engagement, studio, client) = try await InternalNoteStoreTests.engaged()
        let database = club.database
        let complaint = try await database.createComplaint(
            engagement.id,
            ComplaintInput(channel: "phone", summary: "the form loses leads", demand: ComplaintDemand(kind: .redo)),
            by: client
        )
        _ = try await database.recordMeeting(
            complaint.id,
            MeetingInput(heldAt: club.test.clock.now(), mode: .inPerson, attendees: ["Oleg"], studiosPresent: false, facts: ["late"]),
            by: coordinator
        )
        let step = PlanInput.Step(action: "fix the form", owner: .studio, due: try #require(Day("2030-01-01")))
        _ = try await database.proposePlan(complaint.id, PlanInput(goals: ["release"], steps: [step], updateEveryDays: every), by: coordinator)
        return (club, try await database.approvePlan(complaint.id, by: head), client, studio)
    }

    static func actions(_ database: AppDatabase, _ complaintId: String) async throws -> [String] {
        try await database.writer.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT action FROM journal WHERE entityType = 'complaint' AND entityId = ? ORDER BY seq",
                arguments: [complaintId]
            )
        }
    }

    @Test func anUnacknowledgedComplaintWaitsOnTheFollowUpsUntilTheClubAnswersIt() async throws {
        let (club, complaint, client, _) = try await Self.inRecovery()
        let database = club.database
        #expect(try await database.followUps(for: head).unacknowledgedComplaints.map(\.complaintId) == [complaint.id])
        await #expect(throws: DomainError.forbidden(Action.acknowledgeComplaint.refusal)) {
            _ = try await database.acknowledgeComplaint(
                complaint.id,
                AcknowledgementInput(channel: "phone", message: "hi", apology: false),
                by: client
            )
        }
        let said = AcknowledgementInput(channel: "phone", message: "we heard you, and we are sorry", apology: true)
        let acknowledged = try await database.acknowledgeComplaint(complaint.id, said, by: coordinator)
        #expect(acknowledged.acknowledgement?.apology == true)
        #expect(try await database.followUps(for: head).unacknowledgedComplaints.isEmpty)
        _ = try await database.acknowledgeComplaint(complaint.id, said, by: coordinator)
        _ = try await database.acknowledgeComplaint(
            complaint.id,
            AcknowledgementInput(channel: "phone", message: "we heard you", apology: true),
            by: head
        )
        let actions = try await Self.actions(database, complaint.id)
        #expect(actions.suffix(2) == ["acknowledged", "acknowledgement-amended"], "the same words twice are one event: \(actions)")
    }

    @Test func aMissedUpdateIsAFollowUpWithHowManyDaysLateUntilTheNextUpdate() async throws {
        let (club, complaint, _, _) = try await Self.inRecovery(every: 3)
        let database = club.database
        let clock = club.test.clock
        #expect(try await database.followUps(for: head).missedComplaintUpdates.isEmpty)
        // Approved on 2027-01-15, every 3 days: due by the end of the 18th, one day late on the 19th.
        clock.advance(by: 3 * Self.day)
        #expect(try await database.followUps(for: head).missedComplaintUpdates.isEmpty)
        clock.advance(by: Self.day)
        let missed = try #require(try await database.followUps(for: head).missedComplaintUpdates.first)
        #expect(missed.complaintId == complaint.id && missed.updateEveryDays == 3 && missed.daysLate == 1)
        let updated = try await database.recordComplaintUpdate(
            complaint.id,
            ComplaintUpdateInput(channel: "phone", summary: "the form is fixed; release on Friday"),
            by: coordinator
        )
        #expect(updated.updates.count == 1)
        #expect(try await database.followUps(for: head).missedComplaintUpdates.isEmpty)
        #expect(try await Self.actions(database, complaint.id).last == "update-recorded")
    }

    @Test func theScorecardCountsOnlyWhatWasDecidedAndAContestedResolutionReopens() async throws {
        let (club, complaint, client, studio) = try await Self.inRecovery()
        let database = club.database
        let studioId = club.studios[0]
        func card() async throws -> Scorecard? {
            try await database.scorecards(page: PageRequest(limit: PageRequest.maxLimit), for: head).items.first { $0.studioId == studioId }
        }
        await #expect(throws: DomainError.self) {
            _ = try await database.resolveComplaint(
                complaint.id,
                ResolutionInput(outcome: .retained, upheld: nil, upheldReason: nil),
                by: coordinator
            )
        }
        _ = try await database.resolveComplaint(
            complaint.id,
            ResolutionInput(outcome: .retained, upheld: .notUpheld, upheldReason: "the brief changed twice"),
            by: coordinator
        )
        #expect(try await card()?.upheldComplaints == 0)

        await #expect(throws: DomainError.forbidden(Action.answerResolution.refusal)) {
            _ = try await database.answerResolution(complaint.id, ResolutionAnswerInput(satisfied: true), by: studio)
        }
        let reopened = try await database.answerResolution(
            complaint.id,
            ResolutionAnswerInput(satisfied: false, comment: "nobody told me about the delay"),
            by: client
        )
        #expect(reopened.status == .planApproved && reopened.resolutionAnswers.last?.comment == "nobody told me about the delay")
        _ = try await database.resolveComplaint(
            complaint.id,
            ResolutionInput(outcome: .retained, upheld: .partly, upheldReason: "late, though the texts came late too"),
            by: coordinator
        )
        let partly = try #require(try await card())
        #expect(partly.upheldComplaints == 1 && partly.partlyUpheldComplaints == 1)
        _ = try await database.answerResolution(complaint.id, ResolutionAnswerInput(satisfied: true), by: client)
        let actions = try await Self.actions(database, complaint.id)
        #expect(actions.suffix(4) == ["resolved", "resolution-contested", "resolved", "resolution-confirmed"], "\(actions)")
    }

    @Test func anotherClientDoesNotReachTheComplaint() async throws {
        let (club, complaint, _, _) = try await Self.inRecovery()
        let database = club.database
        _ = try await database.resolveComplaint(
            complaint.id,
            ResolutionInput(outcome: .retained, upheld: .upheld, upheldReason: "late"),
            by: coordinator
        )
        let other = try await database.createClient(ClientInput(name: "Other Client"), by: head)
        let issued = try await database.issueToken(TokenGrant(role: .client, clientId: other.id, name: "Xenia"), by: head)
        let stranger = try #require(try await database.authenticate(secret: issued.secret))
        await #expect(throws: DomainError.notFound(entity: "complaint", id: complaint.id)) {
            _ = try await database.answerResolution(complaint.id, ResolutionAnswerInput(satisfied: true), by: stranger)
        }
    }
}
