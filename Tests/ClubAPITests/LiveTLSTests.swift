import ClubAPI
import ClubCore
import ClubServer
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
    func withLiveServer(_ body: @escaping @Sendable (Int, TLSMaterial, TestClub) async throws -> Void) async throws {
        let club = try await TestClub.make()
        try await LiveServer.run(database: club.database) { port, material in try await body(port, material, club) }
    }

    @Test func healthAndAnAuthenticatedCallOverTLS() async throws {
        try await withLiveServer { port, material, club in
            let tls = try LiveServer.clientTLS(trusting: material)
            try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(tlsConfiguration: tls, serverName: "localhost")) {
                client in
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
            let tls = try LiveServer.clientTLS(trusting: material, maximum: .tlsv11)
            await #expect(throws: (any Error).self) {
                try await TestClient.withClient(
                    host: "127.0.0.1",
                    port: port,
                    configuration: .init(tlsConfiguration: tls, timeout: .seconds(5), serverName: "localhost")
                ) { client in
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
