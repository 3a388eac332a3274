import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import ClubNotify

/// The mail transport against real SMTP servers on loopback (issue 12 item 3): `Scripts/smtp-sink`
/// (aiosmtpd, pinned, in `.venv-notify`, made by the script on first use) receives, and Python's
/// `email` package reads what arrived, so the message is checked by an implementation that is
/// not the sender's. A few hand-written relays (NIO, in this file) misbehave on purpose.
@Suite("SMTP client", .timeLimit(.minutes(5)))
struct SMTPClientTests {
    static let logger = Logger(label: "clubd-smtp-test")

    static func relay(port: Int, security: SMTPRelay.Security = .plain, host: String = "127.0.0.1") throws -> SMTPRelay {
        SMTPRelay(
            host: host,
            port: port,
            security: security,
            from: try MailAddress("club@clubd.example", displayName: "Клуб студий"),
            heloName: "clubd.test",
            // Patient, as `LiveServer.patientRead` is: with every suite at once on 2 cores the test
            // process has gone more than 30 s without running the relay's event loop, and a reply
            // timeout then read as the relay closing. The timeout itself is tested with its own value.
            connectTimeout: .seconds(60),
            replyTimeout: .seconds(240)
        )
    }

    /// Long enough for several encoded words.
    static let russianSubject =
        "Студии предложена заявка №42 «Лендинг для пекарни» — "
        + "ответьте в течение 48 часов"
    static let russianText = """
        Здравствуйте, Анна!
        Вашей студии предложена заявка.
        Откройте её: https://club.example/console/referrals/42
        """
    static let russianHTML = """
        <p>Здравствуйте, Анна!</p>
        <p><a href="https://club.example/console/referrals/42">Открыть заявку</a></p>
        """

    static func message(
        subject: String = russianSubject,
        text: String = russianText,
        toName: String = "Анна Петрова"
    ) throws -> MailMessage {
        try MailMessage(
            from: MailAddress("club@clubd.example", displayName: "Клуб студий"),
            to: MailAddress("anna@studio.example", displayName: toName),
            subject: subject,
            text: text,
            html: russianHTML,
            messageID: "notification-42.referral-offered@clubd.example",
            date: Date(timeIntervalSince1970: 1_796_000_000),
            language: "ru",
            unsubscribeURL: "https://club.example/unsubscribe/abc123?kind=referral_offered"
        )
    }

    static func send(_ message: MailMessage, via relay: SMTPRelay) async throws(SMTPError) {
        try await SMTPClient(relay: relay, logger: logger).send(message)
    }

    // MARK: - Delivered, as a mail reader sees it

    @Test func aPlainLoopbackDeliveryArrivesWithItsHeadersBothPartsAndTheRussianSubject() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let message = try Self.message()
        try await Self.send(message, via: Self.relay(port: sink.port))

        let mail = try sink.received(1)
        #expect(mail.mailFrom == "club@clubd.example")
        #expect(mail.rcptTo == ["anna@studio.example"])
        #expect(!mail.tls && !mail.authenticated)
        #expect(mail.heloName == "clubd.test")
        #expect(mail.message.defects.isEmpty, "the parser found defects: \(mail.message.defects)")
        #expect(mail.message.subject == message.subject)
        #expect(mail.message.to == "Анна Петрова <anna@studio.example>")
        #expect(mail.message.from == "Клуб студий <club@clubd.example>")
        #expect(mail.header("Content-Language") == ["ru"])
        #expect(mail.header("Message-ID") == ["<notification-42.referral-offered@clubd.example>"])
        #expect(mail.header("MIME-Version") == ["1.0"])
        #expect(mail.header("Auto-Submitted") == ["auto-generated"])
        #expect(mail.header("List-Unsubscribe") == ["<https://club.example/unsubscribe/abc123?kind=referral_offered>"])
        #expect(mail.header("List-Unsubscribe-Post") == ["List-Unsubscribe=One-Click"])
        #expect(mail.header("Date") == ["Mon, 30 Nov 2026 00:53:20 +0000"])
        #expect(mail.message.contentType == "multipart/alternative")
        #expect(mail.message.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(mail.message.parts.allSatisfy { $0.charset == "utf-8" && $0.transferEncoding == "quoted-printable" })
        #expect(mail.message.parts.first?.content.normalizedLines == message.text)
        #expect(mail.message.parts.last?.content.normalizedLines == message.html)

