import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Why a message was not handed to the relay, in the two kinds the outbox acts on differently.
public enum SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The relay answered 5xx: sending the same message again will not help. `reply` is the relay's
    /// own text (without the code), for the coordinators to read.
    case permanent(code: Int, reply: String)
    /// A 4xx answer (`code` set), or the connection, TLS, a timeout or the relay's behaviour failed
    /// (`code` nil): worth trying again later.
    case transient(code: Int?, reply: String)

    public var description: String {
        switch self {
        case let .permanent(code, reply): "the relay refused the message: \(code) \(reply)"
        case let .transient(code?, reply): "the relay deferred the message: \(code) \(reply)"
        case let .transient(nil, reply): "the message could not be sent yet: \(reply)"
        }
    }

    /// By the first digit of the relay's code (RFC 5321 §4.2.1).
    static func refusal(_ reply: SMTPReply) -> SMTPError {
        (500...599).contains(reply.code) ? .permanent(code: reply.code, reply: reply.text) : .transient(code: reply.code, reply: reply.text)
    }
}

/// Hands messages to one SMTP relay (DESIGN §10, docs/design.md §10): a connection per message,
/// `EHLO`, `STARTTLS` (or TLS from the start), `AUTH`, `MAIL FROM`, `RCPT TO`, `DATA`, `QUIT`.
/// The certificate is checked against the system's roots (plus `extraCAFile`) and the host name.
public struct SMTPClient: Sendable {
    public let relay: SMTPRelay
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    public init(relay: SMTPRelay, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) {
        self.relay = relay
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Returns once the relay has accepted the message (its 250 to the end of `DATA`); a failure
    /// after that point (on `QUIT`) is ignored, so an accepted message is never reported failed.
    public func send(_ message: MailMessage) async throws(SMTPError) {
        do {
            try SMTPRelay.validate(relay)
        } catch {
            // The daemon validates at start; a relay that slipped through sends nothing in clear.
            throw .transient(code: nil, reply: "the relay settings are refused: \(error)")
        }
        let tls = try makeTLSContext()
        let channel = try await connect(tls: tls)
        do {
            try await channel.executeThenClose { inbound, outbound in
                var conversation = SMTPConversation(
                    channel: channel.channel,
                    replies: inbound.makeAsyncIterator(),
                    outbound: outbound,
                    timeout: relay.replyTimeout,
                    logger: logger
                )
                try await deliver(message, in: &conversation, tls: tls)
            }
        } catch let error as SMTPError {
            logger.debug("mail not sent", metadata: ["relay": "\(relay.host):\(relay.port)", "error": "\(error)"])
            throw error
        } catch {
            throw .transient(code: nil, reply: "\(error)")
        }
    }

    private func deliver(_ message: MailMessage, in conversation: inout SMTPConversation, tls: NIOSSLContext) async throws {
        do {
            try await conversation.expect(conversation.reply(to: "greeting"), 220)
            var extensions = try await conversation.hello(relay.heloName)
            var secured = relay.security == .implicitTLS
            if relay.security == .startTLS {
                // Never a fall back to clear text: a relay (or someone in between) that hides
                // STARTTLS gets nothing.
                guard extensions.keywords.contains("STARTTLS") else {
                    throw SMTPError.transient(code: nil, reply: "\(relay.host) does not offer STARTTLS, which the settings require")
                }
                try await conversation.expect(conversation.command("STARTTLS"), 220)
                try await conversation.startTLS(context: tls, serverName: relay.tlsServerName)
                extensions = try await conversation.hello(relay.heloName, helloFallback: false)
                secured = true
            }
            if let username = relay.username, let password = relay.password {
                guard secured || relay.isLoopback else {
                    throw SMTPError.transient(code: nil, reply: "a password is sent only over TLS or to a relay on this machine")
                }
                try await conversation.authenticate(username: username, password: password, offered: extensions.authMechanisms)
            }
            try await conversation.expect(conversation.command("MAIL FROM:<\(relay.from.address)>"), 250)
            try await conversation.expect(conversation.command("RCPT TO:<\(message.to.address)>"), 250, 251)
            try await conversation.expect(conversation.command("DATA"), 354)
            let content = SMTPConversation.dotStuffed(message.render())
            // The relay may check the whole message before answering: twice the usual wait.
            try await conversation.expect(conversation.send(bytes: content, name: "end of data", timeoutFactor: 2), 250)
        } catch let error as SMTPError {
            if case .transient(nil, _) = error {} else { await conversation.quitQuietly() }
            throw error
        }
        logger.debug("mail accepted by the relay", metadata: ["messageID": "\(message.messageID)"])
        await conversation.quitQuietly()
    }

    private func makeTLSContext() throws(SMTPError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let extraCAFile = relay.extraCAFile { configuration.additionalTrustRoots = [.file(extraCAFile)] }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .transient(code: nil, reply: "the TLS settings cannot be used (extraCAFile \(relay.extraCAFile ?? "none")): \(error)")
        }
    }

