import GRDB

/// The schema's history. Shipped migrations are never edited; new ones are appended. Table and
/// column names are plain strings so that renaming a Swift type never changes the schema.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation", migrate: v1Foundation)
        return migrator
    }

    private static func v1Foundation(_ db: Database) throws {
        try db.create(table: "studio") { t in
            t.primaryKey("id", .text)
            t.column("name", .text).notNull()
            t.column("competences", .jsonText).notNull()
            t.column("regions", .jsonText).notNull()
            t.column("budgetMin", .integer).notNull()
            t.column("budgetMax", .integer).notNull()
            t.column("capacity", .integer).notNull()
            t.column("status", .text).notNull().indexed()
            t.column("vettingChecks", .jsonText).notNull()
            t.column("decisions", .jsonText).notNull()
            t.column("conductNotes", .jsonText).notNull()
            t.column("version", .integer).notNull()
            t.column("createdAt", .datetime).notNull()
            t.column("updatedAt", .datetime).notNull()
        }
        try db.create(table: "client") { t in
            t.primaryKey("id", .text)
            t.column("name", .text).notNull()
            t.column("contacts", .jsonText).notNull()
            t.column("version", .integer).notNull()
            t.column("createdAt", .datetime).notNull()
            t.column("updatedAt", .datetime).notNull()
        }
        try db.create(table: "accessToken") { t in
            t.primaryKey("id", .text)
            t.column("name", .text).notNull()
            t.column("role", .text).notNull()
            t.column("head", .boolean).notNull()
            t.column("studioId", .text).references("studio")
            t.column("clientId", .text).references("client")
            t.column("secretHash", .text).notNull().unique()
            t.column("createdAt", .datetime).notNull()
            t.column("createdBy", .text).notNull()
            t.column("revokedAt", .datetime)
        }
        try db.create(table: "journal") { t in
            t.column("seq", .integer).primaryKey()
            t.column("id", .text).notNull().unique()
            t.column("at", .datetime).notNull()
            t.column("actorId", .text).notNull()
            t.column("actorName", .text).notNull()
            t.column("actorRole", .text).notNull()
            t.column("entityType", .text).notNull()
            t.column("entityId", .text).notNull()
            t.column("action", .text).notNull()
            t.column("before", .text).notNull()
            t.column("after", .text).notNull()
            t.column("previousHash", .text).notNull()
            t.column("hash", .text).notNull()
        }
        try db.create(index: "journal_entity", on: "journal", columns: ["entityType", "entityId", "seq"])
        try db.create(table: "idempotentResponse") { t in
            t.column("tokenId", .text).notNull()
            t.column("key", .text).notNull()
            t.column("method", .text).notNull()
            t.column("path", .text).notNull()
            t.column("bodyHash", .text).notNull()
            t.column("status", .integer).notNull()
            t.column("headers", .jsonText).notNull()
            t.column("body", .blob).notNull()
            t.column("createdAt", .datetime).notNull()
            t.primaryKey(["tokenId", "key"])
        }
    }
}