        // The bytes themselves: 7-bit, CRLF only, lines within 78 characters (the unsubscribe
        // address, which cannot be folded, within SMTP's 998).
        let raw = try sink.rawMessage(1)
        #expect(raw.allSatisfy { $0 < 128 })
        let lines = raw.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        #expect(lines.allSatisfy { $0.last == UInt8(ascii: "\r") }, "a line ends with a bare LF")
        #expect(lines.map(\.count).max() ?? 0 <= 998)
        #expect(lines.filter { !$0.starts(with: Array("List-Unsubscribe:".utf8)) }.map(\.count).max() ?? 0 <= 78 + 1)
    }

    @Test func aBodyLineStartingWithADotArrivesIntact() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let text = ".\n.hidden line\n..two dots\nmiddle . line\n."
        let message = try Self.message(text: text)
        #expect(message.render().split(separator: 10).contains { $0.first == UInt8(ascii: ".") }, "the test must exercise stuffing")
        try await Self.send(message, via: Self.relay(port: sink.port))
        #expect(try sink.received(1).message.parts.first?.content.normalizedLines == text)
    }

    // MARK: - TLS and AUTH

    @Test func startTLSWithTheTestCertificateAuthorityThenAuthPlainDelivers() async throws {
        let certificates = try await TestCertificates.make()
        let sink = try await SMTPSink.start(certificates.sinkArguments(["--starttls", "--auth", "clubd:s3cret pass"]))
        defer { sink.stop() }
        var relay = try Self.relay(port: sink.port, security: .startTLS, host: "localhost")
        relay.extraCAFile = certificates.authority
        relay.username = "clubd"
        relay.password = "s3cret pass"
        try await Self.send(try Self.message(), via: relay)

        let mail = try sink.received(1)
        #expect(mail.tls && mail.authenticated)
        #expect(mail.authUser == "clubd")
        #expect(mail.message.subject == (try Self.message()).subject)
    }

    @Test func aRelayOfferingOnlyAuthLoginGetsAuthLogin() async throws {
        let certificates = try await TestCertificates.make()
        let sink = try await SMTPSink.start(certificates.sinkArguments(["--starttls", "--auth", "clubd:pa:ss", "--auth-exclude", "PLAIN"]))
        defer { sink.stop() }
        var relay = try Self.relay(port: sink.port, security: .startTLS, host: "localhost")
        relay.extraCAFile = certificates.authority
        relay.username = "clubd"
        relay.password = "pa:ss"
        try await Self.send(try Self.message(), via: relay)
        let mail = try sink.received(1)
        #expect(mail.tls && mail.authenticated && mail.authUser == "clubd")
    }

    @Test func aCertificateNotSignedByATrustedAuthorityIsRefusedAsTransient() async throws {
        let certificates = try await TestCertificates.make()
        let sink = try await SMTPSink.start(certificates.sinkArguments(["--starttls"]))
        defer { sink.stop() }
        let relay = try Self.relay(port: sink.port, security: .startTLS, host: "localhost")  // no extraCAFile
        let error = await #expect(throws: SMTPError.self) { try await Self.send(try Self.message(), via: relay) }
        guard case let .transient(nil, reply)? = error else {
            Issue.record("expected a transient failure, got \(String(describing: error))")
            return
        }
        #expect(reply.lowercased().contains("certificate"), "\(reply)")
        #expect(sink.receivedCount == 0)
    }

    @Test func aWrongPasswordIsAPermanentRefusalAndTheErrorNeverShowsThePassword() async throws {
        let certificates = try await TestCertificates.make()
        let sink = try await SMTPSink.start(certificates.sinkArguments(["--starttls", "--auth", "clubd:right"]))
        defer { sink.stop() }
        var relay = try Self.relay(port: sink.port, security: .startTLS, host: "localhost")
        relay.extraCAFile = certificates.authority
        relay.username = "clubd"
        relay.password = "wrong-secret-7"
        let error = await #expect(throws: SMTPError.self) { try await Self.send(try Self.message(), via: relay) }
        guard case let .permanent(code, _)? = error else {
            Issue.record("expected a permanent refusal, got \(String(describing: error))")
            return
        }
        #expect(code == 535)
        #expect(!"\(error.map { "\($0)" } ?? "") \(relay) \(String(reflecting: relay))".contains("wrong-secret-7"))
        #expect(sink.receivedCount == 0)
    }

    @Test func implicitTLSToAnAddressChecksTheCertificateAgainstTheAddress() async throws {
        let certificates = try await TestCertificates.make()
        let sink = try await SMTPSink.start(certificates.sinkArguments(["--implicit-tls"]))
        defer { sink.stop() }
        var relay = try Self.relay(port: sink.port, security: .implicitTLS, host: "127.0.0.1")
        relay.extraCAFile = certificates.authority
        try await Self.send(try Self.message(), via: relay)
        #expect(try sink.received(1).tls)
    }

    // MARK: - Failures the outbox branches on

    @Test func aRelayRefusingTheRecipientWith550GivesAPermanentErrorWithItsReply() async throws {
        let sink = try await SMTPSink.start(["--refuse-rcpt", "550"])
        defer { sink.stop() }
        let error = await #expect(throws: SMTPError.self) { try await Self.send(try Self.message(), via: Self.relay(port: sink.port)) }
        guard case let .permanent(code, reply)? = error else {
            Issue.record("expected a permanent refusal, got \(String(describing: error))")
            return
        }
        #expect(code == 550)
        #expect(reply == "5.1.1 <anna@studio.example>: no such mailbox here")
        #expect(sink.receivedCount == 0)
    }

    @Test func aDeferredMessageIsTransientAndTheSameMessageSentAgainArrivesOnce() async throws {
        let sink = try await SMTPSink.start(["--defer-first", "1"])
        defer { sink.stop() }
        let message = try Self.message()
        let relay = try Self.relay(port: sink.port)
        let error = await #expect(throws: SMTPError.self) { try await Self.send(message, via: relay) }
        #expect(error == .transient(code: 451, reply: "4.3.0 deferred by --defer-first, try again later"))
        #expect(sink.receivedCount == 0)
        try await Self.send(message, via: relay)
        #expect(sink.receivedCount == 1)
        #expect(try sink.received(1).header("Message-ID") == ["<notification-42.referral-offered@clubd.example>"])
    }

    @Test func aPortNobodyListensOnGivesATransientError() async throws {
        let port = try await FakeRelay.unusedPort()
        let error = await #expect(throws: SMTPError.self) { try await Self.send(try Self.message(), via: Self.relay(port: port)) }
        guard case let .transient(nil, reply)? = error else {
            Issue.record("expected a transient failure, got \(String(describing: error))")
            return
        }
        #expect(reply.contains("cannot connect to 127.0.0.1:\(port)"))
    }

    @Test func aRelayThatNeverGreetsIsCutOffAtTheReplyTimeout() async throws {
        let relayServer = try await FakeRelay.start { _ in nil }
        defer { relayServer.stop() }
        var relay = try Self.relay(port: relayServer.port)
        relay.replyTimeout = .milliseconds(300)
        let error = await #expect(throws: SMTPError.self) { try await Self.send(try Self.message(), via: relay) }
        #expect(error == .transient(code: nil, reply: "no answer to greeting within 300 ms"))
    }

    @Test func a4xxAnswerIsTransientWithTheRelaysCode() async throws {
        let relayServer = try await FakeRelay.start { line in
            switch line {
            case nil: "220 fake ready"
            case let line? where line.hasPrefix("MAIL FROM"): "451 4.3.0 try again later"
            default: "250 ok"
            }
        }
        defer { relayServer.stop() }
        let error = await #expect(throws: SMTPError.self) { try await Self.send(try Self.message(), via: Self.relay(port: relayServer.port)) }
        #expect(error == .transient(code: 451, reply: "4.3.0 try again later"))
    }

    @Test func clearTextSentAfterTheSTARTTLSAnswerEndsTheConversation() async throws {
        let relayServer = try await FakeRelay.start { line in
            switch line {
            case nil: "220 fake ready"
            case "EHLO clubd.test": "250-fake\r\n250-PIPELINING\r\n250 STARTTLS"
            // Someone in between appends an answer of their own to the relay's 220.
            case "STARTTLS": "220 go ahead\r\n250 injected"
            default: "250 ok"
            }
        }
        defer { relayServer.stop() }
        let relay = try Self.relay(port: relayServer.port, security: .startTLS)
        let error = await #expect(throws: SMTPError.self) { try await Self.send(try Self.message(), via: relay) }
        #expect(error == .transient(code: nil, reply: "the relay sent clear text after agreeing to STARTTLS"))
    }

    @Test func aRelayThatHidesSTARTTLSGetsNothingInClearText() async throws {
        let relayServer = try await FakeRelay.start { line in
            switch line {
            case nil: "220 fake ready"
            case "EHLO clubd.test": "250-fake\r\n250 AUTH PLAIN"
            default: "250 ok"
            }
        }
        defer { relayServer.stop() }
        let relay = try Self.relay(port: relayServer.port, security: .startTLS)
        let error = await #expect(throws: SMTPError.self) { try await Self.send(try Self.message(), via: relay) }
        #expect(error == .transient(code: nil, reply: "127.0.0.1 does not offer STARTTLS, which the settings require"))
        #expect(!relayServer.lines.contains { $0.hasPrefix("MAIL") || $0.hasPrefix("AUTH") })
    }

    // MARK: - No injection, no clear text elsewhere

    @Test func aLineBreakInAHeaderValueCannotAddAHeader() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let message = try Self.message(subject: "Hello\r\nBcc: victim@example.org", toName: "Anna\r\nX-Injected: yes")
        try await Self.send(message, via: Self.relay(port: sink.port))
        let mail = try sink.received(1)
        #expect(mail.message.subject == "Hello  Bcc: victim@example.org")
        #expect(mail.header("Bcc").isEmpty && mail.header("X-Injected").isEmpty)
        #expect(mail.header("Subject").count == 1)
        #expect(mail.rcptTo == ["anna@studio.example"])

        // Where a line break cannot be made harmless, the value is refused.
        #expect(throws: MailMessage.Invalid.self) { try MailAddress("anna@studio.example\r\nBcc: victim@example.org") }
        #expect(throws: MailMessage.Invalid.self) { try MailAddress("anna@studio.example>\r\nRCPT TO:<victim@example.org") }
        let to = try MailAddress("anna@studio.example")
        #expect(throws: MailMessage.Invalid.self) {
            try MailMessage(from: to, to: to, subject: "", text: "", html: "", messageID: "a@b\r\nBcc: x@y", date: Date(), language: "ru")
        }
        #expect(throws: MailMessage.Invalid.self) {
            try MailMessage(from: to, to: to, subject: "", text: "", html: "", messageID: "a@b", date: Date(), language: "ru\r\nBcc: x@y")
        }
        #expect(throws: MailMessage.Invalid.self) {
            try MailMessage(
                from: to,
                to: to,
                subject: "",
                text: "",
                html: "",
                messageID: "a@b",
                date: Date(),
                language: "ru",
                unsubscribeURL: "https://club.example/u>\r\nBcc: x@y"
            )
        }
        #expect(throws: MailMessage.Invalid.self) {
            try MailMessage(
                from: to,
                to: to,
                subject: "",
                text: "",
                html: "",
                messageID: "a@b",
                date: Date(),
                language: "ru",
                unsubscribeURL: "http://club.example/u"
            )
        }
    }

    @Test func plainIsRefusedForARelayOffThisMachineNamingTheKey() throws {
        var relay = try Self.relay(port: 25, security: .plain, host: "smtp.example.org")
        let error = #expect(throws: SMTPRelay.Invalid.self) { try SMTPRelay.validate(relay, keyPrefix: "notifications.mail") }
        #expect(error?.key == "notifications.mail.security")
        #expect(error?.description.contains("smtp.example.org") == true)
        for host in ["localhost", "127.0.0.1", "127.8.9.10", "::1", "[::1]", "mail.localhost"] {
            relay.host = host
            #expect(throws: Never.self, "\(host)") { try SMTPRelay.validate(relay) }
        }
        for host in ["127.0.0.1.example.org", "10.0.0.1", "128.0.0.1", "localhost.example.org"] {
            relay.host = host
            #expect(throws: SMTPRelay.Invalid.self, "\(host)") { try SMTPRelay.validate(relay) }
        }
        relay.host = "smtp.example.org"
        relay.security = .startTLS
        relay.username = "only-a-name"
        #expect(throws: SMTPRelay.Invalid.self) { try SMTPRelay.validate(relay) }
        relay.password = "secret"
        #expect(throws: Never.self) { try SMTPRelay.validate(relay) }
    }

    // MARK: - The encodings on their own

    @Test func quotedPrintableKeepsLinesShortAndEscapesWhatIsNotPlainASCII() {
        let long = String(repeating: "Длинная строка без переводов, ", count: 20) + "конец. "
        let encoded = MIMEText.quotedPrintable(long + "\r\nx=1\ttab \n")
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(lines.dropLast(3).allSatisfy { $0.hasSuffix("=") }, "soft breaks end every folded line")
        #expect(lines[lines.count - 3].hasSuffix("=20"), "a space ending a line is escaped, not dropped")
        #expect(lines.suffix(2) == ["x=3D1\ttab=20", ""])
        #expect(lines.last == "")
        #expect(!encoded.contains("=_"), "the MIME boundary can never appear in a part")
    }

    @Test func dotStuffingDoublesALeadingDotAndEndsTheData() {
        let stuffed = SMTPConversation.dotStuffed(Array(".a\r\nb.\r\n..c\r\n.".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "..a\r\nb.\r\n...c\r\n..\r\n.\r\n")
    }
}

