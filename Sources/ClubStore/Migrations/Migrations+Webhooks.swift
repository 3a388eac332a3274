import GRDB

extension Migrations {
    /// Webhook endpoints, their deliveries and each delivery's attempts (DESIGN §10).
    static func v17Webhooks(_ db: Database) throws {
        try db.create(table: "webhook") { t in
            // The columns of `Webhook`, which is journaled whole...
            t.primaryKey("id", .text)
            t.column("url", .text).notNull()
            t.column("events", .text).notNull()  // JSON array of event kinds
            t.column("description", .text)
            t.column("status", .text).notNull()
            t.column("disabledReason", .text)
            t.column("failingSince", .datetime)
            t.column("secretRotatedAt", .datetime)
            t.column("createdAt", .datetime).notNull()
            t.column("createdBy", .text).notNull()
            t.column("version", .integer).notNull()
            // ...and the signing secrets beside it, never in the record, the journal or an answer after creation.
            // Written by the same transaction right after the insert, hence nullable.
            t.column("secret", .text)
            t.column("previousSecret", .text)
            t.column("previousSecretUntil", .datetime)
        }
        try db.create(table: "webhookDelivery") { t in
            t.primaryKey("id", .text)
            t.column("webhookId", .text).notNull().references("webhook", onDelete: .cascade)
            // The `webhook-id` header: the outbox event's id, the same on every attempt.
            t.column("messageId", .text).notNull()
            t.column("eventType", .text).notNull()
            t.column("entityType", .text).notNull()
            t.column("entityId", .text).notNull()
            t.column("engagementId", .text)
            t.column("path", .text).notNull()
            t.column("eventAt", .datetime).notNull()
            // The body as first sent, so that every retry sends the very same bytes.
            t.column("payload", .text)
            t.column("status", .text).notNull()  // pending | delivered | failed
            t.column("attemptCount", .integer).notNull().defaults(to: 0)
            t.column("nextAttemptAt", .datetime)
            t.column("createdAt", .datetime).notNull()
            t.column("deliveredAt", .datetime)
            t.uniqueKey(["webhookId", "messageId"])
        }
        try db.create(index: "webhookDelivery_due", on: "webhookDelivery", columns: ["status", "nextAttemptAt"])
        try db.create(table: "webhookAttempt") { t in
            t.autoIncrementedPrimaryKey("seq")
            t.column("deliveryId", .text).notNull().references("webhookDelivery", onDelete: .cascade).indexed()
            t.column("at", .datetime).notNull()
            t.column("statusCode", .integer)
            t.column("durationMs", .integer).notNull()
            t.column("responseHead", .text)
            t.column("error", .text)
        }
    }
}
