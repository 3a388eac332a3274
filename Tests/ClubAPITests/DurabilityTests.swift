import Foundation
import Testing

/// The real daemon killed with SIGKILL under concurrent writes, backed up while it writes, and
/// fuzzed against its spec: `Scripts/crash-test`, `Scripts/backup-test` and `Scripts/fuzz` run
/// against the built binary.
@Suite("Durability", .serialized)
struct DurabilityTests {
    static func script(_ name: String, _ arguments: [String] = []) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [BrowserTests.root.appendingPathComponent("Scripts/\(name)").path] + arguments
        process.currentDirectoryURL = BrowserTests.root
        var environment = ProcessInfo.processInfo.environment
        environment["CLUBD_BINARY"] = ProcessTests.binary.path
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = try await Task.detached { try pipe.fileHandleForReading.readToEnd() ?? Data() }.value
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.timeLimit(.minutes(10)))
    func everyAcknowledgedWriteSurvivesSIGKILL() async throws {
        let result = try await Self.script("crash-test", ["3"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("crash test passed"))
    }

    @Test(.timeLimit(.minutes(10)))
    func anOnlineBackupHoldsEveryWriteAcknowledgedBeforeIt() async throws {
        let result = try await Self.script("backup-test")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("backup check passed"))
    }

    @Test(.timeLimit(.minutes(20)))
    func fuzzingEveryOperationWithEachRoleFindsNoFailure() async throws {
        let result = try await Self.script("fuzz")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("fuzz passed"))
        #expect(result.output.contains("fuzz as client: "))
    }
}
