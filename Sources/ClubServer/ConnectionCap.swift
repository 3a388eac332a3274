import HummingbirdCore
import HummingbirdTLS
import Logging
import Metrics
import NIOCore
import NIOSSL
import Synchronization

/// Counts open connections per client address and refuses one past `perAddress`: it is closed
/// as soon as it is accepted, before a TLS handshake or a byte of HTTP, so a client opening
/// sockets by the thousand costs the daemon a file descriptor for an instant each
/// (docs/design.md §6.1). In `/metrics`: `clubd_connections_open`,
/// `clubd_connections_refused_total`, `clubd_connection_limit_per_address`.
public final class ConnectionCap: Sendable {
    /// The default of `limits.connectionsPerAddress`: an office NAT's 100 streams plus its page loads and API calls.
    public static let standardPerAddress = 200
    public let perAddress: Int
    private let open = Mutex(OpenConnections())
    private let openGauge = Gauge(label: "clubd_connections_open")
    private let refusedCounter = Counter(label: "clubd_connections_refused_total")

    public init(perAddress: Int) {
        self.perAddress = perAddress
        Gauge(label: "clubd_connection_limit_per_address").record(perAddress)
        openGauge.record(0)
    }

    /// Counts a new connection from `address`; false (and nothing counted) past the limit.
    func admit(_ address: String) -> Bool {
        let admitted = open.withLock { open in
            let count = open.byAddress[address, default: 0]
            guard count < perAddress else { return false }
            open.byAddress[address] = count + 1
            open.total += 1
            openGauge.record(open.total)
            return true
        }
        if !admitted { refusedCounter.increment() }
        return admitted
    }

    func release(_ address: String) {
        open.withLock { open in
            let count = open.byAddress[address, default: 0]
            // An address's entry goes with its last connection.
            open.byAddress[address] = count > 1 ? count - 1 : nil
            open.total -= 1
            openGauge.record(open.total)
        }
    }

    /// Connections open now from `address`.
    public func openConnections(from address: String) -> Int {
        open.withLock { $0.byAddress[address, default: 0] }
    }

    private struct OpenConnections {
        var byAddress: [String: Int] = [:]
        var total = 0
    }
}

/// The daemon's child channel under the cap: a connection is counted (or closed) on accept, and
/// uncounted when it closes, whatever ended it.
struct CappedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value
    let base: Base
    let cap: ConnectionCap

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // A socket with no IP peer (a Unix socket) is not a client address to count.
        guard let address = channel.remoteAddress?.ipAddress else { return base.setup(channel: channel, logger: logger) }
        guard cap.admit(address) else {
            logger.debug("connection refused: too many from one address", metadata: ["address": "\(address)"])
            // NIO's async server leaves a failed child channel to its initializer: close it here.
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(ConnectionRefused())
        }
        let cap = cap
        channel.closeFuture.whenComplete { _ in cap.release(address) }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// Why a connection past the cap was closed (seen only in NIO's bookkeeping).
struct ConnectionRefused: Error {}

extension HTTPServerBuilder {
    /// HTTP/1.1 over TLS as `http1ClosingUnreadBodies` serves it, with every connection under
    /// `cap`, counted before its TLS handshake.
    static func cappedTLS(
        _ cap: ConnectionCap,
        http1 configuration: HTTP1Channel.Configuration,
        tlsConfiguration: TLSConfiguration
    ) throws -> HTTPServerBuilder {
        .init { responder in
            CappedChannel(
                base: try TLSChannel(closingUnreadBodies(responder, configuration: configuration), tlsConfiguration: tlsConfiguration),
                cap: cap
            )
        }
    }
}
