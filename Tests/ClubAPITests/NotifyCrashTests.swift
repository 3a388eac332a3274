import Foundation
import Testing

/// Webhooks lose nothing to `kill -9` (issue 12, item 6): `Scripts/notify-crash-test` starts the
/// real clubd with private networks allowed and a real HTTPS receiver (`Scripts/lib/webhook_receiver.py`,
/// verifying every signature with Python's `hmac` from the Standard Webhooks specification alone),
/// piles up 200+ deliveries of fix-item events, kills the daemon with everything pending, restarts it,
/// kills it again mid-delivery, and restarts it once more: every event's `webhook-id` must arrive,
/// and none twice after the receiver's deduplication by id.
@Suite("Notifications survive kill -9", .serialized)
struct NotifyCrashTests {
    @Test(.timeLimit(.minutes(10)))
    func everyWebhookIsDeliveredAfterTwoKillsAndNoneTwiceAfterDeduplication() async throws {
        let (status, text) = try await Subprocess.script("notify-crash-test")
        #expect(status == 0, "Scripts/notify-crash-test failed:\n\(text)")
        let pending = text.split(separator: "\n").first { $0.hasPrefix("life 1:") }
        let count = pending.flatMap { line in line.split(separator: ",").dropFirst().first?.split(separator: " ").first.flatMap { Int($0) } }
        #expect((count ?? 0) >= 200, "at least 200 deliveries pending at the first kill: \(pending ?? "")")
        #expect(text.contains("killed with SIGKILL mid-delivery"))
        #expect(text.contains("0 unverified, 0 not delivered in the store"))
        #expect(text.contains("notify crash test passed"))
        print(text.split(separator: "\n").filter { $0.hasPrefix("life") }.joined(separator: "\n"))
    }
}
