import GRDB

/// The schema's history. Shipped migrations are never edited; new ones are appended. Table and
/// column names are plain strings so that renaming a Swift type never changes the schema.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation", migrate: v1Foundation)
        migrator.registerMigration("v2-matching", migrate: v2Matching)
        migrator.registerMigration("v3-fix-lists", migrate: v3FixLists)
        migrator.registerMigration("v4-mediation", migrate: v4Mediation)
        migrator.registerMigration("v5-internal-notes", migrate: v5InternalNotes)
        migrator.registerMigration("v6-journal-hash-scheme", migrate: v6JournalHashScheme)
        migrator.registerMigration("v7-people", migrate: v7People)
        migrator.registerMigration("v8-authenticators", migrate: v8Authenticators)
        migrator.registerMigration("v9-personal-tokens", migrate: v9PersonalTokens)
        migrator.registerMigration("v10-client-choice", migrate: v10ClientChoice)
        migrator.registerMigration("v11-recovery-etiquette", migrate: v11RecoveryEtiquette)
        migrator.registerMigration("v12-fix-checks", migrate: v12FixChecks)
        migrator.registerMigration("v13-finding-fixes", migrate: v13FindingFixes)
        migrator.registerMigration("v14-club-ratings", migrate: v14ClubRatings)
        migrator.registerMigration("v15-notices", migrate: v15Notices)
        migrator.registerMigration("v16-notifications", migrate: v16Notifications)
        migrator.registerMigration("v17-webhooks", migrate: v17Webhooks)
        migrator.registerMigration("v18-evidence-files", migrate: v18EvidenceFiles)
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
            // Whole milliseconds since 1970: the hashed form of the time, exact on every read.
            t.column("atMillis", .integer).notNull()
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

    /// Requests, matching, referrals, engagements, agreements, check-ins and feedback.
    private static func v2Matching(_ db: Database) throws {
        // Which studio claims which competence, kept by triggers so that filtering studios by
        // competence uses an index instead of parsing every studio's JSON.
        try db.create(table: "studioCompetence") { t in
            t.column("studioId", .text).notNull().references("studio", onDelete: .cascade)
            t.column("competence", .text).notNull()
            t.primaryKey(["competence", "studioId"])
        }
        try db.execute(
            sql: """
                INSERT INTO studioCompetence (studioId, competence) SELECT studio.id, json_each.value FROM studio, json_each(studio.competences);
                CREATE TRIGGER studio_competence_insert AFTER INSERT ON studio BEGIN
                    INSERT OR IGNORE INTO studioCompetence (studioId, competence) SELECT NEW.id, value FROM json_each(NEW.competences);
                END;
                CREATE TRIGGER studio_competence_update AFTER UPDATE OF competences ON studio BEGIN
                    DELETE FROM studioCompetence WHERE studioId = NEW.id;
                    INSERT OR IGNORE INTO studioCompetence (studioId, competence) SELECT NEW.id, value FROM json_each(NEW.competences);
                END;
                """
        )
        // A compact copy of what ranking reads, one short row per studio with its lists joined by
        // U+001F (and the competences framed by it, so `instr` finds whole names): scanning ten
        // thousand of these takes about a millisecond, where joining the full studio rows took ten.
        try db.execute(
            sql: """
                CREATE TABLE studioMatch (
                    studioId TEXT PRIMARY KEY NOT NULL REFERENCES studio(id) ON DELETE CASCADE,
                    status TEXT NOT NULL, budgetMin INTEGER NOT NULL, budgetMax INTEGER NOT NULL, capacity INTEGER NOT NULL,
                    competences TEXT NOT NULL, regions TEXT NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO studioMatch SELECT id, status, budgetMin, budgetMax, capacity,
                    char(31) || coalesce((SELECT group_concat(value, char(31)) FROM json_each(studio.competences)), '') || char(31),
                    coalesce((SELECT group_concat(value, char(31)) FROM json_each(studio.regions)), '')
                    FROM studio;
                CREATE TRIGGER studio_match_insert AFTER INSERT ON studio BEGIN
                    INSERT INTO studioMatch VALUES (NEW.id, NEW.status, NEW.budgetMin, NEW.budgetMax, NEW.capacity,
                        char(31) || coalesce((SELECT group_concat(value, char(31)) FROM json_each(NEW.competences)), '') || char(31),
                        coalesce((SELECT group_concat(value, char(31)) FROM json_each(NEW.regions)), ''));
                END;
                CREATE TRIGGER studio_match_update AFTER UPDATE ON studio BEGIN
                    UPDATE studioMatch SET status = NEW.status, budgetMin = NEW.budgetMin, budgetMax = NEW.budgetMax, capacity = NEW.capacity,
                        competences = char(31) || coalesce((SELECT group_concat(value, char(31)) FROM json_each(NEW.competences)), '') || char(31),
                        regions = coalesce((SELECT group_concat(value, char(31)) FROM json_each(NEW.regions)), '')
                    WHERE studioId = NEW.id;
                END;
                """
        )
        try db.create(table: "lead") { t in
            t.primaryKey("id", .text)
            t.column("clientId", .text).notNull().references("client").indexed()
            t.column("statedAsk", .text).notNull()
            t.column("businessGoal", .text).notNull()
            t.column("requiredCompetences", .jsonText).notNull()
            t.column("proposedApproach", .text)
            t.column("rationale", .text)
            t.column("budget", .integer).notNull()
            t.column("deadline", .text).notNull()
            t.column("region", .text)
            t.column("referralReason", .text)
            t.column("status", .text).notNull().indexed()
            t.column("rush", .boolean).notNull()
            t.column("sharedResponsibility", .jsonText)
            t.column("closingReason", .text)
            t.column("version", .integer).notNull()
            t.column("createdAt", .datetime).notNull()
            t.column("updatedAt", .datetime).notNull()
        }
        try db.create(table: "shortlist") { t in
            t.primaryKey("id", .text)
            t.column("requestId", .text).notNull().references("lead").indexed()
            t.column("scope", .jsonText).notNull()
            t.column("excluded", .jsonText).notNull()
            t.column("candidates", .jsonText).notNull()
            t.column("createdAt", .datetime).notNull()
            t.column("createdBy", .text).notNull()
        }
        try db.create(table: "referral") { t in
            t.primaryKey("id", .text)
            t.column("requestId", .text).notNull().references("lead").indexed()
            t.column("studioId", .text).notNull().references("studio").indexed()
            t.column("shortlistId", .text).references("shortlist")
            t.column("status", .text).notNull()
            t.column("offeredAt", .datetime).notNull()
            t.column("dueAt", .datetime).notNull()
            t.column("offeredBy", .text).notNull()
            t.column("handedOverFrom", .text)
            t.column("answeredAt", .datetime)
            t.column("note", .text)
            t.column("version", .integer).notNull()
        }
        try db.create(index: "referral_open_due", on: "referral", columns: ["status", "dueAt"])
        try db.create(table: "engagement") { t in
            t.primaryKey("id", .text)
            t.column("requestId", .text).notNull().references("lead").indexed()
            t.column("clientId", .text).notNull().references("client").indexed()
            t.column("studioId", .text).notNull().references("studio").indexed()
            t.column("referralId", .text).notNull().unique().references("referral")
            t.column("scope", .jsonText).notNull()
            t.column("status", .text).notNull()
            t.column("keyStages", .jsonText).notNull()
            t.column("stagesReached", .jsonText).notNull()
            t.column("startedAt", .datetime).notNull()
            t.column("endedAt", .datetime)
            t.column("version", .integer).notNull()
            t.column("updatedAt", .datetime).notNull()
        }
        try db.create(table: "agreement") { t in
            t.primaryKey("id", .text)
            t.column("engagementId", .text).notNull().references("engagement").indexed()
            t.column("what", .text).notNull()
            t.column("owner", .text).notNull()
            t.column("due", .text).notNull()
            t.column("consequence", .text).notNull()
            t.column("clientConfirmation", .jsonText)
            t.column("studioConfirmation", .jsonText)
            t.column("fulfilledAt", .datetime)
            t.column("createdAt", .datetime).notNull()
            t.column("createdBy", .text).notNull()
            t.column("version", .integer).notNull()
        }
        try db.create(table: "checkIn") { t in
            t.primaryKey("id", .text)
            t.column("engagementId", .text).notNull().references("engagement").indexed()
            t.column("heldAt", .datetime).notNull()
            t.column("attendees", .jsonText).notNull()
            t.column("studioReport", .text).notNull()
            t.column("clientSentiment", .integer).notNull()
            t.column("risks", .jsonText).notNull()
            t.column("recordedBy", .text).notNull()
        }
        try db.create(table: "stageFeedback") { t in
            t.primaryKey("id", .text)
            t.column("engagementId", .text).notNull().references("engagement")
            t.column("studioId", .text).notNull().references("studio").indexed()
            t.column("stage", .text).notNull()
            t.column("score", .integer).notNull()
            t.column("comment", .text)
            t.column("givenBy", .text).notNull()
            t.column("givenAt", .datetime).notNull()
            t.uniqueKey(["engagementId", "stage"])
        }
    }

    /// Final correction lists, their items and the share links of the client's page.
    private static func v3FixLists(_ db: Database) throws {
        try db.create(table: "fixList") { t in
            t.primaryKey("id", .text)
            t.column("engagementId", .text).notNull().references("engagement").indexed()
            t.column("status", .text).notNull()
            t.column("revision", .integer).notNull()
            t.column("clientConfirmation", .jsonText)
            t.column("studioConfirmation", .jsonText)
            t.column("agreedAt", .datetime)
            t.column("createdAt", .datetime).notNull()
            t.column("createdBy", .text).notNull()
            t.column("version", .integer).notNull()
            t.column("updatedAt", .datetime).notNull()
        }
        try db.create(table: "fixItem") { t in
            t.primaryKey("id", .text)
            t.column("fixListId", .text).notNull().references("fixList").indexed()
            t.column("position", .integer).notNull()
            t.column("statement", .text).notNull()
            t.column("acceptance", .text).notNull()
            t.column("due", .text).notNull()
            t.column("assignedStudioId", .text).notNull().references("studio").indexed()
            t.column("state", .text).notNull()
            t.column("pending", .text)
            t.column("isRemoved", .boolean).notNull()
            t.column("struckAt", .datetime)
            t.column("struckBy", .text)
            t.column("strikeNote", .text)
            t.column("reopenedAt", .datetime)
            t.column("reopenedBy", .text)
            t.column("reopenReason", .text)
            t.column("reopenCount", .integer).notNull()
            t.column("version", .integer).notNull()
            t.uniqueKey(["fixListId", "position"])
        }
        try db.create(table: "shareLink") { t in
            t.primaryKey("id", .text)
            t.column("fixListId", .text).notNull().references("fixList").indexed()
            t.column("tokenHash", .text).notNull().unique()
            t.column("expiresAt", .datetime).notNull()
            t.column("createdAt", .datetime).notNull()
            t.column("createdBy", .text).notNull()
            t.column("revokedAt", .datetime)
        }
    }

    /// Complaints, audits, exits with consulting, and retrospectives.
    private static func v4Mediation(_ db: Database) throws {
        try db.create(table: "complaint") { t in
            t.primaryKey("id", .text)
            t.column("engagementId", .text).notNull().references("engagement").indexed()
            t.column("studioId", .text).notNull().references("studio").indexed()
            t.column("clientId", .text).notNull().references("client")
            t.column("receivedAt", .datetime).notNull()
            t.column("channel", .text).notNull()
            t.column("summary", .text).notNull()
            t.column("demand", .jsonText).notNull()
            t.column("status", .text).notNull()
            t.column("meeting", .jsonText)
            t.column("plan", .jsonText)
            t.column("resolution", .jsonText)
            t.column("version", .integer).notNull()
            t.column("updatedAt", .datetime).notNull()
        }
        try db.create(table: "audit") { t in
            t.primaryKey("id", .text)
            t.column("engagementId", .text).notNull().references("engagement").indexed()
            t.column("studioId", .text).notNull().references("studio").indexed()
            t.column("clientId", .text).notNull().references("client")
            t.column("auditor", .text).notNull()
            t.column("receivedAt", .datetime).notNull()
            t.column("subject", .text).notNull()
            t.column("findings", .jsonText).notNull()
            t.column("status", .text).notNull()
            t.column("answeredAt", .datetime)
            t.column("outcome", .text)
            t.column("version", .integer).notNull()
            t.column("updatedAt", .datetime).notNull()
        }
        try db.create(table: "auditFinding") { t in
            t.primaryKey("id", .text)
            t.column("auditId", .text).notNull().references("audit").indexed()
        }
        try db.create(table: "engagementExit") { t in
            t.primaryKey("id", .text)
            t.column("engagementId", .text).notNull().unique().references("engagement")
            t.column("clientId", .text).notNull().references("client")
            t.column("reason", .text).notNull()
            t.column("decidedBy", .text).notNull()
            t.column("decidedAt", .datetime).notNull()
        }
        try db.create(table: "consultingOffer") { t in
            t.primaryKey("id", .text)
            t.column("exitId", .text).notNull().references("engagementExit").indexed()
            t.column("clientId", .text).notNull().references("client")
            t.column("sessions", .integer).notNull()
            t.column("validUntil", .datetime).notNull()
            t.column("status", .text).notNull()
            t.column("answeredAt", .datetime)
            t.column("offeredBy", .text).notNull()
            t.column("offeredAt", .datetime).notNull()
            t.column("version", .integer).notNull()
        }
        try db.create(table: "consultingSession") { t in
            t.primaryKey("id", .text)
            t.column("offerId", .text).notNull().references("consultingOffer").indexed()
            t.column("scheduledAt", .datetime).notNull()
            t.column("topic", .text)
            t.column("status", .text).notNull()
            t.column("notes", .text)
            t.column("version", .integer).notNull()
        }
        try db.create(table: "retrospective") { t in
            t.primaryKey("id", .text)
            t.column("engagementId", .text).notNull().unique().references("engagement")
            t.column("facts", .jsonText).notNull()
            t.column("emotions", .jsonText).notNull()
            t.column("mistakes", .jsonText).notNull()
            t.column("positives", .jsonText).notNull()
            t.column("differently", .jsonText).notNull()
            t.column("lessons", .jsonText).notNull()
            t.column("recordedBy", .text).notNull()
            t.column("recordedAt", .datetime).notNull()
        }
    }

    /// What the field visibility presumes (DESIGN §2): the club's internal note on every object a
    /// coordinator writes, a studio's website for its public profile, and the studio's own
    /// account of a complaint. Audit findings keep their note inside `audit.findings`; plan goals
    /// and steps, mistakes and intentions carry their visibility inside their JSON.
    private static func v5InternalNotes(_ db: Database) throws {
        try db.alter(table: "studio") { t in
            t.add(column: "website", .text)
            t.add(column: "internalNote", .text)
        }
        for table in ["client", "lead", "engagement", "agreement", "checkIn", "fixList", "fixItem", "audit", "engagementExit"] {
            try db.alter(table: table) { t in t.add(column: "internalNote", .text) }
        }
        try db.alter(table: "complaint") { t in
            t.add(column: "studioAccount", .jsonText)
            t.add(column: "internalNote", .text)
        }
    }

    /// Journal events are hashed field by field from now on, each field salted from the event's
    /// secret field key (DESIGN §3.11), so that a party's case file can withhold a field and
    /// still verify; the events already written keep the scheme they were hashed with.
    private static func v6JournalHashScheme(_ db: Database) throws {
        try db.alter(table: "journal") { t in
            t.add(column: "hashScheme", .integer).notNull().defaults(to: 1)
            t.add(column: "fieldKey", .text)
        }
    }
}
