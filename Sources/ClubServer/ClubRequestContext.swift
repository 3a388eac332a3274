import ClubAPI
import ClubCore
import Hummingbird
import NIOCore

/// The request context of every route the daemon serves: Hummingbird's core storage plus what
/// the doors need (the authenticated caller, the peer, the body timeout).
public struct ClubRequestContext: APIRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    public let remoteAddress: SocketAddress?
    /// The listener's address this connection reached (its port names the listener's own `Host`).
    public let localAddress: SocketAddress?
    /// Set from the settings by `BodyTimeoutMiddleware`.
    public var bodyTimeout: Duration = .seconds(10)

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.remoteAddress = source.channel.remoteAddress
        self.localAddress = source.channel.localAddress
    }

    /// The route's body limit: 1 MiB unless a `BodyLimitMiddleware` of its group says otherwise;
    /// a longer body (declared or counted) is refused with 413 before it is parsed.
    public var maxUploadSize: Int = BodyAllowance.standardLimit
}
