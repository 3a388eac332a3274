import ClubCore
import Foundation
import GRDB

/// Filters of `GET /v1/engagements`.
public struct EngagementFilter: Sendable {
    public var status: EngagementStatus?
    public var requestId: String?

    public init(status: EngagementStatus? = nil, requestId: String? = nil) {
        self.status = status
        self.requestId = requestId
    }
}

extension AppDatabase {
    // MARK: - Writes

    /// Starts an engagement with a studio that accepted the referral; the request becomes matched.
    /// A coordinator's own choice (`chosenBy: coordinator`); the client's goes through `choose`.
    public func startEngagement(_ requestId: String, _ input: EngagementInput, by principal: Principal) async throws -> EngagementRecord {
        try Policy.require(principal, .startEngagement)
        let rules = rules
        let now = clock.now()
        return try await transaction { db in
            guard let lead = try Lead.fetchOne(db, key: requestId) else { throw DomainError.notFound(entity: "request", id: requestId) }
            let engagement = try Self.start(lead, input, chosenBy: .coordinator, note: nil, by: principal, rules: rules, at: now, in: db)
            return EngagementRecord(engagement: engagement, agreements: [], checkIns: [], feedback: [], at: now, in: rules.timeZone)
        }
    }

    /// What starting an engagement does, whoever chose (docs/design.md §3.4, §3.5): the engagement
    /// from the studio's unused accepted referral; a re-match moves its scope out of the request's
    /// earlier open engagements (journaled on each as `scope-moved`); the other accepted referrals
    /// whose whole part now has a studio close as `not_chosen`; the request becomes matched.
    static func start(
        _ lead: Lead,
        _ input: EngagementInput,
        chosenBy: ChoiceParty,
        note: String?,
        by principal: Principal,
        rules: ClubRules,
        at now: Date,
        in db: Database
    ) throws -> Engagement {
        guard let studio = try Self.matchCandidate(input.studioId, in: db) else {
            throw DomainError.invalid("studioId", "no studio has id '\(input.studioId)'")
        }
        let accepted = try Self.unusedAcceptedReferral(requestId: lead.id, studioId: input.studioId, in: db)
        let engagement = try Engagement(
            id: Identifier.make("eng"),
            input: input,
            lead: lead,
            acceptedReferral: accepted,
            studio: studio,
            keyStages: rules.keyStages,
            chosenBy: chosenBy,
            choiceNote: note,
            at: now
        )
        var moved: [(old: Engagement, new: Engagement)] = []
        for var earlier in try Engagement.filter(Column("requestId") == lead.id).order(sql: "rowid").fetchAll(db) {
            let old = earlier
            if try earlier.moveScopeOut(engagement.scope, to: engagement.id, at: now) { moved.append((old, earlier)) }
        }
        try engagement.insert(db)
        try Journal.created("engagement", id: engagement.id, engagement, by: principal.actor, at: now, in: db)
        for change in moved {
            try change.new.update(db)
            try Journal.changed(
                "engagement",
                id: change.new.id,
                action: "scope-moved",
                from: change.old,
                to: change.new,
                by: principal.actor,
                at: now,
                in: db
            )
        }
        try closeNotChosen(lead, chosen: engagement, by: principal, at: now, in: db)
        var matched = lead
        try matched.markMatched(at: now)
        if matched != lead {
            try matched.update(db)
            try Journal.changed("request", id: lead.id, action: "matched", from: lead, to: matched, by: principal.actor, at: now, in: db)
        }
        return engagement
    }

    /// The request's other accepted referrals that no engagement used, whose whole part now has a
    /// studio in an open engagement, close as `not_chosen` (the studio's polite notice).
    private static func closeNotChosen(_ lead: Lead, chosen: Engagement, by principal: Principal, at now: Date, in db: Database) throws {
        let covered = Set(
            try Engagement.filter(Column("requestId") == lead.id).fetchAll(db).filter(\.status.isOpen).flatMap(\.scope)
        )
        let waiting = try Referral.fetchAll(
            db,
            sql: """
                SELECT * FROM referral WHERE requestId = ? AND status = 'accepted'
                AND id NOT IN (SELECT referralId FROM engagement) ORDER BY rowid
                """,
            arguments: [lead.id]
        )
        let scoped = try waiting.map { (referral: $0, scope: try referralScope($0, of: lead, in: db)) }
        for var referral in ClientChoice.notChosen(scoped, chosen: chosen.referralId, covered: covered) {
            let old = referral
            try referral.closeNotChosen()
            try referral.update(db)
            try Journal.changed("referral", id: referral.id, action: "not-chosen", from: old, to: referral, by: principal.actor, at: now, in: db)
        }
    }

