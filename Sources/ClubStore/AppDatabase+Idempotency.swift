import ClubCore
import Foundation
import GRDB

/// What identifies a request for `Idempotency-Key`: the key, its token, and what was asked.
public struct IdempotentRequest: Sendable {
    public let tokenId: String
    public let key: String
    public let method: String
    public let path: String
    /// SHA-256 of the request body, so that a key reused with another body is caught.
    public let bodyHash: String

    public init(tokenId: String, key: String, method: String, path: String, body: Data) {
        self.tokenId = tokenId
        self.key = key
        self.method = method
        self.path = path
        self.bodyHash = TokenSecret.hash(String(decoding: body, as: UTF8.self))
    }
}

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
    /// method, path or body is refused rather than answered with an unrelated object.
    public func storedResponse(for request: IdempotentRequest) async throws -> StoredResponse? {
        // Read into plain values inside the read, so that the read is the asynchronous one: a `Row` may not leave it.
        let stored = try await writer.read { db -> (method: String, path: String, bodyHash: String, response: StoredResponse)? in
            let sql = "SELECT * FROM idempotentResponse WHERE tokenId = ? AND key = ?"
            guard let row = try Row.fetchOne(db, sql: sql, arguments: [request.tokenId, request.key]) else { return nil }
            let headers = (try? JSONDecoder().decode([String: String].self, from: Data((row["headers"] as String).utf8))) ?? [:]
            return (row["method"], row["path"], row["bodyHash"], StoredResponse(status: row["status"], headers: headers, body: row["body"]))
        }
        guard let stored else { return nil }
        guard stored.method == request.method, stored.path == request.path, stored.bodyHash == request.bodyHash else {
            throw DomainError.ruleBroken(.idempotencyKeyReused, detail: "Idempotency-Key '\(request.key)' was already used for a different request")
        }
        return stored.response
    }

    /// Keeps the answer to a successful create. A concurrent duplicate keeps the first.
    public func storeResponse(_ response: StoredResponse, for request: IdempotentRequest) async throws {
        let headers = String(decoding: try JSONEncoder().encode(response.headers), as: UTF8.self)
        let now = clock.now()
        try await transaction { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO idempotentResponse (tokenId, key, method, path, bodyHash, status, headers, body, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    request.tokenId, request.key, request.method, request.path, request.bodyHash, response.status, headers, response.body, now,
                ]
            )
        }
    }
}
