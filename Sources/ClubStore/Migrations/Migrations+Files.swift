import GRDB

extension Migrations {
    /// Evidence files (docs/design.md §11): one row per attachment; the content lives once per SHA-256 under
    /// `DATA/files/`, so two rows may share a hash.
    static func v18EvidenceFiles(_ db: Database) throws {
        try db.create(table: "evidenceFile") { t in
            t.primaryKey("id", .text)
            t.column("objectType", .text).notNull()
                .check { ["fix-item", "audit", "audit-finding", "complaint", "check-in"].contains($0) }
            t.column("objectId", .text).notNull()
            t.column("engagementId", .text).notNull().references("engagement").indexed()
            t.column("sha256", .text).notNull().indexed()
            t.column("size", .integer).notNull()
            t.column("type", .text).notNull()
            t.column("width", .integer)
            t.column("height", .integer)
            t.column("name", .text).notNull()
            t.column("caption", .text)
            t.column("uploadedBy", .text).notNull()
            t.column("uploadedById", .text).notNull()
            t.column("uploadedAt", .datetime).notNull()
        }
        try db.create(index: "evidenceFileByObject", on: "evidenceFile", columns: ["objectType", "objectId"])
    }
}
