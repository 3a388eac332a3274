import ClubCore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The request context of every route: Hummingbird's core storage plus the authenticated caller.
public struct ClubRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` on every `/v1` route but health.
    public var principal: Principal?
    /// The peer's address, for throttling failed authentications.
    public let remoteAddress: SocketAddress?
    /// How long a request body may take to arrive; set from the settings by `BodyTimeoutMiddleware`.
    public var bodyTimeout: Duration = .seconds(10)

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Bodies over 1 MiB are refused with 413 before they are parsed.
    public var maxUploadSize: Int { 1 << 20 }

    /// The caller of an authenticated route. Only reachable without one if a route was added
    /// outside the authenticated group by mistake, hence 401 rather than a crash.
    public func caller() throws -> Principal {
        guard let principal else { throw HTTPError(.unauthorized, message: "a bearer token is required") }
        return principal
    }
}
