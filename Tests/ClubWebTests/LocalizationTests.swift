import ClubCore
import ClubDemo
import ClubStore
import Foundation
import Testing

/// Plurals by CLDR's rules, dates in a zone and a language, and the choice of language from
/// `Accept-Language` (DESIGN §9).
@Suite("Localization")
struct LocalizationTests {
    static let russian = Catalogs.bundled.localizer(for: "ru")
    static let english = Catalogs.bundled.localizer(for: "en")

    @Test(arguments: [
        (1, "1 пункт"), (2, "2 пункта"), (4, "4 пункта"), (5, "5 пунктов"), (0, "0 пунктов"),
        (11, "11 пунктов"), (12, "12 пунктов"), (14, "14 пунктов"), (20, "20 пунктов"), (21, "21 пункт"),
        (22, "22 пункта"), (24, "24 пункта"), (25, "25 пунктов"), (30, "30 пунктов"), (101, "101 пункт"),
        (104, "104 пункта"), (111, "111 пунктов"), (112, "112 пунктов"), (114, "114 пунктов"),
        (121, "121 пункт"), (1001, "1001 пункт"),
    ])
    func russianCountsTakeOneFewOrMany(count: Int, text: String) {
        #expect(Self.russian.plural("plural.items", count: count) == text)
    }

    @Test(arguments: [(0, "0 items"), (1, "1 item"), (2, "2 items"), (11, "11 items"), (21, "21 items"), (101, "101 items")])
    func englishCountsTakeOneOrOther(count: Int, text: String) {
        #expect(Self.english.plural("plural.items", count: count) == text)
    }

    @Test func theRulesFollowCLDR() {
        let russian = PluralRule.forLanguage("ru-RU")
        #expect([1, 21, 31, 101, 1001].map(russian.category(for:)).allSatisfy { $0 == .one })
        #expect([2, 3, 4, 22, 23, 24, 102].map(russian.category(for:)).allSatisfy { $0 == .few })
        #expect([0, 5, 10, 11, 12, 13, 14, 19, 20, 25, 100, 111, 112, 114].map(russian.category(for:)).allSatisfy { $0 == .many })
        #expect(russian.categories == [.one, .few, .many, .other])
        #expect(PluralRule.forLanguage("en").categories == [.one, .other])
        #expect(PluralRule.forLanguage("uk").category(for: 21) == .one)
        #expect(PluralRule.forLanguage("pl").category(for: 21) == .many && PluralRule.forLanguage("pl").category(for: 22) == .few)
        #expect(PluralRule.forLanguage("fr").category(for: 0) == .one)
        #expect(PluralRule.forLanguage("ja").category(for: 1) == .other)
        #expect(PluralRule.forLanguage("xx").category(for: 1) == .one, "an unknown language counts as English does")
    }

    @Test func placeholdersAreFilledOnceAndUnknownOnesStay() {
        #expect(Localizer.fill("{a} and {b} and {c}", ["a": "{b}", "b": "2"]) == "{b} and 2 and {c}")
        #expect(Localizer.fill("{ not a placeholder", ["x": "y"]) == "{ not a placeholder")
        #expect(Self.english.text("no.such.key") == "no.such.key")
    }

    // MARK: - Dates

    /// 2027-01-15 08:00 UTC, in winter; 2027-07-01 12:00 UTC, in summer (New York on daylight time).
    static let winter = Date(timeIntervalSince1970: 1_800_000_000)
    static let summer = Date(timeIntervalSince1970: 1_814_443_200)

    @Test func datesAndTimesInMoscow() throws {
        let moscow = try #require(TimeZone(identifier: "Europe/Moscow"))
        #expect(Catalogs.bundled.format(Self.winter, zone: moscow, language: "ru") == "15 января 2027 г., 11:00")
        #expect(Catalogs.bundled.format(Self.summer, zone: moscow, language: "ru") == "1 июля 2027 г., 15:00")
        #expect(Catalogs.bundled.format(Self.winter, zone: moscow, language: "en") == "15 Jan 2027, 11:00")
        #expect(Catalogs.bundled.format(Self.winter, zone: moscow, language: "ru", style: .date) == "15 января 2027 г.")
    }

    @Test func datesAndTimesInNewYork() throws {
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        #expect(Catalogs.bundled.format(Self.winter, zone: newYork, language: "en") == "15 Jan 2027, 03:00")
        #expect(Catalogs.bundled.format(Self.summer, zone: newYork, language: "en") == "1 Jul 2027, 08:00")
        #expect(Catalogs.bundled.format(Self.summer, zone: newYork, language: "ru") == "1 июля 2027 г., 08:00")
    }

    @Test func aDayHasNoZone() throws {
        let day = try #require(Day("2027-02-01"))
        #expect(Self.russian.format(day) == "1 февраля 2027 г.")
        #expect(Self.english.format(day) == "1 Feb 2027")
    }

    // MARK: - Accept-Language

