import GRDB

extension Migrations {
    /// The client's choice among the studios that accepted (DESIGN §3 Request): the coordinator's
    /// recommendation on each referral, and on each engagement who chose its studio and what was
    /// said. Engagements started before the client chose anything were a coordinator's choice.
    static func v10ClientChoice(_ db: Database) throws {
        try db.alter(table: "referral") { t in
            t.add(column: "recommendation", .text)
        }
        try db.alter(table: "engagement") { t in
            t.add(column: "chosenBy", .text).notNull().defaults(to: "coordinator")
            t.add(column: "choiceNote", .text)
        }
    }
}
