import Foundation
import Testing

/// Issue 13's browser proof: `Scripts/files-browser-test` drives headless Chromium with Playwright against the real
/// daemon over TLS. The client's person signs in to the console, attaches a screenshot of a fix item's page to that
/// item through the labelled file input and sees its thumbnail; the client's share page of the list shows it live,
/// then afresh with the image loaded, and keeps it through a live re-render; axe-core finds no WCAG 2.1 A/AA
/// violation on either page, in English and in Russian. It runs where `BrowserTests` runs.
@Suite("Evidence files in a real browser", .serialized)
struct FilesBrowserTests {
    @Test(.enabled(if: BrowserTests.canRun, "needs Chromium, or root to install it"), .timeLimit(.minutes(10)))
    func aScreenshotAttachedInTheConsoleShowsOnTheSharePage() async throws {
        let shots = FileManager.default.temporaryDirectory.appendingPathComponent("files-browser-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: shots) }
        let (status, text) = try await Subprocess.run(
            "/bin/bash",
            [Subprocess.root.appendingPathComponent("Scripts/files-browser-test").path],
            environment: ["CLUBD_BINARY": ProcessTests.binary.path, "SCREENSHOTS": shots.path]
        )
        #expect(status == 0, "Scripts/files-browser-test failed:\n\(text)")
        #expect(text.contains("files browser test passed"))
        for language in ["en", "ru"] {
            #expect(text.contains("[\(language)] the thumbnail on the fix item's page: the image loads"))
            #expect(text.contains("[\(language)] the open share page showed the new image without a reload"))
            #expect(text.contains("[\(language)] the thumbnail on the share page: the image loads"))
            #expect(text.contains("[\(language)] after the live re-render of the struck item, the thumbnail: the image loads"))
            #expect(text.contains("[\(language)] the share page with an image has no WCAG 2.1 A/AA violation"))
            #expect(text.contains("[\(language)] the fix item's page with its screenshot has no WCAG 2.1 A/AA violation"))
            for page in ["files-fix-item", "files-share-page"] {
                for width in ["desktop", "375"] {
                    let screenshot = shots.appendingPathComponent("\(page)-\(language)-\(width).png")
                    #expect(FileManager.default.fileExists(atPath: screenshot.path), "no screenshot \(screenshot.lastPathComponent)")
                }
            }
        }
    }
}
