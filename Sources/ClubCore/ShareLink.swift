import Foundation

/// A read-only capability link to one fix list, for the client's browser: expiring and revocable.
/// The token is shown once; only its hash is stored.
public struct ShareLink: Codable, Sendable, Equatable {
    public static let maxLifetimeDays = 180
    public static let defaultLifetimeDays = 30

    public let id: String
    public let fixListId: String
    public let expiresAt: Date
    public let createdAt: Date
    public let createdBy: String
    public private(set) var revokedAt: Date?

    public init(id: String, fixListId: String, input: ShareLinkInput, by actor: Actor, at now: Date) throws {
        let expiresAt = input.expiresAt ?? now.addingTimeInterval(Double(Self.defaultLifetimeDays) * 24 * 3600)
        guard expiresAt > now, expiresAt <= now.addingTimeInterval(Double(Self.maxLifetimeDays) * 24 * 3600) else {
            throw DomainError.ruleBroken(.shareLinkExpiry, detail: "expiresAt must be in the future and at most \(Self.maxLifetimeDays) days away")
        }
        self.id = id
        self.fixListId = fixListId
        self.expiresAt = expiresAt
        self.createdAt = now
        self.createdBy = actor.name
        self.revokedAt = nil
    }

    public mutating func revoke(at now: Date) throws {
        guard revokedAt == nil else { throw DomainError.illegalTransition(entity: "share link", from: "revoked", action: "be revoked") }
        revokedAt = now
    }

    /// A link opens the page only while it is neither revoked nor expired.
    public func isUsable(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }
}

/// Input of `POST /v1/fix-lists/{id}/share-links`.
public struct ShareLinkInput: Codable, Sendable {
    public let expiresAt: Date?

    public init(expiresAt: Date? = nil) {
        self.expiresAt = expiresAt
    }
}
