import ClubCore
import ClubDemo
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClubWeb

extension ConsolePages {
    /// The client's check of each fix in the console and on the share page (docs/design.md §3.7):
    /// rounds, the accept and comment forms, the reopening with its new due day.
    @Suite("Console and share page: the client checks each fix")
    struct FixChecksPagesTests {
        typealias Console = ConsoleTests.Console
        typealias Pages = MediationPagesTests

        @Test func roundsCommentsAndTheChecksFormsOnTheItemPage() async throws {
            try await ConsoleTests.withConsole { console in
                let landing = try await Pages.landing(console)
                let day = try #require(Day(Pages.day(console, 5)))
                let record = try await console.database.createFixList(
                    landing.id,
                    FixListInput(items: [FixItemInput(statement: "The gallery swipes", acceptance: "swiping shows the next yacht", due: day)]),
                    by: .system
                )
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: landing.clientId)
                let studio = try await Pages.person(console, "pm@pixel.example", .studio, studioId: landing.studioId)
                let coordinator = try await Pages.person(console, "coord@club.example", .coordinator)
                let clientPrincipal = Principal(tokenId: "p", name: "Oleg", role: .client, clientId: landing.clientId)
                let studioPrincipal = Principal(tokenId: "p", name: "Pixel PM", role: .studio, studioId: landing.studioId)
                _ = try await console.database.confirmFixList(record.list.id, by: clientPrincipal)
                _ = try await console.database.confirmFixList(record.list.id, by: studioPrincipal)
                let itemId = record.items[0].id
                _ = try await console.database.strikeFixItem(itemId, StrikeInput(note: "swipe added"), by: studioPrincipal)
                let itemPath = "/fix-items/\(itemId)"

                // The coordinator accepts only with a note; the studio has no accept form.
                let studioPage = try await console.get(itemPath, session: studio).1
                #expect(!studioPage.contains(#"action="\#(itemPath)/accept""#) && studioPage.contains(#"action="\#(itemPath)/comments""#))
                let clubPage = try await console.get(itemPath, session: coordinator).1
                #expect(clubPage.contains(#"action="\#(itemPath)/accept""#) && clubPage.contains("Awaiting the client&#39;s check"))
                let bare = "csrf=\(try ConsoleTests.csrf(in: clubPage))&note="
                let (refused, refusedHTML) = try await console.post("\(itemPath)/accept", session: coordinator, form: bare)
                #expect(refused.status == .unprocessableContent && refusedHTML.contains(#"id="note-error""#))

                // The client reopens with a new due day, shown in the round; then comments.
                let clientPage = try await console.get(itemPath, session: client).1
                #expect(clientPage.contains(#"name="due""#))
                let newDue = Pages.day(console, 9)
                let reopen = Pages.form([("csrf", try ConsoleTests.csrf(in: clientPage)), ("reason", "no swipe on iOS"), ("due", newDue)])
                #expect(try await console.post("\(itemPath)/reopen", session: client, form: reopen).0.status == .seeOther)
                #expect(try await console.database.fixList(record.list.id, for: .system).items[0].due == Day(newDue))
                let comment = Pages.form([("csrf", try ConsoleTests.csrf(in: clientPage)), ("text", "please try Safari too")])
                #expect(try await console.post("\(itemPath)/comments", session: client, form: comment).0.status == .seeOther)

                // Struck again and accepted by the client: the list page shows both rounds, the comment and the acceptance.
                _ = try await console.database.strikeFixItem(itemId, StrikeInput(note: "Safari fixed"), by: studioPrincipal)
                let again = try await console.get(itemPath, session: client).1
                let accept = Pages.form([("csrf", try ConsoleTests.csrf(in: again)), ("note", "works on my phone")])
                #expect(try await console.post("\(itemPath)/accept", session: client, form: accept).0.status == .seeOther)
                let listPage = try await console.get("/fix-lists/\(record.list.id)", session: studio).1
                #expect(listPage.contains("Round 1: struck by") && listPage.contains("Round 2: struck by"))
                #expect(listPage.contains("no swipe on iOS") && listPage.contains("please try Safari too") && listPage.contains("works on my phone"))
                #expect(listPage.contains("Done: every item is accepted") && listPage.contains("Commented on item 1"))
                #expect(try await console.database.fixList(record.list.id, for: .system).list.status == .done)
            }
        }

        @Test func theSharePageShowsEveryStrikeAndReopeningAndTheAcceptanceInBothLanguages() async throws {
            try await ConsoleTests.withConsole { console in
                let landing = try await Pages.landing(console)
                let day = try #require(Day(Pages.day(console, 5)))
                let record = try await console.database.createFixList(
                    landing.id,
                    FixListInput(items: [FixItemInput(statement: "The gallery swipes", acceptance: "swiping shows the next yacht", due: day)]),
                    by: .system
                )
                let client = Principal(tokenId: "p", name: "Oleg", role: .client, clientId: landing.clientId)
                let studio = Principal(tokenId: "p", name: "Pixel PM", role: .studio, studioId: landing.studioId)
                _ = try await console.database.confirmFixList(record.list.id, by: client)
                _ = try await console.database.confirmFixList(record.list.id, by: studio)
                let itemId = record.items[0].id
                _ = try await console.database.strikeFixItem(itemId, StrikeInput(note: "first try"), by: studio)
                _ = try await console.database.reopenFixItem(
                    itemId,
                    ReopenInput(reason: "no swipe on iOS", due: Day(Pages.day(console, 9))),
                    by: client
                )
                _ = try await console.database.strikeFixItem(itemId, StrikeInput(note: "second try"), by: studio)
                _ = try await console.database.acceptFixItem(itemId, AcceptInput(note: "works"), by: client)
                let link = try await console.database.createShareLink(record.list.id, ShareLinkInput(), by: client)
                let english = try await console.get("/share/\(link.token)?lang=en", session: nil).1
                #expect(english.contains("first try") && english.contains("second try") && english.contains("no swipe on iOS"))
                #expect(english.contains("New due day:") && english.contains("Accepted by <b>Oleg</b>") && english.contains("1 of 1 accepted"))
                let russian = try await console.get("/share/\(link.token)?lang=ru", session: nil).1
                #expect(russian.contains("Принято: <b>Oleg</b>") && russian.contains("Новый срок:"))
                #expect(russian.contains("принято 1 из 1"))
                #expect(russian.contains("Открыт заново: <b>Oleg</b>") && russian.contains(". Причина: no swipe on iOS"))
            }
        }
    }
}
