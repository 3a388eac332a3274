import Foundation

/// The way into the console (DESIGN §9): a link with a 256-bit token, shown once to whoever
/// invited the person, stored only as its hash, valid for seven days and good for one use, in
/// which the person chooses a password. A newer invitation withdraws the older ones.
public struct Invitation: Codable, Sendable, Equatable {
    public static let lifetimeDays = 7
    public static var lifetime: TimeInterval { Double(lifetimeDays) * 24 * 3600 }

    /// Where the link leads, below the daemon's public address.
    public static func path(token: String) -> String { "/invitations/\(token)" }

    /// What became of an invitation.
    public enum State: String, Sendable {
        case open
        case used
        case withdrawn
        case expired
    }

    public let id: String
    public let personId: String
    public let createdAt: Date
    public let createdBy: String
    public let expiresAt: Date
    public private(set) var usedAt: Date?
    public private(set) var withdrawnAt: Date?

    public init(id: String, personId: String, by actor: Actor, at now: Date) {
        self.id = id
        self.personId = personId
        self.createdAt = now
        self.createdBy = actor.name
        self.expiresAt = now.addingTimeInterval(Self.lifetime)
        self.usedAt = nil
        self.withdrawnAt = nil
    }

    /// Used and withdrawn are for good; otherwise an invitation is open until the instant it
    /// expires.
    public func state(at now: Date) -> State {
        if usedAt != nil { return .used }
        if withdrawnAt != nil { return .withdrawn }
        return now < expiresAt ? .open : .expired
    }

    public func isUsable(at now: Date) -> Bool { state(at: now) == .open }

    /// The person chose a password through it: it is used up.
    public mutating func accept(at now: Date) throws {
        let state = state(at: now)
        guard state == .open else { throw DomainError.illegalTransition(entity: "invitation", from: state.rawValue, action: "be accepted") }
        usedAt = now
    }

    /// A newer invitation, or deactivation, withdraws every invitation not used yet (an expired
    /// one too, so that none is left dangling); one used or withdrawn stays as it is. Returns
    /// whether anything changed.
    @discardableResult
    public mutating func withdraw(at now: Date) -> Bool {
        guard usedAt == nil, withdrawnAt == nil else { return false }
        withdrawnAt = now
        return true
    }
}
