import GRDB

extension Migrations {
    /// People of the console, their invitations and their sessions (DESIGN §9). Secrets are kept
    /// only as hashes: the password as its bcrypt hash beside the person (never in the journal,
    /// which records the person's columns without it), invitation tokens and session ids as their
    /// SHA-256. A session's CSRF token is derived from its id (`SessionSecret`), so none is stored.
    static func v7People(_ db: Database) throws {
        try db.create(table: "person") { t in
            t.primaryKey("id", .text)
            // Stored in lower case (`EmailAddress.normalized`), so that this is case-insensitive.
            t.column("email", .text).notNull().unique()
            t.column("name", .text).notNull()
            t.column("role", .text).notNull()
            t.column("head", .boolean).notNull()
            t.column("studioId", .text).references("studio")
            t.column("clientId", .text).references("client")
            t.column("language", .text).notNull()
            t.column("timeZone", .text).notNull()
            t.column("status", .text).notNull()
            t.column("passwordSet", .boolean).notNull()
            t.column("passwordHash", .text)
            t.column("invitationExpiresAt", .datetime)
            t.column("createdAt", .datetime).notNull()
            t.column("createdBy", .text).notNull()
            t.column("updatedAt", .datetime).notNull()
            t.column("deactivatedAt", .datetime)
            t.column("version", .integer).notNull()
        }
        try db.create(table: "invitation") { t in
            t.primaryKey("id", .text)
            t.column("personId", .text).notNull().references("person").indexed()
            t.column("tokenHash", .text).notNull().unique()
            t.column("createdAt", .datetime).notNull()
            t.column("createdBy", .text).notNull()
            t.column("expiresAt", .datetime).notNull()
            t.column("usedAt", .datetime)
            t.column("withdrawnAt", .datetime)
        }
        try db.create(table: "session") { t in
            t.primaryKey("idHash", .text)
            t.column("personId", .text).notNull().references("person", onDelete: .cascade).indexed()
            t.column("createdAt", .datetime).notNull()
            t.column("lastSeenAt", .datetime).notNull()
            t.column("expiresAt", .datetime).notNull()
        }
    }

    /// A coordinator's authenticator (DESIGN §9.3): the TOTP secret beside the person, like the
    /// password hash, and the time step of the last code used, so that a code counts once.
    static func v8Authenticators(_ db: Database) throws {
        try db.alter(table: "person") { t in
            t.add(column: "totpSecret", .text)
            t.add(column: "totpLastStep", .integer)
        }
    }

    /// Personal API tokens (DESIGN §9.3): a token minted from the console remembers its person.
    static func v9PersonalTokens(_ db: Database) throws {
        try db.alter(table: "accessToken") { t in
            t.add(column: "personId", .text).references("person")
        }
        try db.create(index: "accessToken_personId", on: "accessToken", columns: ["personId"])
    }
}
