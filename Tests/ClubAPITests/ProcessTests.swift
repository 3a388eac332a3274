import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOSSL
import Testing

/// The real `clubd` binary, started as a user would: first start, TLS, SIGTERM, restart.
@Suite("clubd as a process", .serialized)
struct ProcessTests {
    static let packageRoot = Subprocess.root

    /// `swift test` builds every product, so the executable sits next to the test bundle.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["CLUBD_BINARY"] { return URL(fileURLWithPath: path) }
        return packageRoot.appendingPathComponent(".build/debug/clubd")
    }

    /// The full suite runs on 2 busy cores, where this test process can wait tens of seconds for a thread between
    /// connecting and sending: a daemon under test keeps an idle connection for 10 minutes rather than 30 seconds, so
    /// that it never closes one the test has not yet had the chance to use (none of these tests is about idling).
    static let patientDaemon = ["CLUBD_HTTP_IDLE_TIMEOUT_SECONDS": "600"]

    /// A running daemon and the file its output goes to.
    final class Daemon {
        let process = Process()
        let output: URL

        init(data: URL, signalLabel: String, arguments extra: [String] = []) throws {
            output = data.deletingLastPathComponent().appendingPathComponent("\(data.lastPathComponent)-\(signalLabel).log")
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            let handle = try FileHandle(forWritingTo: output)
            process.executableURL = ProcessTests.binary
            process.arguments = [
                "serve", "--data", data.path, "--port", "0", "--config", ProcessTests.packageRoot.appendingPathComponent("Config/clubd.json").path,
            ]
            process.arguments?.append(contentsOf: extra)
            process.environment = ProcessInfo.processInfo.environment.merging(ProcessTests.patientDaemon) { _, new in new }
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        }

        var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

        /// Waits for the "listening" line and returns the port it names.
        func port() async throws -> Int {
            for _ in 0..<600 {
                if let range = log.range(of: #"url=https://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                    let text = log[range]
                    return Int(text[text.index(after: text.lastIndex(of: ":")!)...]) ?? 0
                }
                if !process.isRunning { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("clubd did not start listening:\n\(log)")
            throw CancellationError()
        }

        func stop(with signal: Int32) async throws -> Int32 {
            kill(process.processIdentifier, signal)
            for _ in 0..<300 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
            #expect(process.terminationReason == .exit, "clubd should exit, not die of the signal")
            return process.terminationStatus
        }
    }

    func client(data: URL, port: Int) throws -> TestClient {
        let pem = try String(contentsOf: data.appendingPathComponent("tls/ca.pem"), encoding: .utf8)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
        return TestClient(
            host: "127.0.0.1",
            port: port,
            configuration: .init(tlsConfiguration: tls, timeout: LiveServer.patientRead, serverName: "localhost")
        )
    }

    @Test func firstStartServesOverTLSStopsGracefullyAndRestartsWithItsData() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build clubd first: \(Self.binary.path)")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-process-\(UUID().uuidString)")

        // First start: a certificate, a bootstrap token in a 0600 file, printed once.
        let first = try Daemon(data: data, signalLabel: "first")
        let port = try await first.port()
        let tokenFile = data.appendingPathComponent("bootstrap-token")
        let token = try String(contentsOf: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let mode = try FileManager.default.attributesOfItem(atPath: tokenFile.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(first.log.contains(token), "the token is printed once on first start")
        #expect(first.log.contains("sha256="), "the certificate fingerprint is logged")

        let client = try client(data: data, port: port)
        client.connect()
        let created = try await client.post(
            "/v1/studios",
            headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: ByteBuffer(string: #"{"name":"Pixel Hands","competences":["landing"],"budgetMin":0,"budgetMax":10,"capacity":1}"#)
        )
        #expect(created.status == .created)
        try await client.shutdown()
        #expect(try await first.stop(with: SIGTERM) == 0)
        #expect(!first.log.contains("clb_") || first.log.components(separatedBy: "clb_").count == 2, "the token appears once, never in log lines")

        // Restart: the same data, no new token, and SIGINT also ends it cleanly.
        let second = try Daemon(data: data, signalLabel: "second")
        let secondPort = try await second.port()
        #expect(!second.log.contains("Head coordinator token"))
        let again = try self.client(data: data, port: secondPort)
        again.connect()
        let list = try await again.get("/v1/studios", headers: [.authorization: "Bearer \(token)"])
        #expect(String(buffer: list.body ?? ByteBuffer()).contains("Pixel Hands"))
        try await again.shutdown()
        #expect(try await second.stop(with: SIGINT) == 0)
    }

    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await Subprocess.run(binary.path, arguments)
    }

    /// `clubd person invite` on the server itself (DESIGN §9): the first head coordinator of a new
    /// club needs no curl. Standard output is the link alone, on the configured public address or
    /// `https://localhost:<port>`.
    @Test func personInvitePrintsTheInvitationLinkAlone() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build clubd first: \(Self.binary.path)")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-invite-\(UUID().uuidString)")
        let link = #"^https://localhost:8443/invitations/inv_[A-Za-z0-9_-]{43}\n$"#
        let maria = [
            "person", "invite", "--data", data.path, "--email", "Maria@Example.org", "--role", "coordinator", "--head", "--name", "Maria",
            "--language", "en", "--time-zone", "Asia/Yekaterinburg",
        ]
        let first = try await Self.run(maria)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.range(of: link, options: .regularExpression) != nil, "only the link: \(first.output)")

        let again = try await Self.run(maria)
        #expect(again.status != 0)
        #expect(again.output.contains("email: another person already has this e-mail address"), "\(again.output)")
        let badZone = try await Self.run([
            "person", "invite", "--data", data.path, "--email", "x@example.org", "--role", "coordinator", "--name", "X", "--time-zone", "MSK",
        ])
        #expect(badZone.status != 0 && badZone.output.contains("timeZone"), "\(badZone.output)")

        // The port of the configuration, or the public address when one is configured.
        let anna = ["person", "invite", "--data", data.path, "--email", "anna@example.org", "--role", "coordinator", "--name", "Anna"]
        let onPort = try await Self.run(anna, environment: ["CLUBD_PORT": "9443"])
        #expect(onPort.output.hasPrefix("https://localhost:9443/invitations/inv_"), "\(onPort.output)")
        let config = data.appendingPathComponent("public.json")
        try Data(#"{"publicURL":"https://club.example.org/"}"#.utf8).write(to: config)
        let boris = ["person", "invite", "--data", data.path, "--email", "boris@example.org", "--role", "coordinator", "--name", "Boris"]
        let onPublic = try await Self.run(boris + ["--config", config.path])
        #expect(onPublic.output.hasPrefix("https://club.example.org/invitations/inv_"), "\(onPublic.output)")

        // The link opens Maria's invitation.
        let token = String(first.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "/").last ?? "")
        let database = try AppDatabase(path: data.appendingPathComponent("clubd.sqlite").path)
        guard case .open(let person, _) = try await database.invitation(token: token) else {
            Issue.record("the printed link opens no invitation")
            return
        }
        #expect(person.email == "maria@example.org" && person.head && person.language == .en && person.timeZone == "Asia/Yekaterinburg")
        try database.close()
    }

    static func run(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, output: String) {
        try await Subprocess.run(binary.path, arguments, environment: environment)
    }

    @Test func demoLoadsTheReferenceCaseAndJournalVerifyCatchesAnAlteredRow() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build clubd first: \(Self.binary.path)")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-demo-\(UUID().uuidString)").path
        let demo = try await Self.run(["demo", "--data", data])
        #expect(demo.status == 0, "\(demo.output)")
        #expect(demo.output.contains("/share/shr_"))
        #expect(try await Self.run(["demo", "--data", data]).status != 0, "the demo loads only into a fresh folder")
        let intact = try await Self.run(["journal", "verify", "--data", data])
        #expect(intact.status == 0 && intact.output.contains("journal intact"), "\(intact.output)")

        let database = data + "/clubd.sqlite"
        _ = try await Subprocess.run(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE journal SET action='renamed' WHERE seq=7\"); c.commit()",
                database,
            ]
        )
        let broken = try await Self.run(["journal", "verify", "--data", data])
        #expect(broken.status == 1)
        #expect(broken.output.contains("journal broken at event 7"), "\(broken.output)")
    }
}
