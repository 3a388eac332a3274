import Foundation
import Testing

/// The client's share page in a real browser: `Scripts/browser-test` drives headless Chromium
/// against the real daemon over TLS. It runs wherever Chromium is installed, and installs
/// Debian's `chromium` first when the suite runs as root (as CI does).
@Suite("Share page in a real browser", .serialized)
struct BrowserTests {
    static var canRun: Bool {
        getuid() == 0 || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: canRun, "needs Chromium, or root to install it"), .timeLimit(.minutes(10)))
    func aStruckItemShowsOnTheOpenPageWithoutAReload() async throws {
        let (status, text) = try await Subprocess.script("browser-test")
        #expect(status == 0, "Scripts/browser-test failed:\n\(text)")
        #expect(text.contains("browser check passed"))
        #expect(text.contains("the page was not reloaded"))
        #expect(FileManager.default.fileExists(atPath: Subprocess.root.appendingPathComponent("artifacts/share-page.png").path))
    }
}
