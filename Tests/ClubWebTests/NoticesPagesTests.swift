import ClubCore
import ClubDemo
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ClubWeb

extension ConsolePages {
    /// The client's own request page with its choice, a studio sent to its referral, and the
    /// notices page of every role (docs/design.md §9.6).
    @Suite("Console: the client's request page and notices")
    struct NoticesPagesTests {
        typealias Console = ConsoleTests.Console
        typealias Pages = MediationPagesTests
        typealias Requests = RequestsPagesTests

        static let internalNote = "club only: the client haggles hard"

        /// A reframed request with an internal note, shortlisted and offered to two studios, both
        /// of which accepted; the second recommended by the club.
        static func offeredRequest(_ console: Console, by coordinator: Principal = .system) async throws -> (Lead, [Referral], [String: String]) {
            let clientId = try await Requests.clientId(console)
            var lead = try await console.database.createLead(
                LeadInput(
                    clientId: clientId,
                    statedAsk: "A landing page for charters",
                    businessGoal: "bookings from the site",
                    budget: 500_000,
                    deadline: Requests.day(console, 60),
                    region: "RU-MOW",
                    internalNote: Self.internalNote
                ),
                by: .system
            )
            lead = try await console.database.updateLead(
                lead.id,
                LeadPatch(requiredCompetences: ["landing"], rationale: "serves the goal"),
                ifVersion: nil,
                by: .system
            )
            let shortlist = try await console.database.makeShortlist(lead.id, ShortlistInput(size: 3), by: coordinator)
            let studioIds = Array(shortlist.candidates.map(\.studioId).prefix(2))
            try #require(studioIds.count == 2)
            let offers = try await console.database.offerReferrals(lead.id, ReferralOffer(studioIds: studioIds), by: coordinator)
            let studios = try await console.database.studios(StudioFilter(), page: PageRequest(limit: 200), for: .system).items
            let names = Dictionary(uniqueKeysWithValues: studios.map { ($0.id, $0.name) })
            return (lead, studioIds.compactMap { id in offers.first { $0.studioId == id } }, names)
        }

        static func accept(_ console: Console, _ referral: Referral, note: String) async throws {
            let studio = Principal(tokenId: "p", name: "PM", role: .studio, studioId: referral.studioId)
            _ = try await console.database.answerReferral(referral.id, ReferralAnswer(accept: true, note: note), by: studio)
        }

        @Test func theClientReadsItsRequestInPlainWordsAndChoosesAStudio() async throws {
            try await ConsoleTests.withConsole { console in
                let (lead, offers, names) = try await Self.offeredRequest(console)
                let path = "/requests/" + lead.id
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: lead.clientId)

                // Offered but not answered: the club is still finding studios.
                var html = try await console.get(path, session: client).1
                #expect(html.contains("We are finding studios for you") && html.contains("A landing page for charters"))
                #expect(html.contains("bookings from the site") && html.contains("No studio has accepted your request yet."))

                try await Self.accept(console, offers[0], note: "free next week")
                try await Self.accept(console, offers[1], note: "two designers ready")
                _ = try await console.database.recommend(offers[1].id, ReferralPatch(recommendation: "steady hands"), ifVersion: nil, by: .system)
                let (page, body) = try await console.get(path, session: client)
                html = body
                #expect(page.status == .ok)
                #expect(html.contains("Choose your studio") && html.contains("Studios that accepted your request"))
                let first = try #require(names[offers[0].studioId])
                let second = try #require(names[offers[1].studioId])
                #expect(html.contains(">Choose \(first)</button>") && html.contains(">Choose \(second)</button>"))
                #expect(html.contains("free next week") && html.contains("two designers ready") && html.contains("steady hands"))
                // Never the club's scores, its internal note or its own forms.
                #expect(!html.contains(Self.internalNote) && !html.contains("Parts of the score") && !html.contains("<meter"))
                #expect(!html.contains(#"action="\#(path)/engagements""#) && !html.contains(#"action="\#(path)/shortlist""#))

                let csrf = try ConsoleTests.csrf(in: html)
                let key = try Requests.formKey(in: html, action: path + "/choice")
                let form = Pages.form([("csrf", csrf), ("formKey", key), ("studioId", offers[1].studioId), ("note", "their portfolio")])
                let (chosen, _) = try await console.post(path + "/choice", session: client, form: form)
                #expect(chosen.status == .seeOther)
                let location = try #require(chosen.headers[.location])
                #expect(location.hasPrefix("/engagements/"))
                let record = try await console.database.engagementRecord(String(location.dropFirst("/engagements/".count)), for: .system)
                #expect(record.engagement.chosenBy == .client && record.engagement.studioId == offers[1].studioId)
                #expect(record.engagement.choiceNote == "their portfolio")

                html = try await console.get(path, session: client).1
                #expect(html.contains("Work has started with \(second)") && html.contains("You chose this studio."))
                #expect(html.contains(#"<a href="\#(location)">"#))
                #expect(!html.contains(#"action="\#(path)/choice""#), "nothing left to choose: the other candidate is not chosen")
            }
        }

