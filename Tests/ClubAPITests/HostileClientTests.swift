import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Hostile clients")
struct HostileClientTests {
    @Test func aBurstOfFailedAuthenticationsIsRefusedWhileGoodTokensGoOn() async throws {
        let club = try await TestClub.make()
        let app = Application(router: try buildRouter(database: club.database, throttle: AuthThrottle(limit: 3, window: 60)))
        try await app.test(.router) { client in
            let api = RouterClient(client: client)
            for _ in 0..<3 {
                #expect(try await api.call(.get, "/v1/me", token: "clb_guess").status == .unauthorized)
            }
            let limited = try await api.call(.get, "/v1/me", token: "clb_guess")
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(limited.isProblem)
            #expect(try await api.call(.get, "/v1/me", token: club.headToken).status == .ok, "a good token is never held up")
            #expect(try await api.call(.get, "/v1/health").status == .ok)
        }
    }

    @Test func theThrottleForgetsAfterItsWindow() async {
        let throttle = AuthThrottle(limit: 1, window: 10)
        let start = Date()
        #expect(await throttle.recordFailure(from: "10.0.0.1", at: start) == false)
        #expect(await throttle.recordFailure(from: "10.0.0.1", at: start) == true)
        #expect(await throttle.recordFailure(from: "10.0.0.2", at: start) == false, "other addresses are not affected")
        #expect(await throttle.recordFailure(from: "10.0.0.1", at: start.addingTimeInterval(11)) == false)
    }

    @Test func deeplyNestedOrHugeJSONIsABadRequestNotACrash() async throws {
        try await withClub { client, club in
            let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let nested = try await client.call(.post, "/v1/clients", token: club.headToken, json: #"{"name":"x","contacts":\#(deep)}"#)
            #expect(nested.status.code == 400 || nested.status.code == 413, "\(nested.status)")
            #expect(nested.isProblem)
            let wide = "[" + Array(repeating: #"{"name":"a"}"#, count: 60_000).joined(separator: ",") + "]"
            let huge = try await client.call(.post, "/v1/clients", token: club.headToken, json: #"{"name":"x","contacts":\#(wide)}"#)
            #expect(huge.status.code == 413 || huge.status.code == 422, "\(huge.status)")
            #expect(try await client.call(.get, "/v1/health").status == .ok)
        }
    }

    @Test func plaintextHTTPOnTheTLSPortIsRefusedAndTheServerGoesOn() async throws {
        let club = try await TestClub.make()
        try await LiveServer.run(database: club.database) { port, material in
            let plain = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(5)))
            plain.connect()
            await #expect(throws: (any Error).self) { _ = try await plain.get("/v1/health") }
            try? await plain.shutdown()
            let tls = TestClient(
                host: "127.0.0.1",
                port: port,
                configuration: .init(
                    tlsConfiguration: try LiveServer.clientTLS(trusting: material),
                    timeout: LiveServer.patientRead,
                    serverName: "localhost"
                )
            )
            tls.connect()
            #expect(try await tls.get("/v1/health").status == .ok)
            try await tls.shutdown()
        }
    }

    @Test func manyConnectionsAtOnceAreAllAnswered() async throws {
        let club = try await TestClub.make()
        try await LiveServer.run(database: club.database) { port, material in
            // The patient read of the other live tests: 64 handshakes while the whole suite runs
            // beside them once took longer than the client's default 15 s (a timed assertion).
            let configuration = TestClient.Configuration(
                tlsConfiguration: try LiveServer.clientTLS(trusting: material),
                timeout: LiveServer.patientRead,
                serverName: "localhost"
            )
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<64 {
                    group.addTask {
                        try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: configuration) { client in
                            try await client.get("/v1/health").status
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.count == 64 && statuses.allSatisfy { $0 == .ok })
        }
    }

    @Test func aBodyThatNeverFinishesAndOversizeHeadersAreCutOffWhileHealthAnswers() async throws {
        let club = try await TestClub.make()
        var settings = ServerSettings(port: 0)
        settings.bodyTimeout = .seconds(1)
        settings.idleTimeout = .seconds(2)
        try await LiveServer.run(database: club.database, settings: settings) { port, material in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-hostile-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let ca = folder.appendingPathComponent("ca.pem")
            try (material.authorityPEM ?? "").write(to: ca, atomically: true, encoding: .utf8)
            let (status, text) = try await Subprocess.run(
                "/usr/bin/env",
                ["python3", Subprocess.root.appendingPathComponent("Scripts/lib/hostile_check.py").path, "127.0.0.1", String(port), ca.path]
            )
            #expect(status == 0, "\(text)")
            #expect(text.contains("hostile check passed"))
        }
    }
}