// MARK: - What the sink received

struct ReceivedMail: Decodable {
    struct Parsed: Decodable {
        struct Part: Decodable {
            let contentType: String
            let charset: String?
            let transferEncoding: String?
            let content: String
        }

        let headers: [[String]]
        let subject: String
        let from: String
        let to: String
        let contentType: String
        let parts: [Part]
        let defects: [String]
    }

    let mailFrom: String
    let rcptTo: [String]
    let tls: Bool
    let authenticated: Bool
    let authUser: String?
    let heloName: String?
    let message: Parsed

    /// Every value of the header, as Python's `email` decoded it.
    func header(_ name: String) -> [String] {
        message.headers.filter { $0.first?.lowercased() == name.lowercased() }.compactMap { $0.last }
    }
}

extension String {
    /// CRLF as LF: Python hands a decoded part back with the wire's line endings.
    var normalizedLines: String { replacingOccurrences(of: "\r\n", with: "\n") }
}

/// `Scripts/smtp-sink` as a child process: its port, its folder of received mail.
final class SMTPSink {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let process: Process
    /// Held open while the sink should run; closing it (or this process dying) ends the sink.
    let input: Pipe
    let port: Int
    let folder: URL

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private init(process: Process, input: Pipe, port: Int, folder: URL) {
        self.process = process
        self.input = input
        self.port = port
        self.folder = folder
    }

