import Foundation
import Testing

/// The client's share page in a real browser: `Scripts/browser-test` drives headless Chromium with
/// Playwright against the real daemon over TLS, and checks every state of the page with axe-core
/// for WCAG 2.1 A and AA. It runs wherever Chromium is installed, and installs Debian's
/// `chromium` first when the suite runs as root (as CI does); the script makes its own virtual
/// environment with the pinned Playwright (`.venv-browser`).
@Suite("Share page in a real browser", .serialized)
struct BrowserTests {
    static var canRun: Bool {
        getuid() == 0 || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: canRun, "needs Chromium, or root to install it"), .timeLimit(.minutes(10)))
    func aStruckItemShowsOnTheOpenPageWithoutAReloadAndThePagePassesAxe() async throws {
        let (status, text) = try await Subprocess.script("browser-test")
        #expect(status == 0, "Scripts/browser-test failed:\n\(text)")
        #expect(text.contains("browser check passed"))
        #expect(text.contains("the page was not reloaded"))
        #expect(text.contains("the share page as agreed has no WCAG 2.1 A/AA violation"))
        for width in ["desktop", "375"] {
            let screenshot = Subprocess.root.appendingPathComponent("artifacts/screenshots/share-page-\(width).png")
            #expect(FileManager.default.fileExists(atPath: screenshot.path), "no screenshot at \(width)")
        }
    }
}
