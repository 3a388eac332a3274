import Foundation
import Testing

/// The running daemon's TLS from outside (issue 21, parts 3 and 4): `Scripts/tls-scan` starts the
/// real clubd on its embedded defaults (the development certificate), connects with a strict
/// Python client trusting `ca.pem`, checks TLS 1.2's suites, and runs `sslyze
/// --mozilla_config=intermediate` (pinned, from PyPI, in `.venv-tls`). It runs wherever Python's
/// venv module is installed, and installs it first when the suite runs as root (as CI does). The
/// certificate's own shape is checked in ClubServerTests' `TLSProfileTests`.
@Suite("TLS as a scanner sees it", .serialized)
struct TLSScanTests {
    /// As root the script installs what it lacks; elsewhere it needs Debian's python3-venv, or the
    /// environment made by an earlier run.
    static var canRun: Bool {
        let venv = ProcessTests.packageRoot.appendingPathComponent(".venv-tls/bin/python").path
        return getuid() == 0 || FileManager.default.isExecutableFile(atPath: venv)
            || FileManager.default.fileExists(atPath: "/usr/share/doc/python3-venv")
    }

    @Test(.enabled(if: canRun, "needs python3-venv, or root to install it"), .timeLimit(.minutes(10)))
    func aStrictClientAcceptsTheDevelopmentCertificateAndSslyzeFindsMozillasIntermediateProfile() async throws {
        let (status, text) = try await Subprocess.script("tls-scan")
        #expect(status == 0, "Scripts/tls-scan failed:\n\(text)")
        #expect(text.contains("a strict Python client trusting ca.pem gets /v1/health as localhost"))
        #expect(text.contains("a strict Python client trusting ca.pem gets /v1/health as 127.0.0.1"))
        #expect(text.contains("ALPN settles on http/1.1"))
        #expect(text.contains("TLS 1.2 refuses a client offering only CBC suites"))
        #expect(text.contains("sslyze: the daemon is compliant with Mozilla's intermediate profile"))
        #expect(text.contains("tls scan passed"))
        // The scan's own timing, for the record (never asserted).
        print(text.split(separator: "\n").filter { $0.contains("sslyze exits 0") }.joined(separator: "\n"))
    }
}