        @Test func anotherClientAStudioNotOfferedAndAForeignChoiceGet404() async throws {
            try await ConsoleTests.withConsole { console in
                let (lead, offers, _) = try await Self.offeredRequest(console)
                try await Self.accept(console, offers[0], note: "free next week")
                let path = "/requests/" + lead.id
                let other = try await console.database.createClient(ClientInput(name: "Other Boats Ltd"), by: .system)
                let stranger = try await Pages.person(console, "eve@boats.example", .client, clientId: other.id)

                let (refused, html) = try await console.get(path, session: stranger)
                #expect(refused.status == .notFound)
                #expect(!html.contains("A landing page for charters") && !html.contains("free next week"))
                let csrf = try ConsoleTests.csrf(in: html)
                let form = Pages.form([("csrf", csrf), ("studioId", offers[0].studioId), ("note", "mine now")])
                let (posted, postedHTML) = try await console.post(path + "/choice", session: stranger, form: form)
                #expect(posted.status == .notFound && !postedHTML.contains("A landing page for charters"))
                let engagements = try await console.database.engagements(
                    EngagementFilter(requestId: lead.id),
                    page: PageRequest(),
                    for: .system
                )
                #expect(engagements.items.isEmpty)

                // A studio offered the request goes to its referral; one never offered it gets 404.
                let offered = try await Pages.person(console, "pm@offered.example", .studio, studioId: offers[0].studioId)
                let (redirect, _) = try await console.get(path, session: offered)
                #expect(redirect.status == .seeOther && redirect.headers[.location] == "/referrals/" + offers[0].id)
                let studios = try await console.database.studios(StudioFilter(), page: PageRequest(limit: 200), for: .system).items
                let outsider = try #require(studios.first { studio in !offers.contains { $0.studioId == studio.id } })
                let notOffered = try await Pages.person(console, "pm@outside.example", .studio, studioId: outsider.id)
                let (missing, missingHTML) = try await console.get(path, session: notOffered)
                #expect(missing.status == .notFound && !missingHTML.contains("A landing page for charters"))

                // The coordinators keep their own page.
                let coordinator = try await Pages.person(console, "coord@club.example", .coordinator)
                let clubPage = try await console.get(path, session: coordinator).1
                #expect(clubPage.contains(#"action="\#(path)/shortlist""#) && clubPage.contains(Self.internalNote))
            }
        }

