import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `Idempotency-Key` on a `POST`: the first successful answer is kept per token and key and
/// replayed for a repeated key, so a retried create never creates twice.
struct IdempotencyMiddleware<Context: APIRequestContext>: RouterMiddleware {
    let database: AppDatabase

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers[.idempotencyKey], let principal = context.principal else {
            return try await next(request, context)
        }
        guard (1...200).contains(key.count) else {
            throw RequestInputError.badField("Idempotency-Key", "must be 1 to 200 characters")
        }
        // Collecting keeps the body on the request for the handler, and lets us fingerprint it.
        var request = request
        let body = try await request.collectBody(within: context.bodyTimeout, upTo: context.maxUploadSize)
        request.body = RequestBody(buffer: ByteBuffer(bytes: body))
        let identity = IdempotentRequest(tokenId: principal.tokenId, key: key, method: "POST", path: request.uri.path, body: body)
        if let stored = try await database.storedResponse(for: identity) {
            guard stored.status != 0 else {
                throw DomainError.ruleBroken(
                    .idempotentSecret,
                    detail:
                        "the first answer to Idempotency-Key '\(key)' carried a secret that is shown only once; "
                        + "list the objects to find what it created"
                )
            }
            var headers = HTTPFields()
            for (name, value) in stored.headers { if let field = HTTPField.Name(name) { headers[field] = value } }
            headers[.idempotentReplayed] = "true"
            return Response(status: .init(code: stored.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: stored.body)))
        }
        let response = try await next(request, context)
        guard (200..<300).contains(response.status.code) else { return response }
        // An answer marked no-store carries a secret shown once (a token): it is never kept, and
        // a repeated key is refused instead of replayed.
        if response.headers[.cacheControl] == "no-store" {
            try await database.storeResponse(StoredResponse(status: 0, headers: [:], body: Data()), for: identity)
            return response
        }
        let collector = BodyCollector()
        try await response.body.write(collector)
        var kept: [String: String] = [:]
        for field in response.headers { kept[field.name.canonicalName] = field.value }
        let stored = StoredResponse(status: response.status.code, headers: kept, body: collector.box.data)
        try await database.storeResponse(stored, for: identity)
        return Response(status: response.status, headers: response.headers, body: .init(byteBuffer: ByteBuffer(bytes: stored.body)))
    }
}

/// Collects a response body so that it can be stored and sent again (here, and for uploads in `FilesController`).
struct BodyCollector: ResponseBodyWriter {
    final class Box: @unchecked Sendable { var data = Data() }
    let box = Box()

    mutating func write(_ buffer: ByteBuffer) async throws {
        box.data.append(contentsOf: buffer.readableBytesView)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