    /// Starts the sink (making its venv on first use) and waits for the port it prints.
    static func start(_ arguments: [String] = []) async throws -> SMTPSink {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("sink.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments =
            [packageRoot.appendingPathComponent("Scripts/smtp-sink").path, "--port", "0", "--out", folder.appendingPathComponent("mail").path]
            + ["--until-stdin-closes"] + arguments
        process.currentDirectoryURL = packageRoot
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        // The first line may take a venv's installation: read it off the cooperative pool.
        let firstLine = await withCheckedContinuation { continuation in
            Thread.detachNewThread {  // not Dispatch: on Linux its pool grows for blocked threads only now and then
                var bytes: [UInt8] = []
                while !bytes.contains(10) {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    bytes += chunk
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
        guard let port = Int(firstLine.split(separator: "\n").first ?? "") else {
            process.terminate()
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw Failure(description: "Scripts/smtp-sink did not print its port:\n\(firstLine)\n\(text)")
        }
        return SMTPSink(process: process, input: input, port: port, folder: folder.appendingPathComponent("mail"))
    }

    /// Never waits: a blocked wait here would hold one of the few threads every test shares.
    func stop() {
        process.terminate()
        try? input.fileHandleForWriting.close()
    }

    /// Messages written so far (the sink writes each before it answers 250, so after a send
    /// returns, its message is here).
    var receivedCount: Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.count
    }

    func received(_ number: Int) throws -> ReceivedMail {
        let file = folder.appendingPathComponent("\(number).json")
        guard FileManager.default.fileExists(atPath: file.path) else {
            let log = (try? String(contentsOf: folder.deletingLastPathComponent().appendingPathComponent("sink.log"), encoding: .utf8)) ?? ""
            throw Failure(description: "the sink received no message \(number); its log:\n\(log)")
        }
        return try JSONDecoder().decode(ReceivedMail.self, from: Data(contentsOf: file))
    }

    func rawMessage(_ number: Int) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent("\(number).eml")))
    }
}

