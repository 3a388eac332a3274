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
    /// Set from the settings by `BodyTimeoutMiddleware`.
    public var bodyTimeout: Duration = .seconds(10)

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Bodies over 1 MiB are refused with 413 before they are parsed.
    public var maxUploadSize: Int { 1 << 20 }
}
