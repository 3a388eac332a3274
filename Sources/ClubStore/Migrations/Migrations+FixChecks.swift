import GRDB

extension Migrations {
    /// The client's check of each struck fix item, item comments and rounds (DESIGN §3 Fix list).
    ///
    /// Items gain their rounds (a JSON list: every strike with its due day and lateness, and its
    /// reopening) and their acceptance. Rounds are filled from what the item kept so far: its
    /// latest strike and reopening, judged on time as before (the struck day against the due day,
    /// UTC). Struck items of a list that was already done stay done: they are accepted by the
    /// daemon, as of their strike. Comments on items get their own table.
    static func v12FixChecks(_ db: Database) throws {
        try db.alter(table: "fixItem") { t in
            t.add(column: "rounds", .jsonText).notNull().defaults(sql: "'[]'")
            t.add(column: "acceptedAt", .datetime)
            t.add(column: "acceptedBy", .text)
            t.add(column: "acceptNote", .text)
            t.add(column: "autoAccepted", .boolean).notNull().defaults(to: false)
        }
        // Dates inside JSON columns are milliseconds since 1970 (GRDB's JSON coding).
        let millis = { (column: String) in "CAST(round((julianday(\(column)) - 2440587.5) * 86400000.0) AS INTEGER)" }
        try db.execute(
            sql: """
                UPDATE fixItem SET rounds = json_array(json_object(
                    'number', 1, 'due', due, 'struckAt', \(millis("struckAt")), 'struckBy', struckBy,
                    'strikeNote', coalesce(strikeNote, ''),
                    'onTime', json(CASE WHEN substr(struckAt, 1, 10) <= due THEN 'true' ELSE 'false' END),
                    'reopenedAt', CASE WHEN state = 'reopened' THEN \(millis("reopenedAt")) END,
                    'reopenedBy', CASE WHEN state = 'reopened' THEN reopenedBy END,
                    'reopenReason', CASE WHEN state = 'reopened' THEN reopenReason END,
                    'newDue', CASE WHEN state = 'reopened' THEN due END))
                WHERE struckAt IS NOT NULL AND struckBy IS NOT NULL;
                UPDATE fixItem SET state = 'accepted', acceptedAt = struckAt, acceptedBy = 'clubd', autoAccepted = 1,
                    acceptNote = 'accepted when the client''s check was introduced: the list was already done'
                WHERE state = 'struck' AND NOT isRemoved AND fixListId IN (SELECT id FROM fixList WHERE status = 'done');
                """
        )
        try db.create(table: "fixItemComment") { t in
            t.primaryKey("id", .text)
            t.column("fixItemId", .text).notNull().references("fixItem").indexed()
            t.column("fixListId", .text).notNull().references("fixList")
            t.column("side", .text).notNull()
            t.column("authorName", .text).notNull()
            t.column("text", .text).notNull()
            t.column("createdAt", .datetime).notNull()
        }
    }
}
