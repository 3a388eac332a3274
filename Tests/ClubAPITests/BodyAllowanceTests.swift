import ClubServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// No reading on someone else's behalf (docs/design.md §6.1 "Request bodies"): a body is read
/// only by the route that accepted the caller and the declared length, and an answer that left
/// it unread closes the connection rather than draining it.
@Suite("Request bodies read only on the caller's behalf")
struct BodyAllowanceTests {
    /// `Scripts/lib/body_check.py` against the real daemon over TLS: 200 MB bodies (declared,
    /// with and without a token, and chunked) are cut off at the limit plus the allowance, as the
    /// kernel's own counters show; ordinary requests keep their connection.
    @Test(.timeLimit(.minutes(3)))
    func hugeBodiesAreCutOffAndOrdinaryRequestsKeepTheirConnection() async throws {
        let club = try await TestClub.make()
        try await LiveServer.run(database: club.database) { port, material in
            let ca = club.folder.appendingPathComponent("ca.pem")
            try (material.authorityPEM ?? "").write(to: ca, atomically: true, encoding: .utf8)
            let script = Subprocess.root.appendingPathComponent("Scripts/lib/body_check.py").path
            let (status, text) = try await Subprocess.run(
                "/usr/bin/env",
                ["python3", script, "127.0.0.1", String(port), ca.path, club.headToken]
            )
            print(text)
            #expect(status == 0, "\(text)")
            #expect(text.contains("body check passed"))
        }
    }

    /// A route group declares a larger limit for its own routes (the evidence uploads to come);
    /// every other route keeps the standard 1 MiB.
    @Test func aRouteGroupCanDeclareALargerLimit() async throws {
        let router = Router(context: ClubRequestContext.self)
        let read: @Sendable (Request, ClubRequestContext) async throws -> String = { request, context in
            String(try await request.body.collect(upTo: context.maxUploadSize).readableBytes)
        }
        router.post("/standard", use: read)
        router.group("/upload").add(middleware: BodyLimitMiddleware(limit: 4 << 20)).post(use: read)
        let body = ByteBuffer(repeating: 0x61, count: 3 << 20)
        try await Application(router: router).test(.router) { client in
            let upload = try await client.execute(uri: "/upload", method: .post, body: body)
            #expect(upload.status == .ok)
            #expect(String(buffer: upload.body) == String(3 << 20))
            let standard = try await client.execute(uri: "/standard", method: .post, body: body)
            #expect(standard.status == .contentTooLarge)
        }
    }

    @Test func anUnreadBodyWithinTheAllowanceKeepsTheConnection() async throws {
        try await withClub { client, _ in
            let small = try await client.call(.post, "/v1/clients", json: #"{"name":"no token"}"#)
            #expect(small.status == .unauthorized)
            #expect(small.headers[.connection] == nil)
            let large = String(repeating: "x", count: BodyAllowance.allowance + 1)
            let unread = try await client.call(.post, "/v1/clients", json: #"{"name":"\#(large)"}"#)
            #expect(unread.status == .unauthorized)
            #expect(unread.headers[.connection] == "close")
        }
    }
}
