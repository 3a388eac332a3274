import ClubCore
import ClubDemo
import ClubStore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClubWeb

/// The console's door (DESIGN §9): invitations set passwords, sign-in starts a session in a
/// cookie, every page needs one, forms need their CSRF token, failed sign-ins are throttled.
@Suite("Console sign-in, sessions and pages")
struct ConsoleTests {
    static let password = "correct horse battery staple"
    static let peer = HTTPField.Name("X-Test-Peer")!

    struct Console {
        let client: any TestClientProtocol
        let database: AppDatabase
        let summary: ReferenceCase.Summary

        /// A person who has set `ConsoleTests.password` through their invitation.
        func person(_ email: String, role: Role = .coordinator, language: Language = .en, studioId: String? = nil) async throws -> Person {
            let input = PersonInput(email: email, name: "Person \(email.prefix(3))", role: role, studioId: studioId, language: language)
            let invited = try await database.createPerson(input, by: .system)
            return try await database.acceptInvitation(token: invited.token, password: ConsoleTests.password)
        }

        func signIn(
            _ email: String,
            _ password: String = ConsoleTests.password,
            from peer: String = "192.0.2.1",
            language: String? = nil,
            code: String? = nil
        ) async throws -> TestResponse {
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", ConsoleTests.peer: peer]
            if let language { headers[.acceptLanguage] = language }
            let body = "email=\(Self.encoded(email))&password=\(Self.encoded(password))" + (code.map { "&code=\($0)" } ?? "")
            return try await client.execute(uri: "/sign-in", method: .post, headers: headers, body: ByteBuffer(string: body))
        }

        /// Signs in and answers the session cookie's value.
        func session(_ email: String) async throws -> String {
            let response = try await signIn(email)
            #expect(response.status == .seeOther)
            return try #require(ConsoleTests.cookie("clubd_session", in: response)?.value)
        }

        func get(_ uri: String, session: String?, headers more: HTTPFields = [:]) async throws -> (TestResponse, String) {
            var headers = more
            if let session { headers[.cookie] = "clubd_session=\(session)" }
            let response = try await client.execute(uri: uri, method: .get, headers: headers)
            return (response, String(buffer: response.body))
        }

