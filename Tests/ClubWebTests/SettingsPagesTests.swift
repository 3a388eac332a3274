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

extension ConsolePages {
    /// The settings page, the unsubscribe link and the notifications on the notices page
    /// (docs/design.md §10).
    @Suite("Console: notification settings, unsubscribe links, notifications listed")
    struct SettingsPagesTests {
        typealias Console = ConsoleTests.Console
        typealias Pages = MediationPagesTests

        /// The landing engagement's client person signed in, and its confirmed fix list's items.
        struct Story {
            let session: String
            let person: Person
            let itemIds: [String]
            let studio: Principal
        }

        static func story(_ console: Console, language: Language = .en) async throws -> Story {
            let landing = try await Pages.landing(console)
            let input = PersonInput(email: "oleg@yacht.example", name: "Oleg Ivanov", role: .client, clientId: landing.clientId, language: language)
            let invited = try await console.database.createPerson(input, by: .system)
            let person = try await console.database.acceptInvitation(token: invited.token, password: ConsoleTests.password)
            let due = try #require(Day(Pages.day(console, 5)))
            let record = try await console.database.createFixList(
                landing.id,
                FixListInput(items: [
                    FixItemInput(statement: "The gallery swipes", acceptance: "swiping shows the next yacht", due: due),
                    FixItemInput(statement: "The footer shows the address", acceptance: "on every page", due: due),
                ]),
                by: .system
            )
            let client = Principal(tokenId: "tok_script", name: "Oleg", role: .client, clientId: landing.clientId)
            let studio = Principal(tokenId: "tok_script", name: "Pixel PM", role: .studio, studioId: landing.studioId)
            _ = try await console.database.confirmFixList(record.list.id, by: client)
            _ = try await console.database.confirmFixList(record.list.id, by: studio)
            return Story(session: try await console.session(person.email), person: person, itemIds: record.items.map(\.id), studio: studio)
        }

