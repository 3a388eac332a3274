import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    // MARK: - Writes

    /// Ranks the active studios for a request, or for part of its scope, and stores the result.
    public func makeShortlist(_ requestId: String, _ input: ShortlistInput, by principal: Principal) async throws -> Shortlist {
        try Policy.require(principal, .makeShortlist)
        let rules = rules
        let now = clock.now()
        return try await transaction { db in
            guard var lead = try Lead.fetchOne(db, key: requestId) else { throw DomainError.notFound(entity: "request", id: requestId) }
            let old = lead
            try lead.markShortlisted(rules: rules, at: now)
            let (scope, size, excluded) = try input.resolvedScope(of: lead)
            let query = MatchQuery(
                scope: scope,
                budget: lead.budget,
                region: lead.region,
                excluded: Set(excluded),
                declined: try Self.declinedStudios(for: requestId, in: db),
                size: size
            )
            let candidates = try Self.matchCandidates(scope: scope, rules: rules, in: db)
            let shortlist = Shortlist(
                id: Identifier.make("shl"),
                requestId: requestId,
                scope: scope,
                excluded: excluded,
                candidates: Matcher.rank(candidates, for: query, weights: rules.weights),
                createdAt: now,
                createdBy: principal.name
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
        try Policy.require(principal, .readShortlist)
        let shortlist = try await writer.read { db in
            try Shortlist.filter(Column("requestId") == requestId).order(sql: "rowid DESC").fetchOne(db)
        }
        guard let shortlist else { throw DomainError.notFound(entity: "shortlist of request", id: requestId) }
        return shortlist
    }

    /// Active studios covering at least one competence of the scope, with what matching needs,
    /// read from the compact `studioMatch` projection that triggers keep in step with `studio`.
    static func matchCandidates(scope: [String], rules: ClubRules, in db: Database) throws -> [MatchCandidate] {
        guard !scope.isEmpty else { return [] }
        let covers = Array(repeating: "instr(competences, ?) > 0", count: scope.count).joined(separator: " OR ")
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT studioId, budgetMin, budgetMax, capacity, competences, regions FROM studioMatch WHERE status = 'active' AND (\(covers))",
            arguments: StatementArguments(scope.map { "\u{1F}\($0)\u{1F}" })
        )
        let outcomes = try studioOutcomes(in: db)
        let open = try openEngagementCounts(in: db)
        var candidates: [MatchCandidate] = []
        while let row = try rows.next() {
            let id: String = row[0]
            let scorecard = outcomes[id].map { Scorecard(studioId: id, name: "", outcomes: $0, answerWindowHours: rules.referralAnswerHours) }
            candidates.append(
                MatchCandidate(
                    studioId: id,
                    status: .active,
                    competences: fields(row[4]),
                    regions: fields(row[5]),
                    budgetMin: row[1],
                    budgetMax: row[2],
                    capacity: row[3],
                    openEngagements: open[id] ?? 0,
                    rating: scorecard?.rating ?? Scorecard.neutralRating,
                    upheldComplaints: scorecard?.upheldComplaints ?? 0
                )
            )
        }
        return candidates
    }

    /// Open engagements per studio: each takes one unit of capacity until it ends.
    static func openEngagementCounts(in db: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try Row.fetchAll(
            db,
            sql: "SELECT studioId, COUNT(*) FROM engagement WHERE status NOT IN ('completed', 'terminated') GROUP BY studioId"
        ) {
            counts[row[0]] = row[1]
        }
        return counts
    }

    /// The values of a joined column (`\u{1F}a\u{1F}b\u{1F}`, so that `instr` finds whole values),
    /// split over its bytes: every matching studio's competences and regions are read this way, and
    /// the generic `split` was a third of a shortlist's time (docs/performance.md, matching).
    static func fields(_ joined: String?) -> Set<String> {
        guard var joined else { return [] }
        return joined.withUTF8 { bytes in
            var fields = Set<String>(minimumCapacity: 4)
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x1F {
                if index > start { fields.insert(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) }
                start = index + 1
            }
            return fields
        }
    }

    /// One studio as matching sees it, whatever its status (for starting an engagement).
    static func matchCandidate(_ studioId: String, in db: Database) throws -> MatchCandidate? {
        guard let studio = try Studio.fetchOne(db, key: studioId) else { return nil }
        let open = try Engagement.filter(Column("studioId") == studioId && !["completed", "terminated"].contains(Column("status"))).fetchCount(db)
        return MatchCandidate(
            studioId: studio.id,
            status: studio.status,
            competences: Set(studio.competences),
            regions: Set(studio.regions),
            budgetMin: studio.budgetMin,
            budgetMax: studio.budgetMax,
            capacity: studio.capacity,
            openEngagements: open,
            rating: 0.5,
            upheldComplaints: 0
        )
    }

    /// Studios that declined this request: never offered it again.
    static func declinedStudios(for requestId: String, in db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT studioId FROM referral WHERE requestId = ? AND status = 'declined'", arguments: [requestId]))
    }

    /// Every studio's outcomes, counted from feedback, referrals, fix items, upheld complaints and
    /// answered audits.
    static func studioOutcomes(in db: Database) throws -> [String: StudioOutcomes] {
        // Aggregated in SQLite, one row per studio, so that ranking stays fast as the club's
        // history grows.
        var outcomes: [String: StudioOutcomes] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT studioId, COUNT(*), SUM(score) FROM stageFeedback GROUP BY studioId") {
            outcomes[row[0], default: StudioOutcomes()].feedbackCount = row[1]
            outcomes[row[0], default: StudioOutcomes()].feedbackTotal = row[2]
        }
        // A studio the client did not choose still said yes: `not_chosen` counts as accepted.
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT studioId, COUNT(*), SUM(status IN ('accepted', 'not_chosen')), SUM(status = 'declined'), SUM(status = 'expired')
                FROM referral GROUP BY studioId
                """
        ) {
            var record = outcomes[row[0], default: StudioOutcomes()]
            record.referralsOffered = row[1]
            record.referralsAccepted = row[2]
            record.referralsDeclined = row[3]
            record.referralsExpired = row[4]
            outcomes[row[0]] = record
        }
        for row in try Row.fetchAll(db, sql: "SELECT studioId, offeredAt, answeredAt FROM referral WHERE answeredAt IS NOT NULL") {
            if let answeredAt = row[2] as Date?, let offeredAt = row[1] as Date? {
                outcomes[row[0], default: StudioOutcomes()].answerHours.append(answeredAt.timeIntervalSince(offeredAt) / 3600)
            }
        }
        // Every strike is a round judged against its own due day when it was struck (docs/design.md
        // §3.7): a first strike on time stays on time after a reopening.
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT assignedStudioId, SUM(json_array_length(rounds)),
                    SUM((SELECT COUNT(*) FROM json_each(fixItem.rounds) WHERE json_extract(value, '$.onTime') = 0)), SUM(reopenCount)
                FROM fixItem WHERE NOT isRemoved GROUP BY assignedStudioId
                """
        ) {
            var record = outcomes[row[0], default: StudioOutcomes()]
            record.fixItemsStruck = row[1]
            record.fixItemsStruckLate = row[2]
            record.fixItemsReopened = row[3]
            outcomes[row[0]] = record
        }
        // `upheld` is true, false or "partly" (docs/design.md §3.6): partly counts here and weighs half in the rating.
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT studioId, json_extract(resolution, '$.upheld') = 'partly' FROM complaint
                WHERE status = 'resolved' AND json_extract(resolution, '$.upheld') IN (1, 'partly')
                """
        ) {
            outcomes[row[0], default: StudioOutcomes()].upheldComplaints += 1
            if row[1] as Bool? == true { outcomes[row[0], default: StudioOutcomes()].partlyUpheldComplaints += 1 }
        }
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT audit.studioId, json_extract(finding.value, '$.rebuttal.position') FROM audit, json_each(audit.findings) AS finding
                WHERE audit.status IN ('answered', 'closed')
                """
        ) {
            var record = outcomes[row[0], default: StudioOutcomes()]
            switch RebuttalPosition(rawValue: row[1] ?? "") {
            case .accept: record.auditFindingsAccepted += 1
            case .partial: record.auditFindingsPartlyAccepted += 1
            case .dispute: record.auditFindingsDisputed += 1
            case nil: break
            }
            outcomes[row[0]] = record
        }
        return outcomes
    }
}
