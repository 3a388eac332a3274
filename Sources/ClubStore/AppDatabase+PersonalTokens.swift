import ClubCore
import Foundation
import GRDB

/// Personal API tokens (DESIGN §9.3): a signed-in person mints bearer tokens for their own
/// programs from the console, bound to exactly their own role and binding, lists and revokes
/// them. A token remembers its person (`accessToken.personId`); deactivating the person revokes
/// them all. Journaled like every token (`created`, `revoked`), by the person.
extension AppDatabase {
    /// A new token for `person`, named `name` (trimmed, 1–100 characters); the secret is shown once.
    public func mintPersonalToken(for person: Person, name: String) async throws -> IssuedToken {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else { throw DomainError.invalid("name", "must be 1 to 100 characters") }
        let grant = try TokenGrant(role: person.role, head: person.head, studioId: person.studioId, clientId: person.clientId, name: name)
            .validated()
        let now = clock.now()
        return try await transaction { db in
            guard let current = try Person.fetchOne(db, key: person.id), current.isActive else {
                throw DomainError.notFound(entity: "person", id: person.id)
            }
            let issued = try Self.issue(grant, by: current.principal, at: now, in: db)
            try db.execute(sql: "UPDATE accessToken SET personId = ? WHERE id = ?", arguments: [person.id, issued.token.id])
            return issued
        }
    }

    /// The person's tokens, newest first, revoked ones included.
    public func personalTokens(of personId: String) async throws -> [AccessToken] {
        try await writer.read { db in
            try AccessToken.fetchAll(
                db,
                sql: "SELECT * FROM accessToken WHERE personId = ? ORDER BY createdAt DESC, rowid DESC",
                arguments: [personId]
            )
        }
    }

    /// Revokes one of the person's own tokens; another's (or an unknown id) is not found.
    public func revokePersonalToken(_ id: String, of person: Person) async throws -> AccessToken {
        let now = clock.now()
        return try await transaction { db in
            guard
                var token = try AccessToken.fetchOne(db, sql: "SELECT * FROM accessToken WHERE id = ? AND personId = ?", arguments: [id, person.id])
            else { throw DomainError.notFound(entity: "token", id: id) }
            guard token.isActive else { return token }
            let old = token
            try token.revoke(at: now, activeHeadTokens: Int.max)
            try db.execute(sql: "UPDATE accessToken SET revokedAt = ? WHERE id = ?", arguments: [token.revokedAt, id])
            try Journal.changed("token", id: id, action: "revoked", from: old, to: token, by: person.principal.actor, at: now, in: db)
            return token
        }
    }

    /// Revokes every active token of a person (deactivation), journaled by `principal`.
    static func revokePersonalTokens(of personId: String, by principal: Principal, at now: Date, in db: Database) throws {
        for var token in try AccessToken.fetchAll(
            db,
            sql: "SELECT * FROM accessToken WHERE personId = ? AND revokedAt IS NULL",
            arguments: [personId]
        ) {
            let old = token
            try token.revoke(at: now, activeHeadTokens: Int.max)
            try db.execute(sql: "UPDATE accessToken SET revokedAt = ? WHERE id = ?", arguments: [token.revokedAt, token.id])
            try Journal.changed("token", id: token.id, action: "revoked", from: old, to: token, by: principal.actor, at: now, in: db)
        }
    }
}
