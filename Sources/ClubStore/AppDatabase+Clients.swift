import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    // MARK: - Writes

    public func createClient(_ input: ClientInput, by principal: Principal) async throws -> Client {
        try principal.requireCoordinator("register clients")
        return try await insert(entity: "client", by: principal) { now in
            let id = Identifier.make("cli")
            return (id, try Client(id: id, input: input, at: now))
        }
    }

    public func updateClient(_ id: String, _ patch: ClientPatch, ifVersion: Int?, by principal: Principal) async throws -> Client {
        try principal.requireCoordinator("edit clients")
        return try await update(Client.self, entity: "client", id: id, ifVersion: ifVersion, action: "updated", by: principal) { client, now in
            try client.apply(patch, at: now)
        }
    }

    // MARK: - Reads

    /// A client as the caller may see it: coordinators any, a client its own; otherwise 404.
    public func client(_ id: String, for principal: Principal) async throws -> Client {
        let client = try await writer.read { db in try Client.fetchOne(db, key: id) }
        guard let client, principal.reaches(client: id) else { throw DomainError.notFound(entity: "client", id: id) }
        return client
    }

    public func clients(page: PageRequest, for principal: Principal) async throws -> Page<Client> {
        try principal.requireCoordinator("list clients")
        return try await self.page(Client.self, from: "client", page: page)
    }
}
