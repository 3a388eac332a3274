import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    /// What awaits a studio or a client now (`Awaiting` decides; docs/design.md §9.6), read in one
    /// transaction from the records of its own engagements, referrals and requests. Nothing for a
    /// coordinator: Today (`followUps`) is the club's list.
    public func awaiting(for principal: Principal) async throws -> [AwaitingItem] {
        guard principal.role != .coordinator else { return [] }
        let now = clock.now()
        let rules = rules
        let records = try await writer.read { db in try Self.partyRecords(of: principal, in: db) }
        return Awaiting.of(principal, in: records, at: now, zone: rules.timeZone, checkDays: rules.fixItemAutoAcceptDays)
    }

    /// The records a party can be awaited on, all within its reach: a studio's referrals and the
    /// engagements it works on, a client's requests and engagements, and what hangs off them.
    static func partyRecords(of principal: Principal, in db: Database) throws -> PartyRecords {
        var records = PartyRecords()
        if let studioId = principal.studioId, principal.role == .studio {
            records.referrals = try Referral.filter(Column("studioId") == studioId).fetchAll(db)
            records.engagements = try Engagement.filter(Column("studioId") == studioId).fetchAll(db)
        } else if let clientId = principal.clientId, principal.role == .client {
            records.leads = try Lead.filter(Column("clientId") == clientId).fetchAll(db)
            records.referrals = try Referral.filter(records.leads.map(\.id).contains(Column("requestId"))).fetchAll(db)
            records.engagements = try Engagement.filter(Column("clientId") == clientId).fetchAll(db)
        } else {
            return records
        }
        let engagementIds = records.engagements.map(\.id)
        records.agreements = try Agreement.filter(engagementIds.contains(Column("engagementId"))).fetchAll(db)
        records.fixLists = try FixList.filter(engagementIds.contains(Column("engagementId"))).fetchAll(db)
        records.fixItems = try FixItem.filter(records.fixLists.map(\.id).contains(Column("fixListId"))).order(Column("position")).fetchAll(db)
        records.complaints = try Complaint.filter(engagementIds.contains(Column("engagementId"))).fetchAll(db)
        records.audits = try Audit.filter(engagementIds.contains(Column("engagementId"))).fetchAll(db)
        for feedback in try StageFeedback.filter(engagementIds.contains(Column("engagementId"))).fetchAll(db) {
            records.feedbackGiven[feedback.engagementId, default: []].insert(feedback.stage)
        }
        if principal.role == .client {
            let offers = try Row.fetchAll(
                db,
                sql: "SELECT consultingOffer.*, engagementExit.engagementId AS exitEngagementId FROM consultingOffer "
                    + "JOIN engagementExit ON engagementExit.id = consultingOffer.exitId WHERE consultingOffer.clientId = ?",
                arguments: [principal.clientId]
            )
            records.consultingOffers = try offers.map { (try ConsultingOffer(row: $0), $0["exitEngagementId"]) }
            for engagement in records.engagements {
                records.clubRatings[engagement.id] = ClubRatingStatus(
                    engagement: engagement,
                    complaints: records.complaints.filter { $0.engagementId == engagement.id },
                    ratings: try clubRatings(of: engagement.id, in: db)
                )
            }
        }
        return records
    }
}