    @Test func qualityValuesOrderTheRanges() {
        #expect(AcceptLanguage.parse("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7").map(\.tag) == ["ru-ru", "ru", "en-us", "en"])
        #expect(AcceptLanguage.parse("en;q=0.5, ru;q=0.9, de").map(\.tag) == ["de", "ru", "en"])
        #expect(AcceptLanguage.parse("ru;q=0, en").map(\.tag) == ["en"], "q=0 means not this one")
        #expect(AcceptLanguage.parse("ru;q=abc, en;q=2, fr").map(\.tag) == ["fr"], "an unreadable quality drops its range")
        #expect(AcceptLanguage.parse("en, ru").map(\.tag) == ["en", "ru"], "equal qualities keep the header's order")
        #expect(AcceptLanguage.parse(" , ;q=1, <script>").isEmpty)
    }

    @Test(arguments: [
        ("ru", "ru"), ("ru-RU", "ru"), ("RU-ru", "ru"), ("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"), ("en-US,en;q=0.9,ru;q=0.8", "en"),
        ("de-DE,ru;q=0.5", "ru"), ("en;q=0.5, ru;q=0.9", "ru"), ("ru;q=0, en", "en"), ("fr-FR, de", "en"), ("*", "en"), ("", "en"),
    ])
    func theLanguageComesFromAcceptLanguage(header: String, language: String) {
        #expect(Catalogs.bundled.choose(acceptLanguage: header) == language)
    }

    @Test func anExplicitChoiceWinsWhenItIsALanguageWeSpeak() {
        #expect(Catalogs.bundled.choose("ru", acceptLanguage: "en") == "ru")
        #expect(Catalogs.bundled.choose("klingon", "en", acceptLanguage: "ru") == "en")
        #expect(Catalogs.bundled.choose(nil, "xx", acceptLanguage: "ru-RU") == "ru")
        #expect(Catalogs.bundled.choose(nil, acceptLanguage: nil) == "en")
    }

    // MARK: - The audit response letter

    static func answeredAudit() async throws -> (AppDatabase, String) {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let database = try AppDatabase.inMemory(clock: clock)
        let summary = try await ReferenceCase(database: database, clock: clock).load()
        return (database, summary.auditId)
    }

    @Test func theLetterSpeaksRussian() async throws {
        let (database, audit) = try await Self.answeredAudit()
        let text = try await database.responseLetter(audit, format: .plainText, language: "ru", for: .system)
        let title = "Ответ на аудит «advertising campaign»"
        #expect(text.hasPrefix(title + "\n" + String(repeating: "=", count: title.count) + "\n"))
        #expect(text.contains("Кому: Yacht Charter Ltd") && text.contains("Аудитор: Northwind Audit Bureau"))
        let heading = "Замечание 1: too few negative keywords"
        #expect(text.contains(heading + "\n" + String(repeating: "-", count: heading.count) + "\n"))
        #expect(text.contains("Наша позиция: оспариваем"))
        #expect(text.contains("Наша позиция: принимаем частично"))
        #expect(text.contains("Предложение: аудитор предлагает: add a call-tracking goal"))
        #expect(text.contains("Аудит получен: ") && text.contains(" г.; ответ дан: "))
        #expect(text.contains("Из 3 замечаний принимаем 1, частично принимаем 1, оспариваем 1."))
        #expect(text.contains("оспариваем 1. 2 из них пришли без предложения"))
        #expect(!text.contains("Finding") && !text.contains("Our position"))
        let markdown = try await database.responseLetter(audit, format: .markdown, language: "ru", for: .system)
        #expect(markdown.hasPrefix("# Ответ на аудит «advertising campaign»"))
        #expect(markdown.contains("## Итог") && markdown.contains("- **Наша позиция:** принимаем"))
    }

    @Test func theLetterIsEnglishByDefaultAndCountsInTheSingular() async throws {
        let (database, audit) = try await Self.answeredAudit()
        let text = try await database.responseLetter(audit, format: .plainText, for: .system)
        #expect(text.hasPrefix("Response to the audit \"advertising campaign\"\n"))
        #expect(text.contains("Of 3 findings we accept 1, accept 1 in part and dispute 1. 2 of them came without a proposal"))
        #expect(text.contains("and are therefore not constructive."))
        #expect(try await database.responseLetter(audit, format: .plainText, language: "xx", for: .system) == text)
        #expect(
            Self.english.plural("letter.summary.counts", count: 1, ["accepted": "1", "partly": "0", "disputed": "0"]).hasPrefix("Of 1 finding we")
        )
        #expect(Self.english.plural("letter.summary.notConstructive", count: 1).hasSuffix("and is therefore not constructive."))
        let counts = ["accepted": "1", "partly": "0", "disputed": "0"]
        #expect(Self.russian.plural("letter.summary.counts", count: 21, counts).hasPrefix("Из 21 замечания"))
        #expect(Self.russian.plural("letter.summary.notConstructive", count: 1).hasPrefix("1 из них пришло"))
    }
}
