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
        // The stateful phase built on real objects: schemathesis' own summary, as the script prints it.
        for role in ["studio", "client", "coordinator", "head"] {
            let phase = Self.statefulSummary(of: role, in: result.output)
            #expect((phase?.scenarios ?? 0) > 0, "no stateful scenario as \(role): \(result.output)")
            #expect((phase?.linksCovered ?? 0) > 0, "no link followed as \(role): \(result.output)")
        }
        // The coordinators create studios, clients, requests, engagements, fix lists, complaints, audits…
        // and follow the links from what those answer beyond the first step (35 to 38 links in four runs).
        let coordinators = ["coordinator", "head"].map { Self.statefulSummary(of: $0, in: result.output)?.linksCovered ?? 0 }
        #expect(coordinators.reduce(0, +) >= 20, "\(result.output)")
    }

    /// The numbers of a line `stateful as ROLE: N scenarios, links C covered / S selected`.
    static func statefulSummary(of role: String, in output: String) -> (scenarios: Int, linksCovered: Int)? {
        let line = output.split(separator: "\n").first { $0.hasPrefix("stateful as \(role): ") }
        guard let line, let match = line.firstMatch(of: /: (\d+) scenarios, links (\d+) covered/),
            let scenarios = Int(match.1), let covered = Int(match.2)
        else { return nil }
        return (scenarios, covered)
    }
}
