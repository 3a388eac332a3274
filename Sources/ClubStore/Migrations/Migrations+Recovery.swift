import GRDB

extension Migrations {
    /// Seed 004's recovery etiquette on complaints (DESIGN §3 Complaint, docs/design.md §3.6): the
    /// acknowledgement to the client, the updates given to it, and its answers to resolutions. The
    /// meeting's mode and attendees, the plan's rhythm and the upheld reason live inside the
    /// `meeting`, `plan` and `resolution` JSON, absent on rows written before.
    static func v11RecoveryEtiquette(_ db: Database) throws {
        try db.alter(table: "complaint") { t in
            t.add(column: "acknowledgement", .jsonText)
            t.add(column: "updates", .jsonText).notNull().defaults(to: "[]")
            t.add(column: "resolutionAnswers", .jsonText).notNull().defaults(to: "[]")
        }
    }
}
