import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    /// The one shape of every update: in a single write transaction, load the object (404 when
    /// it is missing), check `If-Match`, apply the domain transition, save, and journal the
    /// difference.
    func update<Value: FetchableRecord & PersistableRecord & Encodable & Equatable & Versioned & Sendable>(
        _ type: Value.Type,
        entity: String,
        id: String,
        ifVersion expected: Int?,
        action: String,
        by principal: Principal,
        _ transition: @Sendable @escaping (inout Value, Date) throws -> Void
    ) async throws -> Value {
        try await update(type, entity: entity, id: id, ifVersion: expected, action: action, by: principal) { value, now, _ in
            try transition(&value, now)
        }
    }

    /// The same, for a transition that needs to read more of the database first (in the same
    /// transaction).
    func update<Value: FetchableRecord & PersistableRecord & Encodable & Equatable & Versioned & Sendable>(
        _ type: Value.Type,
        entity: String,
        id: String,
        ifVersion expected: Int?,
        action: String,
        by principal: Principal,
        _ transition: @Sendable @escaping (inout Value, Date, Database) throws -> Void
    ) async throws -> Value {
        let now = clock.now()
        return try await transaction { db in
            guard var value = try Value.fetchOne(db, key: id) else {
                throw DomainError.notFound(entity: entity, id: id)
            }
            if let expected, expected != value.version {
                throw StoreError.versionMismatch(current: value.version)
            }
            let old = value
            try transition(&value, now, db)
            // A transition that changed nothing (an empty PATCH) is not a change: no write, no event.
            guard value != old else { return value }
            try value.update(db)
            try Journal.changed(entity, id: id, action: action, from: old, to: value, by: principal.actor, at: now, in: db)
            return value
        }
    }

    /// Inserts a new object and journals its creation, in one transaction.
    func insert<Value: PersistableRecord & Encodable & Sendable>(
        entity: String,
        by principal: Principal,
        _ make: @Sendable @escaping (Date) throws -> (id: String, value: Value)
    ) async throws -> Value {
        let now = clock.now()
        return try await transaction { db in
            let (id, value) = try make(now)
            try value.insert(db)
            try Journal.created(entity, id: id, value, by: principal.actor, at: now, in: db)
            return value
        }
    }

    /// Fetches one page of `Value` rows ordered by insertion, after the page's cursor.
    func page<Value: FetchableRecord & Sendable>(
        _ type: Value.Type,
        from table: String,
        where conditions: [String] = [],
        arguments: StatementArguments = [],
        page: PageRequest
    ) async throws -> Page<Value> {
        try await writer.read { db in
            var clauses = conditions
            var arguments = arguments
            if let after = page.after {
                clauses.append("rowid > ?")
                _ = arguments.append(contentsOf: [after])
            }
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            _ = arguments.append(contentsOf: [page.limit + 1])
            let rows = try Row.fetchAll(db, sql: "SELECT rowid AS pageCursor, * FROM \(table) \(filter) ORDER BY rowid LIMIT ?", arguments: arguments)
            let visible = rows.prefix(page.limit)
            let next: String? = rows.count > page.limit ? visible.last.map { String($0["pageCursor"] as Int64) } : nil
            return Page(items: try visible.map { try Value(row: $0) }, nextCursor: next)
        }
    }
}
