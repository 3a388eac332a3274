import Foundation
import Testing

/// Notifications by e-mail, end to end (issue 12): `Scripts/notify-mail-test` starts a real SMTP
/// server on loopback (aiosmtpd, pinned, in `.venv-notify`) and the real daemon configured to
/// use it, then walks the club's steps over the API; then leaves 200 notifications pending, kills
/// the daemon with SIGKILL and restarts it: every one is mailed. The message's own shape (MIME, encodings,
/// STARTTLS, refusals) is checked in ClubNotifyTests; the outbox's rules in ClubStoreTests.
@Suite("Mail as people receive it", .serialized)
struct NotifyMailTests {
    static var canRun: Bool {
        let venv = ProcessTests.packageRoot.appendingPathComponent(".venv-notify/bin/python").path
        return getuid() == 0 || FileManager.default.isExecutableFile(atPath: venv)
            || FileManager.default.fileExists(atPath: "/usr/share/doc/python3-venv")
    }

    @Test(.enabled(if: canRun, "needs python3-venv, or root to install it"), .timeLimit(.minutes(10)))
    func theStudioHearsOfItsReferralInRussianAndTheClientOfAStruckItemInEnglish() async throws {
        let (status, text) = try await Subprocess.script("notify-mail-test")
        #expect(status == 0, "Scripts/notify-mail-test failed:\n\(text)")
        #expect(text.contains("the studio heard of its referral, in Russian: Заявка ждёт вашего ответа"))
        #expect(text.contains("the client heard of the struck item, in English: An item on your fix list was struck"))
        #expect(text.contains("the client's one-click unsubscribe stopped that kind of e-mail"))
        #expect(text.contains("crash: killed with SIGKILL while 200 notifications were pending"))
        #expect(text.contains("crash: after the restart every one of the 200 was mailed"))
        #expect(text.contains("notify-mail: OK"))
    }
}
