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

    public struct FeedbackMissing: Sendable, Encodable {
        public let engagementId: String
        public let stages: [String]
    }

    public let overduePlanSteps: [PlanStepDue]
    public let unansweredReferrals: [ReferralWaiting]
    public let overdueAgreements: [AgreementDue]
    public let overdueFixItems: [FixItemDue]
    public let stagesWithoutFeedback: [FeedbackMissing]
}

extension AppDatabase {
    public func followUps(for principal: Principal) async throws -> FollowUps {
        try Policy.require(principal, .readFollowUps)
        let now = clock.now()
        let today = Day(containing: now)
        return try await writer.read { db in
            let complaints = try Complaint.filter(Column("status") != ComplaintStatus.resolved.rawValue).fetchAll(db)
            let steps = complaints.flatMap { complaint in
                (complaint.plan?.steps ?? []).filter { $0.isOverdue(at: now) }.map {
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
            let items = try FixItem.filter(sql: "NOT isRemoved AND state != 'struck' AND due < ?", arguments: [today]).order(Column("due")).fetchAll(
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
                unansweredReferrals: referrals,
                overdueAgreements: agreements,
                overdueFixItems: items,
                stagesWithoutFeedback: missing
            )
        }
    }
}
