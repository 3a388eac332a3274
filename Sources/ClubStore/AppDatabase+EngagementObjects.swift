import ClubCore
import GRDB

extension AppDatabase {
    /// An engagement's complaints, oldest first, for coordinators and the engagement's client and
    /// studio (`GET /v1/engagements/{id}/complaints`); anyone else, or no such engagement: 404.
    public func complaints(ofEngagement engagementId: String, for principal: Principal) async throws -> [Complaint] {
        try await writer.read { db in
            try Self.readableRows(Complaint.self, table: "complaint", of: engagementId, for: principal, reading: .readComplaint, in: db) {
                complaint,
                _ in Policy.reaches(principal, .readComplaint, complaint.owners)
            }
        }
    }

    /// An engagement's audits, oldest first, for the same readers (`GET /v1/engagements/{id}/audits`).
    public func audits(ofEngagement engagementId: String, for principal: Principal) async throws -> [Audit] {
        try await writer.read { db in
            try Self.readableRows(Audit.self, table: "audit", of: engagementId, for: principal, reading: .readAudit, in: db) { audit, _ in
                Policy.reaches(principal, .readAudit, audit.owners)
            }
        }
    }

    /// The engagement's rows of `table`, oldest first, each kept only when `reaches` says the caller
    /// may read it as a single read would decide (given the row and the engagement's parties). A
    /// caller who reaches neither the engagement nor any of them is told of neither: 404.
    static func readableRows<Value: FetchableRecord>(
        _ type: Value.Type,
        table: String,
        of engagementId: String,
        for principal: Principal,
        reading action: Action,
        in db: Database,
        reaches: (Value, Ownership) throws -> Bool
    ) throws -> [Value] {
        try Policy.require(principal, action)
        guard let owners = try engagementOwners(engagementId, in: db) else { throw DomainError.notFound(entity: "engagement", id: engagementId) }
        let rows = try Value.fetchAll(db, sql: "SELECT * FROM \(table) WHERE engagementId = ? ORDER BY rowid", arguments: [engagementId])
        let readable = try rows.filter { try reaches($0, owners) }
        guard Policy.reaches(principal, action, owners) || !readable.isEmpty else {
            throw DomainError.notFound(entity: "engagement", id: engagementId)
        }
        return readable
    }
}
