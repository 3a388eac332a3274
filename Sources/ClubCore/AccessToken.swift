import Foundation

/// A bearer token's public record. The secret itself is shown once at issue and stored only as
/// its SHA-256 hash.
public struct AccessToken: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let role: Role
    public let head: Bool
    public let studioId: String?
    public let clientId: String?
    public let createdAt: Date
    public let createdBy: String
    public private(set) var revokedAt: Date?

    public init(id: String, grant: TokenGrant, createdAt: Date, createdBy: String) {
        self.id = id
        self.name = grant.name
        self.role = grant.role
        self.head = grant.head
        self.studioId = grant.studioId
        self.clientId = grant.clientId
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = nil
    }

    public var isActive: Bool { revokedAt == nil }

    public var principal: Principal {
        Principal(tokenId: id, name: name, role: role, isHead: head, studioId: studioId, clientId: clientId)
    }

    /// Revokes the token. The club must never lock itself out, so the last active head
    /// coordinator token cannot be revoked.
    public mutating func revoke(at now: Date, activeHeadTokens: Int) throws {
        guard isActive else {
            throw DomainError.ruleBroken(.tokenAlreadyRevoked, detail: "token \(id) was already revoked")
        }
        if role == .coordinator, head, activeHeadTokens <= 1 {
            throw DomainError.ruleBroken(
                .lastHeadToken,
                detail: "the last active head coordinator token cannot be revoked; issue another head token first"
            )
        }
        revokedAt = now
    }
}

/// Input of `POST /v1/tokens` and `clubd token issue`: a role and what it is bound to.
public struct TokenGrant: Codable, Sendable, Equatable {
    public let role: Role
    public let head: Bool
    public let studioId: String?
    public let clientId: String?
    public let name: String

    public init(role: Role, head: Bool = false, studioId: String? = nil, clientId: String? = nil, name: String) {
        self.role = role
        self.head = head
        self.studioId = studioId
        self.clientId = clientId
        self.name = name
    }

    enum CodingKeys: String, CodingKey { case role, head, studioId, clientId, name }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(Role.self, forKey: .role)
        head = try container.decodeIfPresent(Bool.self, forKey: .head) ?? false
        studioId = try container.decodeIfPresent(String.self, forKey: .studioId)
        clientId = try container.decodeIfPresent(String.self, forKey: .clientId)
        name = try container.decode(String.self, forKey: .name)
    }

    /// A studio token is bound to exactly one studio, a client token to one client, and only a
    /// coordinator can be head.
    public func validated() throws -> TokenGrant {
        var validator = Validator()
        let name = validator.text(name, "name")
        RoleBinding.check(role: role, head: head, studioId: studioId, clientId: clientId, noun: "token", into: &validator)
        try validator.finish()
        return TokenGrant(role: role, head: head, studioId: studioId, clientId: clientId, name: name)
    }
}
