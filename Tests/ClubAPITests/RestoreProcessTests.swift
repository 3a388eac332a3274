import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// `clubd restore` with the real binary (issue 14, item 6): never under a running daemon, and after it the daemon serves
/// the club as the backup knew it.
@Suite("clubd restore as a process", .serialized)
struct RestoreProcessTests {
    static let config = ProcessTests.packageRoot.appendingPathComponent("Config/clubd.json").path

    static func clubd(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await Subprocess.run(ProcessTests.binary.path, arguments)
    }

    static func registerStudio(_ name: String, token: String, data: URL, port: Int) async throws -> HTTPResponse.Status {
        let client = try ProcessTests().client(data: data, port: port)
        client.connect()
        let body = #"{"name":"\#(name)","competences":["landing"],"budgetMin":0,"budgetMax":10,"capacity":1}"#
        let response = try await client.post(
            "/v1/studios",
            headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: ByteBuffer(string: body)
        )
        try await client.shutdown()
        return response.status
    }

    static func studios(token: String, data: URL, port: Int) async throws -> String {
        let client = try ProcessTests().client(data: data, port: port)
        client.connect()
        let response = try await client.get("/v1/studios", headers: [.authorization: "Bearer \(token)"])
        try await client.shutdown()
        return String(buffer: response.body ?? ByteBuffer())
    }

    @Test func aBackupIsRestoredOnlyIntoAStoppedDaemonsFolderAndServedAfterwards() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ProcessTests.binary.path), "build clubd first: \(ProcessTests.binary.path)")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        let backup = root.appendingPathComponent("backup.sqlite").path

        let first = try ProcessTests.Daemon(data: data, signalLabel: "first")
        let port = try await first.port()
        let token = try String(contentsOf: data.appendingPathComponent("bootstrap-token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await Self.registerStudio("Before Backup", token: token, data: data, port: port) == .created)
        let backedUp = try await Self.clubd(["backup", "--data", data.path, "--to", backup])
        #expect(backedUp.status == 0, "\(backedUp.output)")
        #expect(try await Self.registerStudio("After Backup", token: token, data: data, port: port) == .created)

        // A second daemon on the same folder is refused in one line, before it opens anything.
        let pid = first.process.processIdentifier
        let second = try await Self.clubd(["serve", "--data", data.path, "--port", "0", "--config", Self.config])
        #expect(second.status != 0)
        #expect(second.output.contains("the data folder \(data.path) is in use by another clubd (pid \(pid))"), "\(second.output)")
        #expect(second.output.split(separator: "\n").count == 1, "one line: \(second.output)")

        // Under the running daemon the restore is refused, and the daemon keeps its later write.
        let databaseBefore = try Data(contentsOf: data.appendingPathComponent("clubd.sqlite"))
        let refused = try await Self.clubd(["restore", "--data", data.path, "--from", backup])
        #expect(refused.status != 0)
        #expect(refused.output.contains("restore refused, nothing changed"), "\(refused.output)")
        #expect(refused.output.contains("in use by another clubd (pid \(pid))"), "\(refused.output)")
        #expect(try Data(contentsOf: data.appendingPathComponent("clubd.sqlite")) == databaseBefore)
        #expect(try await Self.studios(token: token, data: data, port: port).contains("After Backup"))
        #expect(try await first.stop(with: SIGTERM) == 0)

        let restored = try await Self.clubd(["restore", "--data", data.path, "--from", backup])
        #expect(restored.status == 0, "\(restored.output)")
        #expect(restored.output.contains("journal events, chain intact, the last at"), "\(restored.output)")
        #expect(restored.output.contains("(the recovery point)"), "\(restored.output)")
        let kept = try #require(
            restored.output.range(of: #"kept as \S+\.before-restore-\d{8}T\d{6}Z"#, options: .regularExpression),
            "\(restored.output)"
        )
        let previous = String(restored.output[kept].dropFirst("kept as ".count))
        #expect(FileManager.default.fileExists(atPath: previous))

        let again = try ProcessTests.Daemon(data: data, signalLabel: "restored")
        let againPort = try await again.port()
        let list = try await Self.studios(token: token, data: data, port: againPort)
        #expect(list.contains("Before Backup"), "\(list)")
        #expect(!list.contains("After Backup"), "the write after the backup is gone: \(list)")
        #expect(try await again.stop(with: SIGTERM) == 0)
        let verified = try await Self.clubd(["journal", "verify", "--data", data.path])
        #expect(verified.status == 0 && verified.output.contains("journal intact"), "\(verified.output)")
    }
}
