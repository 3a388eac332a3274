import ClubCore
import ClubDemo
import ClubStore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Mustache
import Testing

@testable import ClubWeb

/// The share page speaks the client's language: chosen from `Accept-Language`, switched by a
/// visible link and remembered in a cookie, with Russian plurals and times in the club's zone.
@Suite("Share page languages")
struct SharePageLanguageTests {
    static let moscow = TimeZone(identifier: "Europe/Moscow") ?? .gmt

    /// Runs `body` with the reference club's share page served in Moscow time.
    static func withPage(
        _ body: @escaping @Sendable (any TestClientProtocol, AppDatabase, ReferenceCase.Summary) async throws -> Void
    ) async throws {
        let (database, summary) = try await ShareUpdatesTests.club(zone: moscow)
        let router = Router(context: BasicRequestContext.self)
        try WebRoutes(database: database, updates: ShareUpdates()).addRoutes(to: router)
        try await Application(router: router).test(.router) { client in try await body(client, database, summary) }
    }

    static func get(
        _ client: any TestClientProtocol,
        _ uri: String,
        acceptLanguage: String? = nil,
        cookie: String? = nil
    ) async throws -> (TestResponse, String) {
        var headers: HTTPFields = [:]
        if let acceptLanguage { headers[.acceptLanguage] = acceptLanguage }
        if let cookie { headers[.cookie] = cookie }
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        return (response, String(buffer: response.body))
    }

    @Test func aRussianBrowserGetsTheWholePageInRussian() async throws {
        try await Self.withPage { client, database, summary in
            let (response, page) = try await Self.get(client, "/share/\(summary.shareToken)", acceptLanguage: "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7")
            #expect(response.status == .ok)
            #expect(response.headers[.contentLanguage] == "ru")
            #expect(response.headers[.setCookie] == nil, "only an explicit choice is remembered")
            #expect(page.contains(#"<html lang="ru">"#))
            #expect(page.contains("<title>Финальный список исправлений · "))
            #expect(page.contains("<h1>Финальный список исправлений</h1>"))
            #expect(page.contains(#"data-expired="ссылка больше не действует" data-off="#))
            #expect(page.contains(#"data-off="обновления остановлены">онлайн</span>"#))
            #expect(page.contains(#"aria-label="Выполнено 3 из 3 пунктов""#))
            #expect(page.contains(#"<span class="count" id="progress">выполнено 3 из 3</span>"#))
            #expect(page.contains("Осталось: 0 пунктов"))
            #expect(page.contains(#"<span class="tag done">принят</span>"#) && page.contains("<b>Критерий приёмки:</b>"))
            #expect(page.contains("Страница обновляется сама"))
            #expect(page.contains("Время указано по часовому поясу Europe/Moscow."))

            // Times in the club's zone and the page's language, not in UTC.
            let record = try await database.fixList(summary.fixListId, for: .system)
            let struckAt = try #require(record.items[0].struckAt)
            let moscowTime = Catalogs.bundled.format(struckAt, zone: Self.moscow, language: "ru")
            #expect(page.contains("Выполнено: <b>Pixel Hands PM</b>, \(moscowTime) — connected the form to the CRM webhook"))
            #expect(!page.contains(Catalogs.bundled.format(struckAt, zone: .gmt, language: "ru")))
            #expect(page.contains("<b>Срок:</b> \(Catalogs.bundled.localizer(for: "ru").format(record.items[0].due))"))

            for english in ["Final correction list", "Done when", "Struck by", ">struck<", "of 3", "Remaining", "link expired", "Read-only"] {
                #expect(!page.contains(english), "English left on the Russian page: \(english)")
            }
        }
    }

    @Test func countsTakeTheirRussianForms() async throws {
        try await Self.withPage { client, database, summary in
            let record = try await database.fixList(summary.fixListId, for: .system)
            // The reference case's items are accepted; a new wording opens them again (reopening
            // is for struck items, and its words are checked in `FixChecksPagesTests`).
            let reworded = FixItemPatch(acceptance: "a test lead arrives with the phone number")
            _ = try await database.updateFixItem(record.items[0].id, reworded, ifVersion: nil, by: .system)
            var (_, page) = try await Self.get(client, "/share/\(summary.shareToken)?lang=ru")
            #expect(page.contains(#"aria-label="Выполнено 2 из 3 пунктов""#) && page.contains("Осталось: 1 пункт<"))
            _ = try await database.updateFixItem(record.items[1].id, FixItemPatch(acceptance: "PageSpeed 90 on 3G"), ifVersion: nil, by: .system)
            (_, page) = try await Self.get(client, "/share/\(summary.shareToken)?lang=ru")
            #expect(page.contains("Осталось: 2 пункта<"))
            (_, page) = try await Self.get(client, "/share/\(summary.shareToken)?lang=en")
            #expect(page.contains(#"aria-label="1 of 3 items struck""#) && page.contains(">1 of 3 struck<") && page.contains("Remaining: 2 items"))
        }
    }

