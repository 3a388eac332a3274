import ClubCore
import ClubWeb
import HTTPTypes
import Hummingbird

/// The protective headers of every answer, whatever door or status (DESIGN §6.1). A route's own
/// stricter choice stands: pages keep their nonce-based `Content-Security-Policy`.
///
/// - `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` everywhere;
/// - `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'` on every answer that
///   has no policy of its own (JSON, problems, text, redirects): nothing it holds may run or be framed;
/// - `Cache-Control: no-store` on every answer to a request that carried a credential (a bearer
///   token or the console's session cookie), and on every other answer that says nothing itself:
///   almost all of them are personal, and the rest are not worth keeping. A credentialed answer keeps
///   only a route's own `private` choice: an evidence file, revalidated by its ETag (docs/design.md §11.3);
/// - `Strict-Transport-Security` when configured, except on a loopback `publicURL`.
struct EdgeHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var lockedDownPolicy: String { "default-src 'none'; frame-ancestors 'none'" }

    /// The HSTS value, nil when none is sent.
    let strictTransportSecurity: String?

    /// `publicAddress` is read once: an address still waiting for port 0 is localhost either way.
    init(hstsSeconds: Int, publicAddress: PublicAddress) {
        strictTransportSecurity = hstsSeconds > 0 && !publicAddress.url.isLoopback ? "max-age=\(hstsSeconds)" : nil
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let credentialed = Self.carriesCredential(request)
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Answered here rather than by Hummingbird outside, so that it carries the headers too.
            response = try error.response(from: request, context: context)
        }
        protect(&response.headers, credentialed: credentialed)
        return response
    }

    func protect(_ headers: inout HTTPFields, credentialed: Bool) {
        headers[.xContentTypeOptions] = "nosniff"
        if headers[.referrerPolicy] == nil { headers[.referrerPolicy] = "no-referrer" }
        if headers[.contentSecurityPolicy] == nil { headers[.contentSecurityPolicy] = Self.lockedDownPolicy }
        let own = headers[.cacheControl]
        if own == nil || (credentialed && own?.hasPrefix("private") != true) { headers[.cacheControl] = "no-store" }
        if let strictTransportSecurity { headers[.strictTransportSecurity] = strictTransportSecurity }
    }

    static func carriesCredential(_ request: Request) -> Bool {
        request.headers[.authorization] != nil || request.cookies[ConsoleSessionCookie.name] != nil
    }
}

extension HTTPField.Name {
    /// Not among HTTPTypes' predefined names; the literal is a valid token, so this cannot fail.
    static var referrerPolicy: Self {
        guard let name = HTTPField.Name("Referrer-Policy") else { preconditionFailure("'Referrer-Policy' is not a valid header name") }
        return name
    }
}
