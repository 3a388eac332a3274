import ClubCore
import Crypto
import Foundation
import GRDB

extension Session: FetchableRecord {
    public static let databaseTableName = "session"
}

/// Console sessions (DESIGN §9), kept by the store; the console's door puts the secret in its
/// cookie. A session authenticates the console only, never `/v1`. Starting, seeing and ending a
/// session are not journaled: they change nothing of the club's record (the request log has them).
extension AppDatabase {
    /// Signs an active person in: a new session, whose secret (`sid_` and 256 random bits) is
    /// returned once and stored only as its SHA-256 — a fresh id on every sign-in. The person's
    /// sessions that have already ended are cleared away at the same time.
    public func startSession(for personId: String) async throws -> String {
        let now = clock.now()
        let rules = rules.sessions
        return try await transaction { db in
            guard let person = try Person.fetchOne(db, key: personId) else { throw DomainError.notFound(entity: "person", id: personId) }
            guard person.isActive else { throw DomainError.illegalTransition(entity: "person", from: person.status.rawValue, action: "sign in") }
            try db.execute(
                sql: "DELETE FROM session WHERE personId = ? AND (expiresAt <= ? OR lastSeenAt <= ?)",
                arguments: [personId, now, now.addingTimeInterval(-rules.idleTimeout)]
            )
            let secret = TokenSecret.generate(prefix: TokenSecret.sessionPrefix)
            let session = Session(personId: personId, at: now, rules: rules)
            try db.execute(
                sql: "INSERT INTO session (idHash, personId, createdAt, lastSeenAt, expiresAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [TokenSecret.hash(secret), personId, session.createdAt, session.lastSeenAt, session.expiresAt]
            )
            return secret
        }
    }

    /// The signed-in person of a session secret, or nil when the session is unknown, idle for
    /// longer than `sessions.idleHours`, past its absolute end, or its person deactivated (such
    /// a session is deleted). A live session is marked seen, at most once a minute.
    public func session(_ secret: String) async throws -> Person? {
        guard secret.count <= 256 else { return nil }
        let hash = TokenSecret.hash(secret)
        let now = clock.now()
        let rules = rules.sessions
        let found = try await writer.read { db -> (Session, Person?)? in
            guard let session = try Session.fetchOne(db, sql: "SELECT * FROM session WHERE idHash = ?", arguments: [hash]) else { return nil }
            return (session, try Person.fetchOne(db, key: session.personId))
        }
        guard var session = found?.0 else { return nil }
        guard let person = found?.1, person.isActive, session.isLive(at: now, rules: rules) else {
            try await transaction { db in try db.execute(sql: "DELETE FROM session WHERE idHash = ?", arguments: [hash]) }
            return nil
        }
        if session.seen(at: now) {
            let seenAt = session.lastSeenAt
            try await transaction { db in
                try db.execute(sql: "UPDATE session SET lastSeenAt = ? WHERE idHash = ?", arguments: [seenAt, hash])
            }
        }
        return person
    }

    /// Signs out: the session ends (an unknown secret is fine).
    public func endSession(_ secret: String) async throws {
        guard secret.count <= 256 else { return }
        let hash = TokenSecret.hash(secret)
        try await transaction { db in try db.execute(sql: "DELETE FROM session WHERE idHash = ?", arguments: [hash]) }
    }

    /// Ends every session of a person; returns how many there were. Deactivation, a new
    /// invitation and a new password do this in their own transactions.
    @discardableResult
    public func endSessions(of personId: String) async throws -> Int {
        try await transaction { db in
            try Self.deleteSessions(of: personId, in: db)
            return db.changesCount
        }
    }
}

/// The CSRF token of a session (DESIGN §9) is derived from the session's secret with HMAC-SHA256,
/// so the database holds nothing from which either can be made: a copy of it forges neither a
/// session nor a form. The token changes with the session id, at every sign-in.
public enum SessionSecret {
    private static let purpose = Data("clubd csrf v1".utf8)

    public static func csrfToken(for sessionSecret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: purpose, using: SymmetricKey(data: Data(sessionSecret.utf8)))
        return base64URL(Data(code))
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether `token` is the CSRF token of the session, compared in constant time.
    public static func isValid(csrfToken token: String, for sessionSecret: String) -> Bool {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        // Only the canonical spelling: the last character's unused bits could otherwise differ
        // and still decode to the same code.
        guard token.count <= 64, let code = Data(base64Encoded: base64), base64URL(code) == token else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: purpose, using: SymmetricKey(data: Data(sessionSecret.utf8)))
    }
}
