import ClubCore
import Hummingbird
import NIOCore

/// What the JSON door needs of a request context: the authenticated caller, the peer's address
/// for throttling, and how long a body may take to arrive. The daemon's context provides them.
public protocol APIRequestContext: RequestContext {
    /// Set by `AuthMiddleware` on every `/v1` route but health.
    var principal: Principal? { get set }
    /// The peer's address, for throttling failed authentications.
    var remoteAddress: SocketAddress? { get }
    /// How long a request body may take to arrive.
    var bodyTimeout: Duration { get }
}

extension APIRequestContext {
    /// The caller of an authenticated route. Only reachable without one if a route was added
    /// outside the authenticated group by mistake, hence 401 rather than a crash.
    public func caller() throws -> Principal {
        guard let principal else { throw HTTPError(.unauthorized, message: "a bearer token is required") }
        return principal
    }
}
