import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOSSL
import Testing

/// One request per TLS connection to a live daemon, sent with the `Host` given: a forged one
/// included. A connection of its own each time, so that an answer closing it spoils nothing.
struct HostClient: APIClient {
    let port: Int
    let tls: TLSConfiguration
    var authority = "localhost"

    func send(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields, body: ByteBuffer?) async throws -> APIResponse {
        let request = TestClient.Request(uri, method: method, authority: authority, headers: headers, body: body)
        // A minute without a byte, not HummingbirdTesting's 15 s: CI runs every suite at once on
        // 2 cores, and a walk over every route makes hundreds of TLS connections in a row.
        let configuration = TestClient.Configuration(tlsConfiguration: tls, timeout: .seconds(60), serverName: "localhost")
        return try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: configuration) { client in
            let response = try await client.execute(request)
            return APIResponse(status: response.head.status, headers: response.head.headerFields, body: response.body ?? ByteBuffer())
        }
    }

    func with(authority: String) -> HostClient { HostClient(port: port, tls: tls, authority: authority) }
}

/// The daemon on a fresh club over real TLS, with `settings` (an ephemeral port unless they say).
func withLiveClub(
    _ settings: ServerSettings = ServerSettings(port: 0),
    _ body: @escaping @Sendable (HostClient, TestClub) async throws -> Void
) async throws {
    let club = try await TestClub.make()
    try await LiveServer.run(database: club.database, settings: settings) { port, material in
        try await body(HostClient(port: port, tls: try LiveServer.clientTLS(trusting: material)), club)
    }
}

