import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `log.format: json` in the real daemon, as systemd's unit starts it (`CLUBD_LOG_FORMAT=json`): every line it logs
/// is one JSON object, and the one secret it prints (the bootstrap token) is not among them.
@Suite("clubd logs as JSON lines")
struct JSONLogProcessTests {
    /// The daemon with its standard output and standard error in files of their own (ProcessTests.Daemon mixes them,
    /// and only standard error carries logs).
    final class Daemon {
        let process = Process()
        let standardOutput: URL
        let standardError: URL

        /// `wrapper`: a command that runs clubd (strace, setpriv), clubd's path and arguments appended to it.
        init(data: URL, environment: [String: String], wrapper: [String] = []) throws {
            standardOutput = URL(fileURLWithPath: data.path + "-stdout.log")
            standardError = URL(fileURLWithPath: data.path + "-stderr.log")
            for file in [standardOutput, standardError] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
            let command =
                wrapper + [
                    ProcessTests.binary.path, "serve", "--data", data.path, "--port", "0", "--config",
                    Subprocess.root.appendingPathComponent("Config/clubd.json").path,
                ]
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
            let patient = ProcessTests.patientDaemon.merging(environment) { _, new in new }
            process.environment = ProcessInfo.processInfo.environment.merging(patient) { _, new in new }
            process.standardOutput = try FileHandle(forWritingTo: standardOutput)
            process.standardError = try FileHandle(forWritingTo: standardError)
            try process.run()
        }

        var logs: String { (try? String(contentsOf: standardError, encoding: .utf8)) ?? "" }
        var printed: String { (try? String(contentsOf: standardOutput, encoding: .utf8)) ?? "" }

        /// Each line of standard error parsed, nil for one that is not a JSON object.
        var events: [[String: Any]?] {
            logs.split(separator: "\n").map { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            }
        }

        /// The "clubd listening" event's url, once it is logged.
        func listeningURL() async throws -> String {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline && process.isRunning {
                let listening = events.compactMap { $0 }.first { $0["message"] as? String == "clubd listening" }
                if let url = (listening?["metadata"] as? [String: String])?["url"] { return url }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("clubd did not log its listening line:\n\(logs)")
            throw CancellationError()
        }
    }

    @Test func everyLineTheDaemonLogsIsOneJSONObject() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ProcessTests.binary.path), "build clubd first")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-json-\(UUID().uuidString)")
        let daemon = try Daemon(data: data, environment: ["CLUBD_LOG_FORMAT": "json"])
        let url = try await daemon.listeningURL()
        let components = try #require(URLComponents(string: url))
        #expect(components.host == "127.0.0.1" && components.path == "/v1/health", "\(url)")
        let port = try #require(components.port)
        let client = try ProcessTests().client(data: data, port: port)
        client.connect()
        let health = try await client.get("/v1/health")
        #expect(health.status == .ok)
        try await client.shutdown()
        // The request's own log line, written after the answer: waited for, not slept on.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, !daemon.logs.contains(#""message":"request""#) { try await Task.sleep(for: .milliseconds(100)) }
        kill(daemon.process.processIdentifier, SIGTERM)
        while ContinuousClock.now < deadline + .seconds(30), daemon.process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(daemon.process.terminationReason == .exit && daemon.process.terminationStatus == 0, "\(daemon.logs)")

        let events = daemon.events
        #expect(events.count >= 4, "checked files, certificate, listening, the request, stopped:\n\(daemon.logs)")
        #expect(events.allSatisfy { $0 != nil }, "every line parses as a JSON object:\n\(daemon.logs)")
        let parsed = events.compactMap { $0 }
        #expect(parsed.allSatisfy { $0["timestamp"] is String && $0["level"] is String && $0["message"] is String && $0["label"] is String })
        #expect(parsed.contains { $0["message"] as? String == "clubd stopped" }, "\(daemon.logs)")
        let request = parsed.first { $0["message"] as? String == "request" }?["metadata"] as? [String: String]
        #expect(request?["path"] == "/v1/health" && request?["status"] == "200", "the request's line, its fields apart:\n\(daemon.logs)")
        // The head coordinator's token is printed once on standard output, and never logged.
        let token = try String(contentsOf: data.appendingPathComponent("bootstrap-token"), encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines
        )
        #expect(daemon.printed.contains(token))
        #expect(!daemon.logs.contains(token))
    }

    @Test func aDaemonThatCannotServeSaysWhyInJSONToo() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ProcessTests.binary.path), "build clubd first")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-json-\(UUID().uuidString)")
        try Data("not a folder\n".utf8).write(to: file)
        let (status, output) = try await Subprocess.run(
            ProcessTests.binary.path,
            ["serve", "--port", "0", "--data", file.path],
            environment: ["CLUBD_LOG_FORMAT": "json"]
        )
        #expect(status == 1)
        let lines = output.split(separator: "\n")
        let events = lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        #expect(!lines.isEmpty && events.count == lines.count, "every line is JSON, the reason too:\n\(output)")
        let critical = try #require(events.first { $0["level"] as? String == "critical" }, "\(output)")
        #expect((critical["metadata"] as? [String: String])?["error"]?.contains(file.path) == true, "\(output)")
    }

    @Test func anUnknownLogFormatStopsTheDaemonNamingTheKey() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ProcessTests.binary.path), "build clubd first")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-json-\(UUID().uuidString)")
        let (status, output) = try await Subprocess.run(
            ProcessTests.binary.path,
            ["serve", "--port", "0", "--data", data.path],
            environment: ["CLUBD_LOG_FORMAT": "yaml"]
        )
        #expect(status != 0)
        #expect(output.contains("configuration key 'log.format'") && output.contains("yaml"), "\(output)")
        #expect(!output.contains("listening"), "\(output)")
    }
}

