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

/// A fresh club on its own database file, with a head coordinator token and helpers to call the
/// API through the real router.
struct TestClub: Sendable {
    let database: AppDatabase
    let headToken: String
    let folder: URL

    static func make(clock: any ClubClock = SystemClock(), rules: ClubRules = ClubRules()) async throws -> TestClub {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = try AppDatabase(path: folder.appendingPathComponent("clubd.sqlite").path, clock: clock, rules: rules)
        let headToken = try #require(try await database.bootstrapHeadToken())
        return TestClub(database: database, headToken: headToken, folder: folder)
    }

    /// A token issued through the store, for the other roles.
    func token(_ role: Role, head: Bool = false, studioId: String? = nil, clientId: String? = nil) async throws -> String {
        try await database.issueToken(
            TokenGrant(role: role, head: head, studioId: studioId, clientId: clientId, name: "\(role.rawValue) test"),
            by: .system
        ).secret
    }
}

/// How a test reaches the API: through the router in memory, or over a real TLS connection to
/// the server listening on an ephemeral port.
enum Transport: String, CaseIterable, Sendable {
    case router
    case tls
}

/// Runs `body` against a fresh club, through the router unless `transport` says TLS.
func withClub(
    _ transport: Transport = .router,
    clock: any ClubClock = SystemClock(),
    rules: ClubRules = ClubRules(),
    _ body: @escaping @Sendable (any APIClient, TestClub) async throws -> Void
) async throws {
    let club = try await TestClub.make(clock: clock, rules: rules)
    switch transport {
    case .router:
        let app = Application(router: try buildRouter(database: club.database))
        try await app.test(.router) { client in try await body(RouterClient(client: client), club) }
    case .tls:
        try await LiveServer.run(database: club.database) { port, material in
            let client = TestClient(
                host: "127.0.0.1",
                port: port,
                configuration: .init(
                    tlsConfiguration: try LiveServer.clientTLS(trusting: material),
                    timeout: LiveServer.patientRead,
                    serverName: "localhost"
                )
            )
            client.connect()
            do {
                try await body(TLSClient(client: client), club)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }
}

/// An answer, whichever way the request went.
struct APIResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: ByteBuffer
}

protocol APIClient: Sendable {
    func send(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields, body: ByteBuffer?) async throws -> APIResponse
}

struct RouterClient: APIClient {
    let client: any TestClientProtocol

    func send(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields, body: ByteBuffer?) async throws -> APIResponse {
        let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
        return APIResponse(status: response.status, headers: response.headers, body: response.body)
    }
}

struct TLSClient: APIClient {
    let client: TestClient

    func send(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields, body: ByteBuffer?) async throws -> APIResponse {
        let response = try await client.execute(TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: body))
        return APIResponse(status: response.head.status, headers: response.head.headerFields, body: response.body ?? ByteBuffer())
    }
}

extension APIClient {
    /// One API call with an optional bearer token and JSON body text.
    @discardableResult
    func call(
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String? = nil,
        json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> APIResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await send(method, uri, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// Creates a studio as the head coordinator and returns its id.
    func createStudio(_ club: TestClub, name: String = "Pixel Hands", competences: String = #"["landing","context_ads"]"#) async throws -> String {
        let response = try await call(
            .post,
            "/v1/studios",
            token: club.headToken,
            json: """
                {"name":"\(name)","competences":\(competences),"regions":["RU-MOW"],"budgetMin":100000,"budgetMax":2000000,"capacity":3}
                """
        )
        #expect(response.status == .created)
        return try response.json()["id"] as? String ?? ""
    }

    func createClient(_ club: TestClub, name: String = "Yacht Charter Ltd") async throws -> String {
        let response = try await call(
            .post,
            "/v1/clients",
            token: club.headToken,
            json: #"{"name":"\#(name)","contacts":[{"name":"Oleg","email":"oleg@example.org"}]}"#
        )
        #expect(response.status == .created)
        return try response.json()["id"] as? String ?? ""
    }
}

extension APIResponse {
    /// The body as a JSON object.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try #require(object as? [String: Any], "expected a JSON object, got \(String(buffer: body))")
    }

    var text: String { String(buffer: body) }

    /// The `errors[].field` of a problem answer.
    func problemFields() throws -> [String] {
        (try json()["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    var isProblem: Bool { headers[.contentType] == "application/problem+json" }
}
