import Foundation

/// Who owes what an agreement names.
public enum AgreementOwner: String, Codable, Sendable, CaseIterable {
    case club
    case client
    case studio
}

/// One side's confirmation: who and when.
public struct Confirmation: Codable, Sendable, Equatable {
    public let by: String
    public let at: Date
}

/// An agreement in writing on an engagement: what, who owes it, by when, and what happens if it
/// is missed; confirmed by the client and by the studio.
public struct Agreement: Codable, Sendable, Equatable {
    public let id: String
    public let engagementId: String
    public let what: String
    public let owner: AgreementOwner
    public let due: Day
    public let consequence: String
    public private(set) var clientConfirmation: Confirmation?
    public private(set) var studioConfirmation: Confirmation?
    public private(set) var fulfilledAt: Date?
    public let createdAt: Date
    public let createdBy: String
    public private(set) var version: Int
    /// The club's own note on the agreement (internal).
    public let internalNote: String?

    public init(id: String, engagementId: String, input: AgreementInput, by actor: Actor, at now: Date) throws {
        var validator = Validator()
        let what = validator.text(input.what, "what", maxLength: Limits.longText)
        let consequence = validator.text(input.consequence, "consequence", maxLength: Limits.longText)
        let internalNote = validator.internalNote(input.internalNote)
        try validator.finish()
        self.id = id
        self.engagementId = engagementId
        self.what = what
        self.owner = input.owner
        self.due = input.due
        self.consequence = consequence
        self.clientConfirmation = nil
        self.studioConfirmation = nil
        self.fulfilledAt = nil
        self.createdAt = now
        self.createdBy = actor.name
        self.version = 1
        self.internalNote = internalNote
    }

    /// The client or the studio of the engagement confirms; each side once.
    public mutating func confirm(by principal: Principal, at now: Date) throws {
        switch principal.role {
        case .client:
            guard clientConfirmation == nil else {
                throw DomainError.ruleBroken(.alreadyConfirmed, detail: "the client already confirmed this agreement")
            }
            clientConfirmation = Confirmation(by: principal.name, at: now)
        case .studio:
            guard studioConfirmation == nil else {
                throw DomainError.ruleBroken(.alreadyConfirmed, detail: "the studio already confirmed this agreement")
            }
            studioConfirmation = Confirmation(by: principal.name, at: now)
        case .coordinator:
            throw DomainError.forbidden("only the engagement's client and studio confirm an agreement")
        }
        version += 1
    }

    /// The coordinator records that what was agreed was done.
    public mutating func fulfil(at now: Date) throws {
        guard fulfilledAt == nil else {
            throw DomainError.illegalTransition(entity: "agreement", from: "fulfilled", action: "be fulfilled again")
        }
        fulfilledAt = now
        version += 1
    }

    public var isConfirmed: Bool { clientConfirmation != nil && studioConfirmation != nil }

    public func isOverdue(at now: Date, in zone: TimeZone) -> Bool { fulfilledAt == nil && due.hasPassed(at: now, in: zone) }
}

/// Input of `POST /v1/engagements/{id}/agreements`.
public struct AgreementInput: Codable, Sendable {
    public let what: String
    public let owner: AgreementOwner
    public let due: Day
    public let consequence: String
    /// The club's own note (internal).
    public let internalNote: String?

    public init(what: String, owner: AgreementOwner, due: Day, consequence: String, internalNote: String? = nil) {
        self.what = what
        self.owner = owner
        self.due = due
        self.consequence = consequence
        self.internalNote = internalNote
    }
}
