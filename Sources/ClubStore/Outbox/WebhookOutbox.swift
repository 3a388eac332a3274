import ClubCore
import GRDB

/// The webhook side of the outbox: one delivery per active endpoint subscribed to the event's
/// kind, written in the caller's transaction (DESIGN §10).
enum WebhookOutbox {
    /// Called by the outbox once per event, inside the write transaction that raised it. The
    /// event's id is the delivery's `webhook-id`; an event enqueued twice is one delivery.
    static func enqueue(_ event: OutboxEvent, in db: Database) throws {
        let endpoints = try Webhook.fetchAll(db.cachedStatement(sql: "SELECT * FROM webhook WHERE status = 'active' ORDER BY rowid"))
        for endpoint in endpoints where endpoint.wants(event.kind) {
            try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO webhookDelivery (id, webhookId, messageId, eventType, entityType, entityId, engagementId,
                        path, eventAt, status, attemptCount, nextAttemptAt, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
                    """
            ).execute(
                arguments: [
                    Identifier.make("whd"), endpoint.id, event.id, event.kind.rawValue, event.entityType, event.entityId,
                    event.engagementId, event.path, event.at, event.at, event.at,
                ]
            )
        }
    }
}
