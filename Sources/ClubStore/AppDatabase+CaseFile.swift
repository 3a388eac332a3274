import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    /// The case file of an engagement: coordinators, and the engagement's client for its own,
    /// read as the caller's role may read it (DESIGN §2, §3.11).
    public func caseFile(_ engagementId: String, for principal: Principal) async throws -> CaseFile {
        try Policy.require(principal, .exportCaseFile)
        let now = clock.now()
        return try await writer.read { db in
            guard let engagement = try Engagement.fetchOne(db, key: engagementId), Policy.reaches(principal, .exportCaseFile, engagement.owners),
                let lead = try Lead.fetchOne(db, key: engagement.requestId)
            else { throw DomainError.notFound(entity: "engagement", id: engagementId) }
            let byEngagement = Column("engagementId") == engagementId
            let lists = try FixList.filter(byEngagement).order(sql: "rowid").fetchAll(db)
            let fixLists = try lists.map { CaseFileContents.FixListFile(list: $0, items: try Self.items(of: $0.id, in: db)) }
            let exit = try EngagementExit.filter(byEngagement).fetchOne(db)
            let offers = (try exit.map { try ConsultingOffer.filter(Column("exitId") == $0.id).fetchAll(db) } ?? []).map { $0.asOf(now) }
            let sessions = try offers.flatMap { try ConsultingSession.filter(Column("offerId") == $0.id).order(Column("scheduledAt")).fetchAll(db) }
            // Shortlists rank other studios: only for a caller who may read shortlists, not the client.
            let mayReadShortlists = Policy.allows(principal, .readShortlist)
            let shortlists = mayReadShortlists ? try Shortlist.filter(Column("requestId") == lead.id).order(sql: "rowid").fetchAll(db) : []
            let referrals = try Referral.filter(Column("requestId") == lead.id && Column("studioId") == engagement.studioId).order(sql: "rowid")
                .fetchAll(db)
            let agreements = try Agreement.filter(byEngagement).order(sql: "rowid").fetchAll(db)
            let checkIns = try CheckIn.filter(byEngagement).order(Column("heldAt")).fetchAll(db)
            let feedback = try StageFeedback.filter(byEngagement).order(Column("givenAt")).fetchAll(db)
            let complaints = try Complaint.filter(byEngagement).order(sql: "rowid").fetchAll(db)
            let audits = try Audit.filter(byEngagement).order(sql: "rowid").fetchAll(db)
            let retrospective = try Retrospective.filter(byEngagement).fetchOne(db)
            let comments = try FixItemComment.filter(lists.map(\.id).contains(Column("fixListId"))).order(sql: "rowid").fetchAll(db)
            let ratings = try ClubRating.filter(byEngagement).order(sql: "rowid").fetchAll(db)
            // Each with its name, type, size and SHA-256, so that the files beside a case file can be checked (§11.4).
            let files = try EvidenceFile.fetchAll(
                db,
                sql: "SELECT * FROM evidenceFile WHERE engagementId = ? ORDER BY uploadedAt, rowid",
                arguments: [engagementId]
            )

            var ids: Set<String> = [engagement.id, lead.id]
            ids.formUnion(shortlists.map(\.id))
            ids.formUnion(referrals.map(\.id))
            ids.formUnion(agreements.map(\.id))
            ids.formUnion(checkIns.map(\.id))
            ids.formUnion(feedback.map(\.id))
            ids.formUnion(fixLists.flatMap { [$0.list.id] + $0.items.map(\.id) })
            ids.formUnion(
                try String.fetchAll(
                    db,
                    sql: "SELECT id FROM shareLink WHERE fixListId IN (SELECT id FROM fixList WHERE engagementId = ?)",
                    arguments: [engagementId]
                )
            )
            ids.formUnion(complaints.map(\.id))
            ids.formUnion(audits.map(\.id))
            ids.formUnion([exit?.id, retrospective?.id].compactMap { $0 })
            ids.formUnion(offers.map(\.id))
            ids.formUnion(sessions.map(\.id))
            ids.formUnion(comments.map(\.id))
            ids.formUnion(ratings.map(\.id))
            ids.formUnion(files.map(\.id))

            let events = try Row.fetchAll(
                db,
                sql: "SELECT * FROM journal WHERE entityId IN (SELECT value FROM json_each(?)) ORDER BY seq",
                arguments: [JSONText.encode(Array(ids))]
            )
            .map(Journal.event(from:))
            let chain = try Row.fetchAll(
                db,
                sql: "SELECT seq, previousHash, hash FROM journal WHERE seq >= ? ORDER BY seq",
                arguments: [events.first?.seq ?? Int64.max]
            )
            .map { CaseFile.ChainLink(seq: $0["seq"], previousHash: $0["previousHash"], hash: $0["hash"]) }
            let contents = CaseFileContents(
                request: lead,
                engagement: engagement,
                shortlists: shortlists,
                referrals: referrals,
                agreements: agreements,
                checkIns: checkIns,
                feedback: feedback,
                fixLists: fixLists,
                fixItemComments: comments,
                complaints: complaints,
                audits: audits,
                exit: exit,
                consultingOffers: offers,
                consultingSessions: sessions,
                retrospective: retrospective,
                clubRatings: ratings,
                files: files
            )
            return try CaseFile.make(
                exportedAt: now,
                engagementId: engagement.id,
                records: try contents.jsonObject(),
                events: events,
                chain: chain,
                for: principal.role
            )
        }
    }
}

/// The records of a case file as the store holds them, before they are read for someone.
private struct CaseFileContents: Encodable {
    let request: Lead
    let engagement: Engagement
    let shortlists: [Shortlist]
    let referrals: [Referral]
    let agreements: [Agreement]
    let checkIns: [CheckIn]
    let feedback: [StageFeedback]
    let fixLists: [FixListFile]
    let fixItemComments: [FixItemComment]
    let complaints: [Complaint]
    let audits: [Audit]
    let exit: EngagementExit?
    let consultingOffers: [ConsultingOffer]
    let consultingSessions: [ConsultingSession]
    let retrospective: Retrospective?
    let clubRatings: [ClubRating]
    let files: [EvidenceFile]

    /// A fix list and its items.
    struct FixListFile: Encodable {
        let list: FixList
        let items: [FixItem]
    }

    func jsonObject() throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .rfc3339
        return try JSONSerialization.jsonObject(with: try encoder.encode(self)) as? [String: Any] ?? [:]
    }
}