/// The daemon within Config/clubd.service's `SystemCallFilter=`, where a call outside it fails with EPERM: traced
/// while it starts, takes an image upload, makes its thumbnail (`timeout`, `prlimit` and `vips` as its children) and
/// stops, every system call it and its children make must be one the unit allows.
@Suite("clubd within its unit's system call filter")
struct SystemCallFilterProcessTests {
    /// The system calls a `SystemCallFilter=` group stands for, groups within it expanded, as systemd lists them.
    static func systemCalls(_ group: String) async throws -> Set<String> {
        let listed = try await Subprocess.run("/usr/bin/systemd-analyze", ["syscall-filter", group]).output.split(separator: "\n").dropFirst()
        var calls = Set<String>()
        for line in listed.map({ $0.trimmingCharacters(in: .whitespaces) }) where !line.isEmpty && !line.hasPrefix("#") {
            if line.hasPrefix("@") { calls.formUnion(try await systemCalls(line)) } else { calls.insert(line) }
        }
        return calls
    }

    /// What the unit's `SystemCallFilter=` lines allow, in order: a list adds, a `~` list takes away.
    static func allowedByTheUnit() async throws -> Set<String> {
        let unit = try String(contentsOf: Subprocess.root.appendingPathComponent("Config/clubd.service"), encoding: .utf8)
        var allowed = Set<String>()
        for line in unit.split(separator: "\n") where line.hasPrefix("SystemCallFilter=") {
            let filter = line.dropFirst("SystemCallFilter=".count)
            let denied = filter.hasPrefix("~")
            for group in filter.drop(while: { $0 == "~" }).split(separator: " ") {
                let calls = try await systemCalls(String(group))
                if denied { allowed.subtract(calls) } else { allowed.formUnion(calls) }
            }
        }
        return allowed
    }

    /// The system call names in an `strace -f` output: "1234  openat(AT_FDCWD, …) = 3".
    static func calls(inTrace trace: String) -> Set<String> {
        Set(
            trace.split(separator: "\n").compactMap { line -> String? in
                // strace pads the pid to five columns: "5947  brk(NULL)" has two spaces.
                let words = line.split(separator: " ", maxSplits: 1).map { $0.drop { $0 == " " } }
                guard words.count == 2, let name = words[1].split(separator: "(").first,
                    name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
                else { return nil }
                return String(name)
            }
        )
    }

