import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    // MARK: - Writes

    /// Parting with the client: the exit is recorded and the engagement terminated (capacity freed).
    public func exitEngagement(_ engagementId: String, _ input: ExitInput, by principal: Principal) async throws -> EngagementExit {
        try Policy.require(principal, .exitEngagement)
        let now = clock.now()
        return try await transaction { db in
            guard var engagement = try Engagement.fetchOne(db, key: engagementId) else {
                throw DomainError.notFound(entity: "engagement", id: engagementId)
            }
            let exit = try EngagementExit(id: Identifier.make("ext"), engagement: engagement, input: input, by: principal.actor, at: now)
            let before = engagement
            try engagement.terminate(at: now)
            try engagement.update(db)
            try Journal.changed(
                "engagement",
                id: engagement.id,
                action: "terminated",
                from: before,
                to: engagement,
                by: principal.actor,
                at: now,
                in: db
            )
            try exit.insert(db)
            try Journal.created("exit", id: exit.id, exit, by: principal.actor, at: now, in: db)
            return exit
        }
    }

    public func offerConsulting(_ exitId: String, _ input: ConsultingOfferInput, by principal: Principal) async throws -> ConsultingOffer {
        try Policy.require(principal, .offerConsulting)
        let now = clock.now()
        return try await transaction { db in
            guard let exit = try EngagementExit.fetchOne(db, key: exitId) else { throw DomainError.notFound(entity: "exit", id: exitId) }
            let offer = try ConsultingOffer(id: Identifier.make("cof"), exit: exit, input: input, by: principal.actor, at: now)
            try offer.insert(db)
            try Journal.created("consulting-offer", id: offer.id, offer, by: principal.actor, at: now, in: db)
            return offer
        }
    }

    /// The client accepts or declines its offer.
    public func answerConsultingOffer(_ offerId: String, _ answer: ConsultingAnswer, by principal: Principal) async throws -> ConsultingOffer {
        try Policy.require(principal, .answerConsultingOffer)
        let now = clock.now()
        return try await transaction { db in
            guard var offer = try ConsultingOffer.fetchOne(db, key: offerId), Policy.reaches(principal, .answerConsultingOffer, offer.owners) else {
                throw DomainError.notFound(entity: "consulting offer", id: offerId)
            }
            let old = offer
            try offer.answer(accept: answer.accept, by: principal, at: now)
            try offer.update(db)
            try Journal.changed(
                "consulting-offer",
                id: offerId,
                action: answer.accept ? "accepted" : "declined",
                from: old,
                to: offer,
                by: principal.actor,
                at: now,
                in: db
            )
            return offer
        }
    }

    public func scheduleSession(_ offerId: String, _ input: ConsultingSessionInput, by principal: Principal) async throws -> ConsultingSession {
        try Policy.require(principal, .scheduleSession)
        let now = clock.now()
        return try await transaction { db in
            guard let offer = try ConsultingOffer.fetchOne(db, key: offerId) else {
                throw DomainError.notFound(entity: "consulting offer", id: offerId)
            }
            let active = try ConsultingSession.filter(Column("offerId") == offerId && Column("status") != ConsultingSessionStatus.cancelled.rawValue)
                .fetchCount(db)
            let session = try ConsultingSession(id: Identifier.make("ses"), offer: offer, input: input, activeSessions: active, at: now)
            try session.insert(db)
            try Journal.created("consulting-session", id: session.id, session, by: principal.actor, at: now, in: db)
            return session
        }
    }

    public func updateSession(_ id: String, _ patch: ConsultingSessionPatch, by principal: Principal) async throws -> ConsultingSession {
        try Policy.require(principal, .markSession)
        return try await update(
            ConsultingSession.self,
            entity: "consulting-session",
            id: id,
            ifVersion: nil,
            action: patch.status.rawValue,
            by: principal
        ) { session, now in
            try session.apply(patch, at: now)
        }
    }

    // MARK: - Reads

    /// Coordinators and the offer's client; the status reads `expired` once the date has passed.
    public func consultingOffer(_ id: String, for principal: Principal) async throws -> ConsultingOffer {
        try Policy.require(principal, .readConsultingOffer)
        let offer = try await writer.read { db in try ConsultingOffer.fetchOne(db, key: id) }
        guard let offer, Policy.reaches(principal, .readConsultingOffer, offer.owners) else {
            throw DomainError.notFound(entity: "consulting offer", id: id)
        }
        return offer.asOf(clock.now())
    }

    public func sessions(ofOffer offerId: String, for principal: Principal) async throws -> [ConsultingSession] {
        _ = try await consultingOffer(offerId, for: principal)
        return try await writer.read { db in try ConsultingSession.filter(Column("offerId") == offerId).order(Column("scheduledAt")).fetchAll(db) }
    }
}
