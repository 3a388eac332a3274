import Foundation

/// One entry of the club's tamper-evident history. `hash` is the SHA-256 of this event's
/// canonical form, which includes `previousHash`, so altering any event breaks every later link.
public struct JournalEvent: Codable, Sendable, Equatable {
    public let seq: Int64
    public let id: String
    public let at: Date
    public let actor: Actor
    public let entityType: String
    public let entityId: String
    public let action: String
    /// The changed fields before the change (JSON object text; `{}` on creation).
    public let before: String
    /// The changed fields after the change (JSON object text).
    public let after: String
    public let previousHash: String
    public let hash: String

    public init(
        seq: Int64,
        id: String,
        at: Date,
        actor: Actor,
        entityType: String,
        entityId: String,
        action: String,
        before: String,
        after: String,
        previousHash: String,
        hash: String
    ) {
        self.seq = seq
        self.id = id
        self.at = at
        self.actor = actor
        self.entityType = entityType
        self.entityId = entityId
        self.action = action
        self.before = before
        self.after = after
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The hash that precedes the first event.
    public static let genesisHash = String(repeating: "0", count: 64)
}
