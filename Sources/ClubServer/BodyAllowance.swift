import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// How much of a request body the daemon reads when nobody asked it to (docs/design.md §6.1
/// "Request bodies"): a body is read by the route that accepted the caller and the declared
/// length, up to that route's limit; what an early answer (401, 403, 404, 413, …) leaves unread
/// is drained only up to `allowance`, beyond which the connection is closed instead.
public enum BodyAllowance {
    /// The left-over body drained after an early answer so that the connection can be kept.
    public static let allowance = 64 * 1024
    /// The body limit of every route that does not declare its own (`BodyLimitMiddleware`).
    public static let standardLimit = 1 << 20
}

/// The request body as the routes read it, counted, with one underlying iterator that the
/// route and the drain after it share (Hummingbird's body can be iterated only once). Reads are
/// sequential (one request, one task at a time), which is what makes the unchecked state safe.
final class BodyMeter: AsyncSequence, @unchecked Sendable {
    typealias Element = ByteBuffer

    private let body: RequestBody
    private var iterator: RequestBody.AsyncIterator?
    private(set) var bytesRead = 0
    /// The body's end was seen: nothing of this request is left on the connection.
    private(set) var ended = false

    init(_ body: RequestBody) {
        self.body = body
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let meter: BodyMeter
        func next() async throws -> ByteBuffer? { try await meter.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(meter: self) }

    func next() async throws -> ByteBuffer? {
        guard !ended else { return nil }
        // Made once and kept before the first await: a second iterator of the body would be empty.
        if iterator == nil { iterator = body.makeAsyncIterator() }
        guard var current = iterator else { return nil }
        let buffer = try await current.next()
        iterator = current
        if let buffer { bytesRead += buffer.readableBytes } else { ended = true }
        return buffer
    }

    /// Reads what the route left, up to `allowance` bytes and for at most `timeout`; true when
    /// the body ended within both. A declared length that leaves more than the allowance is not
    /// read at all. A request with neither a length nor chunks has no body on the wire: its end
    /// is already there, and reading it needs no timer.
    func drainsToEnd(within allowance: Int, declaredLength: Int?, chunked: Bool, timeout: Duration) async -> Bool {
        if ended { return true }
        if let declaredLength, declaredLength - bytesRead > allowance { return false }
        if declaredLength == nil, !chunked { return (try? await drain(upTo: allowance)) ?? false }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await self.drain(upTo: allowance)) ?? false }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    private func drain(upTo allowance: Int) async throws -> Bool {
        var drained = 0
        while let buffer = try await next() {
            drained += buffer.readableBytes
            if drained > allowance { return false }
        }
        return true
    }
}

/// Marks `Connection: close` on an answer that left more of the body unread than the allowance
/// (the connection layer, `HTTPServerBuilder.http1ClosingUnreadBodies`, then closes it without
/// reading on). A body the route left but that ends within the allowance is drained, and the
/// connection kept: a small form posted without a session still gets a kept-alive redirect.
struct UnreadBodyMiddleware: RouterMiddleware {
    typealias Context = ClubRequestContext
    let allowance: Int
    /// The drain waits no longer than a body may take to arrive.
    let timeout: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let meter = BodyMeter(request.body)
        var request = request
        request.body = RequestBody(asyncSequence: meter)
        var response = try await next(request, context)
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        let chunked = request.headers[.transferEncoding] != nil
        let ended = await meter.drainsToEnd(within: allowance, declaredLength: declared, chunked: chunked, timeout: timeout)
        if !ended { response.headers[.connection] = "close" }
        return response
    }
}

/// Raises (or lowers) the body limit for the routes of a group, before their handlers read:
/// `group.add(middleware: BodyLimitMiddleware(limit: 50 << 20))` for an upload route.
public struct BodyLimitMiddleware: RouterMiddleware {
    public typealias Context = ClubRequestContext
    let limit: Int

    public init(limit: Int) {
        self.limit = limit
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.maxUploadSize = limit
        return try await next(request, context)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 whose connections are closed after an answer that left the body unread,
    /// without reading more of it: Hummingbird would otherwise drain the whole body before the
    /// next request, however long it is, and it does not act on a response's `Connection: close`.
    static func http1ClosingUnreadBodies(configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        .init { responder in closingUnreadBodies(responder, configuration: configuration) }
    }

    /// The channel of `http1ClosingUnreadBodies`, for a builder that wraps it (`ConnectionCap`).
    static func closingUnreadBodies(
        _ responder: @escaping HTTPChannelHandler.Responder,
        configuration: HTTP1Channel.Configuration
    ) -> ShortReadsChannel {
        ShortReadsChannel(
            base: HTTP1Channel(
                responder: { request, writer, channel in
                    let meter = BodyMeter(request.body)
                    var request = request
                    request.body = RequestBody(asyncSequence: meter)
                    try await responder(request, writer, channel)
                    // The same stream `UnreadBodyMiddleware` drained: unended here means it
                    // answered `Connection: close`.
                    if !meter.ended { try await stopReadingAndClose(channel) }
                },
                configuration: configuration
            )
        )
    }

    /// Stops reading first, so that TLS's closing handshake (which waits a few seconds for the
    /// client's close_notify) does not go on pulling the body in meanwhile.
    private static func stopReadingAndClose(_ channel: any Channel) async throws {
        try await channel.setOption(ChannelOptions.autoRead, value: false).get()
        channel.close(promise: nil)
    }
}

/// HTTP/1.1 reading the socket at most one TLS record's worth (16 KiB) at a time. Hummingbird
/// reads ahead up to ten body parts while a route decides whether it wants the body; with NIO's
/// adaptive reads of up to 64 KiB that read-ahead alone could pass a megabyte.
struct ShortReadsChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    static let readSize = 16 * 1024
    let base: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.syncOptions?.setOption(ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.readSize))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
