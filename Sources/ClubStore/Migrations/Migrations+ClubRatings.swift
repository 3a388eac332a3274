import GRDB

extension Migrations {
    /// The client's rating of the club itself (DESIGN §3, the club's own score).
    static func v14ClubRatings(_ db: Database) throws {
        try db.create(table: "clubRating") { t in
            t.primaryKey("id", .text)
            t.column("engagementId", .text).notNull().references("engagement").indexed()
            t.column("clientId", .text).notNull().references("client")
            t.column("occasion", .text).notNull()
            t.column("complaintId", .text).references("complaint")
            t.column("score", .integer).notNull()
            t.column("comment", .text)
            t.column("recordedBy", .text).notNull()
            t.column("onBehalf", .boolean).notNull()
            t.column("givenAt", .datetime).notNull().indexed()
        }
        // One rating per occasion: the engagement's end once, each resolved complaint once
        // (docs/design.md §3.12); the domain says so first, the index keeps it under a race.
        try db.execute(
            sql: "CREATE UNIQUE INDEX clubRating_once ON clubRating (engagementId, occasion, coalesce(complaintId, ''))"
        )
    }
}
