import GRDB

extension Migrations {
    /// The outbox's notifications, one per person concerned, and each person's choices
    /// (docs/design.md §10).
    static func v16Notifications(_ db: Database) throws {
        try db.create(table: "notification") { t in
            t.primaryKey("id", .text)
            t.column("eventId", .text).notNull().indexed()
            t.column("kind", .text).notNull()
            t.column("personId", .text).notNull().references("person")
            t.column("entityType", .text).notNull()
            t.column("entityId", .text).notNull()
            t.column("engagementId", .text)
            t.column("path", .text).notNull()
            t.column("createdAt", .datetime).notNull()
            // The person's choice when it was raised: immediately, digest or never.
            t.column("choice", .text).notNull()
            // pending → sent | failed; `held` for the digest or for no relay, `skipped` for never.
            t.column("mailStatus", .text).notNull()
            t.column("attempts", .integer).notNull().defaults(to: 0)
            t.column("nextAttemptAt", .datetime)
            t.column("lastError", .text)
            t.column("sentAt", .datetime)
            // The daily digest that carried this notification, once it was kept for one.
            t.column("digestId", .text)
            // A time-based kind is raised once per object and person (`referral.due-soon:ref_…`).
            t.column("onceKey", .text)
            t.uniqueKey(["onceKey", "personId"])
        }
        try db.create(index: "notification_mail", on: "notification", columns: ["mailStatus", "nextAttemptAt"])
        try db.create(index: "notification_person", on: "notification", columns: ["personId", "createdAt"])
        try db.alter(table: "person") { t in
            // JSON: kind → immediately | digest | never; a kind not named is `immediately`.
            t.add(column: "notificationChoices", .text).notNull().defaults(to: "{}")
            // The last daily digest mailed to this person (a coordinator), as their local day.
            t.add(column: "digestDay", .text)
            // The key of the person's one-click unsubscribe links (hex, made on first use): a
            // secret kept beside the record like the password's hash, never journaled.
            t.add(column: "unsubscribeKey", .text)
        }
    }
}
