import Foundation
import Testing

/// The console in a real browser: `Scripts/console-test` drives headless Chromium with Playwright
/// against the real daemon over TLS, as people use it — an invitation from `clubd person invite`,
/// a password, sign-in, Today in both languages, sign-out; a wrong password and the throttle; a
/// forged POST without its CSRF field; a deactivated person's session — and checks every page it
/// visits with axe-core for WCAG 2.1 A and AA. It runs where `BrowserTests` runs: wherever
/// Chromium is installed, or as root (which installs it).
@Suite("Console in a real browser", .serialized)
struct ConsoleBrowserTests {
    @Test(.enabled(if: BrowserTests.canRun, "needs Chromium, or root to install it"), .timeLimit(.minutes(10)))
    func peopleSignInFindTodayInBothLanguagesAndEveryPagePassesAxe() async throws {
        let (status, text) = try await Subprocess.script("console-test")
        #expect(status == 0, "Scripts/console-test failed:\n\(text)")
        #expect(text.contains("console check passed"))
        #expect(text.contains("the head coordinator signs in and lands on Today"))
        #expect(text.contains("a sign-out form without the csrf field is refused with 403"))
        #expect(text.contains("the deactivated person's next page load lands on the sign-in page"))
        #expect(text.contains("Today in Russian has no WCAG 2.1 A/AA violation"))
        for name in ["console-today-en", "console-today-ru"] {
            for width in ["desktop", "375"] {
                let screenshot = Subprocess.root.appendingPathComponent("artifacts/screenshots/\(name)-\(width).png")
                #expect(FileManager.default.fileExists(atPath: screenshot.path), "no screenshot \(name) at \(width)")
            }
        }
    }

    /// Issues 10 and 11's proof: DESIGN §1 steps 1–8 played in the console, in Russian, by the
    /// coordinator and by the studios' and the client's own people, and the club's data then equal
    /// to what the API-driven reference case makes.
    @Test(.enabled(if: BrowserTests.canRun, "needs Chromium, or root to install it"), .timeLimit(.minutes(15)))
    func aCoordinatorPlaysTheReferenceCaseInTheConsoleInRussian() async throws {
        let (status, text) = try await Subprocess.script("reference-console-test")
        #expect(status == 0, "Scripts/reference-console-test failed:\n\(text)")
        #expect(text.contains("reference case in the console passed"))
        #expect(text.contains("equals the API-driven reference case (0 differences)"))
        #expect(text.contains("clubd journal verify --case-file accepts the case file downloaded in the console"))
        // The parties' own steps went through their own console pages.
        #expect(text.contains("Pixel Hands PM accepted the referral in the console, with a note"))
        #expect(text.contains("Oleg (Yacht Charter) chose Pixel Hands in the console"))
        #expect(text.contains("Pixel Hands PM struck item 1 from the list, with a note"))
        #expect(text.contains("Ad Minds lead proposed its argument on finding 1 of the audit"))
        #expect(text.contains("Oleg (Yacht Charter) accepted the free consulting"))
    }

    /// Issue 11's proof: a studio on a phone and its client in a second browser, each in the
    /// console, the fix list live between them, in both languages.
    @Test(.enabled(if: BrowserTests.canRun, "needs Chromium, or root to install it"), .timeLimit(.minutes(10)))
    func aStudioAndItsClientWorkTheFixListLiveInTwoBrowsers() async throws {
        let (status, text) = try await Subprocess.script("parties-console-test")
        #expect(status == 0, "Scripts/parties-console-test failed:\n\(text)")
        #expect(text.contains("parties-console-test: every check passed"))
        for language in ["en", "ru"] {
            #expect(text.contains("[\(language)] the client saw item 1 struck without a reload"))
            #expect(text.contains("[\(language)] the studio saw item 1 reopened with the client's reason without a reload"))
            #expect(text.contains("[\(language)] with its live connection cut, the studio's page says so"))
        }
    }
}