    @Test func englishIsTheDefaultAndTheSwitchOffersRussian() async throws {
        let (database, summary) = try await ShareUpdatesTests.club()
        let router = Router(context: BasicRequestContext.self)
        try WebRoutes(database: database, updates: ShareUpdates()).addRoutes(to: router)
        try await Application(router: router).test(.router) { client in
            for header in [nil, "de-DE,fr;q=0.8", "ru;q=0, en;q=0.1"] {
                let (response, page) = try await Self.get(client, "/share/\(summary.shareToken)", acceptLanguage: header)
                #expect(response.headers[.contentLanguage] == "en")
                #expect(page.contains(#"<html lang="en">"#) && page.contains("<h1>Final correction list</h1>"))
                #expect(page.contains(#"aria-label="3 of 3 items struck""#) && page.contains("Remaining: 0 items"))
                #expect(page.contains(#"<nav class="languages" aria-label="Language">"#))
                #expect(page.contains("Times are in the UTC time zone."), "the default zone")
                #expect(page.contains(#"<a href="?lang=ru" lang="ru" hreflang="ru">Русский</a>"#))
                #expect(page.contains(#"<a href="?lang=en" lang="en" hreflang="en" aria-current="true">English</a>"#))
            }
        }
    }

    @Test func theSwitchIsRememberedInACookie() async throws {
        try await Self.withPage { client, _, summary in
            let (chosen, page) = try await Self.get(client, "/share/\(summary.shareToken)?lang=ru", acceptLanguage: "en-US")
            #expect(page.contains(#"<html lang="ru">"#))
            let cookie = try #require(chosen.headers[.setCookie])
            #expect(cookie.hasPrefix("lang=ru;"))
            for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Lax", "Max-Age=31536000"] {
                #expect(cookie.contains(attribute), "\(cookie) lacks \(attribute)")
            }
            #expect(page.contains(#"<a href="?lang=ru" lang="ru" hreflang="ru" aria-current="true">Русский</a>"#))

            let (remembered, again) = try await Self.get(client, "/share/\(summary.shareToken)", acceptLanguage: "en-US", cookie: "lang=ru")
            #expect(again.contains(#"<html lang="ru">"#) && remembered.headers[.setCookie] == nil)

            let (back, english) = try await Self.get(client, "/share/\(summary.shareToken)?lang=en", acceptLanguage: "ru", cookie: "lang=ru")
            #expect(english.contains(#"<html lang="en">"#) && back.headers[.setCookie]?.hasPrefix("lang=en;") == true)

            let (unknown, fallback) = try await Self.get(client, "/share/\(summary.shareToken)?lang=xx", acceptLanguage: "ru")
            #expect(fallback.contains(#"<html lang="ru">"#) && unknown.headers[.setCookie] == nil, "an unknown language is ignored")
        }
    }

    @Test func theNoticePagesSpeakTheLanguageToo() async throws {
        try await Self.withPage { client, database, summary in
            let (unknown, page) = try await Self.get(client, "/share/shr_nosuchlink", acceptLanguage: "ru")
            #expect(unknown.status == .notFound && unknown.headers[.contentLanguage] == "ru")
            #expect(page.contains(#"<html lang="ru">"#) && page.contains("<title>Страница не найдена</title>"))
            #expect(page.contains("<p>Проверьте ссылку, которую вам прислали.</p>"))
            #expect(page.contains(#"href="?lang=en""#))
            #expect(try await Self.get(client, "/share/shr_nosuchlink").1.contains("<h1>Page not found</h1>"))

            let links = try await database.writer.read { db in
                try String.fetchAll(db, sql: "SELECT id FROM shareLink WHERE fixListId = ?", arguments: [summary.fixListId])
            }
            for link in links { _ = try await database.revokeShareLink(link, by: .system) }
            let (gone, goneRussian) = try await Self.get(client, "/share/\(summary.shareToken)", cookie: "lang=ru")
            #expect(gone.status == .gone)
            #expect(goneRussian.contains("<h1>Эта ссылка больше не действует</h1>"))
            #expect(goneRussian.contains("Попросите у клуба новую."))
            #expect(try await Self.get(client, "/share/\(summary.shareToken)").1.contains("<h1>This link no longer works</h1>"))
        }
    }

    /// The fragment the event stream sends is the same list in the page's language (the script
    /// asks for `/events?lang=` with the page's `<html lang>`).
    @Test func theLiveFragmentSpeaksThePageLanguage() async throws {
        let (database, summary) = try await ShareUpdatesTests.club()
        guard case .available(let record, let link, let context) = try await database.sharedFixList(token: summary.shareToken) else {
            Issue.record("the reference case's link works")
            return
        }
        let view = SharePageView(
            record: record,
            context: context,
            link: link,
            language: PageLanguage(language: "ru", catalogs: .bundled),
            timeZone: Self.moscow,
            nonce: "",
            now: database.clock.now()
        )
        let fragment = try #require(try SharePageTemplates.library().render(view, withTemplate: "list"))
        #expect(fragment.hasPrefix(#"<main id="list""#))
        #expect(fragment.contains("выполнено 3 из 3") && fragment.contains("Осталось: 0 пунктов"))
        #expect(fragment.contains("Выполнено: <b>"))
        #expect(ShareAssets.script.contains(#"/events?lang=" + language"#) && ShareAssets.script.contains("live.dataset.expired"))
        #expect(!ShareAssets.script.contains("link expired"), "the script holds no text of its own")
    }

    /// A name or a note with markup is shown, never run, in the lines built around catalog texts.
    @Test func catalogLinesEscapeWhatTheyHold() {
        let words = Catalogs.bundled.localizer(for: "en")
        let line = HTMLText.text(
            words,
            "share.item.reopenedBy",
            ["name": HTMLText.bold("<script>x</script>"), "date": "d", "reason": HTMLText.escape("a & b")]
        )
        #expect(line == "Reopened by <b>&lt;script&gt;x&lt;/script&gt;</b> on d: a &amp; b")
    }
}
