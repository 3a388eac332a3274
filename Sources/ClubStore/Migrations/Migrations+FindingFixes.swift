import GRDB

extension Migrations {
    /// Accepted audit findings become fix items, linked both ways (DESIGN §3 Audit,
    /// docs/design.md §3.8): the item names its finding; the finding (inside the audit's findings
    /// JSON) names its item. The audit records who answered it, the coordinator who signs the letter.
    static func v13FindingFixes(_ db: Database) throws {
        try db.alter(table: "fixItem") { t in
            t.add(column: "findingId", .text)
        }
        try db.alter(table: "audit") { t in
            t.add(column: "answeredBy", .text)
        }
    }
}
