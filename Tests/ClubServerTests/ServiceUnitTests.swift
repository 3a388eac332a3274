import Foundation
import Testing

/// Config/clubd.service as systemd reads it, with the clubd this build made; and the completions and man page that
/// are generated from the same argument parser and committed.
@Suite("Running as a service")
struct ServiceUnitTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let unit = root.appendingPathComponent("Config/clubd.service")
    /// `swift test` builds every product; CLUBD_BINARY names another build, as for the process tests.
    static var binary: String {
        ProcessInfo.processInfo.environment["CLUBD_BINARY"] ?? root.appendingPathComponent(".build/debug/clubd").path
    }

    /// Runs a program to its end. Reading and waiting happen on a thread of its own, not on one of the cooperative
    /// pool's threads: on 2 cores two blocked tests would stall every other test of the process (Subprocess.swift).
    static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:]
    ) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = await withCheckedContinuation { continuation in
            // A thread of its own: Dispatch's pool adds threads for blocked ones only now and then on Linux.
            Thread.detachNewThread {
                let data = (try? pipe.fileHandleForReading.readToEnd()) ?? Data()
                process.waitUntilExit()
                continuation.resume(returning: data)
            }
        }
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Every `Key=value` of the unit, in order (a key may repeat).
    static func settings() throws -> [(key: String, value: String)] {
        try String(contentsOf: unit, encoding: .utf8).split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), !line.hasPrefix("["), let equals = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<equals]), String(line[line.index(after: equals)...]))
        }
    }

    static func value(_ key: String) throws -> [String] {
        try settings().filter { $0.key == key }.map(\.value)
    }

    /// A copy of the unit whose ExecStart runs this build's clubd, and `man1/clubd.1` for its `Documentation=man:clubd(1)`.
    static func installedCopy() throws -> (folder: URL, manPath: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-unit-\(UUID().uuidString)")
        let manual = folder.appendingPathComponent("man/man1")
        try FileManager.default.createDirectory(at: manual, withIntermediateDirectories: true)
        let text = try String(contentsOf: unit, encoding: .utf8)
        #expect(text.contains("ExecStart=/usr/local/bin/clubd "), "the unit runs clubd from where the operator guide installs it")
        try text.replacingOccurrences(of: "ExecStart=/usr/local/bin/clubd ", with: "ExecStart=\(binary) ")
            .write(to: folder.appendingPathComponent("clubd.service"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: root.appendingPathComponent("docs/man/clubd.1"), to: manual.appendingPathComponent("clubd.1"))
        return (folder, folder.appendingPathComponent("man"))
    }

    static let analyze = "/usr/bin/systemd-analyze"

    @Test func systemdVerifiesTheUnitWithoutAWord() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.analyze), "Scripts/test installs Debian's systemd")
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build clubd first: \(Self.binary)")
        let (folder, manPath) = try Self.installedCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        // verify also runs `man clubd(1)` for Documentation=, which finds the committed page through MANPATH.
        let verified = try await Self.run(
            Self.analyze,
            ["verify", folder.appendingPathComponent("clubd.service").path],
            environment: ["MANPATH": manPath.path]
        )
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.isEmpty, "an unknown key or a bad value is only a warning to systemd, but still a mistake: \(verified.output)")
    }

    /// Config/litestream.service beside clubd's (issue 20): it binds to clubd.service, so systemd verifies the two
    /// together, each running the binary this machine has (Litestream as Scripts/lib/litestream.sh obtains it), with
    /// the evidence files' copy and its timer (rsync, which Scripts/test installs).
    @Test func systemdVerifiesTheReplicationUnitBesideTheDaemons() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.analyze), "Scripts/test installs Debian's systemd")
        let obtained = try await Self.run("/bin/bash", ["-c", "source Scripts/lib/litestream.sh && ensure_litestream"])
        let litestream = obtained.output.split(separator: "\n").last.map(String.init) ?? ""
        try #require(obtained.status == 0 && FileManager.default.isExecutableFile(atPath: litestream), "\(obtained.output)")
        let (folder, manPath) = try Self.installedCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOf: Self.root.appendingPathComponent("Config/litestream.service"), encoding: .utf8)
        #expect(text.contains("ExecStart=/usr/local/bin/litestream "), "the unit runs Litestream from where the operator guide installs it")
        try text.replacingOccurrences(of: "ExecStart=/usr/local/bin/litestream ", with: "ExecStart=\(litestream) ")
            .write(to: folder.appendingPathComponent("litestream.service"), atomically: true, encoding: .utf8)
        for name in ["clubd-files-replica.service", "clubd-files-replica.timer"] {
            try FileManager.default.copyItem(at: Self.root.appendingPathComponent("Config/\(name)"), to: folder.appendingPathComponent(name))
        }
        let units = ["clubd.service", "litestream.service", "clubd-files-replica.service", "clubd-files-replica.timer"]
            .map { folder.appendingPathComponent($0).path }
        let verified = try await Self.run(Self.analyze, ["verify"] + units, environment: ["MANPATH": manPath.path])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.isEmpty, "\(verified.output)")
        #expect(text.contains("BindsTo=clubd.service") && text.contains("EnvironmentFile=-/etc/clubd/litestream.env"))
    }

    @Test func aMistakeInTheUnitIsCaughtByTheSameCheck() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.analyze), "Scripts/test installs Debian's systemd")
        let (folder, manPath) = try Self.installedCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("clubd.service")
        let text = try String(contentsOf: copy, encoding: .utf8)
        try text.replacingOccurrences(of: "ProtectSystem=strict", with: "ProtectSystm=strict").write(to: copy, atomically: true, encoding: .utf8)
        let misspelt = try await Self.run(Self.analyze, ["verify", copy.path], environment: ["MANPATH": manPath.path])
        #expect(misspelt.output.contains("Unknown key 'ProtectSystm'"), "\(misspelt.output)")
        try text.replacingOccurrences(of: "ExecStart=\(Self.binary) ", with: "ExecStart=/nonexistent/clubd ").write(
            to: copy,
            atomically: true,
            encoding: .utf8
        )
        let missing = try await Self.run(Self.analyze, ["verify", copy.path], environment: ["MANPATH": manPath.path])
        #expect(missing.status != 0, "\(missing.output)")
    }

    @Test func theUnitIsHardenedAndStopsGracefully() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.analyze), "Scripts/test installs Debian's systemd")
        let expected: [String: String] = [
            "User": "clubd", "Group": "clubd", "StateDirectory": "clubd", "ConfigurationDirectory": "clubd", "ProtectSystem": "strict",
            "ProtectHome": "yes", "NoNewPrivileges": "yes", "PrivateTmp": "yes", "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
            "KillSignal": "SIGTERM", "ExecReload": "/bin/kill -HUP $MAINPID", "Restart": "on-failure", "CapabilityBoundingSet": "",
            "Environment": "CLUBD_LOG_FORMAT=json", "StandardOutput": "null", "StandardError": "journal",
        ]
        for (key, value) in expected {
            #expect(try Self.value(key) == [value], "\(key)")
        }
        #expect(try Self.value("SystemCallFilter") == ["@system-service", "~@privileged"])
        let stop = try #require(try Self.value("TimeoutStopSec").first.flatMap { Int($0.dropLast()) })
        #expect(stop >= 20, "requests have time to finish after SIGTERM (bodies time out after 10 s)")
        // systemd's own reckoning of what the service may still reach: 0 is a sealed box, 10 an unprotected one.
        let (folder, _) = try Self.installedCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let security = try await Self.run(Self.analyze, ["security", "--offline=yes", folder.appendingPathComponent("clubd.service").path])
        let range = try #require(security.output.range(of: #"Overall exposure level for clubd\.service: [0-9.]+"#, options: .regularExpression))
        let exposure = try #require(Double(security.output[range].split(separator: " ").last ?? ""))
        #expect(exposure <= 2.0, "\(security.output)")
    }

    @Test func theUnitsFlagsAreOnesServeAccepts() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build clubd first: \(Self.binary)")
        let start = try #require(try Self.value("ExecStart").first).split(separator: " ").map(String.init)
        #expect(start.dropFirst().first == "serve")
        let help = try await Self.run(Self.binary, ["serve", "--help"])
        #expect(help.status == 0)
        let flags = start.filter { $0.hasPrefix("--") }
        #expect(flags == ["--config", "--data"])
        for flag in flags {
            #expect(help.output.contains("\(flag) <"), "clubd serve --help lists \(flag): \(help.output)")
        }
        #expect(!help.output.contains("--nonexistent <"), "the check above can fail")
    }

    @Test func theCommittedCompletionsAndManPageAreWhatTheParserGivesNow() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build clubd first: \(Self.binary)")
        let checked = try await Self.run(
            "/bin/bash",
            [Self.root.appendingPathComponent("Scripts/generate-manuals").path, "--check"],
            environment: ["CLUBD_BINARY": Self.binary]
        )
        #expect(checked.status == 0, "\(checked.output)")
        #expect(checked.output.contains("up to date"), "\(checked.output)")
        let bash = try await Self.run("/bin/bash", ["-n", Self.root.appendingPathComponent("Config/completions/clubd.bash").path])
        #expect(bash.status == 0, "\(bash.output)")
        for shell in ["bash", "zsh", "fish"] {
            let script = try String(contentsOf: Self.root.appendingPathComponent("Config/completions/clubd.\(shell)"), encoding: .utf8)
            #expect(script.contains("restore") && script.contains("serve"), "\(shell): every subcommand completes")
        }
    }

    @Test func theManPageRendersWithoutWarnings() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/man"), "Scripts/test installs Debian's man-db")
        let page = Self.root.appendingPathComponent("docs/man/clubd.1").path
        let rendered = try await Self.run(
            "/usr/bin/man",
            ["--warnings", "-l", page],
            environment: ["MANWIDTH": "100", "MANPAGER": "cat", "PAGER": "cat", "LC_ALL": "C"]
        )
        #expect(rendered.status == 0, "\(rendered.output)")
        #expect(!rendered.output.contains("warning"), "\(rendered.output)")
        // man-db emboldens with backspaces (character, backspace, character) when told to keep formatting.
        var text = ""
        for character in rendered.output {
            if character == "\u{8}" { _ = text.popLast() } else { text.append(character) }
        }
        for expected in ["clubd serve [--config config]", "clubd restore", "CLUBD_LOG_FORMAT", "/var/lib/clubd", "EXIT STATUS"] {
            #expect(text.contains(expected), "\(expected) in:\n\(text)")
        }
    }
}
