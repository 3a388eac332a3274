import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Resolves `Authorization: Bearer …` to a principal. No token or an unknown or revoked one
/// answers 401; the token itself is never logged.
struct AuthMiddleware<Context: APIRequestContext>: RouterMiddleware {
    let database: AppDatabase
    let throttle: AuthThrottle

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], let secret = BearerHeader.secret(in: header) else {
            throw Self.unauthorized("a bearer token is required")
        }
        guard secret.utf8.count <= 256, let principal = try await database.authenticate(secret: secret) else {
            let address = context.remoteAddress?.ipAddress ?? "unknown"
            if await throttle.recordFailure(from: address) {
                let seconds = await throttle.retryAfter(for: address)
                context.logger.warning("too many failed authentications", metadata: ["peer": "\(address)"])
                throw HTTPError(
                    .tooManyRequests,
                    headers: [.retryAfter: String(seconds)],
                    message: "too many failed authentications from this address; retry in \(seconds) s"
                )
            }
            throw Self.unauthorized("the bearer token is unknown or revoked")
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "principal"] = "\(principal.role.rawValue):\(principal.tokenId)"
        return try await next(request, context)
    }

    static func unauthorized(_ message: String) -> HTTPError {
        HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"clubd\""], message: message)
    }
}

/// The `Authorization` header of the API's requests.
enum BearerHeader {
    /// The token of a `Bearer` header (the scheme in any case), without the spaces and tabs HTTP
    /// allows around it; nil for another scheme or an empty token. Every API request passes here:
    /// Foundation's `trimmingCharacters(in:)` was a twentieth of a strike's request handling.
    static func secret(in header: String) -> String? {
        guard header.utf8.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        var secret = header.unicodeScalars.dropFirst(7)
        while let first = secret.first, first == " " || first == "\t" { secret.removeFirst() }
        while let last = secret.last, last == " " || last == "\t" { secret.removeLast() }
        return secret.isEmpty ? nil : String(secret)
    }
}
