import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    // MARK: - Writes

    public func createClient(_ input: ClientInput, by principal: Principal) async throws -> Client {
        try Policy.require(principal, .registerClient)
        return try await insert(entity: "client", by: principal) { now in
            let id = Identifier.make("cli")
            return (id, try Client(id: id, input: input, at: now))
        }
    }

    public func updateClient(_ id: String, _ patch: ClientPatch, ifVersion: Int?, by principal: Principal) async throws -> Client {
        try Policy.require(principal, .editClient)
        return try await update(Client.self, entity: "client", id: id, ifVersion: ifVersion, action: "updated", by: principal) { client, now in
            try client.apply(patch, at: now)
        }
    }

    // MARK: - Reads

    /// A client as the caller may see it: coordinators any, a client its own, a studio the
    /// clients it has engagements with; otherwise 404.
    public func client(_ id: String, for principal: Principal) async throws -> Client {
        try Policy.require(principal, .readClient)
        return try await writer.read { db in
            guard let client = try Client.fetchOne(db, key: id),
                try Policy.reaches(principal, .readClient, try Self.owners(ofClient: id, in: db))
            else {
                throw DomainError.notFound(entity: "client", id: id)
            }
            return client
        }
    }

    public func clients(page: PageRequest, for principal: Principal) async throws -> Page<Client> {
        try Policy.require(principal, .listClients)
        return try await self.page(Client.self, from: "client", page: page)
    }
}