/// A test authority and a certificate for `localhost` and `127.0.0.1` signed by it, made by
/// `Scripts/smtp-sink make-test-certificates` (openssl).
struct TestCertificates {
    let folder: URL
    var authority: String { folder.appendingPathComponent("ca.pem").path }

    static func make() async throws -> TestCertificates {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-certs-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [SMTPSink.packageRoot.appendingPathComponent("Scripts/smtp-sink").path, "make-test-certificates", folder.path]
        try process.run()
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {  // not Dispatch: on Linux its pool grows for blocked threads only now and then
                process.waitUntilExit()
                continuation.resume()
            }
        }
        #expect(process.terminationStatus == 0)
        return TestCertificates(folder: folder)
    }

    func sinkArguments(_ extra: [String]) -> [String] {
        extra + ["--cert", folder.appendingPathComponent("cert.pem").path, "--key", folder.appendingPathComponent("key.pem").path]
    }
}

/// A relay that answers each line as a script says (nil: the greeting; a nil answer: silence),
/// for the misbehaviours no real server shows on request.
final class FakeRelay: Sendable {
    typealias Script = @Sendable (String?) -> String?

    let channel: any Channel
    private let received: ReceivedLines

    var port: Int { channel.localAddress?.port ?? 0 }
    var lines: [String] { received.lines }

