import Foundation
import Testing

/// Evidence files lose nothing to `kill -9` (issue 13, item 5; docs/design.md §11.2): `Scripts/files-crash-test`
/// starts the real clubd, fires 50 concurrent HTTPS uploads of distinct random PNGs and texts, kills the daemon with
/// SIGKILL once about half are acknowledged, and restarts it: every acknowledged file is listed and downloads intact
/// by SHA-256, and the data folder holds exactly the referenced contents, with nothing left in its staging folder.
@Suite("Evidence files survive kill -9", .serialized)
struct FilesCrashTests {
    @Test(.timeLimit(.minutes(10)))
    func everyAcknowledgedUploadSurvivesAKillIntactAndNoOrphanRemains() async throws {
        let (status, text) = try await Subprocess.script("files-crash-test")
        #expect(status == 0, "Scripts/files-crash-test failed:\n\(text)")
        let first = text.split(separator: "\n").first { $0.hasPrefix("life 1:") }
        let acknowledged = first.flatMap { line in line.split(separator: " ").dropFirst(2).first.flatMap { Int($0) } }
        #expect((1..<50).contains(acknowledged ?? 0), "killed in the middle of the uploads: \(first ?? "")")
        #expect(text.contains("killed with SIGKILL"))
        #expect(text.contains(" 0 damaged"))
        #expect(text.contains("0 orphans, 0 missing, 0 left in tmp/"))
        #expect(text.contains("files crash test passed"))
        print(text.split(separator: "\n").filter { $0.hasPrefix("life") || $0.hasPrefix("  ") }.joined(separator: "\n"))
    }
}