        func post(_ uri: String, session: String?, form: String) async throws -> (TestResponse, String) {
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            if let session { headers[.cookie] = "clubd_session=\(session)" }
            let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: form))
            return (response, String(buffer: response.body))
        }

        static func encoded(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
        }
    }

    static func withConsole(
        limit: Int = 5,
        _ body: @escaping @Sendable (Console) async throws -> Void
    ) async throws {
        let (database, summary) = try await ShareUpdatesTests.club()
        let router = Router(context: BasicRequestContext.self)
        try WebRoutes(database: database, updates: ShareUpdates(), throttle: SignInThrottle(limit: limit)) { request, _ in
            request.headers[ConsoleTests.peer]
        }
        .addRoutes(to: router)
        try await Application(router: router).test(.router) { client in
            try await body(Console(client: client, database: database, summary: summary))
        }
    }

    static func cookie(_ name: String, in response: TestResponse) -> (value: String, attributes: [String])? {
        for header in response.headers[values: .setCookie] {
            let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = parts.first, first.hasPrefix(name + "=") else { continue }
            return (String(first.dropFirst(name.count + 1)), Array(parts.dropFirst()))
        }
        return nil
    }

    static func csrf(in page: String) throws -> String {
        let match = try #require(page.firstMatch(of: try Regex(#"name="csrf" value="([^"]+)""#)))
        return try #require(match.output[1].substring.map(String.init))
    }

    @Test func signingInSetsASecureSessionCookieAndOpensToday() async throws {
        try await Self.withConsole { console in
            _ = try await console.person("anna@example.org")
            let response = try await console.signIn("Anna@Example.org")
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/")
            let cookie = try #require(Self.cookie("clubd_session", in: response))
            #expect(cookie.value.hasPrefix("sid_") && cookie.value.count > 40)
            #expect(Set(cookie.attributes) == ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"])

            let (page, html) = try await console.get("/", session: cookie.value)
            #expect(page.status == .ok)
            #expect(html.contains("<h1>Today</h1>"))
            #expect(html.contains(#"<html lang="en">"#))
            #expect(html.contains("Person ann"))
            #expect(html.contains(#"<button type="submit" class="secondary">Sign out</button>"#))
            #expect(html.contains(#"aria-current="page">Today"#) && html.contains(">People</a>"))
            #expect(
                html.contains(#"<a href="/account/tokens">API tokens</a>"#) && html.contains(#"<a href="/account/authenticator">Authenticator</a>"#)
            )
            #expect(html.contains("Engagements at risk"))
            #expect(html.contains("Stages without the client&#39;s feedback <span class=\"count\">1 item</span>"))
            let engagement = console.summary.advertisingEngagementId
            let line = #"<a href="/engagements/"# + engagement + #"">"#
            #expect(html.contains(line) || html.contains(#"<a href="/engagements/"# + console.summary.landingEngagementId + #"">"#))
            let (object, objectPage) = try await console.get("/engagements/\(console.summary.landingEngagementId)", session: cookie.value)
            #expect(object.status == .ok)
            #expect(objectPage.contains("Pixel Hands") && objectPage.contains("Yacht Charter Ltd"), "the engagement's page names its parties")
            // Today's live script fetches its sections alone: the page's own nonce'd style stays out.
            let (part, sections) = try await console.get("/?part=sections", session: cookie.value)
            #expect(part.status == .ok && sections.hasPrefix("<div id=\"sections\">") && !sections.contains("<style"))
            #expect(sections.contains("Engagements at risk") && !sections.contains("<h1>"))
            #expect(
                html.contains("Engagement of Pixel Hands for Yacht Charter Ltd") || html.contains("Engagement of Ad Minds for Yacht Charter Ltd"),
                "Today names an engagement by its studio and client, not by ids"
            )
            #expect(try await console.get("/engagements/eng_nothing", session: cookie.value).0.status == .notFound)
            let policy = try #require(page.headers[.contentSecurityPolicy])
            let nonce = try #require(policy.firstMatch(of: try Regex(#"script-src 'nonce-([0-9a-f]+)'"#))?.output[1].substring)
            #expect(html.contains(#"<script nonce="\#(nonce)">"#))
            #expect(policy.contains("frame-ancestors 'none'") && policy.contains("form-action 'self'") && policy.contains("default-src 'none'"))
            #expect(page.headers[.referrerPolicy] == "no-referrer")
            #expect(page.headers[.contentTypeOptions] == "nosniff")
            #expect(page.headers[.cacheControl] == "no-store")

            // A second sign-in gets a fresh id.
            let again = try #require(Self.cookie("clubd_session", in: try await console.signIn("anna@example.org")))
            #expect(again.value != cookie.value)
        }
    }

    @Test func aWrongPasswordIs401OnTheSamePage() async throws {
        try await Self.withConsole { console in
            _ = try await console.person("anna@example.org")
            let response = try await console.signIn("anna@example.org", "not the password at all")
            let html = String(buffer: response.body)
            #expect(response.status == .unauthorized)
            #expect(html.contains("<h1>Sign in</h1>"))
            #expect(html.contains("The e-mail or password is wrong."))
            #expect(html.contains(##"<a href="#email">"##), "the error summary links to the field")
            #expect(Self.cookie("clubd_session", in: response) == nil)
            #expect(try await console.signIn("nobody@example.org").status == .unauthorized)
        }
    }

    @Test func aBurstOfFailuresIs429WhileOthersStillSignIn() async throws {
        try await Self.withConsole(limit: 3) { console in
            _ = try await console.person("anna@example.org")
            _ = try await console.person("boris@example.org")
            for _ in 0..<3 {
                #expect(try await console.signIn("anna@example.org", "guessing wrongly", from: "198.51.100.7").status == .unauthorized)
            }
            // Now even the right password waits, from that address and for that account.
            let throttled = try await console.signIn("anna@example.org", from: "198.51.100.7")
            #expect(throttled.status == .tooManyRequests)
            #expect(String(buffer: throttled.body).contains("Too many attempts. Try again in 15 minutes."))
            #expect(try await console.signIn("anna@example.org", from: "203.0.113.9").status == .tooManyRequests)
            #expect(try await console.signIn("boris@example.org", from: "198.51.100.7").status == .tooManyRequests)
            // Another account from another address goes on.
            #expect(try await console.signIn("boris@example.org", from: "203.0.113.9").status == .seeOther)

            let russian = try await console.signIn("anna@example.org", from: "198.51.100.7", language: "ru")
            let russianPage = String(buffer: russian.body)
            #expect(russianPage.contains("Попробуйте снова через 15 минут."))
        }
    }

    @Test func everyConsolePageNeedsASession() async throws {
        try await Self.withConsole { console in
            for uri in ["/", "/people", "/today/events", "/engagements/\(console.summary.landingEngagementId)"] {
                let (response, _) = try await console.get(uri, session: nil)
                #expect(response.status == .seeOther, "\(uri)")
                #expect(response.headers[.location] == "/sign-in", "\(uri)")
                let (forged, _) = try await console.get(uri, session: "sid_forged")
                #expect(forged.status == .seeOther, "\(uri)")
            }
        }
    }

    @Test func aPostWithoutItsCSRFTokenIs403AndChangesNothing() async throws {
        try await Self.withConsole { console in
            _ = try await console.person("anna@example.org")
            let session = try await console.session("anna@example.org")
            let (missing, html) = try await console.post("/sign-out", session: session, form: "")
            #expect(missing.status == .forbidden)
            #expect(html.contains("Nothing was changed."))
            let (forged, _) = try await console.post("/sign-out", session: session, form: "csrf=\(SessionSecret.csrfToken(for: "sid_other"))")
            #expect(forged.status == .forbidden)
            #expect(try await console.get("/", session: session).0.status == .ok, "the session is still open")

            // Forms before sign-in refuse a post from another site.
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .secFetchSite: "cross-site"]
            headers[.origin] = "https://evil.example"
            let crossSite = try await console.client.execute(
                uri: "/sign-in",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: "email=anna%40example.org&password=x")
            )
            #expect(crossSite.status == .forbidden)
        }
    }

    @Test func signingOutEndsTheSession() async throws {
        try await Self.withConsole { console in
            _ = try await console.person("anna@example.org")
            let session = try await console.session("anna@example.org")
            let (_, page) = try await console.get("/", session: session)
            let (response, _) = try await console.post("/sign-out", session: session, form: "csrf=\(try Self.csrf(in: page))")
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/sign-in")
            let cleared = try #require(Self.cookie("clubd_session", in: response))
            #expect(cleared.value.isEmpty && cleared.attributes.contains("Max-Age=0"))
            #expect(try await console.get("/", session: session).0.status == .seeOther)
            #expect(try await console.database.session(session) == nil)
        }
    }

    @Test func aDeactivatedPersonsOpenSessionEnds() async throws {
        try await Self.withConsole { console in
            let anna = try await console.person("anna@example.org")
            let session = try await console.session("anna@example.org")
            #expect(try await console.get("/", session: session).0.status == .ok)
            _ = try await console.database.deactivatePerson(anna.id, by: .system)
            let (response, _) = try await console.get("/", session: session)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/sign-in")
            #expect(try await console.signIn("anna@example.org").status == .unauthorized)
        }
    }

    @Test func theInvitationPageSetsThePasswordAndRefusesACommonOne() async throws {
        try await Self.withConsole { console in
            let invited = try await console.database.createPerson(
                PersonInput(email: "vera@example.org", name: "Vera Ivanova", role: .coordinator, language: .en),
                by: .system
            )
            let uri = "/invitations/\(invited.token)"
            let (page, html) = try await console.get(uri, session: nil)
            #expect(page.status == .ok)
            #expect(html.contains("<h1>Set your password</h1>"))
            #expect(html.contains(#"<label for="password">Password</label>"#) && html.contains(#"<label for="repeat">Repeat password</label>"#))
            #expect(html.contains(">Set password</button>"))
            #expect(page.headers[.cacheControl] == "no-store")

            let common = try #require(AppDatabase.passwordPolicy.commonPasswords.first { $0.count >= 12 })
            let (refused, refusedPage) = try await console.post(uri, session: nil, form: "password=\(common)&repeat=\(common)")
            #expect(refused.status == .unprocessableContent)
            #expect(refusedPage.contains(#"<p class="error-message" id="password-error">This password is one of the most common ones."#))
            #expect(refusedPage.contains(##"<a href="#password">This password is one of the most common ones."##))
            #expect(!refusedPage.contains(common), "what was typed is not shown again")

            let (mismatch, mismatchPage) = try await console.post(uri, session: nil, form: "password=\(Console.encoded(Self.password))&repeat=other")
            #expect(mismatch.status == .unprocessableContent)
            #expect(mismatchPage.contains(#"id="repeat-error">The two passwords are not the same."#))

            let (accepted, _) = try await console.post(
                uri,
                session: nil,
                form: "password=\(Console.encoded(Self.password))&repeat=\(Console.encoded(Self.password))"
            )
            #expect(accepted.status == .seeOther)
            #expect(accepted.headers[.location] == "/sign-in?welcome=1")
            #expect(try await console.get("/sign-in?welcome=1", session: nil).1.contains("Your password is set. Sign in."))
            #expect(try await console.signIn("vera@example.org").status == .seeOther)
            #expect(try await console.get(uri, session: nil).0.status == .gone)
            #expect(try await console.get("/invitations/inv_unknown", session: nil).0.status == .notFound)
        }
    }

    @Test func pagesSpeakThePersonsLanguageWithRussianPlurals() async throws {
        try await Self.withConsole { console in
            _ = try await console.person("olga@example.org", language: .ru)
            let session = try await console.session("olga@example.org")
            let (page, html) = try await console.get("/", session: session)
            #expect(page.headers[.contentLanguage] == "ru")
            #expect(html.contains(#"<html lang="ru">"#))
            #expect(html.contains("<h1>Сегодня</h1>"))
            #expect(html.contains(">Выйти</button>"))
            #expect(html.contains("Работы под угрозой"))
            let count = try Regex(#"<span class="count">(\d+) (пункт|пункта|пунктов)</span>"#)
            let counts = html.matches(of: count).compactMap { match in
                (match.output[1].substring.flatMap { Int($0) }, match.output[2].substring.map(String.init))
            }
            #expect(counts.count == 8, "one count per section of Today")
            for (count, word) in counts {
                let count = try #require(count)
                #expect(word == ["пункт", "пункта", "пунктов"][Self.russianForm(count)])
            }

            // The switch changes the language for the browser session.
            let (english, englishPage) = try await console.get("/?lang=en", session: session)
            #expect(englishPage.contains("<h1>Today</h1>"))
            #expect(Self.cookie("clubd_lang", in: english)?.value == "en")
            #expect(englishPage.contains(#"href="?lang=ru""#) && englishPage.contains(">Русский</a>"))
        }
    }

    static func russianForm(_ count: Int) -> Int {
        if count % 10 == 1 && count % 100 != 11 { return 0 }
        if (2...4).contains(count % 10) && !(12...14).contains(count % 100) { return 1 }
        return 2
    }

    @Test func aStudioSeesItsHomeNotToday() async throws {
        try await Self.withConsole { console in
            let engagement = try await console.database.engagementRecord(console.summary.landingEngagementId, for: .system).engagement
            _ = try await console.person("pm@studio.example", role: .studio, studioId: engagement.studioId)
            let session = try await console.session("pm@studio.example")
            let (page, html) = try await console.get("/", session: session)
            #expect(page.status == .ok)
            #expect(html.contains("<h1>Home</h1>") && !html.contains("Today"))
            #expect(html.contains(#"<a href="/account/tokens">API tokens</a>"#) && !html.contains("/account/authenticator"))
            #expect(html.contains("Referrals") && html.contains("Engagements"))
            #expect(try await console.get("/people", session: session).0.status == .notFound)
        }
    }

    @Test func aCoordinatorEnrolsAnAuthenticatorAndThenSignsInWithItsCode() async throws {
        try await Self.withConsole { console in
            let anna = try await console.person("anna@example.org")
            let session = try await console.session("anna@example.org")
            let (_, today) = try await console.get("/", session: session)
            #expect(today.contains("Protect your account: enrol an authenticator app."))

            let (page, html) = try await console.get("/account/authenticator", session: session)
            #expect(page.status == .ok)
            #expect(html.contains("otpauth://totp/"))
            let secretMatch = try #require(html.firstMatch(of: try Regex(#"name="secret" value="([^"]+)""#)))
            let secret = try #require(secretMatch.output[1].substring.map(String.init))
            let csrf = try Self.csrf(in: html)
            let clock = try #require(console.database.clock as? ManualClock)

            let (wrong, wrongPage) = try await console.post(
                "/account/authenticator",
                session: session,
                form: "csrf=\(csrf)&secret=\(secret)&code=000000"
            )
            #expect(wrong.status == .unprocessableContent)
            #expect(wrongPage.contains(#"id="code-error">The code is not right."#))
            let (noCSRF, _) = try await console.post("/account/authenticator", session: session, form: "secret=\(secret)&code=000000")
            #expect(noCSRF.status == .forbidden)

            let code = OneTimeCode.code(secret: secret, at: clock.now())
            let (enrolled, _) = try await console.post("/account/authenticator", session: session, form: "csrf=\(csrf)&secret=\(secret)&code=\(code)")
            #expect(enrolled.status == .seeOther)
            #expect(try await console.database.hasAuthenticator(anna.id))
            #expect(try await console.get("/account/authenticator", session: session).1.contains("An authenticator is enrolled"))
            let replaced = "csrf=\(csrf)&secret=\(OneTimeCode.newSecret())&code=000000"
            #expect(try await console.post("/account/authenticator", session: session, form: replaced).0.status == .seeOther)
            #expect(try await console.database.hasAuthenticator(anna.id), "an enrolled one is not replaced from a session alone")
            let stored = try await console.database.writer.read { db in try String.fetchAll(db, sql: "SELECT after FROM journal") }
            #expect(!stored.contains { $0.contains(secret) }, "the secret never reaches the journal")

            // Now the password alone is not enough, nor is a code used once already.
            let withoutCode = try await console.signIn("anna@example.org")
            #expect(withoutCode.status == .unauthorized)
            #expect(String(buffer: withoutCode.body).contains("The e-mail, password or authenticator code is wrong."))
            #expect(try await console.signIn("anna@example.org", code: code).status == .unauthorized)
            clock.advance(by: 30)
            let fresh = OneTimeCode.code(secret: secret, at: clock.now())
            #expect(try await console.signIn("anna@example.org", code: fresh).status == .seeOther)
        }
    }

    @Test func aPersonMintsListsAndRevokesTheirOwnAPITokens() async throws {
        try await Self.withConsole { console in
            let engagement = try await console.database.engagementRecord(console.summary.landingEngagementId, for: .system).engagement
            let pm = try await console.person("pm@studio.example", role: .studio, studioId: engagement.studioId)
            _ = try await console.person("anna@example.org")
            let session = try await console.session("pm@studio.example")
            let (page, html) = try await console.get("/account/tokens", session: session)
            #expect(page.status == .ok)
            #expect(html.contains("<h1>API tokens</h1>") && html.contains("Nothing here."))
            let csrf = try Self.csrf(in: html)

            let (refused, _) = try await console.post("/account/tokens", session: session, form: "name=deploy")
            #expect(refused.status == .forbidden)
            #expect(try await console.database.personalTokens(of: pm.id).isEmpty, "nothing was minted")
            let (empty, emptyPage) = try await console.post("/account/tokens", session: session, form: "csrf=\(csrf)&name=")
            #expect(empty.status == .unprocessableContent)
            #expect(emptyPage.contains(#"id="name-error">Enter a name of 1 to 100 characters."#))

            let (minted, mintedPage) = try await console.post("/account/tokens", session: session, form: "csrf=\(csrf)&name=deploy%20bot")
            #expect(minted.status == .created)
            let secretMatch = try #require(mintedPage.firstMatch(of: try Regex(#"<code class="key" id="new-token">([^<]+)</code>"#)))
            let secret = try #require(secretMatch.output[1].substring.map(String.init))
            let principal = try #require(try await console.database.authenticate(secret: secret))
            #expect(principal.role == .studio && principal.studioId == engagement.studioId && !principal.isHead)
            let (_, listed) = try await console.get("/account/tokens", session: session)
            #expect(listed.contains("<td>deploy bot</td>") && !listed.contains(secret), "listed, the secret not shown again")

            // Another person cannot revoke it; its owner can, with the form's token.
            let token = try #require(try await console.database.personalTokens(of: pm.id).first)
            let other = try await console.session("anna@example.org")
            let (_, annasPage) = try await console.get("/account/tokens", session: other)
            let (foreign, _) = try await console.post(
                "/account/tokens/\(token.id)/revoke",
                session: other,
                form: "csrf=\(try Self.csrf(in: annasPage))"
            )
            #expect(foreign.status == .notFound)
            #expect(try await console.database.authenticate(secret: secret) != nil)
            let (revoked, _) = try await console.post("/account/tokens/\(token.id)/revoke", session: session, form: "csrf=\(csrf)")
            #expect(revoked.status == .seeOther)
            #expect(try await console.database.authenticate(secret: secret) == nil)

            // Deactivating the person revokes the tokens they still have.
            let (_, again) = try await console.post("/account/tokens", session: session, form: "csrf=\(csrf)&name=ci")
            let second = try #require(again.firstMatch(of: try Regex(#"id="new-token">([^<]+)</code>"#))?.output[1].substring.map(String.init))
            _ = try await console.database.deactivatePerson(pm.id, by: .system)
            #expect(try await console.database.authenticate(secret: second) == nil)
        }
    }
}
