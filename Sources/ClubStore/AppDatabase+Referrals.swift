import ClubCore
import Foundation
import GRDB

/// Filters of `GET /v1/referrals`.
public struct ReferralFilter: Sendable {
    public var requestId: String?
    public var status: ReferralStatus?

    public init(requestId: String? = nil, status: ReferralStatus? = nil) {
        self.requestId = requestId
        self.status = status
    }
}

extension AppDatabase {
    // MARK: - Writes

    /// Offers a shortlisted request to the chosen studios.
    /// One referral, for the club or the studio it was offered to; anyone else is told it does
    /// not exist (DESIGN §2).
    public func referral(_ id: String, for principal: Principal) async throws -> Referral {
        try Policy.require(principal, .listReferrals)
        return try await writer.read { db in
            guard let referral = try Referral.fetchOne(db, key: id),
                Policy.reaches(principal, .listReferrals, Ownership(studioIds: [referral.studioId]))
            else { throw DomainError.notFound(entity: "referral", id: id) }
            return referral
        }
    }

    public func offerReferrals(_ requestId: String, _ offer: ReferralOffer, by principal: Principal) async throws -> [Referral] {
        try Policy.require(principal, .offerReferrals)
        var validator = Validator()
        let studioIds = validator.textList(offer.studioIds, "studioIds", maxCount: 20, allowEmpty: false)
        try validator.finish()
        let rules = rules
        let now = clock.now()
        return try await transaction { db in
            guard let lead = try Lead.fetchOne(db, key: requestId) else { throw DomainError.notFound(entity: "request", id: requestId) }
            guard lead.status == .shortlisted || lead.status == .matched else {
                throw DomainError.illegalTransition(
                    entity: "request",
                    from: lead.status.rawValue,
                    action: "be offered to studios (shortlist it first)"
                )
            }
            let shortlistId = try String.fetchOne(
                db,
                sql: "SELECT id FROM shortlist WHERE requestId = ? ORDER BY rowid DESC LIMIT 1",
                arguments: [requestId]
            )
            let declined = try Self.declinedStudios(for: requestId, in: db)
            var offered: [Referral] = []
            for (index, studioId) in studioIds.enumerated() {
                guard let studio = try Self.matchCandidate(studioId, in: db) else {
                    throw DomainError.invalid("studioIds[\(index)]", "no studio has id '\(studioId)'")
                }
                try Self.checkOfferable(studio, requestId: requestId, declined: declined, in: db)
                let referral = Referral(
                    id: Identifier.make("ref"),
                    requestId: requestId,
                    studioId: studioId,
                    shortlistId: shortlistId,
                    offeredBy: principal.name,
                    answerHours: rules.referralAnswerHours,
                    at: now
                )
                try referral.insert(db)
                try Journal.created("referral", id: referral.id, referral, by: principal.actor, at: now, in: db)
                offered.append(referral)
            }
            return offered
        }
    }

    /// The studio's answer; a decline hands the request on to the next shortlisted studio at once.
    public func answerReferral(_ id: String, _ answer: ReferralAnswer, by principal: Principal) async throws -> Referral {
        try Policy.require(principal, .answerReferral)
        let rules = rules
        let now = clock.now()
        return try await transaction { db in
            guard var referral = try Referral.fetchOne(db, key: id),
                Policy.reaches(principal, .answerReferral, Ownership(studioIds: [referral.studioId]))
            else {
                throw DomainError.notFound(entity: "referral", id: id)
            }
            if let lead = try Lead.fetchOne(db, key: referral.requestId), !lead.status.isOpen {
                throw DomainError.ruleBroken(
                    .referralNotOpen,
                    detail: "the request was \(lead.status.rawValue); its referrals can no longer be answered"
                )
            }
            let old = referral
            try referral.answer(answer, at: now)
            try referral.update(db)
            try Journal.changed(
                "referral",
                id: id,
                action: answer.accept ? "accepted" : "declined",
                from: old,
                to: referral,
                by: principal.actor,
                at: now,
                in: db
            )
            if !answer.accept { try Self.handOver(from: referral, rules: rules, at: now, in: db) }
            return referral
        }
    }

    /// Expires every offer past its deadline and hands each on; returns how many expired. Run by
    /// the daemon's referral service, and by tests with a clock they move.
    @discardableResult
    public func expireOverdueReferrals() async throws -> Int {
        let rules = rules
        let now = clock.now()
        return try await transaction { db in
            let overdue = try Referral.filter(Column("status") == ReferralStatus.offered.rawValue && Column("dueAt") <= now).order(Column("dueAt"))
                .fetchAll(db)
            for var referral in overdue {
                let old = referral
                try referral.expire(at: now)
                try referral.update(db)
                try Journal.changed("referral", id: referral.id, action: "expired", from: old, to: referral, by: .system, at: now, in: db)
                try Self.handOver(from: referral, rules: rules, at: now, in: db)
            }
            return overdue.count
        }
    }

