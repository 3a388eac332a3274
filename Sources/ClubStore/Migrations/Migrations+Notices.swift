import GRDB

extension Migrations {
    /// When each person last looked at their notices (docs/design.md §9.6).
    static func v15Notices(_ db: Database) throws {
        try db.alter(table: "person") { t in
            t.add(column: "noticesSeenAt", .datetime)
        }
        // Every page counts the changes since then for its navigation's badge.
        try db.create(index: "journal_at", on: "journal", columns: ["atMillis"])
    }
}
