import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    // MARK: - Writes

    /// Ranks the active studios for a request, or for part of its scope, and stores the result.
    public func makeShortlist(_ requestId: String, _ input: ShortlistInput, by principal: Principal) async throws -> Shortlist {
        try principal.requireCoordinator("shortlist studios")
        let rules = rules
        let now = clock.now()
        return try await writer.write { db in
            guard var lead = try Lead.fetchOne(db, key: requestId) else { throw DomainError.notFound(entity: "request", id: requestId) }
            let old = lead
            try lead.markShortlisted(rules: rules, at: now)
            let (scope, size) = try input.resolvedScope(of: lead)
            let excluded = input.exclude ?? []
            let query = MatchQuery(
                scope: scope, budget: lead.budget, region: lead.region,
                excluded: Set(excluded), declined: try Self.declinedStudios(for: requestId, in: db), size: size
            )
            let candidates = try Self.matchCandidates(scope: scope, rules: rules, in: db)
            let shortlist = Shortlist(
                id: Identifier.make("shl"), requestId: requestId, scope: scope, excluded: excluded,
                candidates: Matcher.rank(candidates, for: query, weights: rules.weights), createdAt: now, createdBy: principal.name
            )
            try shortlist.insert(db)
            try Journal.created("shortlist", id: shortlist.id, shortlist, by: principal.actor, at: now, in: db)
            if lead != old {
                try lead.update(db)
                try Journal.changed("request", id: lead.id, action: "shortlisted", from: old, to: lead, by: principal.actor, at: now, in: db)
            }
            return shortlist
        }
    }

    // MARK: - Reads

    /// The newest shortlist of a request (coordinators).
    public func latestShortlist(_ requestId: String, for principal: Principal) async throws -> Shortlist {
        try principal.requireCoordinator("read shortlists")
        let shortlist = try await writer.read { db in
            try Shortlist.filter(Column("requestId") == requestId).order(sql: "rowid DESC").fetchOne(db)
        }
        guard let shortlist else { throw DomainError.notFound(entity: "shortlist of request", id: requestId) }
        return shortlist
    }

    /// Active studios covering at least one competence of the scope, with what matching needs.
    static func matchCandidates(scope: [String], rules: ClubRules, in db: Database) throws -> [MatchCandidate] {
        guard !scope.isEmpty else { return [] }
        let placeholders = databaseQuestionMarks(count: scope.count)
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, status, competences, regions, budgetMin, budgetMax, capacity,
                       (SELECT COUNT(*) FROM engagement e WHERE e.studioId = studio.id AND e.status NOT IN ('completed', 'terminated')) AS openEngagements
                FROM studio
                WHERE status = 'active' AND id IN (SELECT studioId FROM studioCompetence WHERE competence IN (\(placeholders)))
                """,
            arguments: StatementArguments(scope)
        )
        let outcomes = try studioOutcomes(in: db)
        let decoder = JSONDecoder()
        return try rows.map { row in
            let id: String = row["id"]
            let scorecard = Scorecard(studioId: id, name: "", outcomes: outcomes[id] ?? StudioOutcomes(), answerWindowHours: rules.referralAnswerHours)
            return MatchCandidate(
                studioId: id,
                status: StudioStatus(rawValue: row["status"]) ?? .active,
                competences: Set(try decoder.decode([String].self, from: Data((row["competences"] as String).utf8))),
                regions: Set(try decoder.decode([String].self, from: Data((row["regions"] as String).utf8))),
                budgetMin: row["budgetMin"], budgetMax: row["budgetMax"], capacity: row["capacity"],
                openEngagements: row["openEngagements"], rating: scorecard.rating, upheldComplaints: scorecard.upheldComplaints
            )
        }
    }

    /// One studio as matching sees it, whatever its status (for starting an engagement).
    static func matchCandidate(_ studioId: String, in db: Database) throws -> MatchCandidate? {
        guard let studio = try Studio.fetchOne(db, key: studioId) else { return nil }
        let open = try Engagement.filter(Column("studioId") == studioId && !["completed", "terminated"].contains(Column("status"))).fetchCount(db)
        return MatchCandidate(
            studioId: studio.id, status: studio.status, competences: Set(studio.competences), regions: Set(studio.regions),
            budgetMin: studio.budgetMin, budgetMax: studio.budgetMax, capacity: studio.capacity,
            openEngagements: open, rating: 0.5, upheldComplaints: 0
        )
    }

    /// Studios that declined this request: never offered it again.
    static func declinedStudios(for requestId: String, in db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT studioId FROM referral WHERE requestId = ? AND status = 'declined'", arguments: [requestId]))
    }

    /// Every studio's outcomes, counted from feedback and referrals.
    static func studioOutcomes(in db: Database) throws -> [String: StudioOutcomes] {
        var outcomes: [String: StudioOutcomes] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT studioId, score FROM stageFeedback") {
            outcomes[row["studioId"], default: StudioOutcomes()].feedbackScores.append(row["score"])
        }
        for row in try Row.fetchAll(db, sql: "SELECT studioId, status, offeredAt, answeredAt FROM referral") {
            let id: String = row["studioId"]
            var record = outcomes[id, default: StudioOutcomes()]
            record.referralsOffered += 1
            switch ReferralStatus(rawValue: row["status"]) {
            case .accepted: record.referralsAccepted += 1
            case .declined: record.referralsDeclined += 1
            case .expired: record.referralsExpired += 1
            case .offered, .none: break
            }
            if let answeredAt = row["answeredAt"] as Date?, let offeredAt = row["offeredAt"] as Date? {
                record.answerHours.append(answeredAt.timeIntervalSince(offeredAt) / 3600)
            }
            outcomes[id] = record
        }
        return outcomes
    }
}
