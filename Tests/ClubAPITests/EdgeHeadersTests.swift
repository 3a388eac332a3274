import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import NIOCore
import Testing

/// The protective headers on every answer of every route the spec describes, whatever its status
/// (issue 21, part 5; DESIGN §6.1).
@Suite("Protective headers")
struct EdgeHeadersTests {
    static let lockedDown = "default-src 'none'; frame-ancestors 'none'"
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    /// Each way of calling: with nothing, with a bearer token, with a (stale) session cookie.
    enum Caller: String, CaseIterable {
        case anonymous, bearer, session
    }

    /// One operation of the spec with its parameters filled in.
    struct Call: Sendable {
        let method: HTTPRequest.Method
        let path: String

        var label: String { "\(method.rawValue) \(path)" }
    }

    /// `METHOD /path` of the spec with ids that name nothing (the answers are 404, 401, 303 and
    /// the like as much as 200), and a few paths no route has.
    static func calls() throws -> [Call] {
        try OpenAPIContractTests.documentedOperations().sorted().map { operation in
            let parts = operation.split(separator: " ", maxSplits: 1)
            let path = String(parts[1]).replacing(#/\{[^}]+\}/#, with: "x_nothing")
            return Call(method: HTTPRequest.Method(String(parts[0]))!, path: path)
        } + [Call(method: .get, path: "/no-such-page"), Call(method: .get, path: "/v1/no-such-resource"), Call(method: .put, path: "/v1/health")]
    }

    static func answer(_ call: Call, as caller: Caller, _ client: HostClient, _ club: TestClub) async throws -> APIResponse {
        var headers: HTTPFields = [:]
        switch caller {
        case .anonymous: break
        case .bearer: headers[.authorization] = "Bearer \(club.headToken)"
        case .session: headers[.cookie] = "clubd_session=sid_stale"
        }
        let isForm = !call.path.hasPrefix("/v1/") && call.method != .get
        let hasBody = [.post, .patch, .put].contains(call.method)
        headers[.contentType] = isForm ? "application/x-www-form-urlencoded" : "application/json"
        return try await client.send(call.method, call.path, headers: headers, body: hasBody ? ByteBuffer(string: isForm ? "" : "{}") : nil)
    }

    /// What every answer carries, said for `what`.
    static func expectProtected(_ answer: APIResponse, _ what: String, hsts: String?) {
        let headers = answer.headers
        #expect(headers[.xContentTypeOptions] == "nosniff", "\(what)")
        #expect(headers[referrerPolicy] == "no-referrer", "\(what)")
        #expect(headers[.cacheControl] == "no-store", "\(what)")
        #expect(headers[.strictTransportSecurity] == hsts, "\(what)")
        let policy = headers[.contentSecurityPolicy] ?? ""
        #expect(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'"), "\(what): \(policy)")
        let type = headers[.contentType] ?? ""
        if type.hasPrefix("application/json") || type.hasPrefix("application/problem+json") || type.hasPrefix("text/plain") || type.isEmpty {
            #expect(policy == lockedDown, "\(what): \(policy)")
        }
        if type.hasPrefix("text/html") {
            #expect(policy.contains("script-src 'nonce-"), "\(what): a page keeps its nonce policy")
        }
    }

    @Test func everyRouteOfTheSpecAnswersWithTheProtectiveHeaders() async throws {
        var settings = ServerSettings(port: 0)
        settings.publicURL = try PublicURL(parsing: "https://club.example.org")
        let calls = try Self.calls()
        #expect(calls.count > 200, "the spec's operations were read")
        try await withLiveClub(settings) { client, club in
            var statuses = Set<Int>()
            let start = ContinuousClock.now
            for call in calls {
                for caller in Caller.allCases {
                    let answer: APIResponse
                    do {
                        answer = try await Self.answer(call, as: caller, client, club)
                    } catch {
                        // Name the route that did not answer, and go on with the others.
                        Issue.record("\(call.label) (\(caller.rawValue)) got no answer: \(error)")
                        continue
                    }
                    statuses.insert(answer.status.code)
                    Self.expectProtected(answer, "\(call.label) (\(caller.rawValue)): \(answer.status.code)", hsts: "max-age=31536000")
                }
            }
            // A refused Host is an answer too.
            let misdirected = try await client.with(authority: "evil.example").call(.get, "/sign-in")
            #expect(misdirected.status == .misdirectedRequest)
            Self.expectProtected(misdirected, "421", hsts: "max-age=31536000")
            let answers = calls.count * Caller.allCases.count + 1
            print("protective headers: \(answers) answers, statuses \(statuses.sorted()), in \(ContinuousClock.now - start)")
            #expect(statuses.isSuperset(of: [200, 303, 401, 404]), "answers of many kinds were checked: \(statuses.sorted())")
        }
    }

    @Test func aRouteKeepsItsOwnPolicyAndAnAnswerWithASecretIsNeverStored() async throws {
        try await withLiveClub { client, club in
            let page = try await client.call(.get, "/sign-in")
            #expect(page.headers[.contentSecurityPolicy]?.contains("form-action 'self'") == true)
            let scene = try await FixListEndpointTests.scene(client, club)
            let list = try await HostCheckTests.fixList(client, club, scene)
            let link = try await client.call(.post, "/v1/fix-lists/\(list)/share-links", token: scene.clientToken, json: "{}")
            #expect(link.status == .created && link.headers[.cacheControl] == "no-store")
            let share = try await client.call(.get, "/share/" + (try #require(try link.json()["token"] as? String)))
            #expect(share.status == .ok && share.headers[.contentSecurityPolicy]?.contains("form-action 'none'") == true)
        }
    }

    @Test func hstsIsOffOnLocalhostAndWhenConfiguredOff() async throws {
        try await withLiveClub { client, _ in
            for path in ["/v1/health", "/sign-in", "/v1/me"] {
                let answer = try await client.call(.get, path)
                #expect(answer.headers[.strictTransportSecurity] == nil, "\(path) on localhost")
            }
        }
        var loopback = ServerSettings(port: 0)
        loopback.publicURL = try PublicURL(parsing: "https://127.0.0.1:9443")
        var off = ServerSettings(port: 0)
        off.publicURL = try PublicURL(parsing: "https://club.example.org")
        off.hstsSeconds = 0
        var short = off
        short.hstsSeconds = 600
        for (settings, expected) in [(loopback, nil), (off, nil), (short, "max-age=600")] as [(ServerSettings, String?)] {
            try await withLiveClub(settings) { client, _ in
                for path in ["/v1/health", "/sign-in"] {
                    let answer = try await client.call(.get, path)
                    #expect(answer.headers[.strictTransportSecurity] == expected, "\(path): \(settings.publicURL?.description ?? "")")
                }
            }
        }
    }
}
