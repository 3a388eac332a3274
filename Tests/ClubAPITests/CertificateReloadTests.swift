import ClubServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOSSL
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SIGHUP renews the certificate without downtime (issue 14, item 4): the real clubd on `--cert`/`--key`
/// files replaced as certbot or lego replace them, and connections on both sides of the reload.
@Suite("Certificates are renewed on SIGHUP")
struct CertificateReloadTests {
    /// The `--cert`/`--key` files in a folder, replaced by writing new files beside them and renaming over.
    struct CertificateFiles {
        let folder: URL
        var certificate: URL { folder.appendingPathComponent("fullchain.pem") }
        var key: URL { folder.appendingPathComponent("privkey.pem") }

        func install(certificatePEM: String, privateKeyPEM: String) throws {
            for (text, file) in [(privateKeyPEM, key), (certificatePEM, certificate)] {
                let staged = file.appendingPathExtension("new")
                try Data(text.utf8).write(to: staged)
                try #require(rename(staged.path, file.path) == 0, "rename over \(file.path)")
            }
        }
    }

    /// A client that trusts both pairs' authorities, so that whichever certificate is served, the handshake completes.
    static func client(port: Int, trusting pairs: [TLSMaterial]) throws -> TestClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try pairs.flatMap { try NIOSSLCertificate.fromPEMBytes(Array(($0.authorityPEM ?? "").utf8)) })
        let client = TestClient(
            host: "127.0.0.1",
            port: port,
            configuration: .init(tlsConfiguration: tls, timeout: LiveServer.patientRead, serverName: "localhost")
        )
        client.connect()
        return client
    }

    /// The fingerprint of the certificate the server presented on this client's connection.
    static func servedFingerprint(_ client: TestClient) async throws -> String {
        let certificate = try #require(try await client.getChannel().nioSSL_peerCertificate().get())
        return TLSMaterial.fingerprint(der: try certificate.toDERBytes())
    }

    /// Polls the daemon's log, as the daemon writes it after the signal arrives.
    static func waitForLog(_ daemon: ProcessTests.Daemon, toContain text: String) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if daemon.log.contains(text) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func sighupServesTheNewPairToNewConnectionsKeepsOpenOnesAndRefusesABadPair() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ProcessTests.binary.path), "build clubd first")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-reload-\(UUID().uuidString)")
        let files = CertificateFiles(folder: root.appendingPathComponent("letsencrypt"))
        try FileManager.default.createDirectory(at: files.folder, withIntermediateDirectories: true)
        let (first, second) = (try TLSMaterial.development(), try TLSMaterial.development())
        let (firstPrint, secondPrint) = (try first.fingerprint(), try second.fingerprint())
        try files.install(certificatePEM: first.certificatePEM, privateKeyPEM: first.privateKeyPEM)

        let daemon = try ProcessTests.Daemon(
            data: root.appendingPathComponent("data"),
            signalLabel: "reload",
            arguments: ["--cert", files.certificate.path, "--key", files.key.path]
        )
        defer { if daemon.process.isRunning { kill(daemon.process.processIdentifier, SIGKILL) } }
        let port = try await daemon.port()
        let open = try Self.client(port: port, trusting: [first, second])
        #expect(try await open.get("/v1/health").status == .ok)
        #expect(try await Self.servedFingerprint(open) == firstPrint)

        // certbot's deploy hook: new files renamed over the old ones, then `systemctl reload clubd`.
        try files.install(certificatePEM: second.certificatePEM, privateKeyPEM: second.privateKeyPEM)
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(try await Self.waitForLog(daemon, toContain: "sha256=\(secondPrint)"), "\(daemon.log)")
        #expect(daemon.log.contains("reloaded the TLS certificate for new connections"), "\(daemon.log)")

        let renewed = try Self.client(port: port, trusting: [first, second])
        #expect(try await renewed.get("/v1/health").status == .ok)
        #expect(try await Self.servedFingerprint(renewed) == secondPrint, "a new connection gets the new certificate")
        #expect(try await open.get("/v1/health").status == .ok, "the connection opened before the reload still answers")
        #expect(try await Self.servedFingerprint(open) == firstPrint)
        try await renewed.shutdown()

        // A broken renewal: the new certificate with another certificate's key. Refused, the second pair stays.
        try files.install(certificatePEM: first.certificatePEM, privateKeyPEM: second.privateKeyPEM)
        kill(daemon.process.processIdentifier, SIGHUP)
        let refusal = "refused the new TLS certificate, the previous one stays in use: \(files.key.path): the key does not match"
        #expect(try await Self.waitForLog(daemon, toContain: refusal), "\(daemon.log)")
        #expect(daemon.process.isRunning)
        let afterRefusal = try Self.client(port: port, trusting: [first, second])
        #expect(try await afterRefusal.get("/v1/health").status == .ok)
        #expect(try await Self.servedFingerprint(afterRefusal) == secondPrint, "the refused pair is not served")
        try await afterRefusal.shutdown()
        #expect(try await open.get("/v1/health").status == .ok)
        try await open.shutdown()

        #expect(try await daemon.stop(with: SIGTERM) == 0)
    }

    /// A start on a pair that does not match stops with the same one-line reason, naming the key file.
    @Test func aMismatchedPairStopsTheStartNamingTheKeyFile() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-reload-\(UUID().uuidString)")
        let files = CertificateFiles(folder: root)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let (first, second) = (try TLSMaterial.development(), try TLSMaterial.development())
        try files.install(certificatePEM: first.certificatePEM, privateKeyPEM: second.privateKeyPEM)
        let (status, output) = try await StartupErrorTests.serve([
            "--data", root.appendingPathComponent("data").path, "--cert", files.certificate.path, "--key", files.key.path,
        ])
        #expect(status != 0)
        #expect(output.contains("\(files.key.path): the key does not match the certificate in \(files.certificate.path)"), "\(output)")
    }
}