    private func connect(tls: NIOSSLContext) async throws(SMTPError) -> NIOAsyncChannel<SMTPReply, ByteBuffer> {
        let implicitTLS = relay.security == .implicitTLS
        let serverName = relay.tlsServerName
        do {
            return try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(relay.connectTimeout)
                .connect(host: relay.connectHost, port: relay.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                        }
                        try channel.pipeline.syncOperations.addHandler(SMTPReplyFramer())
                        return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw .transient(code: nil, reply: "cannot connect to \(relay.host):\(relay.port): \(error)")
        }
    }
}

extension SMTPRelay {
    /// The host without an IPv6 address's brackets, as the resolver takes it.
    var connectHost: String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    /// The name the certificate must carry; nil for an address, which the certificate must then
    /// name instead (NIOSSL checks it against the peer's address; SNI cannot carry one).
    var tlsServerName: String? {
        let name = connectHost
        let isAddress = name.contains(":") || name.split(separator: ".").count == 4 && name.split(separator: ".").allSatisfy { UInt8($0) != nil }
        return isAddress ? nil : name
    }
}

/// What `EHLO` said the relay can do.
struct SMTPExtensions {
    /// Upper-cased keywords (`STARTTLS`, `AUTH`, `8BITMIME`…).
    var keywords: Set<String> = []
    /// Upper-cased mechanisms of the `AUTH` line (also the old `AUTH=` form).
    var authMechanisms: [String] = []

    init(ehloReply: SMTPReply? = nil) {
        for line in ehloReply?.lines.dropFirst() ?? [] {
            let words = line.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
            guard let keyword = words.first else { continue }
            keywords.insert(keyword)
            if keyword == "AUTH" { authMechanisms += words.dropFirst() }
        }
    }
}

/// One exchange with the relay: each command written, then its reply awaited under a deadline.
struct SMTPConversation {
    let channel: any Channel
    var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let timeout: TimeAmount
    let logger: Logger
    /// Compared with the framer's count before TLS starts, so no clear-text reply is read after.
    private var repliesRead = 0

    init(
        channel: any Channel,
        replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        timeout: TimeAmount,
        logger: Logger
    ) {
        self.channel = channel
        self.replies = replies
        self.outbound = outbound
        self.timeout = timeout
        self.logger = logger
    }

    /// Writes `line` and CRLF, and returns the relay's reply. `logged` replaces the line in the
    /// logs and errors when it holds a secret.
    mutating func command(_ line: String, logged: String? = nil) async throws -> SMTPReply {
        let name = logged ?? line
        logger.trace("smtp command", metadata: ["command": "\(name)"])
        return try await send(bytes: Array((line + "\r\n").utf8), name: name)
    }