        @Test func eachPersonSeesWhatChangedWithinTheirReachButNotTheirOwnActions() async throws {
            try await ConsoleTests.withConsole { console in
                let coordinatorSession = try await Pages.person(console, "coord@club.example", .coordinator)
                let coordinator = try #require(try await console.database.session(coordinatorSession))
                let clientId = try await Requests.clientId(console)
                let clientSession = try await Pages.person(console, "oleg@yacht.example", .client, clientId: clientId)
                // Everyone has looked at their notices before the story below.
                for session in [coordinatorSession, clientSession] {
                    try await console.database.markNoticesSeen(try #require(try await console.database.session(session)))
                }
                let clock = try #require(console.database.clock as? ManualClock)
                let start = clock.now()
                clock.advance(by: 60)

                let (lead, offers, _) = try await Self.offeredRequest(console, by: coordinator.principal)
                let mineSession = try await Pages.person(console, "pm@mine.example", .studio, studioId: offers[0].studioId)
                let theirsSession = try await Pages.person(console, "pm@theirs.example", .studio, studioId: offers[1].studioId)
                let mine = try #require(try await console.database.session(mineSession))
                // The studios' people, too, had looked before the offers (not at the reference case's story).
                try await console.database.markNoticesSeen(mine, at: start)
                try await console.database.markNoticesSeen(try #require(try await console.database.session(theirsSession)), at: start)
                _ = try await console.database.answerReferral(offers[0].id, ReferralAnswer(accept: true, note: "free"), by: mine.principal)

                // The studio: its own offer, not its own answer, nothing of the other studio's referral.
                let (page, html) = try await console.get("/notices", session: mineSession)
                #expect(page.status == .ok && html.contains("Changed since your last visit"))
                #expect(html.contains(#"<a href="/referrals/\#(offers[0].id)">Referral offered</a>"#))
                #expect(!html.contains(offers[1].id) && !html.contains("Referral accepted"))
                #expect(!html.contains(Self.internalNote) && !html.contains(lead.id), "no payload, no request the studio does not read")
                let mineCount = try await console.database.unseenNoticeCount(for: mine)
                #expect(mineCount == (try await console.database.changes(for: mine)).count && mineCount > 0)
                #expect(html.contains(mineCount == 1 ? "1 change<" : "\(mineCount) changes<"))
                let other = try await console.get("/notices", session: theirsSession).1
                #expect(other.contains(#"<a href="/referrals/\#(offers[1].id)">"#) && !other.contains(offers[0].id))

                // The coordinator: the studio's answer, not its own shortlist and offers.
                let club = try await console.get("/notices", session: coordinatorSession).1
                #expect(club.contains("Referral accepted") && club.contains(#"<a href="/requests/\#(lead.id)">"#))
                #expect(!club.contains("Referral offered") && !club.contains("Studios shortlisted for the request"))
                #expect(!club.contains(Self.internalNote))

                // The client: its request registered and reframed, the candidate's answer; never the offers.
                let client = try await console.get("/notices", session: clientSession).1
                #expect(client.contains("Referral accepted") && client.contains("Request registered"))
                #expect(!client.contains("Referral offered") && !client.contains(Self.internalNote) && !client.contains(offers[1].id))

                // Marking all as seen (a form like every other) empties the list and the count.
                let csrf = try ConsoleTests.csrf(in: html)
                let key = try Requests.formKey(in: html, action: "/notices/seen")
                let (marked, _) = try await console.post("/notices/seen", session: mineSession, form: "csrf=\(csrf)&formKey=\(key)")
                #expect(marked.status == .seeOther && marked.headers[.location] == "/notices")
                let after = try await console.get("/notices", session: mineSession).1
                #expect(after.contains("Nothing has changed since your last visit.") && !after.contains(#"action="/notices/seen""#))
                #expect(try await console.database.unseenNoticeCount(for: mine) == 0)
                let forged = try await console.post("/notices/seen", session: theirsSession, form: "csrf=wrong")
                #expect(forged.0.status == .forbidden)
                #expect(try await console.database.unseenNoticeCount(for: try #require(try await console.database.session(theirsSession))) > 0)
            }
        }

        @Test func theNoticesPageSpeaksRussianWithPlurals() async throws {
            try await ConsoleTests.withConsole { console in
                let coordinator = try await Pages.person(console, "coord@club.example", .coordinator)
                let (_, offers, _) = try await Self.offeredRequest(console)
                try await Self.accept(console, offers[0], note: "free")
                let html = try await console.get("/notices?lang=ru", session: coordinator).1
                #expect(html.contains("Изменилось с вашего прошлого визита"))
                #expect(html.contains("Студия приняла заказ"))
                #expect(html.contains("Отметить всё как просмотренное") && !html.contains("Referral accepted"))
                let count = try await console.database.unseenNoticeCount(for: try #require(try await console.database.session(coordinator)))
                let few = (2...4).contains(count % 10) && !(12...14).contains(count % 100)
                let word = count % 10 == 1 && count % 100 != 11 ? "изменение" : few ? "изменения" : "изменений"
                #expect(html.contains(">\(count) \(word)</span>"), "\(count) in its Russian form")
            }
        }
    }
}
