import Foundation

/// Parting with a client on an engagement: why, and who decided. The engagement ends
/// (`terminated`) and its studio's capacity is freed.
public struct EngagementExit: Codable, Sendable, Equatable {
    public let id: String
    public let engagementId: String
    public let clientId: String
    public let reason: String
    public let decidedBy: String
    public let decidedAt: Date
    /// The club's own note on the parting (internal).
    public let internalNote: String?

    public init(id: String, engagement: Engagement, input: ExitInput, by actor: Actor, at now: Date) throws {
        var validator = Validator()
        let reason = validator.text(input.reason, "reason", maxLength: Limits.longText)
        let decidedBy = validator.optionalText(input.decidedBy, "decidedBy", maxLength: Limits.shortText)
        let internalNote = validator.internalNote(input.internalNote)
        try validator.finish()
        self.id = id
        self.engagementId = engagement.id
        self.clientId = engagement.clientId
        self.reason = reason
        self.decidedBy = decidedBy ?? actor.name
        self.decidedAt = now
        self.internalNote = internalNote
    }
}

/// `offered → accepted | declined | expired`.
public enum ConsultingOfferStatus: String, Codable, Sendable, CaseIterable {
    case offered
    case accepted
    case declined
    case expired
}

/// Free consulting sessions offered on exit, so that the client's loyalty survives the parting.
public struct ConsultingOffer: Codable, Sendable, Equatable {
    public let id: String
    public let exitId: String
    public let clientId: String
    public let sessions: Int
    public let validUntil: Date
    public private(set) var status: ConsultingOfferStatus
    public private(set) var answeredAt: Date?
    public let offeredBy: String
    public let offeredAt: Date
    public private(set) var version: Int

    public init(id: String, exit: EngagementExit, input: ConsultingOfferInput, by actor: Actor, at now: Date) throws {
        var validator = Validator()
        validator.check((1...20).contains(input.sessions), "sessions", "must be from 1 to 20")
        validator.check(input.validUntil > now, "validUntil", "must be in the future")
        try validator.finish()
        self.id = id
        self.exitId = exit.id
        self.clientId = exit.clientId
        self.sessions = input.sessions
        self.validUntil = input.validUntil
        self.status = .offered
        self.offeredBy = actor.name
        self.offeredAt = now
        self.version = 1
    }

    /// The status as of `now`: an unanswered offer past its date has expired.
    public func currentStatus(at now: Date) -> ConsultingOfferStatus {
        status == .offered && now >= validUntil ? .expired : status
    }

    /// The offer as it stands at `now`: an unanswered offer past its date reads `expired`.
    public func asOf(_ now: Date) -> ConsultingOffer {
        var offer = self
        offer.status = currentStatus(at: now)
        return offer
    }

    /// The client accepts or declines, while the offer is open.
    public mutating func answer(accept: Bool, by principal: Principal, at now: Date) throws {
        try Policy.require(principal, .answerConsultingOffer)
        guard currentStatus(at: now) == .offered else {
            throw DomainError.ruleBroken(
                .consultingOfferClosed,
                detail: "the offer is \(currentStatus(at: now).rawValue) and can no longer be answered"
            )
        }
        status = accept ? .accepted : .declined
        answeredAt = now
        version += 1
    }

    /// A session is scheduled only on an accepted offer, before it expires, and never beyond the
    /// number of sessions offered (cancelled ones do not count).
    public func checkScheduling(at when: Date, activeSessions: Int, now: Date) throws {
        guard status == .accepted else {
            throw DomainError.ruleBroken(
                .consultingOfferClosed,
                detail: "sessions are scheduled only on an accepted offer; this one is \(currentStatus(at: now).rawValue)"
            )
        }
        guard now < validUntil, when <= validUntil else {
            throw DomainError.ruleBroken(
                .consultingOfferClosed,
                detail: "the offer is valid until \(RFC3339.string(from: validUntil)); no session after that"
            )
        }
        guard activeSessions < sessions else {
            throw DomainError.ruleBroken(.consultingSessionsExhausted, detail: "all \(sessions) offered sessions are already scheduled or held")
        }
    }
}

/// `scheduled → held | cancelled`.
public enum ConsultingSessionStatus: String, Codable, Sendable, CaseIterable {
    case scheduled
    case held
    case cancelled
}

public struct ConsultingSession: Codable, Sendable, Equatable {
    public let id: String
    public let offerId: String
    public let scheduledAt: Date
    public let topic: String?
    public private(set) var status: ConsultingSessionStatus
    public private(set) var notes: String?
    public private(set) var version: Int

    public init(id: String, offer: ConsultingOffer, input: ConsultingSessionInput, activeSessions: Int, at now: Date) throws {
        try offer.checkScheduling(at: input.scheduledAt, activeSessions: activeSessions, now: now)
        var validator = Validator()
        let topic = validator.optionalText(input.topic, "topic")
        try validator.finish()
        self.id = id
        self.offerId = offer.id
        self.scheduledAt = input.scheduledAt
        self.topic = topic
        self.status = .scheduled
        self.notes = nil
        self.version = 1
    }

    /// Marks the session held or cancelled; it is final either way. A session is held only once
    /// its time has come.
    public mutating func apply(_ patch: ConsultingSessionPatch, at now: Date) throws {
        guard status == .scheduled else {
            throw DomainError.illegalTransition(entity: "consulting session", from: status.rawValue, action: "change")
        }
        guard patch.status != .scheduled else {
            throw DomainError.invalid("status", "must be held or cancelled")
        }
        if patch.status == .held, now < scheduledAt {
            throw DomainError.illegalTransition(
                entity: "consulting session",
                from: "scheduled for \(RFC3339.string(from: scheduledAt))",
                action: "be held before its time"
            )
        }
        var validator = Validator()
        notes = validator.optionalText(patch.notes, "notes")
        try validator.finish()
        status = patch.status
        version += 1
    }
}

extension EngagementExit: Identified {}
extension ConsultingOffer: Identified, Versioned {}
extension ConsultingSession: Identified, Versioned {}

/// Input of `POST /v1/engagements/{id}/exit`.
public struct ExitInput: Codable, Sendable {
    public let reason: String
    /// Who decided, when not the caller (e.g. "the club's board").
    public let decidedBy: String?
    /// The club's own note (internal).
    public let internalNote: String?

    public init(reason: String, decidedBy: String? = nil, internalNote: String? = nil) {
        self.reason = reason
        self.decidedBy = decidedBy
        self.internalNote = internalNote
    }
}

/// Input of `POST /v1/exits/{id}/offer`.
public struct ConsultingOfferInput: Codable, Sendable {
    public let sessions: Int
    public let validUntil: Date

    public init(sessions: Int, validUntil: Date) {
        self.sessions = sessions
        self.validUntil = validUntil
    }
}

/// Input of `POST /v1/consulting-offers/{id}/answer`.
public struct ConsultingAnswer: Codable, Sendable {
    public let accept: Bool

    public init(accept: Bool) {
        self.accept = accept
    }
}

/// Input of `POST /v1/consulting-offers/{id}/sessions`.
public struct ConsultingSessionInput: Codable, Sendable {
    public let scheduledAt: Date
    public let topic: String?

    public init(scheduledAt: Date, topic: String? = nil) {
        self.scheduledAt = scheduledAt
        self.topic = topic
    }
}

/// Input of `PATCH /v1/consulting-sessions/{id}`.
public struct ConsultingSessionPatch: Codable, Sendable {
    public let status: ConsultingSessionStatus
    public let notes: String?

    public init(status: ConsultingSessionStatus, notes: String? = nil) {
        self.status = status
        self.notes = notes
    }
}