    /// Writes `bytes` and awaits one reply, both within the deadline: a relay that stops reading
    /// or answering is cut off rather than waited for.
    mutating func send(bytes: [UInt8], name: String, timeoutFactor: Int64 = 1) async throws -> SMTPReply {
        try await withDeadline(name: name, factor: timeoutFactor) { conversation in
            do {
                try await conversation.outbound.write(conversation.channel.allocator.buffer(bytes: bytes))
            } catch {
                // Why the channel closed (a failed TLS handshake) reaches the inbound side: prefer it.
                _ = try await conversation.nextReply(name: name)
                throw error
            }
            return try await conversation.nextReply(name: name)
        }
    }

    /// The next reply (the greeting) within the deadline.
    mutating func reply(to name: String) async throws -> SMTPReply {
        try await withDeadline(name: name, factor: 1) { conversation in try await conversation.nextReply(name: name) }
    }

    private mutating func nextReply(name: String) async throws -> SMTPReply {
        guard let reply = try await replies.next() else {
            throw SMTPError.transient(code: nil, reply: "the relay closed the connection before answering \(name)")
        }
        repliesRead += 1
        return reply
    }

    /// The deadline closes the channel, which ends the wait for a reply with an error or the end
    /// of the stream; the flag tells that ending from the relay's own.
    private mutating func withDeadline(
        name: String,
        factor: Int64,
        _ body: (inout SMTPConversation) async throws -> SMTPReply
    ) async throws -> SMTPReply {
        let expired = DeadlineFlag()
        let channel = self.channel
        let deadline = channel.eventLoop.scheduleTask(in: timeout * factor) {
            expired.value.store(true, ordering: .relaxed)
            channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        do {
            return try await body(&self)
        } catch {
            if expired.value.load(ordering: .relaxed) {
                throw SMTPError.transient(code: nil, reply: "no answer to \(name) within \(timeout * factor)")
            }
            if error is SMTPError { throw error }
            if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
                throw SMTPError.transient(code: nil, reply: "TLS with the relay failed at \(name): \(error)")
            }
            throw SMTPError.transient(code: nil, reply: "the connection failed at \(name): \(error)")
        }
    }

    /// Fails with the reply unless its code is one of `codes`.
    func expect(_ reply: SMTPReply, _ codes: Int...) throws {
        guard codes.contains(reply.code) else { throw SMTPError.refusal(reply) }
    }

    /// `EHLO`, or `HELO` for a relay that does not know `EHLO` (it then offers no extensions).
    mutating func hello(_ name: String, helloFallback: Bool = true) async throws -> SMTPExtensions {
        let reply = try await command("EHLO \(name)")
        if reply.code == 250 { return SMTPExtensions(ehloReply: reply) }
        guard helloFallback, reply.code == 500 || reply.code == 502 else { throw SMTPError.refusal(reply) }
        try expect(try await command("HELO \(name)"), 250)
        return SMTPExtensions()
    }

