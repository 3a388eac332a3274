import ClubCore
import Foundation
import GRDB

/// The coordinator's one page of what needs doing today.
public struct FollowUps: Sendable, Encodable {
    public struct PlanStepDue: Sendable, Encodable {
        public let complaintId: String
        public let engagementId: String
        public let stepId: String
        public let action: String
        public let owner: AgreementOwner
        public let due: Day
    }

    public struct ReferralWaiting: Sendable, Encodable {
        public let referralId: String
        public let requestId: String
        public let studioId: String
        public let dueAt: Date
        public let overdue: Bool
    }

    public struct AgreementDue: Sendable, Encodable {
        public let agreementId: String
        public let engagementId: String
        public let what: String
        public let owner: AgreementOwner
        public let due: Day
        public let confirmed: Bool
    }

    public struct FixItemDue: Sendable, Encodable {
        public let fixItemId: String
        public let fixListId: String
        public let position: Int
        public let statement: String
        public let assignedStudioId: String
        public let due: Day
    }

    /// A complaint whose acknowledgement to the client is not on record yet (seed 004: the
    /// client hears from the club first).
    public struct ComplaintUnacknowledged: Sendable, Encodable {
        public let complaintId: String
        public let engagementId: String
        public let receivedAt: Date
    }

    /// A complaint in recovery whose update to the client, at the plan's rhythm, is overdue.
    public struct ComplaintUpdateMissed: Sendable, Encodable {
        public let complaintId: String
        public let engagementId: String
        public let updateEveryDays: Int
        /// The last update (or the approval, or the client's reopening) the rhythm counts from.
        public let since: Date
        public let due: Day
        public let daysLate: Int
    }

    public struct FeedbackMissing: Sendable, Encodable {
        public let engagementId: String
        public let stages: [String]
    }

    public let overduePlanSteps: [PlanStepDue]
    public let unacknowledgedComplaints: [ComplaintUnacknowledged]
    public let missedComplaintUpdates: [ComplaintUpdateMissed]
    public let unansweredReferrals: [ReferralWaiting]
    public let overdueAgreements: [AgreementDue]
    public let overdueFixItems: [FixItemDue]
    public let stagesWithoutFeedback: [FeedbackMissing]
}

extension AppDatabase {
    public func followUps(for principal: Principal) async throws -> FollowUps {
        try Policy.require(principal, .readFollowUps)
        let now = clock.now()
        let today = rules.today(at: now)
        let zone = rules.timeZone
        return try await writer.read { db in
            let complaints = try Complaint.filter(Column("status") != ComplaintStatus.resolved.rawValue).fetchAll(db)
            let steps = complaints.flatMap { complaint in
                (complaint.plan?.steps ?? []).filter { $0.isOverdue(at: now, in: zone) }.map {
                    FollowUps.PlanStepDue(
                        complaintId: complaint.id,
                        engagementId: complaint.engagementId,
                        stepId: $0.id,
                        action: $0.action,
                        owner: $0.owner,
                        due: $0.due
                    )
                }
            }
            let unacknowledged = complaints.filter { $0.acknowledgement == nil }.sorted { $0.receivedAt < $1.receivedAt }.map {
                FollowUps.ComplaintUnacknowledged(complaintId: $0.id, engagementId: $0.engagementId, receivedAt: $0.receivedAt)
            }
            let missedUpdates = complaints.compactMap { complaint -> FollowUps.ComplaintUpdateMissed? in
                guard let missed = complaint.missedUpdate(at: now, in: zone), let every = complaint.plan?.updateEveryDays else { return nil }
                return FollowUps.ComplaintUpdateMissed(
                    complaintId: complaint.id,
                    engagementId: complaint.engagementId,
                    updateEveryDays: every,
                    since: missed.since,
                    due: missed.due,
                    daysLate: missed.daysLate
                )
            }
            .sorted { ($0.due, $0.complaintId) < ($1.due, $1.complaintId) }
            let referrals = try Referral.filter(Column("status") == ReferralStatus.offered.rawValue).order(Column("dueAt")).fetchAll(db).map {
                FollowUps.ReferralWaiting(
                    referralId: $0.id,
                    requestId: $0.requestId,
                    studioId: $0.studioId,
                    dueAt: $0.dueAt,
                    overdue: $0.isOverdue(at: now)
                )
            }
            let agreements = try Agreement.filter(sql: "fulfilledAt IS NULL AND due < ?", arguments: [today]).order(Column("due")).fetchAll(db).map {
                FollowUps.AgreementDue(
                    agreementId: $0.id,
                    engagementId: $0.engagementId,
                    what: $0.what,
                    owner: $0.owner,
                    due: $0.due,
                    confirmed: $0.isConfirmed
                )
            }
            // Struck items await the client's check and accepted ones are done: neither is overdue.
            let unstruck = "NOT isRemoved AND state IN ('open', 'reopened') AND due < ?"
            let items = try FixItem.filter(sql: unstruck, arguments: [today]).order(Column("due")).fetchAll(
                db
            ).map {
                FollowUps.FixItemDue(
                    fixItemId: $0.id,
                    fixListId: $0.fixListId,
                    position: $0.position,
                    statement: $0.statement,
                    assignedStudioId: $0.assignedStudioId,
                    due: $0.due
                )
            }
            var missing: [FollowUps.FeedbackMissing] = []
            for engagement in try Engagement.filter(sql: "status != 'terminated'").order(sql: "rowid").fetchAll(db) {
                let given = Set(try String.fetchAll(db, sql: "SELECT stage FROM stageFeedback WHERE engagementId = ?", arguments: [engagement.id]))
                let stages = engagement.stagesAwaitingFeedback(given: given)
                if !stages.isEmpty { missing.append(FollowUps.FeedbackMissing(engagementId: engagement.id, stages: stages)) }
            }
            return FollowUps(
                overduePlanSteps: steps,
                unacknowledgedComplaints: unacknowledged,
                missedComplaintUpdates: missedUpdates,
                unansweredReferrals: referrals,
                overdueAgreements: agreements,
                overdueFixItems: items,
                stagesWithoutFeedback: missing
            )
        }
    }
}
