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
    /// The studios area of the console: the registry and its filters, registering and editing a
    /// studio through forms, vetting and decisions (expulsion the head's, asked first), clients,
    /// and people with their invitations.
    @Suite("Console: studios, clients and people")
    struct StudiosPagesTests {
        typealias Console = ConsoleTests.Console

        /// A head coordinator with a password, signed in.
        static func head(_ console: Console, _ email: String = "head@example.org") async throws -> String {
            let invited = try await console.database.createPerson(
                PersonInput(email: email, name: "Head \(email.prefix(3))", role: .coordinator, head: true, language: .en),
                by: .system
            )
            _ = try await console.database.acceptInvitation(token: invited.token, password: ConsoleTests.password)
            return try await console.session(email)
        }

        static func coordinator(_ console: Console, _ email: String = "anna@example.org") async throws -> String {
            _ = try await console.person(email)
            return try await console.session(email)
        }

        static func formKey(in page: String) throws -> String {
            let match = try #require(page.firstMatch(of: try Regex(#"name="formKey" value="([0-9a-f]+)""#)))
            return try #require(match.output[1].substring.map(String.init))
        }

        static func encoded(_ pairs: [(String, String)]) -> String {
            pairs.map { "\(Console.encoded($0.0))=\(Console.encoded($0.1))" }.joined(separator: "&")
        }

        static func studioForm(name: String, capacity: String = "3", budgetMin: String = "100000", budgetMax: String = "900000") -> [(String, String)]
        {
            [
                ("name", name), ("competences", "landing"), ("competences", "web"), ("regions", "RU-SPE, RU-MOW"),
                ("budgetMin", budgetMin), ("budgetMax", budgetMax), ("capacity", capacity), ("website", "https://lab.example"),
                ("internalNote", ""),
            ]
        }

        static func studios(named name: String, _ console: Console) async throws -> [Studio] {
            try await console.database.studios(StudioFilter(), page: PageRequest(limit: 200), for: .system).items.filter { $0.name == name }
        }

        @Test func theRegistryFiltersByStatusCompetenceAndRegion() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.coordinator(console)
                let north = try await console.database.createStudio(
                    StudioInput(name: "North Lab", competences: ["seo"], regions: ["RU-SPE"], budgetMin: 1, budgetMax: 2, capacity: 1),
                    by: .system
                )
                let (page, html) = try await console.get("/studios", session: session)
                #expect(page.status == .ok)
                #expect(html.contains("<h1>Studios</h1>") && html.contains(">Pixel Hands</a>") && html.contains(">North Lab</a>"))
                #expect(html.contains(#"<a href="/studios/\#(north.id)">"#))
                #expect(html.contains(#"href="/studios/new""#), "a coordinator is offered registration")

                let (_, applicants) = try await console.get("/studios?status=applicant", session: session)
                #expect(applicants.contains(">North Lab</a>") && !applicants.contains(">Pixel Hands</a>"))
                let (_, seo) = try await console.get("/studios?competence=seo", session: session)
                #expect(seo.contains(">Search Masters</a>") && seo.contains(">North Lab</a>") && !seo.contains(">CRM Forge</a>"))
                let (_, petersburg) = try await console.get("/studios?region=ru-spe", session: session)
                #expect(petersburg.contains(">North Lab</a>") && !petersburg.contains(">Pixel Hands</a>"))
                #expect(petersburg.contains(#"value="ru-spe""#), "the filter keeps what was asked")
                let engagement = try await console.database.engagementRecord(console.summary.landingEngagementId, for: .system).engagement
                let (_, studioPage) = try await console.get("/studios/\(engagement.studioId)", session: session)
                #expect(studioPage.contains(#"<a href="/engagements/\#(engagement.id)">"#), "its open engagements are linked")
                #expect(studioPage.contains("<dt>Requests offered</dt>") && studioPage.contains("Rating (0 to 1):"))
                let (_, none) = try await console.get("/studios?status=expelled", session: session)
                #expect(none.contains("Nothing here.") && none.contains("0 studios"))
            }
        }

        @Test func registeringAStudioThroughTheFormCreatesItOnce() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.coordinator(console)
                let (page, html) = try await console.get("/studios/new", session: session)
                #expect(page.status == .ok)
                #expect(html.contains(#"<label for="budgetMin">"#) && html.contains(#"name="competences" value="landing""#))
                let form = try Self.encoded(
                    [("csrf", ConsoleTests.csrf(in: html)), ("formKey", Self.formKey(in: html))] + Self.studioForm(name: "Wave Lab")
                )
                let (created, _) = try await console.post("/studios", session: session, form: form)
                #expect(created.status == .seeOther)
                let location = try #require(created.headers[.location])
                #expect(location.hasPrefix("/studios/stu_"))
                let (again, _) = try await console.post("/studios", session: session, form: form)
                #expect(again.status == .seeOther && again.headers[.location] == location, "the same form key answers the same")
                let studios = try await Self.studios(named: "Wave Lab", console)
                #expect(studios.count == 1)
                let studio = try #require(studios.first)
                #expect(studio.competences == ["landing", "web"] && studio.regions == ["RU-SPE", "RU-MOW"] && studio.capacity == 3)
                #expect(studio.status == .applicant && studio.website == "https://lab.example" && studio.internalNote == nil)

                let (shown, studioPage) = try await console.get(location, session: session)
                #expect(shown.status == .ok)
                #expect(studioPage.contains("Wave Lab") && studioPage.contains("Applicant") && studioPage.contains("Scorecard"))
            }
        }

        @Test func aBadCapacityOrBudgetIsShownByItsFieldAndCreatesNothing() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.coordinator(console)
                let (_, html) = try await console.get("/studios/new", session: session)
                let csrf = try ConsoleTests.csrf(in: html)
                let letters = try Self.encoded(
                    [("csrf", csrf), ("formKey", Self.formKey(in: html))] + Self.studioForm(name: "Bad Lab", capacity: "many")
                )
                let (refused, page) = try await console.post("/studios", session: session, form: letters)
                #expect(refused.status == .unprocessableContent)
                #expect(page.contains(#"<p class="error-message" id="capacity-error">Enter a whole number"#))
                #expect(page.contains(##"<a href="#capacity">"##))
                #expect(page.contains(#"value="Bad Lab""#), "what was typed is kept")

                let budget = Self.encoded(
                    [("csrf", csrf), ("formKey", FormContext.newFormKey())] + Self.studioForm(name: "Bad Lab", budgetMin: "900000", budgetMax: "1000")
                )
                let (below, belowPage) = try await console.post("/studios", session: session, form: budget)
                #expect(below.status == .unprocessableContent)
                #expect(belowPage.contains(#"id="budgetMax-error">Must not be below the lowest budget."#))
                let zero = Self.encoded([("csrf", csrf), ("formKey", FormContext.newFormKey())] + Self.studioForm(name: "Bad Lab", capacity: "0"))
                let (_, zeroPage) = try await console.post("/studios", session: session, form: zero)
                #expect(zeroPage.contains(#"id="capacity-error">Must be from 1 to"#))
                #expect(try await Self.studios(named: "Bad Lab", console).isEmpty)
            }
        }

        @Test func aStaleEditIsRefusedWithBothVersionsShown() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.coordinator(console)
                let studio = try #require(try await Self.studios(named: "Landing Lab", console).first)
                let (_, html) = try await console.get("/studios/\(studio.id)", session: session)
                #expect(html.contains(#"name="version" value="\#(studio.version)""#))
                // Someone else renames it meanwhile.
                _ = try await console.database.updateStudio(studio.id, StudioPatch(name: "Landing Lab Pro"), ifVersion: nil, by: .system)
                let form = try Self.encoded(
                    [("csrf", ConsoleTests.csrf(in: html)), ("formKey", Self.formKey(in: html)), ("version", String(studio.version))]
                        + Self.studioForm(name: "Landing Lab Mine")
                )
                let (refused, page) = try await console.post("/studios/\(studio.id)", session: session, form: form)
                #expect(refused.status == .conflict)
                #expect(page.contains("Someone else changed this while you were editing it."))
                #expect(page.contains(#"value="Landing Lab Pro""#), "theirs in the input")
                #expect(page.contains(#"<p class="yours">You typed: Landing Lab Mine</p>"#), "yours beside it")
                #expect(page.contains(#"name="version" value="\#(studio.version + 1)""#), "the form now carries their version")
                let stored = try await console.database.studio(studio.id, for: .system)
                #expect(stored.name == "Landing Lab Pro" && stored.capacity == studio.capacity, "nothing was overwritten")

                // With the fresh version the edit goes through.
                let fresh = try Self.encoded(
                    [("csrf", ConsoleTests.csrf(in: page)), ("formKey", FormContext.newFormKey()), ("version", String(stored.version))]
                        + Self.studioForm(name: "Landing Lab Mine", capacity: "5")
                )
                #expect(try await console.post("/studios/\(studio.id)", session: session, form: fresh).0.status == .seeOther)
                let edited = try await console.database.studio(studio.id, for: .system)
                #expect(edited.name == "Landing Lab Mine" && edited.capacity == 5)
            }
        }

        @Test func vettingAndAdmissionThroughTheStudioPage() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.coordinator(console)
                let studio = try await console.database.createStudio(
                    StudioInput(name: "Fresh Lab", competences: ["web"], budgetMin: 1, budgetMax: 2, capacity: 1),
                    by: .system
                )
                let uri = "/studios/\(studio.id)"
                let (_, html) = try await console.get(uri, session: session)
                let csrf = try ConsoleTests.csrf(in: html)
                let (early, earlyPage) = try await console.post(
                    uri + "/decisions",
                    session: session,
                    form: "csrf=\(csrf)&formKey=\(FormContext.newFormKey())&decision=admit&reason=ok"
                )
                #expect(early.status == .unprocessableContent || early.status == .conflict)
                #expect(
                    earlyPage.contains(
                        #"id="decision-error">Admission needs every required check passed. "#
                            + #"Not passed yet: Interview, Portfolio, References, Trial task."#
                    )
                )
                for kind in VettingCheckKind.allCases {
                    let form = "csrf=\(csrf)&formKey=\(FormContext.newFormKey())&kind=\(kind.rawValue)&passed=yes&notes=fine"
                    #expect(try await console.post(uri + "/vetting-checks", session: session, form: form).0.status == .seeOther)
                }
                let (badCheck, badPage) = try await console.post(uri + "/vetting-checks", session: session, form: "csrf=\(csrf)&kind=&passed=yes")
                #expect(badCheck.status == .unprocessableContent && badPage.contains(#"id="kind-error""#))
                let (admitted, _) = try await console.post(
                    uri + "/decisions",
                    session: session,
                    form: "csrf=\(csrf)&formKey=\(FormContext.newFormKey())&decision=admit&reason=all%20passed"
                )
                #expect(admitted.status == .seeOther, "admitting asks nothing")
                let stored = try await console.database.studio(studio.id, for: .system)
                #expect(stored.status == .active && stored.vettingChecks.count == 4 && stored.decisions.last?.reason == "all passed")
                let (_, note) = try await console.post(
                    uri + "/conduct-notes",
                    session: session,
                    form: "csrf=\(csrf)&formKey=\(FormContext.newFormKey())&note=late%20to%20the%20kick-off"
                )
                #expect(note.isEmpty)
                #expect(try await console.database.studio(studio.id, for: .system).conductNotes.map(\.note) == ["late to the kick-off"])
                let (_, after) = try await console.get(uri, session: session)
                #expect(
                    after.contains("late to the kick-off") && after.contains(#"value="suspend""#)
                        && !after.contains(#"action="\#(uri)/vetting-checks""#)
                )
            }
        }

        @Test func expulsionIsTheHeadsAndAsksFirst() async throws {
            try await ConsoleTests.withConsole { console in
                let anna = try await Self.coordinator(console)
                let studio = try #require(try await Self.studios(named: "CRM Forge", console).first)
                let uri = "/studios/\(studio.id)"
                let (_, annasPage) = try await console.get(uri, session: anna)
                #expect(annasPage.contains(#"value="suspend""#) && !annasPage.contains(#"value="expel""#), "expel is not offered to Anna")
                let csrf = try ConsoleTests.csrf(in: annasPage)
                let (refused, _) = try await console.post(
                    uri + "/decisions",
                    session: anna,
                    form: "csrf=\(csrf)&formKey=\(FormContext.newFormKey())&decision=expel&reason=fraud&confirmed=1"
                )
                #expect(refused.status == .notFound)
                #expect(try await console.database.studio(studio.id, for: .system).status == .active)

                let head = try await Self.head(console)
                let (_, headsPage) = try await console.get(uri, session: head)
                #expect(headsPage.contains(#"value="expel""#))
                let headCSRF = try ConsoleTests.csrf(in: headsPage)
                let form = "csrf=\(headCSRF)&formKey=\(FormContext.newFormKey())&decision=expel&reason=fraud"
                let (asked, question) = try await console.post(uri + "/decisions", session: head, form: form)
                #expect(asked.status == .ok)
                #expect(question.contains("<h1>Expel CRM Forge from the club?</h1>") && question.contains(#"name="confirmed" value="1""#))
                #expect(try await console.database.studio(studio.id, for: .system).status == .active, "nothing happens before confirming")
                let (confirmed, _) = try await console.post(uri + "/decisions", session: head, form: form + "&confirmed=1")
                #expect(confirmed.status == .seeOther)
                #expect(try await console.database.studio(studio.id, for: .system).status == .expelled)
            }
        }

        @Test func aStudioOrClientPersonGets404() async throws {
            try await ConsoleTests.withConsole { console in
                let studio = try #require(try await Self.studios(named: "Pixel Hands", console).first)
                _ = try await console.person("pm@studio.example", role: .studio, studioId: studio.id)
                let session = try await console.session("pm@studio.example")
                let client = try #require(try await console.database.clients(page: PageRequest(), for: .system).items.first)
                for uri in ["/studios", "/studios/new", "/studios/\(studio.id)", "/clients", "/clients/new", "/clients/\(client.id)", "/people/new"] {
                    #expect(try await console.get(uri, session: session).0.status == .notFound, "\(uri)")
                }
                let (_, home) = try await console.get("/", session: session)
                let csrf = try ConsoleTests.csrf(in: home)
                let (posted, _) = try await console.post(
                    "/studios",
                    session: session,
                    form: "csrf=\(csrf)&" + Self.encoded(Self.studioForm(name: "Sneaky"))
                )
                #expect(posted.status == .notFound)
                #expect(try await Self.studios(named: "Sneaky", console).isEmpty)
                let (note, _) = try await console.post("/studios/\(studio.id)/conduct-notes", session: session, form: "csrf=\(csrf)&note=mine")
                #expect(note.status == .notFound)
                #expect(try await console.database.studio(studio.id, for: .system).conductNotes.isEmpty)
            }
        }

        @Test func clientsAreRegisteredListedAndEditedWithTheirVersion() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.coordinator(console)
                let (_, list) = try await console.get("/clients", session: session)
                #expect(list.contains(">Yacht Charter Ltd</a>") && list.contains(#"href="/clients/new""#))
                let (_, html) = try await console.get("/clients/new", session: session)
                let csrf = try ConsoleTests.csrf(in: html)
                let (empty, emptyPage) = try await console.post("/clients", session: session, form: "csrf=\(csrf)&name=Sea%20Tours")
                #expect(
                    empty.status == .unprocessableContent && emptyPage.contains(#"id="contacts-0-name-error">Enter at least one contact person."#)
                )
                let (badMail, badPage) = try await console.post(
                    "/clients",
                    session: session,
                    form: "csrf=\(csrf)&name=Sea%20Tours&contacts%5B0%5D.name=&contacts%5B1%5D.name=Ira&contacts%5B1%5D.email=nope"
                )
                #expect(badMail.status == .unprocessableContent)
                #expect(badPage.contains(#"id="contacts-1-email-error">Enter an e-mail address"#), "the problem stays on the row it came from")
                let (created, _) = try await console.post(
                    "/clients",
                    session: session,
                    form:
                        "csrf=\(csrf)&formKey=\(Self.formKey(in: html))&name=Sea%20Tours"
                        + "&contacts%5B0%5D.name=Ira&contacts%5B0%5D.email=ira%40sea.example"
                )
                #expect(created.status == .seeOther)
                let location = try #require(created.headers[.location])
                let clients = try await console.database.clients(page: PageRequest(limit: 200), for: .system).items.filter { $0.name == "Sea Tours" }
                let client = try #require(clients.first)
                #expect(clients.count == 1 && client.contacts == [Contact(name: "Ira", email: "ira@sea.example")])

                let (_, page) = try await console.get(location, session: session)
                #expect(page.contains("<h1>Sea Tours</h1>") && page.contains(#"name="version" value="1""#))
                let yacht = try await console.database.lead(console.summary.requestId, for: .system)
                let (_, yachtPage) = try await console.get("/clients/\(yacht.clientId)", session: session)
                #expect(yachtPage.contains(#"<a href="/requests/\#(yacht.id)">"#))
                #expect(yachtPage.contains(#"<a href="/engagements/\#(console.summary.landingEngagementId)">"#))

                _ = try await console.database.updateClient(client.id, ClientPatch(name: "Sea Tours Group"), ifVersion: nil, by: .system)
                let (stale, stalePage) = try await console.post(
                    location,
                    session: session,
                    form: "csrf=\(csrf)&version=1&name=Sea%20Tours%20Mine&contacts%5B0%5D.name=Ira"
                )
                #expect(
                    stale.status == .conflict && stalePage.contains(#"value="Sea Tours Group""#) && stalePage.contains("You typed: Sea Tours Mine")
                )
                #expect(try await console.database.client(client.id, for: .system).name == "Sea Tours Group")
            }
        }

        @Test func invitingAPersonShowsTheLinkOnce() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.coordinator(console)
                let head = try await console.database.createPerson(
                    PersonInput(email: "boss@example.org", name: "Boss", role: .coordinator, head: true),
                    by: .system
                )
                let (people, list) = try await console.get("/people", session: session)
                #expect(people.status == .ok && list.contains(#"href="/people/new""#))
                #expect(!list.contains("/people/\(head.person.id)/"), "nothing is offered about the head to a coordinator who is not")
                let (_, csrfPage) = try await console.get("/", session: session)
                let (refused, _) = try await console.post(
                    "/people/\(head.person.id)/deactivate",
                    session: session,
                    form: "csrf=\(try ConsoleTests.csrf(in: csrfPage))&confirmed=1"
                )
                #expect(refused.status == .notFound)
                #expect(try await console.database.person(head.person.id, for: .system).isActive)
                let (_, html) = try await console.get("/people/new", session: session)
                #expect(!html.contains(#"name="head""#), "only the head makes a head")
                let key = try Self.formKey(in: html)
                let form =
                    "csrf=\(try ConsoleTests.csrf(in: html))&formKey=\(key)&email=vera%40example.org&name=Vera&role=coordinator"
                    + "&studioId=&clientId=&language=ru&timeZone=Europe%2FMoscow"
                let (shown, page) = try await console.post("/people", session: session, form: form)
                #expect(shown.status == .created)
                let link = try #require(page.firstMatch(of: try Regex(#"id="invitation-link">https://[^<]*(/invitations/[^<]+)</code>"#)))
                let path = try #require(link.output[1].substring.map(String.init))
                #expect(try await console.get(path, session: nil).0.status == .ok, "the link opens the invitation")
                let (again, againPage) = try await console.post("/people", session: session, form: form)
                #expect(again.status == .seeOther && !againPage.contains(path), "a second submission shows no link")
                let everyone = try await console.database.people(page: PageRequest(limit: 200), for: .system).items
                #expect(everyone.filter { $0.email == "vera@example.org" }.count == 1)
                let vera = try #require(everyone.first { $0.email == "vera@example.org" })
                #expect(vera.language == .ru && vera.role == .coordinator && !vera.head)
                let (_, listed) = try await console.get("/people", session: session)
                #expect(!listed.contains(path) && listed.contains("Open until"))

                // A new invitation asks first, then shows its link once; deactivation asks first.
                let csrf = try ConsoleTests.csrf(in: listed)
                let (asked, question) = try await console.post("/people/\(vera.id)/invite", session: session, form: "csrf=\(csrf)")
                #expect(asked.status == .ok && question.contains("Make a new invitation for Vera?"))
                let (reinvited, reinvitedPage) = try await console.post(
                    "/people/\(vera.id)/invite",
                    session: session,
                    form: "csrf=\(csrf)&confirmed=1"
                )
                #expect(reinvited.status == .created && reinvitedPage.contains("/invitations/") && !reinvitedPage.contains(path))
                #expect(try await console.get(path, session: nil).0.status == .gone, "the older link is withdrawn")
                let (_, deactivate) = try await console.post("/people/\(vera.id)/deactivate", session: session, form: "csrf=\(csrf)")
                #expect(deactivate.contains("Deactivate Vera?"))
                #expect(try await console.database.person(vera.id, for: .system).isActive)
                let (done, _) = try await console.post("/people/\(vera.id)/deactivate", session: session, form: "csrf=\(csrf)&confirmed=1")
                #expect(done.status == .seeOther)
                #expect(try await !console.database.person(vera.id, for: .system).isActive)

                // A bad address comes back by its field, and nobody is created.
                let (bad, badPage) = try await console.post(
                    "/people",
                    session: session,
                    form: "csrf=\(csrf)&email=not-an-address&name=Nobody&role=studio&studioId=&language=en&timeZone=UTC"
                )
                #expect(bad.status == .unprocessableContent)
                #expect(badPage.contains(#"id="email-error""#) && badPage.contains(#"id="studioId-error""#))
            }
        }
    }
}