/// Links come from `publicURL`, never from the request's `Host`; the console and the share pages
/// refuse a name that is not the club's with 421 (issue 21, part 2; DESIGN §6.1).
@Suite("Host header and links")
struct HostCheckTests {
    static let forged = ["evil.example/phish?x=", #""><script>"#, "evil.example"]

    static func configured(_ address: String) throws -> ServerSettings {
        var settings = ServerSettings(port: 0)
        settings.publicURL = try PublicURL(parsing: address)
        return settings
    }

    /// A fix list of the scene's engagement, made by the head coordinator; its id.
    static func fixList(_ client: any APIClient, _ club: TestClub, _ scene: FixListEndpointTests.Scene) async throws -> String {
        try ReferenceCaseTests.id(
            try await client.call(.post, "/v1/engagements/\(scene.engagement)/fix-lists", token: club.headToken, json: FixListEndpointTests.items)
        )
    }

    @Test func aForgedHostNeverReachesAShareLinkOrAnInvitation() async throws {
        try await withLiveClub(try Self.configured("https://club.example.org/")) { client, club in
            let scene = try await FixListEndpointTests.scene(client, club)
            let list = try await Self.fixList(client, club, scene)
            for (number, host) in Self.forged.enumerated() {
                let forged = client.with(authority: host)
                let link = try await forged.call(.post, "/v1/fix-lists/\(list)/share-links", token: scene.clientToken, json: "{}")
                #expect(link.status == .created, "\(host): \(link.text)")
                let token = try #require(try link.json()["token"] as? String)
                #expect(try link.json()["url"] as? String == "https://club.example.org/share/\(token)", "\(host)")

                let person = #"{"email":"p\#(number)@example.org","name":"P \#(number)","role":"coordinator"}"#
                let invited = try await forged.call(.post, "/v1/people", token: club.headToken, json: person)
                #expect(invited.status == .created, "\(host): \(invited.text)")
                let url = try #require((try invited.json()["invitation"] as? [String: Any])?["url"] as? String)
                #expect(url.hasPrefix("https://club.example.org/invitations/inv_"), "\(host): \(url)")
                #expect(!link.text.contains("evil") && !link.text.contains("script") && !invited.text.contains("evil"))
            }
        }
    }

    @Test func withoutAPublicURLLinksPointAtTheListenersOwnPort() async throws {
        try await withLiveClub { client, club in
            let scene = try await FixListEndpointTests.scene(client, club)
            let list = try await Self.fixList(client, club, scene)
            let link = try await client.with(authority: "evil.example").call(
                .post,
                "/v1/fix-lists/\(list)/share-links",
                token: scene.clientToken,
                json: "{}"
            )
            let token = try #require(try link.json()["token"] as? String)
            #expect(try link.json()["url"] as? String == "https://localhost:\(client.port)/share/\(token)")
        }
    }

    @Test func theConsoleAndTheSharePagesRefuseAForeignHostWith421() async throws {
        try await withLiveClub(try Self.configured("https://club.example.org")) { client, club in
            let scene = try await FixListEndpointTests.scene(client, club)
            let list = try await Self.fixList(client, club, scene)
            let link = try await client.call(.post, "/v1/fix-lists/\(list)/share-links", token: scene.clientToken, json: "{}")
            let share = "/share/" + (try #require(try link.json()["token"] as? String))
            let pages = ["/", "/sign-in", share, share + "/events", "/people", "/fix-lists/\(list)", "/no-such-page"]
            for host in Self.forged + ["club.example.org:8443", "club.example.org.evil.example", "localhost.evil.example"] {
                for page in pages {
                    let refused = try await client.with(authority: host).call(.get, page)
                    #expect(refused.status == .misdirectedRequest, "\(host) \(page): \(refused.status)")
                    #expect(refused.headers[.contentType] == "text/plain; charset=utf-8")
                    #expect(refused.text.contains("https://club.example.org") && !refused.text.contains("evil") && !refused.text.contains("<"))
                }
                let signIn = try await client.with(authority: host).call(
                    .post,
                    "/sign-in",
                    headers: [.contentType: "application/x-www-form-urlencoded"]
                )
                #expect(signIn.status == .misdirectedRequest, "\(host): a form post is refused too")
                // The API answers under any name: it builds no link from it.
                #expect(try await client.with(authority: host).call(.get, "/v1/health").status == .ok)
                #expect(try await client.with(authority: host).call(.get, "/v1/me", token: club.headToken).status == .ok)
            }
            // The machine's own names on any port (an SSH tunnel's, a relay's), or none.
            let own = ["club.example.org", "club.example.org:443", "localhost:\(client.port)", "127.0.0.1:\(client.port)", "localhost", "[::1]:9000"]
            for host in own {
                let page = try await client.with(authority: host).call(.get, "/sign-in")
                #expect(page.status == .ok, "\(host): \(page.status)")
                #expect(try await client.with(authority: host).call(.get, share).status == .ok, "\(host)")
            }
        }
    }

    @Test func theConsoleShowsANewShareLinkOnThePublicURL() async throws {
        try await withLiveClub(try Self.configured("https://club.example.org:9443")) { client, club in
            let scene = try await FixListEndpointTests.scene(client, club)
            let list = try await Self.fixList(client, club, scene)
            let password = "Long-enough-test-password-42"
            let input = PersonInput(email: "head@example.org", name: "Head", role: .coordinator, head: true, language: .en)
            let invited = try await club.database.createPerson(input, by: .system)
            _ = try await club.database.acceptInvitation(token: invited.token, password: password)
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let signedIn = try await client.send(
                .post,
                "/sign-in",
                headers: form,
                body: ByteBuffer(string: "email=head%40example.org&password=" + password)
            )
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("clubd_session=") })
            let session: HTTPFields = [.cookie: String(cookie.prefix { $0 != ";" })]
            let page = try await client.call(.get, "/fix-lists/\(list)", headers: session)
            let csrf = try #require(page.text.firstMatch(of: #/name="csrf" value="([^"]+)"/#)?.output.1)
            var post = session
            post[.contentType] = "application/x-www-form-urlencoded"
            let fields = "csrf=\(String(csrf).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&expiresAt="
            let made = try await client.send(.post, "/fix-lists/\(list)/share-links", headers: post, body: ByteBuffer(string: fields))
            #expect(made.status == .created, "\(made.status)")
            #expect(made.text.contains(#"value="https://club.example.org:9443/share/shr_"#), "the new link starts at publicURL")
        }
    }

    /// The real binary: an unusable `publicURL` stops `serve` (and `person invite`) before
    /// anything is opened, naming the key and what it must be.
    @Test func aBadPublicURLStopsTheDaemonSayingWhy() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ProcessTests.binary.path), "build clubd first")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-public-\(UUID().uuidString)")
        let bad = ["CLUBD_PUBLIC_URL": "http://club.example.org/club"]
        // `timeout` only so that a daemon that wrongly starts cannot hold the suite.
        let serve = ["60", ProcessTests.binary.path, "serve", "--data", data.path, "--port", "0"]
        let served = try await Subprocess.run("/usr/bin/timeout", serve, environment: bad)
        #expect(served.status != 0 && served.status != 124, "\(served.status): \(served.output)")
        #expect(served.output.contains("configuration key 'publicURL' has an unusable value"), "\(served.output)")
        #expect(served.output.contains("https://"), "the reason says what it must be: \(served.output)")
        let invite = ["person", "invite", "--data", data.path, "--email", "x@example.org", "--role", "coordinator", "--name", "X"]
        let invited = try await Subprocess.run(ProcessTests.binary.path, invite, environment: bad)
        #expect(invited.status != 0 && invited.output.contains("'publicURL'"), "\(invited.output)")
    }
}