        static func checked(_ html: String, _ kind: String) throws -> String? {
            let pattern = try Regex(#"name="\#(NSRegularExpression.escapedPattern(for: kind))" value="([a-z]+)" checked"#)
            return html.firstMatch(of: pattern)?.output[1].substring.map(String.init)
        }

        @Test func choicesAreSavedAndShownForTheRolesKindsOnly() async throws {
            try await ConsoleTests.withConsole { console in
                let story = try await Self.story(console)
                let (page, html) = try await console.get("/settings", session: story.session)
                #expect(page.status == .ok)
                #expect(html.contains(#"<a href="/settings" aria-current="page">Notification settings</a>"#))
                #expect(html.contains("<legend>Fix item struck by the studio</legend>") && !html.contains("Referral offered to your studio"))
                #expect(html.components(separatedBy: "<fieldset").count - 1 == NotificationAudienceByRole.kinds(for: .client).count)
                #expect(html.contains(#"<label for="fix-item-struck-2">Not by e-mail</label>"#))
                #expect(try Self.checked(html, "fix-item.struck") == "immediately")
                #expect(html.contains(">Save</button>"))

                let form = Pages.form([
                    ("csrf", try ConsoleTests.csrf(in: html)), ("formKey", try RequestsPagesTests.formKey(in: html, action: "/settings")),
                    ("fix-item.struck", "never"), ("audit.letter-ready", "digest"), ("agreement.overdue", "immediately"),
                ])
                let (saved, _) = try await console.post("/settings", session: story.session, form: form)
                #expect(saved.status == .seeOther && saved.headers[.location] == "/settings?saved=1")
                let stored = try await console.database.notificationChoices(of: story.person.id)
                #expect(stored[.fixItemStruck] == .never && stored[.auditLetterReady] == .digest && stored[.agreementOverdue] == .immediately)

                let again = try await console.get("/settings?saved=1", session: story.session).1
                #expect(again.contains(#"<div class="notice" role="status"><p>Your choices are saved.</p></div>"#))
                #expect(try Self.checked(again, "fix-item.struck") == "never" && Self.checked(again, "audit.letter-ready") == "digest")
                let plain = try await console.get("/settings", session: story.session).1
                #expect(!plain.contains("Your choices are saved."))
            }
        }

        @Test func aPostWithoutItsCSRFTokenIs403AndChangesNothing() async throws {
            try await ConsoleTests.withConsole { console in
                let story = try await Self.story(console)
                let (refused, _) = try await console.post("/settings", session: story.session, form: "fix-item.struck=never")
                #expect(refused.status == .forbidden)
                let forged = try await console.post("/settings", session: story.session, form: "csrf=forged&fix-item.struck=never").0
                #expect(forged.status == .forbidden)
                #expect(try await console.database.notificationChoices(of: story.person.id)[.fixItemStruck] == .immediately)
                #expect(try await console.post("/settings", session: nil, form: "fix-item.struck=never").0.status == .seeOther)
            }
        }

        @Test func theUnsubscribeLinkShowsWhatStopsThenStopsItWithoutSigningIn() async throws {
            try await ConsoleTests.withConsole { console in
                let story = try await Self.story(console, language: .ru)
                let token = try await console.database.unsubscribeToken(personId: story.person.id, kind: .fixItemStruck)
                let (shown, html) = try await console.get("/unsubscribe/\(token)", session: nil)
                #expect(shown.status == .ok && shown.headers[.contentLanguage] == "ru")
                #expect(html.contains("Больше не присылать эти письма?"))
                #expect(html.contains("<b>Студия вычеркнула пункт правок</b>"))
                #expect(html.contains(#"<form method="post" action="/unsubscribe/\#(token)"><button type="submit">"#))
                #expect(html.contains("Не присылать эти письма</button>"))
                #expect(try await console.database.notificationChoices(of: story.person.id)[.fixItemStruck] == .immediately, "GET changes nothing")
                let english = try await console.get("/unsubscribe/\(token)?lang=en", session: nil).1
                #expect(english.contains("<b>Fix item struck by the studio</b>") && english.contains("Stop these e-mails"))

                // A mail client's one-click POST (RFC 8058): no session, no CSRF token, the token is the credential.
                let (stopped, done) = try await console.post("/unsubscribe/\(token)", session: nil, form: "List-Unsubscribe=One-Click")
                #expect(stopped.status == .ok)
                #expect(done.contains("Письма больше не придут") && done.contains(#"href="/settings">"#))
                let choices = try await console.database.notificationChoices(of: story.person.id)
                #expect(choices[.fixItemStruck] == .never && choices[.agreementOverdue] == .immediately)
                let events = try await console.database.writer.read { db in
                    try String.fetchAll(
                        db,
                        sql: "SELECT actorId FROM journal WHERE action = 'notification-choices-set' AND entityId = ?",
                        arguments: [story.person.id]
                    )
                }
                #expect(events == [story.person.id], "journaled as the person's own change")
                // Following the link again is harmless.
                #expect(try await console.post("/unsubscribe/\(token)", session: nil, form: "").0.status == .ok)
            }
        }

        @Test func aForgedOrUnknownTokenIs404AndChangesNothing() async throws {
            try await ConsoleTests.withConsole { console in
                let story = try await Self.story(console)
                let token = try await console.database.unsubscribeToken(personId: story.person.id, kind: .fixItemStruck)
                let mac = String(token.split(separator: ".").last ?? "")
                let flipped = String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0")
                let forged = [
                    flipped,
                    "\(story.person.id).agreement.overdue.\(mac)",
                    "\(story.person.id).fix-item.struck.\(String(repeating: "0", count: mac.count))",
                    "per_nobody.fix-item.struck.\(mac)",
                    "garbage",
                ]
                for bad in forged {
                    let (shown, html) = try await console.get("/unsubscribe/\(bad)", session: nil)
                    #expect(shown.status == .notFound && html.contains("This link does not work"), "\(bad)")
                    #expect(try await console.post("/unsubscribe/\(bad)", session: nil, form: "List-Unsubscribe=One-Click").0.status == .notFound)
                }
                let choices = try await console.database.notificationChoices(of: story.person.id)
                #expect(choices.values.allSatisfy { $0 == .immediately })
            }
        }

        @Test func theNoticesPageListsEveryNotificationWhateverTheChoice() async throws {
            try await ConsoleTests.withConsole { console in
                let story = try await Self.story(console)
                let database = console.database
                try await database.setNotificationChoices([.fixItemStruck: .never], of: story.person.id, by: story.person.principal)
                _ = try await database.strikeFixItem(story.itemIds[0], StrikeInput(note: "swipe added"), by: story.studio)
                try await database.setNotificationChoices([.fixItemStruck: .digest], of: story.person.id, by: story.person.principal)
                _ = try await database.strikeFixItem(story.itemIds[1], StrikeInput(note: "address added"), by: story.studio)

                let html = try await console.get("/notices", session: story.session).1
                let section = try #require(html.components(separatedBy: #"<section id="notifications""#).last)
                let lines = section.components(separatedBy: "<li>").dropFirst()
                let struck = lines.filter { $0.contains(">Fix item struck by the studio</a>") }
                #expect(struck.count == 2)
                #expect(struck.first?.contains("kept for the digest") == true && struck.last?.contains("not e-mailed (your choice)") == true)
                let records = try await database.notifications(of: story.person.id)
                for record in records { #expect(section.contains(#"<a href="\#(record.path)">"#)) }
                #expect(section.contains(records.count == 1 ? "1 notification" : "\(records.count) notifications"))
                #expect(!html.contains(#"id="failed-mail""#), "a client has no failed-mail section")
            }
        }

        @Test func failedMailIsShownToCoordinatorsOnly() async throws {
            try await ConsoleTests.withConsole { console in
                let story = try await Self.story(console)
                _ = try await console.database.strikeFixItem(story.itemIds[0], StrikeInput(note: "swipe added"), by: story.studio)
                let record = try #require(try await console.database.notifications(of: story.person.id).first { $0.kind == .fixItemStruck })
                let reply = "550 5.1.1 <oleg@yacht.example>: mailbox unavailable"
                let coordinator = try await Pages.person(console, "coord@club.example", .coordinator)
                let before = try await console.get("/notices", session: coordinator).1
                #expect(
                    before.contains("E-mail that could not be delivered") && before.contains("Every e-mail was delivered or is still on its way.")
                )

                try await console.database.markMailFailed(record.id, reply: reply)
                let html = try await console.get("/notices", session: coordinator).1
                let section = try #require(html.components(separatedBy: #"<section id="failed-mail""#).last)
                #expect(section.contains("1 e-mail") && section.contains("Oleg Ivanov &lt;oleg@yacht.example&gt;"))
                #expect(section.contains("550 5.1.1 &lt;oleg@yacht.example&gt;: mailbox unavailable") && section.contains("after 1 attempt"))
                #expect(section.contains(">Fix item struck by the studio</a>"))

                let russian = try await console.get("/notices?lang=ru", session: coordinator).1
                #expect(russian.contains("Письма, которые не удалось доставить"))
                #expect(russian.contains("1 письмо") && russian.contains("после 1 попытки"))

                let clientPage = try await console.get("/notices", session: story.session).1
                #expect(!clientPage.contains("could not be delivered") && !clientPage.contains("mailbox unavailable"))
                #expect(clientPage.contains("e-mail failed"), "the client sees their own notification's status")
                let studio = try await Pages.person(console, "pm@pixel.example", .studio, studioId: story.studio.studioId)
                let studioPage = try await console.get("/notices", session: studio).1
                #expect(!studioPage.contains("could not be delivered") && !studioPage.contains("mailbox unavailable"))
            }
        }
    }
}
