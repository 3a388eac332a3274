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
    /// The engagements area of the console: the board, the engagement page and its forms (issue 10).
    @Suite("Console engagements pages")
    struct EngagementsPagesTests {
        typealias Console = ConsoleTests.Console

        static func signedIn(_ console: Console, role: Role = .coordinator, studioId: String? = nil) async throws -> String {
            let email = "\(role.rawValue)-\(UUID().uuidString.prefix(6))@example.org"
            _ = try await console.person(email, role: role, studioId: studioId)
            return try await console.session(email)
        }

        static func formKey(in page: String, action: String) throws -> String {
            let escaped = action.replacingOccurrences(of: "/", with: "\\/")
            let match = try #require(
                page.firstMatch(
                    of: try Regex(
                        #"action=""# + escaped
                            + #""[^>]*>\s*<input type="hidden" name="csrf" value="[^"]+"><input type="hidden" name="formKey" value="([0-9a-f]+)""#
                    )
                )
            )
            return try #require(match.output[1].substring.map(String.init))
        }

        /// The text of the board's section `column`, up to the next section.
        static func column(_ id: String, in html: String) throws -> Substring {
            let start = try #require(html.range(of: #"id="column-\#(id)""#))
            let rest = html[start.upperBound...]
            return rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)]
        }

        @Test func theBoardShowsTheReferenceEngagementsUnderTheirStates() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.signedIn(console)
                let (response, html) = try await console.get("/engagements", session: session)
                #expect(response.status == .ok)
                #expect(html.contains("<h1>Engagements</h1>"))
                let landing = console.summary.landingEngagementId
                let advertising = console.summary.advertisingEngagementId
                #expect(try Self.column("exiting", in: html).contains(#"href="/engagements/\#(landing)""#))
                #expect(try Self.column("closed", in: html).contains(#"href="/engagements/\#(advertising)""#))
                #expect(try !Self.column("closed", in: html).contains(landing) && !Self.column("active", in: html).contains(landing))
                #expect(html.contains("Pixel Hands for Yacht Charter Ltd"))
                // Filtered to one state, only that column is shown.
                let (_, filtered) = try await console.get("/engagements?status=terminated", session: session)
                #expect(filtered.contains(advertising) && !filtered.contains(#"href="/engagements/\#(landing)""#))
                #expect(!filtered.contains(#"id="column-exiting""#) && filtered.contains(#"id="column-closed""#))
                // By request: both engagements of the reference request, none of another.
                let (_, byRequest) = try await console.get("/engagements?request=\(console.summary.requestId)", session: session)
                #expect(byRequest.contains(#"href="/engagements/\#(landing)""#) && byRequest.contains(#"href="/engagements/\#(advertising)""#))
                let (_, none) = try await console.get("/engagements?request=req_none", session: session)
                #expect(!none.contains(#"href="/engagements/eng_"#))
            }
        }

        @Test func theEngagementPageShowsAgreementsCheckInsAndFeedback() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.signedIn(console)
                let id = console.summary.landingEngagementId
                let (response, html) = try await console.get("/engagements/\(id)", session: session)
                #expect(response.status == .ok)
                #expect(html.contains("<h1>Pixel Hands for Yacht Charter Ltd</h1>"))
                #expect(html.contains(#"<a class="target" href="/requests/\#(console.summary.requestId)">"#))
                #expect(html.contains("client sends texts and photos") && html.contains("release moves by the days of delay"))
                #expect(html.contains("Oleg (Yacht Charter),") && html.contains("Pixel Hands PM,"))
                #expect(html.contains("design draft ready") && html.contains("development late, form not connected"))
                #expect(html.contains("clean, on brand") && html.contains("released, leads arrive"))
                #expect(html.contains("Stages still without the client&#39;s feedback:") && html.contains("development"))
                #expect(html.contains(#"href="/fix-lists/\#(console.summary.fixListId)""#))
                #expect(html.contains(#"href="/engagements/\#(id)/fix-lists/new""#) && html.contains(#"href="/engagements/\#(id)/complaints/new""#))
                #expect(html.contains(#"action="/engagements/\#(id)/agreements""#) && html.contains(#"action="/engagements/\#(id)/check-ins""#))
                #expect(html.contains(#"href="/engagements/\#(id)/case-file""#))
                // The client's rating of the club after the complaint was resolved.
                #expect(html.contains("How likely the client is to recommend the club") && html.contains("8 of 10"))
                #expect(html.contains("you listened and kept every promise of the plan"))
                let (_, advertising) = try await console.get("/engagements/\(console.summary.advertisingEngagementId)", session: session)
                #expect(advertising.contains(#"href="/audits/\#(console.summary.auditId)""#))
            }
        }

        @Test func anAgreementAddedThroughTheFormIsStoredOnce() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.signedIn(console)
                let id = console.summary.landingEngagementId
                let (_, page) = try await console.get("/engagements/\(id)", session: session)
                let csrf = try ConsoleTests.csrf(in: page)
                let key = try Self.formKey(in: page, action: "/engagements/\(id)/agreements")
                let form = "csrf=\(csrf)&formKey=\(key)&what=studio+sends+weekly+reports&owner=studio&due=2027-03-01&consequence=the+club+calls"
                let (first, _) = try await console.post("/engagements/\(id)/agreements", session: session, form: form)
                #expect(first.status == .seeOther)
                #expect(first.headers[.location]?.hasPrefix("/engagements/\(id)") == true)
                let (second, _) = try await console.post("/engagements/\(id)/agreements", session: session, form: form)
                #expect(second.status == .seeOther)
                let agreements = try await console.database.engagementRecord(id, for: .system).agreements
                #expect(agreements.filter { $0.what == "studio sends weekly reports" }.count == 1)
                let added = try #require(agreements.last)
                #expect(added.owner == .studio && added.due == Day("2027-03-01") && added.consequence == "the club calls")
                let (_, after) = try await console.get("/engagements/\(id)", session: session)
                #expect(after.contains("studio sends weekly reports"))
                #expect(after.contains(#"action="/agreements/\#(added.id)/fulfil""#))

                // Recording it fulfilled.
                let fulfilKey = try Self.formKey(in: after, action: "/agreements/\(added.id)/fulfil")
                let (fulfilled, _) = try await console.post(
                    "/agreements/\(added.id)/fulfil",
                    session: session,
                    form: "csrf=\(csrf)&formKey=\(fulfilKey)&engagementId=\(id)"
                )
                #expect(fulfilled.status == .seeOther)
                #expect(try await console.database.engagementRecord(id, for: .system).agreements.last?.fulfilledAt != nil)
            }
        }

        @Test func aCheckInWithASentimentOutOfRangeComesBackWithTheProblemAndCreatesNothing() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.signedIn(console)
                let id = console.summary.landingEngagementId
                let (_, page) = try await console.get("/engagements/\(id)", session: session)
                let csrf = try ConsoleTests.csrf(in: page)
                let before = try await console.database.engagementRecord(id, for: .system).checkIns.count
                let heldAt = FormReader.localTimeValue(console.database.clock.now().addingTimeInterval(-3600), zone: .gmt)
                let form = "csrf=\(csrf)&heldAt=\(heldAt)&attendees=Oleg%0D%0APixel+Hands+PM&studioReport=campaign+live&clientSentiment=9&risks="
                let (response, html) = try await console.post("/engagements/\(id)/check-ins", session: session, form: form)
                #expect(response.status == .unprocessableContent)
                #expect(html.contains(#"<p class="error-message" id="clientSentiment-error">Must be from 1 to 5.</p>"#))
                #expect(html.contains("campaign live"))
                #expect(try await console.database.engagementRecord(id, for: .system).checkIns.count == before)

                let good = form.replacingOccurrences(of: "clientSentiment=9", with: "clientSentiment=4")
                let (stored, _) = try await console.post("/engagements/\(id)/check-ins", session: session, form: good)
                #expect(stored.status == .seeOther)
                let checkIns = try await console.database.engagementRecord(id, for: .system).checkIns
                #expect(checkIns.count == before + 1 && checkIns.last?.attendees == ["Oleg", "Pixel Hands PM"])
            }
        }

        @Test func aStaleVersionIsRefusedWithBothVersionsShown() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.signedIn(console)
                let id = console.summary.landingEngagementId
                let (_, page) = try await console.get("/engagements/\(id)", session: session)
                let csrf = try ConsoleTests.csrf(in: page)
                let version = try await console.database.engagementRecord(id, for: .system).engagement.version
                // Someone else moves it meanwhile.
                _ = try await console.database.updateEngagement(id, EngagementPatch(stagesReached: ["design"]), ifVersion: nil, by: .system)
                let (response, html) = try await console.post(
                    "/engagements/\(id)",
                    session: session,
                    form: "csrf=\(csrf)&version=\(version)&status=completed&stagesReached=design&stagesReached=development"
                )
                #expect(response.status == .conflict)
                #expect(html.contains("Someone else changed this"))
                #expect(html.contains(#"<option value="released" selected>"#))
                #expect(html.contains(#"<p class="yours">You typed: completed</p>"#) && html.contains("You typed: design, development"))
                let engagement = try await console.database.engagementRecord(id, for: .system).engagement
                #expect(engagement.status == .released && engagement.stagesReached == ["design"])

                // With the current version the change is made.
                let (saved, _) = try await console.post(
                    "/engagements/\(id)",
                    session: session,
                    form: "csrf=\(csrf)&version=\(engagement.version)&status=released&stagesReached=design&stagesReached=development"
                )
                #expect(saved.status == .seeOther)
                let changed = try await console.database.engagementRecord(id, for: .system).engagement
                #expect(changed.status == .released && changed.stagesReached == ["design", "development"])
            }
        }

        @Test func theCaseFileDownloadIsTheStoresFileAndVerifies() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.signedIn(console)
                let id = console.summary.landingEngagementId
                let (response, body) = try await console.get("/engagements/\(id)/case-file", session: session)
                #expect(response.status == .ok)
                #expect(response.headers[.contentDisposition] == "attachment; filename=\"case-file-\(id).json\"")
                #expect(response.headers[.contentType] == "application/json")
                let expected = try await console.database.caseFile(id, for: .system).jsonData()
                #expect(Data(body.utf8) == expected)
                let file = try CaseFile(jsonData: Data(body.utf8))
                guard case .intact = file.verify() else {
                    Issue.record("the downloaded case file does not verify")
                    return
                }
            }
        }

        @Test func aStudioReachesOnlyItsOwnEngagementAndGetsNoForms() async throws {
            try await ConsoleTests.withConsole { console in
                let landing = try await console.database.engagementRecord(console.summary.landingEngagementId, for: .system).engagement
                let advertising = try await console.database.engagementRecord(console.summary.advertisingEngagementId, for: .system).engagement
                let session = try await Self.signedIn(console, role: .studio, studioId: advertising.studioId)
                let (other, _) = try await console.get("/engagements/\(landing.id)", session: session)
                #expect(other.status == .notFound)
                let (download, _) = try await console.get("/engagements/\(landing.id)/case-file", session: session)
                #expect(download.status == .notFound)
                let (own, html) = try await console.get("/engagements/\(advertising.id)", session: session)
                #expect(own.status == .ok)
                #expect(!html.contains(#"action="/engagements/\#(advertising.id)/agreements""#) && !html.contains("/exit\""))
                #expect(
                    !html.contains("recommend the club") && !html.contains("parting was handled with care"),
                    "the club's score is not the studio's"
                )
                let (board, boardHTML) = try await console.get("/engagements", session: session)
                #expect(board.status == .ok && boardHTML.contains(advertising.id) && !boardHTML.contains(landing.id))
                let (_, csrfPage) = try await console.get("/", session: session)
                let (posted, _) = try await console.post(
                    "/engagements/\(landing.id)/agreements",
                    session: session,
                    form: "csrf=\(try ConsoleTests.csrf(in: csrfPage))&what=x&owner=club&due=2027-03-01&consequence=y"
                )
                #expect(posted.status == .notFound)
            }
        }

        /// A studio reads no case file, so the engagement page showed it no fix list, complaint or
        /// audit at all; it now links those of its work, as the club's page does.
        @Test func aStudioFindsTheFixListsComplaintsAndAuditsOfItsWorkFromTheEngagementPage() async throws {
            try await ConsoleTests.withConsole { console in
                let list = try await console.database.fixList(console.summary.fixListId, for: .system).list
                let engagement = try await console.database.engagementRecord(list.engagementId, for: .system).engagement
                let complaints = try await console.database.complaints(ofEngagement: engagement.id, for: .system)
                try #require(!complaints.isEmpty, "the reference case has a complaint on the fix list's engagement")
                let session = try await Self.signedIn(console, role: .studio, studioId: engagement.studioId)
                let (response, html) = try await console.get("/engagements/\(engagement.id)", session: session)
                #expect(response.status == .ok)
                #expect(html.contains(#"<a href="/fix-lists/\#(list.id)">"#), "the list is linked")
                for complaint in complaints { #expect(html.contains(#"<a href="/complaints/\#(complaint.id)">"#), "\(complaint.id) is linked") }
                let (_, coordinatorHTML) = try await console.get("/engagements/\(engagement.id)", session: try await Self.signedIn(console))
                #expect(coordinatorHTML.contains(#"<a href="/fix-lists/\#(list.id)">"#))
                // Another studio still gets 404 for the page, and so learns of none of it.
                let other = try await console.database.engagementRecord(console.summary.advertisingEngagementId, for: .system).engagement
                let stranger = try await Self.signedIn(console, role: .studio, studioId: other.studioId)
                #expect(try await console.get("/engagements/\(engagement.id)", session: stranger).0.status == .notFound)
            }
        }

        @Test func anExitAsksFirstThenTheOfferAndTheRetrospectiveAreWritten() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.signedIn(console)
                let id = console.summary.landingEngagementId
                let (_, page) = try await console.get("/engagements/\(id)", session: session)
                let csrf = try ConsoleTests.csrf(in: page)
                let exit = "csrf=\(csrf)&reason=the+client+wants+to+stop&decidedBy=the+board"
                let (asked, question) = try await console.post("/engagements/\(id)/exit", session: session, form: exit)
                #expect(asked.status == .ok && question.contains("Part with the client on this engagement?"))
                #expect(try await console.database.engagementRecord(id, for: .system).engagement.status == .released)
                let (done, _) = try await console.post("/engagements/\(id)/exit", session: session, form: exit + "&confirmed=1")
                #expect(done.status == .seeOther)
                #expect(try await console.database.engagementRecord(id, for: .system).engagement.status == .terminated)

                let (offered, _) = try await console.post(
                    "/engagements/\(id)/consulting-offer",
                    session: session,
                    form: "csrf=\(csrf)&sessions=2&validUntil=2040-01-01"
                )
                #expect(offered.status == .seeOther)
                let (_, withOffer) = try await console.get("/engagements/\(id)", session: session)
                #expect(withOffer.contains("2 sessions") && withOffer.contains("waiting for the client&#39;s answer"))

                let retrospective =
                    "csrf=\(csrf)&facts=campaign+ran+two+months&emotions=&mistakes%5B0%5D.side=&mistakes%5B0%5D.statement="
                    + "&mistakes%5B1%5D.side=studio&mistakes%5B1%5D.statement=late+reports&mistakes%5B1%5D.counterfactual="
                    + "&positives=&lessons=report+weekly"
                let (refused, refusedHTML) = try await console.post("/engagements/\(id)/retrospective", session: session, form: retrospective)
                #expect(refused.status == .unprocessableContent)
                #expect(refusedHTML.contains(#"id="mistakes-1-counterfactual-error""#))
                let (written, _) = try await console.post(
                    "/engagements/\(id)/retrospective",
                    session: session,
                    form: retrospective.replacingOccurrences(of: "counterfactual=", with: "counterfactual=reports+on+time+keep+trust")
                )
                #expect(written.status == .seeOther)
                let stored = try await console.database.retrospective(of: id, for: .system)
                #expect(stored.mistakes.map(\.statement) == ["late reports"] && stored.lessons == ["report weekly"])
                let (_, shown) = try await console.get("/engagements/\(id)", session: session)
                #expect(shown.contains("reports on time keep trust") && !shown.contains(#"action="/engagements/\#(id)/retrospective""#))
            }
        }

        @Test func theClientConfirmsAnAgreementAndAnswersTheConsultingOffer() async throws {
            try await ConsoleTests.withConsole { console in
                let id = console.summary.landingEngagementId
                let engagement = try await console.database.engagementRecord(id, for: .system).engagement
                let agreement = try await console.database.addAgreement(
                    id,
                    AgreementInput(
                        what: "weekly call on Mondays",
                        owner: .club,
                        due: Day("2040-01-01") ?? Day(containing: Date(), in: .gmt),
                        consequence: "none"
                    ),
                    by: .system
                )
                let exit = try await console.database.exitEngagement(id, ExitInput(reason: "the client stops"), by: .system)
                _ = try await console.database.offerConsulting(
                    exit.id,
                    ConsultingOfferInput(sessions: 3, validUntil: console.database.clock.now().addingTimeInterval(30 * 24 * 3600)),
                    by: .system
                )
                let invited = try await console.database.createPerson(
                    PersonInput(email: "oleg@example.org", name: "Oleg", role: .client, clientId: engagement.clientId, language: .en),
                    by: .system
                )
                _ = try await console.database.acceptInvitation(token: invited.token, password: ConsoleTests.password)
                let session = try await console.session("oleg@example.org")
                let (response, page) = try await console.get("/engagements/\(id)", session: session)
                #expect(response.status == .ok)
                #expect(!page.contains(#"action="/engagements/\#(id)/agreements""#) && !page.contains("/fulfil\""))
                #expect(page.contains(#"aria-label="Confirm: weekly call on Mondays""#))
                let csrf = try ConsoleTests.csrf(in: page)
                let key = try Self.formKey(in: page, action: "/agreements/\(agreement.id)/confirm")
                let (confirmed, _) = try await console.post(
                    "/agreements/\(agreement.id)/confirm",
                    session: session,
                    form: "csrf=\(csrf)&formKey=\(key)&engagementId=\(id)"
                )
                #expect(confirmed.status == .seeOther)
                let stored = try await console.database.engagementRecord(id, for: .system).agreements.first { $0.id == agreement.id }
                #expect(stored?.clientConfirmation?.by == "Oleg" && stored?.studioConfirmation == nil)

                let (answered, _) = try await console.post(
                    "/engagements/\(id)/consulting-offer/answer",
                    session: session,
                    form: "csrf=\(csrf)&accept=true"
                )
                #expect(answered.status == .seeOther)
                let (_, after) = try await console.get("/engagements/\(id)", session: session)
                #expect(after.contains("<strong>accepted</strong>") && !after.contains("/consulting-offer/answer"))
                #expect(!after.contains(#"aria-label="Confirm: weekly call on Mondays""#))
            }
        }

        @Test func everyStateAndSideHasItsWords() {
            let catalogs = Catalogs.bundled
            let keys =
                EngagementStatus.allCases.map { "console.engagements.state." + $0.rawValue }
                + AgreementOwner.allCases.map { "console.engagements.owner." + $0.rawValue }
                + ConsultingOfferStatus.allCases.map { "console.engagements.offer." + $0.rawValue }
                + ConsultingSessionStatus.allCases.map { "console.engagements.session." + $0.rawValue }
                + FixListStatus.allCases.map { "console.engagements.fixList." + $0.rawValue }
                + ComplaintStatus.allCases.map { "console.engagements.complaint." + $0.rawValue }
                + AuditStatus.allCases.map { "console.engagements.audit." + $0.rawValue }
                + ConsoleController<BasicRequestContext>.engagementBoardColumns.map { "console.engagements.column." + $0.id }
                + ["facts", "emotions", "positives", "lessons"].map { "console.engagements.retro." + $0 }
            for key in keys {
                for catalog in catalogs.byLanguage.values {
                    #expect(catalog.entries[key] != nil, "\(catalog.language) lacks \(key)")
                }
            }
        }
    }
}
