import Foundation

/// How long a console session lasts (DESIGN §9): it ends after `idleHours` without a request,
/// and in any case `absoluteDays` after sign-in. From the configuration (`sessions.idleHours`,
/// `sessions.absoluteDays`).
public struct SessionRules: Sendable, Equatable {
    public var idleHours: Int
    public var absoluteDays: Int

    public init(idleHours: Int = 12, absoluteDays: Int = 14) {
        self.idleHours = idleHours
        self.absoluteDays = absoluteDays
    }

    public var idleTimeout: TimeInterval { Double(idleHours) * 3600 }
    public var absoluteLifetime: TimeInterval { Double(absoluteDays) * 24 * 3600 }
}

/// One signed-in browser. The store keeps it under the SHA-256 of its secret (the cookie's
/// value), never the secret itself.
public struct Session: Codable, Sendable, Equatable {
    /// A session seen again within this long is not written again: a page and its assets do
    /// not make a write each, and the idle expiry is off by at most this much.
    public static let refreshInterval: TimeInterval = 60

    public let personId: String
    public let createdAt: Date
    public private(set) var lastSeenAt: Date
    /// The absolute end, fixed at sign-in.
    public let expiresAt: Date

    public init(personId: String, at now: Date, rules: SessionRules) {
        self.personId = personId
        self.createdAt = now
        self.lastSeenAt = now
        self.expiresAt = now.addingTimeInterval(rules.absoluteLifetime)
    }

    /// Live until its absolute end and while it was seen within the idle timeout (the current
    /// one: lowering `sessions.idleHours` shortens open sessions too).
    public func isLive(at now: Date, rules: SessionRules) -> Bool {
        now < expiresAt && now < lastSeenAt.addingTimeInterval(rules.idleTimeout)
    }

    /// Marks the session seen at `now`; returns whether that is worth writing down.
    public mutating func seen(at now: Date) -> Bool {
        guard now.timeIntervalSince(lastSeenAt) >= Self.refreshInterval else { return false }
        lastSeenAt = now
        return true
    }
}