    /// The part of the request a referral offered: its shortlist's scope, or the whole request.
    static func referralScope(_ referral: Referral, of lead: Lead, in db: Database) throws -> [String] {
        guard let shortlistId = referral.shortlistId, let shortlist = try Shortlist.fetchOne(db, key: shortlistId) else {
            return lead.requiredCompetences
        }
        return shortlist.scope
    }

    public func updateEngagement(_ id: String, _ patch: EngagementPatch, ifVersion: Int?, by principal: Principal) async throws -> EngagementRecord {
        try Policy.require(principal, .editEngagement)
        let engagement = try await update(Engagement.self, entity: "engagement", id: id, ifVersion: ifVersion, action: "updated", by: principal) {
            engagement,
            now,
            db in
            let fixLists = try String.fetchAll(db, sql: "SELECT status FROM fixList WHERE engagementId = ?", arguments: [engagement.id]).compactMap(
                FixListStatus.init
            )
            try engagement.apply(patch, fixLists: fixLists, at: now)
        }
        return try await engagementRecord(engagement.id, for: principal)
    }

    public func addAgreement(_ engagementId: String, _ input: AgreementInput, by principal: Principal) async throws -> Agreement {
        try Policy.require(principal, .writeAgreement)
        return try await insertOnOpenEngagement(engagementId, entity: "agreement", by: principal) { engagement, now in
            try Agreement(id: Identifier.make("agr"), engagementId: engagement.id, input: input, by: principal.actor, at: now)
        }
    }

    /// The client or the studio of the agreement's engagement confirms it.
    public func confirmAgreement(_ id: String, by principal: Principal) async throws -> Agreement {
        try Policy.require(principal, .confirmAgreement)
        let now = clock.now()
        return try await transaction { db in
            guard var agreement = try Agreement.fetchOne(db, key: id),
                let engagement = try Engagement.fetchOne(db, key: agreement.engagementId),
                Policy.reaches(principal, .confirmAgreement, engagement.owners)
            else { throw DomainError.notFound(entity: "agreement", id: id) }
            let old = agreement
            try agreement.confirm(by: principal, at: now)
            try agreement.update(db)
            try Journal.changed(
                "agreement",
                id: id,
                action: "confirmed-by-\(principal.role.rawValue)",
                from: old,
                to: agreement,
                by: principal.actor,
                at: now,
                in: db
            )
            return agreement
        }
    }

    public func fulfilAgreement(_ id: String, by principal: Principal) async throws -> Agreement {
        try Policy.require(principal, .fulfilAgreement)
        return try await update(Agreement.self, entity: "agreement", id: id, ifVersion: nil, action: "fulfilled", by: principal) { agreement, now in
            try agreement.fulfil(at: now)
        }
    }

    /// Records a check-in; a low or falling sentiment puts the engagement at risk in the same transaction.
    public func addCheckIn(_ engagementId: String, _ input: CheckInInput, by principal: Principal) async throws -> CheckIn {
        try Policy.require(principal, .recordCheckIn)
        return try await insertOnOpenEngagement(engagementId, entity: "check-in", by: principal) { engagement, now in
            try CheckIn(id: Identifier.make("chk"), engagementId: engagement.id, input: input, by: principal.actor, at: now)
        } after: { checkIn, engagement, now, db in
            let sentiments = try Int.fetchAll(
                db,
                sql: "SELECT clientSentiment FROM checkIn WHERE engagementId = ? ORDER BY heldAt, rowid",
                arguments: [engagement.id]
            )
            var changed = engagement
            if changed.assessRisk(sentiments: sentiments, at: now) {
                try changed.update(db)
                try Journal.changed(
                    "engagement",
                    id: engagement.id,
                    action: "at-risk",
                    from: engagement,
                    to: changed,
                    by: principal.actor,
                    at: now,
                    in: db
                )
            }
        }
    }

    /// Stage feedback, only from the engagement's client.
    public func giveFeedback(_ engagementId: String, _ input: FeedbackInput, by principal: Principal) async throws -> StageFeedback {
        try Policy.require(principal, .giveFeedback)
        let now = clock.now()
        return try await transaction { db in
            guard let engagement = try Engagement.fetchOne(db, key: engagementId), Policy.reaches(principal, .giveFeedback, engagement.owners) else {
                throw DomainError.notFound(entity: "engagement", id: engagementId)
            }
            let given = Set(try String.fetchAll(db, sql: "SELECT stage FROM stageFeedback WHERE engagementId = ?", arguments: [engagementId]))
            try engagement.checkFeedbackStage(input.stage)
            let feedback = try StageFeedback(
                id: Identifier.make("fbk"),
                engagement: engagement,
                input: input,
                by: principal,
                alreadyGiven: given,
                at: now
            )
            try feedback.insert(db)
            try Journal.created("feedback", id: feedback.id, feedback, by: principal.actor, at: now, in: db)
            return feedback
        }
    }

