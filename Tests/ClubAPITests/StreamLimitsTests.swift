import Foundation
import Testing

/// Bounded event streams and connections (issue 14, item 3; docs/design.md §6.1): `Scripts/stream-limits-test` starts
/// the real clubd with small limits, opens streams past the limit of a share link, of a signed-in person, of an address
/// and of the daemon (429 or 503, each with Retry-After), connections past the per-address cap (closed at once), reads
/// the limits and counts in /metrics, floods the full daemon with refused attempts while its VmRSS and the time of
/// GET /v1/health and GET /v1/me stay within their bounds, and sees closed streams free their slots; then, in headless
/// Chromium, a share page whose stream is refused shows its notice (role=status, in Russian) and passes axe-core.
@Suite("Streams and connections are bounded", .serialized)
struct StreamLimitsTests {
    @Test(.timeLimit(.minutes(10)))
    func streamsAndConnectionsPastEachLimitAreRefusedAndTheDaemonStaysSmallAndQuick() async throws {
        let (status, text) = try await Subprocess.script("stream-limits-test")
        #expect(status == 0, "Scripts/stream-limits-test failed:\n\(text)")
        let failed = text.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(failed.isEmpty, "\(failed.joined(separator: "\n"))")
        #expect(text.contains("ok    limits.streamsPerLink 0 stops the start"))
        #expect(text.contains("12 of 17 stay open, 5 closed at once before TLS"))
        #expect(text.contains("the link's 6th stream: 429, Retry-After 30"))
        #expect(text.contains("the person's 5th stream: 429, Retry-After 30"))
        #expect(text.contains("the address's 9th stream: 429, Retry-After 30"))
        #expect(text.contains("the daemon's 21st stream: 503, Retry-After 60"))
        #expect(text.contains("ok    /metrics shows the limits and 20 open streams"))
        #expect(text.contains("ok    closing every stream frees the total"))
        #expect(text.contains("stream limits test passed"))
        // The page says so: in Chromium, a share page whose stream is refused shows the notice in its status line.
        #expect(text.contains("whose stream was refused says so"))
        #expect(text.contains("the share page with its live updates stopped has no WCAG 2.1 A/AA violation"))
        #expect(text.contains("stream limits browser test passed"))
        print(text.split(separator: "\n").filter { $0.hasPrefix("ok") || $0.hasPrefix("baseline") }.joined(separator: "\n"))
    }
}
