import ClubAPI
import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Testing

/// The real server over real TLS on an ephemeral port, with a certificate generated in memory.
@Suite("Live server over TLS")
struct LiveTLSTests {
    /// Runs the application in a service group, hands its port to `body`, then shuts it down.
    func withLiveServer(_ body: @escaping @Sendable (Int, TLSMaterial, TestClub) async throws -> Void) async throws {
        let club = try await TestClub.make()
        let material = try TLSMaterial.development()
        let logger = Logger(label: "clubd-live-test")
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try buildApplication(
            database: club.database, settings: ServerSettings(port: 0), tls: try material.serverConfiguration(), logger: logger,
            onServerRunning: { port in continuation.yield(port) }
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                try await body(port, material, club)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func clientTLS(trusting material: TLSMaterial, maximum: TLSVersion? = nil) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array((material.authorityPEM ?? "").utf8)))
        if let maximum { configuration.maximumTLSVersion = maximum }
        return configuration
    }

    @Test func healthAndAnAuthenticatedCallOverTLS() async throws {
        try await withLiveServer { port, material, club in
            let tls = try Self.clientTLS(trusting: material)
            try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(tlsConfiguration: tls, serverName: "localhost")) { client in
                let health = try await client.get("/v1/health")
                #expect(health.status == .ok)
                #expect(String(buffer: health.body ?? ByteBuffer()).contains(#""status":"ok""#))
                let created = try await client.post(
                    "/v1/clients",
                    headers: [.authorization: "Bearer \(club.headToken)", .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"name":"Yacht Charter Ltd"}"#)
                )
                #expect(created.status == .created)
            }
        }
    }

    @Test func tlsOlderThan12IsRefused() async throws {
        try await withLiveServer { port, material, _ in
            let tls = try Self.clientTLS(trusting: material, maximum: .tlsv11)
            await #expect(throws: (any Error).self) {
                try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(tlsConfiguration: tls, timeout: .seconds(5), serverName: "localhost")) { client in
                    _ = try await client.get("/v1/health")
                }
            }
        }
    }

    @Test func theGeneratedCertificateNamesLocalhostAndHasAFingerprint() throws {
        let material = try TLSMaterial.development()
        let fingerprint = try material.fingerprint()
        #expect(fingerprint.split(separator: ":").count == 32)
        #expect(material.privateKeyPEM.contains("PRIVATE KEY"))
    }
}
