import ClubCore
import ClubDemo
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ClubWeb

extension ConsolePages {
    /// The requests area of the console: the inbox and its filters, registering a request, the
    /// request page with reframing, the rush rule, the shortlist with its breakdown, offers and the
    /// start of an engagement; each form changes the store as the API would.
    @Suite("Console requests, shortlists and referrals")
    struct RequestsPagesTests {
        typealias Console = ConsoleTests.Console

        static func formKey(in page: String, action: String) throws -> String {
            let start = try #require(page.range(of: #"action="\#(action)""#))
            let match = try #require(page[start.upperBound...].firstMatch(of: try Regex(#"name="formKey" value="([0-9a-f]+)""#)))
            return try #require(match.output[1].substring.map(String.init))
        }

        /// The form posting to `action`, from its tag to its end.
        static func form(in page: String, action: String) throws -> Substring {
            let start = try #require(page.range(of: #"action="\#(action)""#))
            let end = try #require(page[start.upperBound...].range(of: "</form>"))
            return page[start.lowerBound..<end.upperBound]
        }

        static func day(_ console: Console, _ days: Double) -> Day {
            Day(containing: console.database.clock.now().addingTimeInterval(days * 86_400), in: .gmt)
        }

        static func clientId(_ console: Console) async throws -> String {
            try #require(try await console.database.clients(page: PageRequest(), for: .system).items.first).id
        }

        static func studioId(_ console: Console, named name: String) async throws -> String {
            let studios = try await console.database.studios(StudioFilter(), page: PageRequest(limit: 200), for: .system).items
            return try #require(studios.first { $0.name == name }).id
        }

        /// A request straight in the store, reframed when `competences` are given.
        static func lead(
            _ console: Console,
            ask: String,
            days: Double = 60,
            region: String = "RU-MOW",
            competences: [String] = []
        ) async throws -> Lead {
            let client = try await clientId(console)
            var lead = try await console.database.createLead(
                LeadInput(
                    clientId: client,
                    statedAsk: ask,
                    businessGoal: "more customers",
                    budget: 500_000,
                    deadline: day(console, days),
                    region: region
                ),
                by: .system
            )
            if !competences.isEmpty {
                lead = try await console.database.updateLead(
                    lead.id,
                    LeadPatch(requiredCompetences: competences, rationale: "serves the goal"),
                    ifVersion: nil,
                    by: .system
                )
            }
            return lead
        }

        static func leadCount(_ console: Console) async throws -> Int {
            try await console.database.leads(LeadFilter(), page: PageRequest(limit: 200), for: .system).items.count
        }

        @Test func theInboxFiltersByStateRushRegionAndAgeAndPages() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                _ = try await Self.lead(console, ask: "Urgent shop launch", days: 3, region: "RU-SPE")
                _ = try await Self.lead(console, ask: "Calm brand refresh", days: 90, region: "RU-SPE")

                let (all, allPage) = try await console.get("/requests", session: session)
                #expect(all.status == .ok)
                #expect(allPage.contains("Instagram promotion") && allPage.contains("Urgent shop launch"))
                #expect(allPage.contains("Yacht Charter Ltd"))
                #expect(allPage.contains(#"<a href="/requests/\#(console.summary.requestId)">Instagram promotion</a>"#))
                #expect(allPage.contains(#"<a class="button-link" href="/requests/new">Register a request</a>"#))
                #expect(allPage.contains(#"<label for="olderThan">Older than, days</label>"#))

                let rush = try await console.get("/requests?rush=yes", session: session).1
                #expect(rush.contains("Urgent shop launch") && !rush.contains("Calm brand refresh"))
                let calm = try await console.get("/requests?rush=no", session: session).1
                #expect(calm.contains("Calm brand refresh") && !calm.contains("Urgent shop launch"))
                #expect(rush.contains(#"<strong class="rush-marker">rush</strong>"#))
                let region = try await console.get("/requests?region=RU-MOW", session: session).1
                #expect(region.contains("Instagram promotion") && !region.contains("Urgent shop launch"))
                let matched = try await console.get("/requests?state=matched", session: session).1
                #expect(matched.contains("Instagram promotion") && !matched.contains("Urgent shop launch"))
                #expect(matched.contains(#"<option value="matched" selected>matched</option>"#))
                let old = try await console.get("/requests?olderThan=10", session: session).1
                #expect(old.contains("Instagram promotion") && !old.contains("Urgent shop launch"))

