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
    /// A studio's and a client's Home (docs/design.md §9.6): what waits for each, linked to the
    /// page where they do it, counted on the navigation, and nothing of another party.
    @Suite("Console: the studios' and clients' Home")
    struct HomePagesTests {
        typealias Console = ConsoleTests.Console
        typealias Pages = MediationPagesTests

        /// The Home link's badge, as the navigation shows it ("3"), or nil without one.
        static func badge(_ html: String) -> String? {
            guard let range = html.range(of: #"<span class="badge" aria-hidden="true">"#) else { return nil }
            return String(html[range.upperBound...].prefix { $0 != "<" })
        }

        @Test func aReferralWaitsOnTheStudiosHomeWithTheHoursLeftAndLeavesOnceAnswered() async throws {
            try await ConsoleTests.withConsole { console in
                let lead = try await RequestsPagesTests.lead(console, ask: "A booking widget", competences: ["landing"])
                _ = try await console.database.makeShortlist(lead.id, ShortlistInput(size: 3), by: .system)
                let pixel = try await RequestsPagesTests.studioId(console, named: "Pixel Hands")
                let referral = try await console.database.offerReferrals(lead.id, ReferralOffer(studioIds: [pixel]), by: .system)[0]
                let studio = try await Pages.person(console, "pm@pixel.example", .studio, studioId: pixel)

                let home = try await console.get("/", session: studio).1
                #expect(home.contains(#"<a href="/referrals/\#(referral.id)">Answer the referral: A booking widget</a>"#))
                #expect(home.contains("48 hours left"))
                #expect(home.contains("waiting for your answer"))
                let before = try #require(Self.badge(home))

                let principal = Principal(tokenId: "p", name: "Pixel PM", role: .studio, studioId: pixel)
                _ = try await console.database.answerReferral(referral.id, ReferralAnswer(accept: true, note: "free next week"), by: principal)
                let after = try await console.get("/", session: studio).1
                #expect(!after.contains("Answer the referral: A booking widget") && after.contains("you accepted"))
                #expect(Self.badge(after) != before)
            }
        }

        @Test func aStruckItemWaitsForTheClientsCheckAndAFixListForTheStudiosConfirmation() async throws {
            try await ConsoleTests.withConsole { console in
                let landing = try await Pages.landing(console)
                let day = try #require(Day(Pages.day(console, 2)))
                let record = try await console.database.createFixList(
                    landing.id,
                    FixListInput(items: [FixItemInput(statement: "The gallery swipes", acceptance: "swiping shows the next yacht", due: day)]),
                    by: .system
                )
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: landing.clientId)
                let studio = try await Pages.person(console, "pm@pixel.example", .studio, studioId: landing.studioId)
                let listPath = "/fix-lists/" + record.list.id
                #expect(try await console.get("/", session: studio).1.contains(#"<a href="\#(listPath)">Confirm the fix list: "#))
                #expect(try await console.get("/", session: client).1.contains(#"<a href="\#(listPath)">Confirm the fix list: "#))

                let clientPrincipal = Principal(tokenId: "p", name: "Oleg", role: .client, clientId: landing.clientId)
                let studioPrincipal = Principal(tokenId: "p", name: "Pixel PM", role: .studio, studioId: landing.studioId)
                _ = try await console.database.confirmFixList(record.list.id, by: clientPrincipal)
                _ = try await console.database.confirmFixList(record.list.id, by: studioPrincipal)
                let item = record.items[0]
                // Due in two days: the studio sees it as due soon; the client has nothing to check yet.
                let studioHome = try await console.get("/", session: studio).1
                #expect(studioHome.contains(#"<a href="\#(listPath)#item-\#(item.id)">Fix item 1. The gallery swipes</a>"#))
                #expect(!(try await console.get("/", session: client).1.contains("Check item 1")))

                _ = try await console.database.strikeFixItem(item.id, StrikeInput(note: "swipe added"), by: studioPrincipal)
                let clientHome = try await console.get("/", session: client).1
                #expect(clientHome.contains(#"<a href="/fix-items/\#(item.id)">Check item 1. The gallery swipes</a>"#))
                #expect(clientHome.contains("accepted automatically on"))
                #expect(!(try await console.get("/", session: studio).1.contains("Fix item 1. The gallery swipes")))

                _ = try await console.database.reopenFixItem(item.id, ReopenInput(reason: "no swipe on iOS"), by: clientPrincipal)
                let reopened = try await console.get("/", session: studio).1
                #expect(reopened.contains("Reopened by the client: item 1. The gallery swipes") && reopened.contains("“no swipe on iOS”"))
            }
        }

        @Test func homeSaysStatesInPlainWordsAndShowsNothingOfAnotherParty() async throws {
            try await ConsoleTests.withConsole { console in
                let landing = try await Pages.landing(console)
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: landing.clientId)
                let clientHome = try await console.get("/", session: client).1
                #expect(clientHome.contains(#"href="/engagements/\#(landing.id)""#) && clientHome.contains("Work with Pixel Hands"))
                #expect(clientHome.contains(#"href="/requests/\#(landing.requestId)""#))
                #expect(!clientHome.contains("at_risk") && !clientHome.contains(">active<"))

                // A studio with no work in the club sees none of the landing engagement's.
                let other = try await console.database.createStudio(
                    StudioInput(name: "Far Away", competences: ["seo"], regions: ["RU-SPE"], budgetMin: 0, budgetMax: 900_000, capacity: 2),
                    by: .system
                )
                let stranger = try await Pages.person(console, "far@far.example", .studio, studioId: other.id)
                let strangerHome = try await console.get("/", session: stranger).1
                #expect(!strangerHome.contains(landing.id) && !strangerHome.contains("Yacht") && Self.badge(strangerHome) == nil)
            }
        }

        @Test func theClientIsAskedToChooseItsStudioAndForTheFeedbackAStageLacks() async throws {
            try await ConsoleTests.withConsole { console in
                let landing = try await Pages.landing(console)
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: landing.clientId)
                // The reference case reached "development" on the landing page without the client's word on it.
                let before = try await console.get("/", session: client).1
                #expect(before.contains(#"<a href="/engagements/\#(landing.id)#feedback">Tell us how the stages went with Pixel Hands</a>"#))
                #expect(before.contains("— development"))
                #expect(!before.contains("Choose your studio"))

                let lead = try await RequestsPagesTests.lead(console, ask: "A booking widget", competences: ["landing"])
                _ = try await console.database.makeShortlist(lead.id, ShortlistInput(size: 3), by: .system)
                let pixel = try await RequestsPagesTests.studioId(console, named: "Pixel Hands")
                let referral = try await console.database.offerReferrals(lead.id, ReferralOffer(studioIds: [pixel]), by: .system)[0]
                #expect(try await console.get("/", session: client).1.contains("studios are considering it"))
                let studio = Principal(tokenId: "p", name: "Pixel PM", role: .studio, studioId: pixel)
                _ = try await console.database.answerReferral(referral.id, ReferralAnswer(accept: true, note: "next week"), by: studio)
                let after = try await console.get("/", session: client).1
                #expect(after.contains(#"<a href="/requests/\#(lead.id)">Choose your studio: A booking widget</a>"#))
                #expect(after.contains("studios answered: choose yours"))
                #expect(Self.badge(after).flatMap(Int.init) == Self.badge(before).flatMap(Int.init).map { $0 + 1 })
            }
        }
    }
}