    /// Inserts something written on an open engagement, journaled, in one transaction.
    private func insertOnOpenEngagement<Value: PersistableRecord & Encodable & Identified & Sendable>(
        _ engagementId: String,
        entity: String,
        by principal: Principal,
        make: @Sendable @escaping (Engagement, Date) throws -> Value,
        after: @Sendable @escaping (Value, Engagement, Date, Database) throws -> Void = { _, _, _, _ in }
    ) async throws -> Value {
        let now = clock.now()
        return try await transaction { db in
            guard let engagement = try Engagement.fetchOne(db, key: engagementId) else {
                throw DomainError.notFound(entity: "engagement", id: engagementId)
            }
            guard engagement.status.isOpen else {
                throw DomainError.illegalTransition(entity: "engagement", from: engagement.status.rawValue, action: "take a new \(entity)")
            }
            let value = try make(engagement, now)
            try value.insert(db)
            try Journal.created(entity, id: value.id, value, by: principal.actor, at: now, in: db)
            try after(value, engagement, now, db)
            return value
        }
    }

    /// The accepted referral of this studio for this request that no engagement was started on yet.
    static func unusedAcceptedReferral(requestId: String, studioId: String, in db: Database) throws -> Referral? {
        try Referral.fetchOne(
            db,
            sql: """
                SELECT * FROM referral WHERE requestId = ? AND studioId = ? AND status = 'accepted'
                AND id NOT IN (SELECT referralId FROM engagement) ORDER BY rowid DESC LIMIT 1
                """,
            arguments: [requestId, studioId]
        )
    }

    // MARK: - Reads

    /// Coordinators, the engagement's client and its studio see it; everyone else gets 404.
    public func engagementRecord(_ id: String, for principal: Principal) async throws -> EngagementRecord {
        try Policy.require(principal, .readEngagement)
        let now = clock.now()
        return try await writer.read { db in
            guard let engagement = try Engagement.fetchOne(db, key: id), Policy.reaches(principal, .readEngagement, engagement.owners) else {
                throw DomainError.notFound(entity: "engagement", id: id)
            }
            return EngagementRecord(
                engagement: engagement,
                agreements: try Agreement.filter(Column("engagementId") == id).order(sql: "rowid").fetchAll(db),
                checkIns: try CheckIn.filter(Column("engagementId") == id).order(Column("heldAt")).fetchAll(db),
                feedback: try StageFeedback.filter(Column("engagementId") == id).order(Column("givenAt")).fetchAll(db),
                at: now,
                in: rules.timeZone
            )
        }
    }

    public func engagements(_ filter: EngagementFilter, page: PageRequest, for principal: Principal) async throws -> Page<Engagement> {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        try Self.restrict(&conditions, &arguments, to: principal, for: .listEngagements, studioColumn: "studioId", clientColumn: "clientId")
        if let status = filter.status {
            conditions.append("status = ?")
            _ = arguments.append(contentsOf: [status.rawValue])
        }
        if let requestId = filter.requestId {
            conditions.append("requestId = ?")
            _ = arguments.append(contentsOf: [requestId])
        }
        return try await self.page(Engagement.self, from: "engagement", where: conditions, arguments: arguments, page: page)
    }

    /// Agreements that need attention: unconfirmed, overdue, or both (coordinators).
    public func agreements(overdue: Bool?, unconfirmed: Bool?, page: PageRequest, for principal: Principal) async throws -> Page<AgreementStatusView>
    {
        try Policy.require(principal, .listAgreements)
        let now = clock.now()
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let overdue {
            // A due day is missed once it is over: its date is before today's on the club's clock.
            conditions.append(overdue ? "(fulfilledAt IS NULL AND due < ?)" : "NOT (fulfilledAt IS NULL AND due < ?)")
            _ = arguments.append(contentsOf: [rules.today(at: now)])
        }
        if let unconfirmed {
            conditions.append(
                unconfirmed
                    ? "(clientConfirmation IS NULL OR studioConfirmation IS NULL)"
                    : "(clientConfirmation IS NOT NULL AND studioConfirmation IS NOT NULL)"
            )
        }
        let found = try await self.page(Agreement.self, from: "agreement", where: conditions, arguments: arguments, page: page)
        return Page(
            items: found.items.map {
                AgreementStatusView(agreement: $0, confirmed: $0.isConfirmed, overdue: $0.isOverdue(at: now, in: rules.timeZone))
            },
            nextCursor: found.nextCursor
        )
    }
}
