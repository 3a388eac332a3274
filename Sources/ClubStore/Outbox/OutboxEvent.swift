import ClubCore
import Foundation

/// One thing that happened which someone must hear of (DESIGN §10), raised inside the write
/// transaction of the change that caused it (or of the service's pass that noticed a moment, for
/// the time-based kinds). The outbox turns it into a notification per person concerned and a
/// webhook delivery per endpoint that wants its kind, in that same transaction.
public struct OutboxEvent: Sendable, Equatable {
    /// Unique per event; a webhook delivery's `webhook-id` is derived from it, so the same event
    /// is always the same message to a receiver.
    public let id: String
    public let kind: NotificationKind
    /// The object it is about, as the journal names it (`referral`, `fix-item`, …) and its id.
    public let entityType: String
    public let entityId: String
    /// The engagement it belongs to, when there is one.
    public let engagementId: String?
    /// The object's page in the console, relative to the club's public address (`/fix-items/fit_…`).
    public let path: String
    public let at: Date

    public init(id: String, kind: NotificationKind, entityType: String, entityId: String, engagementId: String?, path: String, at: Date) {
        self.id = id
        self.kind = kind
        self.entityType = entityType
        self.entityId = entityId
        self.engagementId = engagementId
        self.path = path
        self.at = at
    }
}
