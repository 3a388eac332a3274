import ClubCore
import Foundation
import GRDB

/// A freshly issued token: its record and the secret, which is never shown again.
public struct IssuedToken: Sendable {
    public let token: AccessToken
    public let secret: String
}

extension AccessToken: FetchableRecord {
    public static let databaseTableName = "accessToken"
}

extension AppDatabase {
    // MARK: - Writes

    /// Issues a token over the API (head coordinator) or from the command line (`Principal.system`).
    public func issueToken(_ grant: TokenGrant, by principal: Principal) async throws -> IssuedToken {
        try Policy.require(principal, .issueToken)
        let grant = try grant.validated()
        let now = clock.now()
        return try await transaction { db in try Self.issue(grant, by: principal, at: now, in: db) }
    }

    /// On an empty database, issues the first head coordinator token and returns its secret;
    /// returns `nil` once any token exists, so the secret is printed only once.
    public func bootstrapHeadToken() async throws -> String? {
        let now = clock.now()
        return try await transaction { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accessToken") == 0 else { return nil }
            let grant = TokenGrant(role: .coordinator, head: true, name: "head coordinator (bootstrap)")
            return try Self.issue(grant, by: .system, at: now, in: db).secret
        }
    }

    public func revokeToken(_ id: String, by principal: Principal) async throws -> AccessToken {
        try Policy.require(principal, .revokeToken)
        let now = clock.now()
        return try await transaction { db in
            guard var token = try AccessToken.fetchOne(db, sql: "SELECT * FROM accessToken WHERE id = ?", arguments: [id]) else {
                throw DomainError.notFound(entity: "token", id: id)
            }
            let heads = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accessToken WHERE role = 'coordinator' AND head AND revokedAt IS NULL") ?? 0
            let old = token
            try token.revoke(at: now, activeHeadTokens: heads)
            try db.execute(sql: "UPDATE accessToken SET revokedAt = ? WHERE id = ?", arguments: [token.revokedAt, id])
            try Journal.changed("token", id: id, action: "revoked", from: old, to: token, by: principal.actor, at: now, in: db)
            return token
        }
    }

    static func issue(_ grant: TokenGrant, by principal: Principal, at now: Date, in db: Database) throws -> IssuedToken {
        if let studioId = grant.studioId, try !Studio.exists(db, key: studioId) {
            throw DomainError.invalid("studioId", "no studio has id '\(studioId)'")
        }
        if let clientId = grant.clientId, try !Client.exists(db, key: clientId) {
            throw DomainError.invalid("clientId", "no client has id '\(clientId)'")
        }
        let token = AccessToken(id: Identifier.make("tok"), grant: grant, createdAt: now, createdBy: principal.name)
        let secret = TokenSecret.generate()
        try db.execute(
            sql: """
                INSERT INTO accessToken (id, name, role, head, studioId, clientId, secretHash, createdAt, createdBy, revokedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
                """,
            arguments: [
                token.id, token.name, token.role.rawValue, token.head, token.studioId, token.clientId, TokenSecret.hash(secret), now, token.createdBy,
            ]
        )
        try Journal.created("token", id: token.id, token, by: principal.actor, at: now, in: db)
        return IssuedToken(token: token, secret: secret)
    }

    // MARK: - Reads

    /// The principal of an active token, or `nil` for an unknown or revoked secret. A token found
    /// active is kept in `tokenCache` for a second; unknown and revoked ones are looked up each time.
    public func authenticate(secret: String) async throws -> Principal? {
        let hash = TokenSecret.hash(secret)
        let (cached, generation) = tokenCache.lookup(hash)
        if let cached { return cached }
        let token = try await writer.read { db in
            try AccessToken.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM accessToken WHERE secretHash = ? AND revokedAt IS NULL"),
                arguments: [hash]
            )
        }
        guard let principal = token?.principal else { return nil }
        tokenCache.fill(hash, with: principal, generation: generation)
        return principal
    }

    public func tokens(page: PageRequest, for principal: Principal) async throws -> Page<AccessToken> {
        try Policy.require(principal, .listTokens)
        return try await self.page(AccessToken.self, from: "accessToken", page: page)
    }
}
