/// Object-level access rules (DESIGN §2): a role that never may gets 403, an object outside the
/// caller's reach gets 404 so that ids cannot be probed.
extension Principal {
    public var isCoordinator: Bool { role == .coordinator }

    /// Only coordinators manage the club's registry (studios, clients, vetting, journal).
    public func requireCoordinator(_ action: String) throws {
        guard isCoordinator else { throw DomainError.forbidden("only a coordinator may \(action)") }
    }

    /// The head coordinator's own rights: tokens over the API, expulsion, plan approval.
    public func requireHead(_ action: String) throws {
        guard isCoordinator, isHead else { throw DomainError.forbidden("only the head coordinator may \(action)") }
    }

    /// A studio reads its own record; coordinators read every studio.
    public func reaches(studio id: String) -> Bool {
        switch role {
        case .coordinator: true
        case .studio: studioId == id
        case .client: false
        }
    }

    /// A client reads its own record; coordinators read every client.
    public func reaches(client id: String) -> Bool {
        switch role {
        case .coordinator: true
        case .client: clientId == id
        case .studio: false
        }
    }
}
