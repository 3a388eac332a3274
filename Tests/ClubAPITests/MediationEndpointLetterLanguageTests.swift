import ClubCore
import ClubDemo
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The response letter in the language asked for: `?lang=` first, then `Accept-Language`, then
/// English (DESIGN §9).
@Suite("Reference case, step 6: the letter's language")
struct MediationEndpointLetterLanguageTests {
    @Test func theLetterIsWrittenInTheLanguageAskedFor() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let database = try AppDatabase.inMemory(clock: clock)
        let summary = try await ReferenceCase(database: database, clock: clock).load()
        let app = Application(router: try buildRouter(database: database))
        try await app.test(.router) { client in
            let api = RouterClient(client: client)
            let letter = "/v1/audits/\(summary.auditId)/letter"

            let english = try await api.call(.get, letter, token: summary.headToken)
            #expect(english.status == .ok && english.headers[.contentLanguage] == "en")
            #expect(english.text.hasPrefix("Response to the audit"))

            let russian = try await api.call(.get, letter, token: summary.headToken, headers: [.acceptLanguage: "ru-RU,ru;q=0.9,en;q=0.8"])
            #expect(russian.headers[.contentLanguage] == "ru")
            #expect(russian.text.hasPrefix("Ответ на аудит «advertising campaign»"))
            #expect(russian.text.contains("Из 3 замечаний принимаем 1, частично принимаем 1"))

            let asked = try await api.call(.get, letter + "?lang=ru", token: summary.clientToken, headers: [.accept: "text/markdown"])
            #expect(asked.headers[.contentType] == "text/markdown; charset=utf-8" && asked.headers[.contentLanguage] == "ru")
            #expect(asked.text.hasPrefix("# Ответ на аудит"))

            let overridden = try await api.call(.get, letter + "?lang=en", token: summary.headToken, headers: [.acceptLanguage: "ru"])
            #expect(overridden.text.hasPrefix("Response to the audit"))
            let unknown = try await api.call(.get, letter + "?lang=tlh", token: summary.headToken, headers: [.acceptLanguage: "ru"])
            #expect(unknown.status == .ok && unknown.headers[.contentLanguage] == "ru", "an unknown language is ignored")
        }
    }
}