    @Test func theDaemonAndItsThumbnailerMakeOnlyAllowedSystemCalls() async throws {
        for tool in ["/usr/bin/strace", "/usr/bin/systemd-analyze", "/usr/bin/vips", "/usr/bin/setpriv"] {
            try #require(FileManager.default.isExecutableFile(atPath: tool), "Scripts/test installs \(tool)")
        }
        try #require(FileManager.default.isExecutableFile(atPath: ProcessTests.binary.path), "build clubd first")
        let allowed = try await Self.allowedByTheUnit()
        #expect(allowed.contains("prlimit64") && !allowed.contains("fchown"), "the filter read from the unit")
        // The service's user is no root: as root, SQLite would chown its journal files (a call the filter refuses,
        // and one the service never makes), so a root test runs clubd as nobody.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-seccomp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        let asService = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        let data = folder.appendingPathComponent("data")
        let config = Subprocess.root.appendingPathComponent("Config/clubd.json").path
        func clubd(_ arguments: [String]) async throws -> (status: Int32, output: String) {
            let command = asService + [ProcessTests.binary.path] + arguments + ["--data", data.path, "--config", config]
            return try await Subprocess.run(command[0], Array(command.dropFirst()))
        }
        // The reference case has open check-ins to attach an image to, and a head coordinator's token may.
        let demo = try await clubd(["demo"])
        try #require(demo.status == 0, "\(demo.output)")
        let issued = try await clubd(["token", "issue", "--role", "coordinator", "--head", "--name", "seccomp"])
        let token = issued.output.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(issued.status == 0 && token.hasPrefix("clb_"), "\(issued.output)")
        let database = try DatabaseQueue(path: data.appendingPathComponent("clubd.sqlite").path)
        let checkIn = try #require(try await database.read { try String.fetchOne($0, sql: "SELECT id FROM checkIn ORDER BY id LIMIT 1") })
        try database.close()
        let image = folder.appendingPathComponent("image.png").path
        #expect(try await Subprocess.run("/usr/bin/vips", ["black", image, "400", "300"]).status == 0)

        let trace = folder.appendingPathComponent("trace").path
        let daemon = try JSONLogProcessTests.Daemon(
            data: data,
            environment: ["CLUBD_LOG_FORMAT": "json"],
            wrapper: asService + ["/usr/bin/strace", "-f", "-qq", "-o", trace]
        )
        // strace blocks fatal signals while it runs a program (its `-I 3`): signals go to clubd, its child.
        func signalClubd(_ signal: Int32) {
            let pid = daemon.process.processIdentifier
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
            for child in children.split(separator: " ").compactMap({ Int32($0) }) { kill(child, signal) }
        }
        defer { if daemon.process.isRunning { signalClubd(SIGKILL) } }
        let url = try await daemon.listeningURL()
        let port = try #require(URLComponents(string: url)?.port)
        let client = try ProcessTests().client(data: data, port: port)
        client.connect()
        let uploaded = try await client.post(
            "/v1/check-ins/\(checkIn)/files?name=image.png",
            headers: [.authorization: "Bearer \(token)", .contentType: "image/png"],
            body: ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: image)))
        )
        #expect(uploaded.status == .created, "\(String(buffer: uploaded.body ?? ByteBuffer()))")
        let record = try JSONSerialization.jsonObject(with: Data(String(buffer: uploaded.body ?? ByteBuffer()).utf8)) as? [String: Any]
        let file = try #require(record?["id"] as? String)
        let thumbnail = try await client.get("/v1/files/\(file)/thumbnail", headers: [.authorization: "Bearer \(token)"])
        #expect(thumbnail.status == .ok && thumbnail.headers[.contentType] == "image/webp", "the thumbnail was made by vips")
        try await client.shutdown()
        signalClubd(SIGTERM)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, daemon.process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        try #require(!daemon.process.isRunning, "clubd stops on SIGTERM:\n\(daemon.logs)")
        #expect(daemon.logs.contains("clubd stopped"), "\(daemon.logs)")

        let calls = Self.calls(inTrace: try String(contentsOfFile: trace, encoding: .utf8))
        let programs = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").filter { $0.contains(" execve(\"") }
        #expect(["timeout", "prlimit", "vips"].allSatisfy { name in programs.contains { $0.contains("/\(name)\"") } }, "\(programs)")
        #expect(calls.contains("accept4") && calls.contains("prlimit64"), "the trace was read: \(calls.sorted())")
        #expect(calls.subtracting(allowed).isEmpty, "outside the unit's filter: \(calls.subtracting(allowed).sorted())")
        try? FileManager.default.removeItem(at: folder)
    }
}
