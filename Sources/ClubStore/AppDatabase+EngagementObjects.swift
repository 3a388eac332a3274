import ClubCore
import GRDB

extension AppDatabase {
    /// An engagement's complaints, oldest first, for coordinators and the engagement's client and
    /// studio (`GET /v1/engagements/{id}/complaints`); anyone else, or no such engagement: 404.
    public func complaints(ofEngagement engagementId: String, for principal: Principal) async throws -> [Complaint] {
        try await objects(Complaint.self, table: "complaint", of: engagementId, for: principal, reading: .readComplaint, owners: \.owners)
    }

    /// An engagement's audits, oldest first, for the same readers (`GET /v1/engagements/{id}/audits`).
    public func audits(ofEngagement engagementId: String, for principal: Principal) async throws -> [Audit] {
        try await objects(Audit.self, table: "audit", of: engagementId, for: principal, reading: .readAudit, owners: \.owners)
    }

    /// The engagement's rows of `table`, each kept only when the caller may read it as a single read
    /// would decide; a caller who reaches neither the engagement nor any of them is told of neither.
    private func objects<Value: FetchableRecord & Sendable>(
        _ type: Value.Type,
        table: String,
        of engagementId: String,
        for principal: Principal,
        reading action: Action,
        owners: @escaping @Sendable (Value) -> Ownership
    ) async throws -> [Value] {
        try Policy.require(principal, action)
        return try await writer.read { db in
            guard let engagementOwners = try Self.engagementOwners(engagementId, in: db) else {
                throw DomainError.notFound(entity: "engagement", id: engagementId)
            }
            let rows = try Value.fetchAll(db, sql: "SELECT * FROM \(table) WHERE engagementId = ? ORDER BY rowid", arguments: [engagementId])
            let readable = rows.filter { Policy.reaches(principal, action, owners($0)) }
            guard Policy.reaches(principal, action, engagementOwners) || !readable.isEmpty else {
                throw DomainError.notFound(entity: "engagement", id: engagementId)
            }
            return readable
        }
    }
}