                for index in 0..<30 { _ = try await Self.lead(console, ask: "Paged request \(index)", days: 30, region: "RU-KDA") }
                let first = try await console.get("/requests?region=RU-KDA", session: session).1
                #expect(first.contains("Paged request 0") && !first.contains("Paged request 29"))
                let next = try #require(first.firstMatch(of: try Regex(#"<a class="next" href="([^"]+)" rel="next">"#))?.output[1].substring)
                #expect(next.hasPrefix("/requests?region=RU-KDA&amp;cursor="))
                let second = try await console.get(String(next).replacingOccurrences(of: "&amp;", with: "&"), session: session).1
                #expect(second.contains("Paged request 29") && !second.contains("Paged request 0<"))
            }
        }

        @Test func aRequestRegisteredThroughTheFormIsCreatedOnceAndShown() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let client = try await Self.clientId(console)
                let (page, html) = try await console.get("/requests/new", session: session)
                #expect(page.status == .ok)
                #expect(html.contains(#"<option value="\#(client)">Yacht Charter Ltd</option>"#))
                #expect(html.contains(#"<label for="budget">Budget</label>"#) && html.contains(#"type="date""#))
                let before = try await Self.leadCount(console)
                let csrf = try ConsoleTests.csrf(in: html)
                let key = try Self.formKey(in: html, action: "/requests")
                let deadline = Self.day(console, 40).description
                let form =
                    "csrf=\(csrf)&formKey=\(key)&clientId=\(client)&statedAsk=A+new+website&businessGoal=Bookings+online"
                    + "&budget=700+000&deadline=\(deadline)&region=RU-MOW&referralReason=size&internalNote=met+at+a+fair"
                let (created, _) = try await console.post("/requests", session: session, form: form)
                #expect(created.status == .seeOther)
                let location = try #require(created.headers[.location])
                #expect(location.hasPrefix("/requests/req_"))
                // The same rendering of the form sent again answers the same and creates nothing more.
                let (again, _) = try await console.post("/requests", session: session, form: form)
                #expect(again.status == .seeOther && again.headers[.location] == location)
                #expect(try await Self.leadCount(console) == before + 1)

                let lead = try await console.database.lead(String(location.dropFirst("/requests/".count)), for: .system)
                #expect(
                    lead.budget == 700_000 && lead.referralReason == .size && lead.internalNote == "met at a fair"
                        && lead.statedAsk == "A new website"
                )
                let shown = try await console.get(location, session: session).1
                #expect(shown.contains("A new website") && shown.contains("Bookings online") && shown.contains("700,000"))
                #expect(shown.contains("Reframe the request first"))
                #expect(!shown.contains("/shortlist\""), "a new request offers no shortlist")
            }
        }

        @Test func aBadBudgetComesBackNextToItsFieldAndCreatesNothing() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let client = try await Self.clientId(console)
                let html = try await console.get("/requests/new", session: session).1
                let before = try await Self.leadCount(console)
                let form =
                    "csrf=\(try ConsoleTests.csrf(in: html))&formKey=\(try Self.formKey(in: html, action: "/requests"))&clientId=\(client)"
                    + "&statedAsk=Ads&businessGoal=Calls&budget=lots&deadline=\(Self.day(console, 40).description)"
                let (response, page) = try await console.post("/requests", session: session, form: form)
                #expect(response.status == .unprocessableContent)
                #expect(page.contains(#"<p class="error-message" id="budget-error">Enter a whole number, such as 600000.</p>"#))
                #expect(page.contains(##"<a href="#budget">Enter a whole number"##))
                #expect(page.contains(#"name="budget" value="lots""#) && page.contains(">Ads</textarea>"))
                #expect(try await Self.leadCount(console) == before)

                // A deadline in the past is the store's problem, named next to its field too.
                let past = form.replacingOccurrences(of: "budget=lots", with: "budget=1000")
                    .replacingOccurrences(of: Self.day(console, 40).description, with: Self.day(console, -3).description)
                let (refused, again) = try await console.post("/requests", session: session, form: past)
                #expect(refused.status == .unprocessableContent)
                #expect(again.contains(#"id="deadline-error">Must not be in the past.</p>"#))
                #expect(try await Self.leadCount(console) == before)
            }
        }

        @Test func reframingWithAStaleVersionIsRefusedShowingBoth() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let lead = try await Self.lead(console, ask: "A mobile app")
                let path = "/requests/" + lead.id
                let html = try await console.get(path, session: session).1
                #expect(html.contains(#"<input type="hidden" name="version" value="1">"#))
                #expect(html.contains(#"<label for="requiredCompetences-"#) && html.contains(">Mobile apps</label>"))
                let csrf = try ConsoleTests.csrf(in: html)
                let first =
                    "csrf=\(csrf)&formKey=\(try Self.formKey(in: html, action: path))&version=1"
                    + "&requiredCompetences=mobile&requiredCompetences=analytics&proposedApproach=An+app+with+analytics&rationale=Measure+bookings"
                let (saved, _) = try await console.post(path, session: session, form: first)
                #expect(saved.status == .seeOther)
                let reframed = try await console.database.lead(lead.id, for: .system)
                #expect(reframed.requiredCompetences == ["mobile", "analytics"] && reframed.status == .qualified && reframed.version == 2)

                // Someone else's edit of version 1 meanwhile: refused, theirs shown in the form, yours beside it.
                let stale =
                    "csrf=\(csrf)&formKey=\(FormContext.newFormKey())&version=1"
                    + "&requiredCompetences=web&proposedApproach=Just+a+website&rationale=Cheaper"
                let (conflict, page) = try await console.post(path, session: session, form: stale)
                #expect(conflict.status == .conflict)
                #expect(page.contains("Someone else changed this"))
                #expect(page.contains(">An app with analytics</textarea>") && page.contains("You typed: Just a website"))
                #expect(page.contains(#"name="version" value="2""#))
                #expect(try await console.database.lead(lead.id, for: .system).proposedApproach == "An app with analytics")
            }
        }

        @Test func aRushRequestNeedsSharedResponsibilityThenShortlistsOffersAndStarts() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let lead = try await Self.lead(console, ask: "Landing in three days", days: 3, competences: ["landing", "web"])
                let path = "/requests/" + lead.id
                var html = try await console.get(path, session: session).1
                #expect(html.contains(#"<h2 id="rush-title">Rush request</h2>"#))
                #expect(html.contains(#"action="\#(path)/shared-responsibility""#))
                let csrf = try ConsoleTests.csrf(in: html)

                let shortlistForm = "csrf=\(csrf)&formKey=\(try Self.formKey(in: html, action: path + "/shortlist"))&size=3&scope=landing&scope=web"
                let (refused, refusedPage) = try await console.post(path + "/shortlist", session: session, form: shortlistForm)
                #expect(refused.status == .conflict)
                let top = try Self.form(in: refusedPage, action: path + "/shortlist")
                let rule = Catalogs.bundled.localizer(for: "en").text("rule.rush-needs-shared-responsibility").replacingOccurrences(
                    of: "'",
                    with: "&#39;"
                )
                #expect(top.contains(#"<div class="form-problem" role="alert"><p>"# + rule + "</p></div>"))
                let nothing = try? await console.database.latestShortlist(lead.id, for: .system)
                #expect(nothing == nil)

                let acceptedAt = FormReader.localTimeValue(console.database.clock.now().addingTimeInterval(-3600), zone: .gmt)
                let shared =
                    "csrf=\(csrf)&formKey=\(try Self.formKey(in: html, action: path + "/shared-responsibility"))"
                    + "&acceptedBy=Oleg&acceptedAt=\(acceptedAt)&note=Agreed+to+share+the+risk+of+the+deadline"
                #expect(try await console.post(path + "/shared-responsibility", session: session, form: shared).0.status == .seeOther)
                #expect(try await console.database.lead(lead.id, for: .system).sharedResponsibility?.acceptedBy == "Oleg")

                let pixel = try await Self.studioId(console, named: "Pixel Hands")
                let crm = try await Self.studioId(console, named: "CRM Forge")
                let exclude = shortlistForm.replacingOccurrences(of: "formKey=", with: "formKey=1") + "&exclude=" + crm
                let (made, _) = try await console.post(path + "/shortlist", session: session, form: exclude)
                #expect(made.status == .seeOther)
                let shortlist = try await console.database.latestShortlist(lead.id, for: .system)
                #expect(shortlist.scope == ["landing", "web"] && shortlist.excluded == [crm] && !shortlist.candidates.isEmpty)

                html = try await console.get(path, session: session).1
                #expect(html.contains("Agreed to share the risk of the deadline"))
                #expect(html.contains("Landing Lab") && html.contains("Pixel Hands"))
                for part in [
                    "Coverage of the scope", "Covers all of it alone", "Budget fit", "Free capacity", "Rating", "Few upheld complaints", "Region",
                ] {
                    #expect(html.contains(part), "the breakdown names \(part)")
                }
                let meters = html.matches(of: try Regex("<meter aria-labelledby=")).count
                #expect(meters == shortlist.candidates.count * 7)
                #expect(html.contains("Free capacity: ") && html.contains("Offers accepted"))

                let offer = "csrf=\(csrf)&formKey=\(try Self.formKey(in: html, action: path + "/referrals"))&studioIds=\(pixel)"
                #expect(try await console.post(path + "/referrals", session: session, form: offer).0.status == .seeOther)
                let referrals = try await console.database.referrals(ReferralFilter(requestId: lead.id), page: PageRequest(), for: .system).items
                #expect(referrals.map(\.studioId) == [pixel] && referrals.first?.status == .offered)
                html = try await console.get(path, session: session).1
                #expect(html.contains("Pixel Hands: waiting for an answer"))
                #expect(html.contains(#"data-due=""#) && html.contains("48 h 0 min left"), "the manual clock stands still: all 48 hours are left")

                let studio = try #require(try await console.database.authenticate(secret: console.summary.studioToken))
                _ = try await console.database.answerReferral(referrals[0].id, ReferralAnswer(accept: true, note: "free next week"), by: studio)
                html = try await console.get(path, session: session).1
                #expect(html.contains("Pixel Hands: accepted") && html.contains("free next week"))
                #expect(html.components(separatedBy: #"id="scope-0""#).count == 2, "each scope group has its own ids")
                let start =
                    "csrf=\(csrf)&formKey=\(try Self.formKey(in: html, action: path + "/engagements"))&studioId=\(pixel)&scope.\(pixel)=landing"
                let (started, _) = try await console.post(path + "/engagements", session: session, form: start)
                #expect(started.status == .seeOther)
                let engagementPath = try #require(started.headers[.location])
                #expect(engagementPath.hasPrefix("/engagements/eng_"))
                let engagement = try await console.database.engagementRecord(String(engagementPath.dropFirst("/engagements/".count)), for: .system)
                #expect(engagement.engagement.scope == ["landing"] && engagement.engagement.studioId == pixel)
                #expect(try await console.database.lead(lead.id, for: .system).status == .matched)
            }
        }

        @Test func aDeclinedOfferShowsItsReasonAndWhoTheRequestWentTo() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let lead = try await Self.lead(console, ask: "Landing and ads", competences: ["landing"])
                let shortlist = try await console.database.makeShortlist(lead.id, ShortlistInput(size: 3), by: .system)
                let pixel = try await Self.studioId(console, named: "Pixel Hands")
                #expect(shortlist.candidates.contains { $0.studioId == pixel } && shortlist.candidates.count > 1)
                let offered = try await console.database.offerReferrals(lead.id, ReferralOffer(studioIds: [pixel]), by: .system)
                let studio = try #require(try await console.database.authenticate(secret: console.summary.studioToken))
                _ = try await console.database.answerReferral(offered[0].id, ReferralAnswer(accept: false, note: "no people free"), by: studio)
                let html = try await console.get("/requests/" + lead.id, session: session).1
                #expect(html.contains("Pixel Hands: declined") && html.contains("Declined: no people free"))
                #expect(html.contains("Handed on to ") && html.contains("Offered by the club after Pixel Hands did not take it"))
            }
        }

        @Test func anExpiredOfferSaysSoAndNamesTheStudioItWentTo() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let clock = try #require(console.database.clock as? ManualClock)
                let lead = try await Self.lead(console, ask: "A landing page", competences: ["landing"])
                _ = try await console.database.makeShortlist(lead.id, ShortlistInput(size: 3), by: .system)
                let pixel = try await Self.studioId(console, named: "Pixel Hands")
                _ = try await console.database.offerReferrals(lead.id, ReferralOffer(studioIds: [pixel]), by: .system)
                let path = "/requests/" + lead.id
                // Sessions end after hours without use: each look is a fresh sign-in.
                clock.advance(by: 47 * 3600 + 30 * 60)
                #expect(try await console.get(path, session: try await console.session("anna@example.org")).1.contains("0 h 30 min left"))
                clock.advance(by: 3600)
                let late = try await console.get(path, session: try await console.session("anna@example.org")).1
                #expect(late.contains(">the time to answer is over</strong>"))
                #expect(try await console.database.expireOverdueReferrals() == 1)
                let html = try await console.get(path, session: try await console.session("anna@example.org")).1
                #expect(html.contains("Pixel Hands: expired without an answer") && html.contains("No answer within 48 hours."))
                let next = try #require(
                    try await console.database.referrals(ReferralFilter(requestId: lead.id), page: PageRequest(), for: .system).items
                        .first { $0.handedOverFrom != nil }
                )
                let name = try await console.database.studio(next.studioId, for: .system).name
                #expect(html.contains("Handed on to \(name)") && html.contains("\(name): waiting for an answer"))
            }
        }

        @Test func closingAsksFirstThenCloses() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let lead = try await Self.lead(console, ask: "Maybe later")
                let path = "/requests/" + lead.id
                let html = try await console.get(path, session: session).1
                let form =
                    "csrf=\(try ConsoleTests.csrf(in: html))&formKey=\(try Self.formKey(in: html, action: path + "/close"))"
                    + "&outcome=withdrawn&reason=The+client+changed+plans"
                let (asked, question) = try await console.post(path + "/close", session: session, form: form)
                #expect(asked.status == .ok && question.contains("Close this request?"))
                #expect(try await console.database.lead(lead.id, for: .system).status == .new)
                let (closed, _) = try await console.post(path + "/close", session: session, form: form + "&confirmed=1")
                #expect(closed.status == .seeOther)
                let after = try await console.database.lead(lead.id, for: .system)
                #expect(after.status == .withdrawn && after.closingReason == "The client changed plans")
                let page = try await console.get(path, session: session).1
                #expect(page.contains("The request is withdrawn: The client changed plans") && !page.contains(#"action="\#(path)/close""#))
            }
        }

        @Test func aStudioOrClientPersonGets404OrItsOwnPage() async throws {
            try await ConsoleTests.withConsole { console in
                let studioId = try await console.database.engagementRecord(console.summary.landingEngagementId, for: .system).engagement.studioId
                _ = try await console.person("studio@example.org", role: .studio, studioId: studioId)
                let session = try await console.session("studio@example.org")
                let path = "/requests/" + console.summary.requestId
                // The studio the request was offered to is sent to its referral (docs/design.md §9.6).
                let (redirect, _) = try await console.get(path, session: session)
                #expect(redirect.status == .seeOther && redirect.headers[.location]?.hasPrefix("/referrals/") == true)
                #expect(try await console.get("/requests", session: session).0.status == .notFound)
                #expect(try await console.get("/requests/new", session: session).0.status == .notFound)
                let home = try await console.get("/", session: session).1
                let (posted, _) = try await console.post(
                    path + "/close",
                    session: session,
                    form: "csrf=\(try ConsoleTests.csrf(in: home))&outcome=lost&reason=x&confirmed=1"
                )
                #expect(posted.status == .notFound)
                #expect(try await console.database.lead(console.summary.requestId, for: .system).status == .matched)

                _ = try await console.person("anna@example.org")
                let coordinator = try await console.session("anna@example.org")
                #expect(try await console.get("/requests/req_nothing", session: coordinator).0.status == .notFound)
            }
        }
    }
}
