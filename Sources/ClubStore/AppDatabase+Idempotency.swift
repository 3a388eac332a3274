import ClubCore
import Foundation
import GRDB

/// A stored answer to a create, replayed when the same `Idempotency-Key` comes again.
public struct StoredResponse: Sendable, Equatable {
    public let status: Int
    public let headers: [String: String]
    public let body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

extension AppDatabase {
    /// The first answer given to this token for this key, if any. A key reused for another
    /// method or path is refused rather than answered with an unrelated object.
    public func storedResponse(tokenId: String, key: String, method: String, path: String) async throws -> StoredResponse? {
        let row = try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM idempotentResponse WHERE tokenId = ? AND key = ?", arguments: [tokenId, key])
        }
        guard let row else { return nil }
        guard row["method"] == method, row["path"] == path else {
            throw DomainError.ruleBroken(.idempotencyKeyReused, detail: "Idempotency-Key '\(key)' was already used for another request")
        }
        let headers = (try? JSONDecoder().decode([String: String].self, from: Data((row["headers"] as String).utf8))) ?? [:]
        return StoredResponse(status: row["status"], headers: headers, body: row["body"])
    }

    /// Keeps the answer to a successful create. A concurrent duplicate keeps the first.
    public func storeResponse(_ response: StoredResponse, tokenId: String, key: String, method: String, path: String) async throws {
        let headers = String(decoding: try JSONEncoder().encode(response.headers), as: UTF8.self)
        let now = clock.now()
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO idempotentResponse (tokenId, key, method, path, status, headers, body, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [tokenId, key, method, path, response.status, headers, response.body, now]
            )
        }
    }
}