    private init(channel: any Channel, received: ReceivedLines) {
        self.channel = channel
        self.received = received
    }

    static func start(_ script: @escaping Script) async throws -> FakeRelay {
        let received = ReceivedLines()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ScriptedAnswers(script: script, received: received))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return FakeRelay(channel: channel, received: received)
    }

    /// A port that was free a moment ago: bound, then closed.
    static func unusedPort() async throws -> Int {
        let relay = try await start { _ in nil }
        let port = relay.port
        try await relay.channel.close()
        return port
    }

    func stop() { channel.close(promise: nil) }
}

/// What the fake relay was told, read by the test while the event loop writes.
private final class ReceivedLines: Sendable {
    private let mutex = Mutex<[String]>([])
    var lines: [String] { mutex.withLock { $0 } }
    func append(_ line: String) { mutex.withLock { $0.append(line) } }
}

private final class ScriptedAnswers: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let script: FakeRelay.Script
    let received: ReceivedLines
    private var buffer = ""

    init(script: @escaping FakeRelay.Script, received: ReceivedLines) {
        self.script = script
        self.received = received
    }

    func channelActive(context: ChannelHandlerContext) {
        answer(script(nil), context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        buffer += String(buffer: unwrapInboundIn(data))
        while let end = buffer.range(of: "\r\n") {
            let line = String(buffer[..<end.lowerBound])
            buffer = String(buffer[end.upperBound...])
            received.append(line)
            answer(script(line), context: context)
        }
    }

    private func answer(_ text: String?, context: ChannelHandlerContext) {
        guard let text else { return }
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text + "\r\n")), promise: nil)
    }
}
