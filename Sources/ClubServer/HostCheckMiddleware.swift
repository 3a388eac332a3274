import ClubCore
import HTTPTypes
import Hummingbird
import NIOCore

/// The console and the share pages answer only under the club's own names (DESIGN §6.1): the
/// host and port of `publicURL`, or the machine's own address — `localhost`, `127.0.0.1`, `[::1]`
/// or the address the connection reached. Any other `Host` — forged, passed on by a proxy, or a
/// DNS-rebinding page's own name — is answered 421 Misdirected Request with a small plain page.
/// The own addresses are taken on any port: an SSH tunnel or a local relay reaches the listener
/// on another one, and neither a forged link nor a rebinding page can use a loopback name or an
/// IP literal. The JSON API (`/v1`, `/metrics`) answers under any name: it builds no link from it.
struct HostCheckMiddleware: RouterMiddleware {
    typealias Context = ClubRequestContext

    let publicAddress: PublicAddress

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !Self.isAPI(request.uri.path), let named = request.head.authority ?? request.headers[.host] else {
            return try await next(request, context)
        }
        guard Self.accepts(named, publicURL: publicAddress.url, listener: context.localAddress) else {
            return Self.misdirected(publicAddress.url)
        }
        return try await next(request, context)
    }

    static func isAPI(_ path: String) -> Bool {
        path == "/v1" || path.hasPrefix("/v1/") || path == "/metrics"
    }

    /// Whether `authority` (a `Host` value) names this club or this machine.
    static func accepts(_ authority: String, publicURL: PublicURL, listener: SocketAddress?) -> Bool {
        guard let (host, port) = PublicURL.split(authority: authority.lowercased()) else { return false }
        if host == publicURL.host, (port ?? 443) == (publicURL.port ?? 443) { return true }
        var ownNames: Set = ["localhost", "127.0.0.1", "[::1]"]
        if let ip = listener?.ipAddress { ownNames.insert(ip.contains(":") ? "[\(ip)]" : ip) }
        return ownNames.contains(host)
    }

    static func misdirected(_ publicURL: PublicURL) -> Response {
        Response(
            status: .misdirectedRequest,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "421 Misdirected Request: this server answers for \(publicURL) only.\n"))
        )
    }
}

extension HTTPField.Name {
    /// HTTP/1.1's `Host`, for a request that did not turn it into `:authority`.
    static var host: Self {
        guard let name = HTTPField.Name("Host") else { preconditionFailure("'Host' is not a valid header name") }
        return name
    }
}
