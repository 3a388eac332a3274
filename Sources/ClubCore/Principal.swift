/// The three kinds of caller the club knows (DESIGN §2).
public enum Role: String, Codable, Sendable, CaseIterable {
    case coordinator
    case studio
    case client
}

/// Who is calling: the holder of one bearer token, with the role and binding it was issued with.
public struct Principal: Sendable, Equatable, Codable {
    public let tokenId: String
    public let name: String
    public let role: Role
    public let isHead: Bool
    public let studioId: String?
    public let clientId: String?

    public init(tokenId: String, name: String, role: Role, isHead: Bool = false, studioId: String? = nil, clientId: String? = nil) {
        self.tokenId = tokenId
        self.name = name
        self.role = role
        self.isHead = isHead
        self.studioId = studioId
        self.clientId = clientId
    }

    /// The identity written into journal events.
    public var actor: Actor {
        if tokenId == Actor.system.id { return .system }
        return Actor(id: tokenId, name: name, role: isHead ? "head-coordinator" : role.rawValue)
    }
}

/// Who made a change, as the journal records it: a token holder or the daemon's own tooling.
public struct Actor: Sendable, Equatable, Codable {
    public let id: String
    public let name: String
    public let role: String

    public init(id: String, name: String, role: String) {
        self.id = id
        self.name = name
        self.role = role
    }

    /// Changes made from the command line on the server itself (`clubd token issue`, first start).
    public static let system = Actor(id: "system", name: "clubd", role: "system")
}

extension Principal {
    /// The daemon itself acting from its command line (`clubd token issue`, the first start).
    public static let system = Principal(tokenId: Actor.system.id, name: Actor.system.name, role: .coordinator, isHead: true)
}