    /// Puts TLS under the conversation after the relay's 220 to `STARTTLS`. Anything the relay sent
    /// after that 220 came in clear and could have been injected by someone in between (the
    /// STARTTLS injection attacks): then the conversation ends here.
    mutating func startTLS(context: NIOSSLContext, serverName: String?) async throws {
        let channel = self.channel
        let read = repliesRead
        try await channel.eventLoop.submit {
            let framer = try channel.pipeline.syncOperations.handler(type: SMTPReplyFramer.self)
            guard framer.repliesForwarded == read, !framer.holdsBytes else {
                throw SMTPError.transient(code: nil, reply: "the relay sent clear text after agreeing to STARTTLS")
            }
            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName), position: .first)
        }.get()
    }

    /// `AUTH PLAIN` when offered, else `AUTH LOGIN`; the password never reaches a log or an error.
    mutating func authenticate(username: String, password: String, offered: [String]) async throws {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if offered.contains("PLAIN") {
            let reply = try await command("AUTH PLAIN \(base64("\0\(username)\0\(password)"))", logged: "AUTH PLAIN (credentials)")
            try expect(reply, 235)
        } else if offered.contains("LOGIN") {
            try expect(try await command("AUTH LOGIN"), 334)
            try expect(try await command(base64(username), logged: "AUTH LOGIN user name"), 334)
            try expect(try await command(base64(password), logged: "AUTH LOGIN password"), 235)
        } else {
            let offers = offered.isEmpty ? "none" : offered.joined(separator: " ")
            throw SMTPError.transient(code: nil, reply: "the relay offers no AUTH mechanism this client speaks (PLAIN, LOGIN); it offers \(offers)")
        }
    }

    /// A polite end; its failure changes nothing.
    mutating func quitQuietly() async {
        _ = try? await command("QUIT")
    }

    /// The message as `DATA` carries it (RFC 5321 §4.5.2): a line starting with `.` gets a second
    /// one, the last line ends with CRLF, and `.` CRLF ends the data.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(message.count + message.count / 50 + 5)
        var atLineStart = true
        for byte in message {
            if atLineStart, byte == UInt8(ascii: ".") { result.append(byte) }
            result.append(byte)
            atLineStart = byte == 10
        }
        if !result.isEmpty, result.last != 10 { result += [13, 10] }
        return result + Array(".\r\n".utf8)
    }
}

/// Set on the event loop when a deadline passes, read by the waiting task.
private final class DeadlineFlag: Sendable {
    let value = Atomic<Bool>(false)
}

/// One reply of the relay: its code and every line's text (a multi-line reply has several).
struct SMTPReply: Sendable, Hashable {
    let code: Int
    let lines: [String]

    /// The lines joined by spaces, as the coordinators read it.
    var text: String { lines.joined(separator: " ") }
}

/// Cuts the relay's bytes into replies: lines `250-…` continue a reply, `250 …` ends it. Counts
/// what it forwarded, for the STARTTLS check.
final class SMTPReplyFramer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = SMTPReply

    /// RFC 5321 allows 512 bytes a reply line; a little more is tolerated, far more is an attack.
    static let maximumLineLength = 4096
    static let maximumLines = 256

    private var buffer = ByteBuffer()
    private var pendingCode: Int?
    private var pendingLines: [String] = []
    private(set) var repliesForwarded = 0

    /// Bytes or lines received that are not yet a whole forwarded reply.
    var holdsBytes: Bool { buffer.readableBytes > 0 || !pendingLines.isEmpty }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        do {
            while let line = try nextLine() {
                if let reply = try accept(line) {
                    repliesForwarded += 1
                    context.fireChannelRead(wrapInboundOut(reply))
                }
            }
            buffer.discardReadBytes()
        } catch {
            context.fireErrorCaught(error)
            context.close(promise: nil)
        }
    }

    private func nextLine() throws -> String? {
        guard let newline = buffer.readableBytesView.firstIndex(of: 10) else {
            if buffer.readableBytes > Self.maximumLineLength { throw SMTPError.transient(code: nil, reply: "the relay sent an over-long line") }
            return nil
        }
        let length = newline - buffer.readerIndex
        guard var line = buffer.readString(length: length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }

    /// `ddd-text` continues, `ddd text` or `ddd` ends; every line of a reply has the same code.
    private func accept(_ line: String) throws -> SMTPReply? {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, bytes[0..<3].allSatisfy({ (48...57).contains($0) }), let code = Int(String(line.prefix(3))),
            bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-"),
            pendingCode == nil || pendingCode == code, pendingLines.count < Self.maximumLines
        else {
            throw SMTPError.transient(code: nil, reply: "the relay's answer is not SMTP: \(line.prefix(80).debugDescription)")
        }
        pendingCode = code
        pendingLines.append(String(line.dropFirst(4)))
        guard bytes.count == 3 || bytes[3] == UInt8(ascii: " ") else { return nil }
        defer {
            pendingCode = nil
            pendingLines = []
        }
        return SMTPReply(code: code, lines: pendingLines)
    }
}
