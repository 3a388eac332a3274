import Foundation
import Testing

/// The real daemon killed with SIGKILL under concurrent writes, backed up while it writes, and
/// fuzzed against its spec: `Scripts/crash-test`, `Scripts/backup-test` and `Scripts/fuzz` run
/// against the built binary.
@Suite("Durability", .serialized)
struct DurabilityTests {
    @Test(.timeLimit(.minutes(10)))
    func everyAcknowledgedWriteSurvivesSIGKILL() async throws {
        let result = try await Subprocess.script("crash-test", ["3"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("crash test passed"))
    }

    @Test(.timeLimit(.minutes(10)))
    func anOnlineBackupHoldsEveryWriteAcknowledgedBeforeIt() async throws {
        let result = try await Subprocess.script("backup-test")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("backup check passed"))
    }

    @Test(.timeLimit(.minutes(20)))
    func fuzzingEveryOperationWithEachRoleFindsNoFailure() async throws {
        let result = try await Subprocess.script("fuzz")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("fuzz passed"))
        #expect(result.output.contains("fuzz as client: "))
    }
}
