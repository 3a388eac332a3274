import Foundation
import Testing

/// The client's share page in a real browser: `Scripts/browser-test` drives headless Chromium
/// against the real daemon over TLS. It runs wherever Chromium is installed, and installs
/// Debian's `chromium` first when the suite runs as root (as CI does).
@Suite("Share page in a real browser", .serialized)
struct BrowserTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var canRun: Bool {
        getuid() == 0 || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: canRun, "needs Chromium, or root to install it"), .timeLimit(.minutes(10)))
    func aStruckItemShowsOnTheOpenPageWithoutAReload() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.root.appendingPathComponent("Scripts/browser-test").path]
        process.currentDirectoryURL = Self.root
        var environment = ProcessInfo.processInfo.environment
        environment["CLUBD_BINARY"] = ProcessTests.binary.path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = try await Task.detached { try output.fileHandleForReading.readToEnd() ?? Data() }.value
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0, "Scripts/browser-test failed:\n\(text)")
        #expect(text.contains("browser check passed"))
        #expect(text.contains("the page was not reloaded"))
        #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("artifacts/share-page.png").path))
    }
}