    /// Offers the request to the best-ranked studio of the same shortlist not yet asked, if the
    /// request is still open and one is eligible.
    static func handOver(from referral: Referral, rules: ClubRules, at now: Date, in db: Database) throws {
        guard let lead = try Lead.fetchOne(db, key: referral.requestId), lead.status.isOpen,
            let shortlistId = referral.shortlistId, let shortlist = try Shortlist.fetchOne(db, key: shortlistId)
        else { return }
        // Another studio of the same shortlist already said yes: the request is not left waiting.
        let acceptedElsewhere = try Referral.filter(Column("shortlistId") == shortlistId && Column("status") == ReferralStatus.accepted.rawValue)
            .fetchCount(db)
        guard acceptedElsewhere == 0 else { return }
        let asked = Set(try String.fetchAll(db, sql: "SELECT studioId FROM referral WHERE requestId = ?", arguments: [lead.id]))
        let declined = try declinedStudios(for: lead.id, in: db)
        var eligibility: [String: Bool] = [:]
        for candidate in shortlist.candidates where !asked.contains(candidate.studioId) {
            let studio = try matchCandidate(candidate.studioId, in: db)
            eligibility[candidate.studioId] = studio.map { (try? checkOfferable($0, requestId: lead.id, declined: declined, in: db)) != nil } ?? false
        }
        guard let next = shortlist.nextCandidate(alreadyAsked: asked, eligible: { eligibility[$0] == true }) else { return }
        let handed = Referral(
            id: Identifier.make("ref"),
            requestId: lead.id,
            studioId: next,
            shortlistId: shortlistId,
            offeredBy: Actor.system.name,
            handedOverFrom: referral.id,
            answerHours: rules.referralAnswerHours,
            at: now
        )
        try handed.insert(db)
        try Journal.created("referral", id: handed.id, handed, by: .system, at: now, in: db)
    }

    /// A studio may be offered a request when it is active, has free capacity, never declined it,
    /// and has no open offer for it, nor an accepted one that no engagement was started on yet.
    static func checkOfferable(_ studio: MatchCandidate, requestId: String, declined: Set<String>, in db: Database) throws {
        guard studio.status == .active else {
            throw DomainError.ruleBroken(.studioNotActive, detail: "studio \(studio.studioId) is \(studio.status.rawValue)")
        }
        guard studio.freeCapacity > 0 else {
            throw DomainError.ruleBroken(.noFreeCapacity, detail: "studio \(studio.studioId) has no free capacity")
        }
        guard !declined.contains(studio.studioId) else {
            throw DomainError.ruleBroken(
                .studioDeclinedBefore,
                detail: "studio \(studio.studioId) declined this request and is never offered it again"
            )
        }
        let open = try Referral.filter(Column("requestId") == requestId && Column("studioId") == studio.studioId && Column("status") == "offered")
            .fetchCount(db)
        let unused = try unusedAcceptedReferral(requestId: requestId, studioId: studio.studioId, in: db)
        guard open == 0, unused == nil else {
            throw DomainError.ruleBroken(
                .referralAlreadyOffered,
                detail: "studio \(studio.studioId) already has an open or accepted offer for this request"
            )
        }
    }

    // MARK: - Reads

    /// Coordinators see every referral; a studio only its own.
    public func referrals(_ filter: ReferralFilter, page: PageRequest, for principal: Principal) async throws -> Page<Referral> {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        try Self.restrict(&conditions, &arguments, to: principal, for: .listReferrals, studioColumn: "studioId")
        if let requestId = filter.requestId {
            conditions.append("requestId = ?")
            _ = arguments.append(contentsOf: [requestId])
        }
        if let status = filter.status {
            conditions.append("status = ?")
            _ = arguments.append(contentsOf: [status.rawValue])
        }
        return try await self.page(Referral.self, from: "referral", where: conditions, arguments: arguments, page: page)
    }

    /// Offers still unanswered past their deadline (before the service expires them).
    public func overdueReferralCount() async throws -> Int {
        let now = clock.now()
        return try await writer.read { db in
            try Referral.filter(Column("status") == ReferralStatus.offered.rawValue && Column("dueAt") <= now).fetchCount(db)
        }
    }
}
