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
    /// The studio's own pages (issue 11): a referral answered in the console, the studio's own
    /// scorecard, and the audits of its work read and argued by the studio (read by the client).
    @Suite("Console: the studio's own pages")
    struct StudioDeskPagesTests {
        typealias Console = ConsoleTests.Console
        typealias Pages = MediationPagesTests
        typealias Requests = RequestsPagesTests

        static let clubOnly = "club-only remark about this client"

        /// A request of the reference client, reframed, shortlisted and offered to Pixel Hands.
        static func offer(_ console: Console) async throws -> (lead: Lead, referral: Referral, pixel: String) {
            let client = try await Requests.clientId(console)
            var lead = try await console.database.createLead(
                LeadInput(
                    clientId: client,
                    statedAsk: "A landing page for winter charters",
                    businessGoal: "bookings for the winter season",
                    budget: 400_000,
                    deadline: Requests.day(console, 60),
                    region: "RU-MOW",
                    internalNote: clubOnly
                ),
                by: .system
            )
            lead = try await console.database.updateLead(
                lead.id,
                LeadPatch(requiredCompetences: ["landing"], rationale: "serves the goal"),
                ifVersion: nil,
                by: .system
            )
            _ = try await console.database.makeShortlist(lead.id, ShortlistInput(size: 3), by: .system)
            let pixel = try await Requests.studioId(console, named: "Pixel Hands")
            let referral = try await console.database.offerReferrals(lead.id, ReferralOffer(studioIds: [pixel]), by: .system)[0]
            return (lead, referral, pixel)
        }

        static func referralStatus(_ console: Console, _ referral: Referral) async throws -> ReferralStatus? {
            try await console.database.referrals(ReferralFilter(requestId: referral.requestId), page: PageRequest(limit: 200), for: .system)
                .items.first { $0.id == referral.id }?.status
        }

        // MARK: - Referrals

        @Test func theStudioReadsItsReferralDeclineNeedsAReasonAndItAccepts() async throws {
            try await ConsoleTests.withConsole { console in
                let (lead, referral, pixel) = try await Self.offer(console)
                let studio = try await Pages.person(console, "pm@pixel.example", .studio, studioId: pixel)
                let path = "/referrals/" + referral.id

                let (response, html) = try await console.get(path, session: studio)
                #expect(response.status == .ok)
                #expect(html.contains(lead.statedAsk) && html.contains("bookings for the winter season") && html.contains("RU-MOW"))
                #expect(html.contains("Answer within 48 hours"))
                #expect(html.contains(#"action="\#(path)/accept""#) && html.contains(#"action="\#(path)/decline""#))
                #expect(html.contains(#"id="accept-note""#) && html.contains(#"id="decline-note""#), "each form has its own ids")
                #expect(!html.contains(Self.clubOnly), "the request's internal note stays with the club")
                let russian = try await console.get(path + "?lang=ru", session: studio).1
                #expect(russian.contains("Ответьте в течение 48 часов"))
                #expect(russian.contains("Отказаться от направления"))

                // A decline without its reason is shown again with the problem next to the field; nothing changes.
                let csrf = try ConsoleTests.csrf(in: html)
                let blank = Pages.form([("csrf", csrf), ("note", " ")])
                let (refused, refusedHTML) = try await console.post(path + "/decline", session: studio, form: blank)
                #expect(refused.status == .unprocessableContent)
                #expect(refusedHTML.contains(#"id="decline-note-error""#) && refusedHTML.contains("Give the reason for declining."))
                #expect(!refusedHTML.contains(#"id="accept-note-error""#))
                #expect(try await Self.referralStatus(console, referral) == .offered)

                let accept = Pages.form([("csrf", csrf), ("note", "we can start on Monday")])
                let (accepted, _) = try await console.post(path + "/accept", session: studio, form: accept)
                #expect(accepted.status == .seeOther && accepted.headers[.location] == path)
                #expect(try await Self.referralStatus(console, referral) == .accepted)
                let after = try await console.get(path, session: studio).1
                #expect(after.contains("You accepted") && after.contains("we can start on Monday"))
                #expect(!after.contains(#"action="\#(path)/accept""#) && !after.contains("Answer within"))

                // The list: nothing waits any more; the answered one links to its page.
                let list = try await console.get("/referrals", session: studio).1
                #expect(list.contains("No referral is waiting for your answer."))
                #expect(list.contains(#"<a href="\#(path)">\#(lead.statedAsk)</a>"#))
            }
        }

        @Test func aDeclineWithItsReasonHandsTheRequestOnAndTheListPutsOpenOffersFirst() async throws {
            try await ConsoleTests.withConsole { console in
                let (lead, referral, pixel) = try await Self.offer(console)
                let studio = try await Pages.person(console, "pm@pixel.example", .studio, studioId: pixel)
                let list = try await console.get("/referrals", session: studio).1
                let open = try #require(list.range(of: "Waiting for your answer</h2>"))
                let answered = try #require(list.range(of: "Answered and closed</h2>"))
                let line = try #require(list.range(of: #"href="/referrals/\#(referral.id)""#))
                #expect(open.upperBound < line.lowerBound && line.upperBound < answered.lowerBound, "the open offer is listed first")

                let path = "/referrals/" + referral.id
                let csrf = try ConsoleTests.csrf(in: try await console.get(path, session: studio).1)
                let decline = Pages.form([("csrf", csrf), ("note", "no people free until spring")])
                #expect(try await console.post(path + "/decline", session: studio, form: decline).0.status == .seeOther)
                #expect(try await Self.referralStatus(console, referral) == .declined)
                let page = try await console.get(path, session: studio).1
                #expect(page.contains("You declined") && page.contains("no people free until spring"))
                let handed = try await console.database.referrals(ReferralFilter(requestId: lead.id), page: PageRequest(), for: .system).items
                #expect(handed.contains { $0.handedOverFrom == referral.id }, "the club hands the request on")
            }
        }

        @Test func aReferralIsNotFoundForAnotherStudioOrTheClientAndTheClubIsSentToTheRequest() async throws {
            try await ConsoleTests.withConsole { console in
                let (lead, referral, _) = try await Self.offer(console)
                let other = try await Requests.studioId(console, named: "CRM Forge")
                let otherStudio = try await Pages.person(console, "pm@crm.example", .studio, studioId: other)
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: lead.clientId)
                let coordinator = try await Pages.person(console, "coord@club.example", .coordinator)
                let path = "/referrals/" + referral.id

                for session in [otherStudio, client] {
                    let (response, html) = try await console.get(path, session: session)
                    #expect(response.status == .notFound)
                    #expect(!html.contains(lead.statedAsk) && !html.contains("bookings for the winter season"))
                }
                #expect(try await console.get("/referrals/ref_unknown", session: otherStudio).0.status == .notFound)
                #expect(try await console.get("/referrals", session: client).0.status == .notFound)
                #expect(!(try await console.get("/referrals", session: otherStudio).1.contains(lead.statedAsk)))

                // Another studio's answer changes nothing.
                let csrf = try ConsoleTests.csrf(in: try await console.get("/referrals", session: otherStudio).1)
                let (refused, refusedHTML) = try await console.post(
                    path + "/accept",
                    session: otherStudio,
                    form: Pages.form([("csrf", csrf), ("note", "mine")])
                )
                #expect(refused.status == .notFound && !refusedHTML.contains(lead.statedAsk))
                #expect(try await Self.referralStatus(console, referral) == .offered)

                let (redirected, _) = try await console.get(path, session: coordinator)
                #expect(redirected.status == .seeOther && redirected.headers[.location] == "/requests/" + lead.id)
            }
        }

        // MARK: - The scorecard

        @Test func theStudioReadsItsOwnScorecardAsTheClubComputesItWithWhatDrivesEachNumber() async throws {
            try await ConsoleTests.withConsole { console in
                let pixel = try await Requests.studioId(console, named: "Pixel Hands")
                let studio = try await Pages.person(console, "pm@pixel.example", .studio, studioId: pixel)
                let club = try await console.database.scorecards(page: PageRequest(limit: 200), for: .system).items
                let card = try #require(club.first { $0.studioId == pixel })
                #expect(card.fixItemsStruck > 0 && card.feedbackCount > 0, "the reference case gives Pixel Hands a record")
                #expect(try await console.database.scorecard(studioId: pixel, for: .system) == card)

                let (response, html) = try await console.get("/scorecard", session: studio)
                #expect(response.status == .ok)
                let words = Catalogs.bundled.localizer(for: "en")
                for key in ["rating", "averageFeedback", "acceptanceRate", "fixesOnTimeShare"] {
                    let column = try #require(ScorecardSort.columns.first { $0.key == key })
                    #expect(html.contains(#"<span class="value">\#(column.display(card, words))</span>"#), "\(key) as /reports shows it")
                }
                let onTime = card.fixItemsStruck - card.fixItemsStruckLate
                let strikes = card.fixItemsStruck == 1 ? "strike made by its" : "strikes made by their"
                #expect(html.contains("\(onTime) of \(card.fixItemsStruck) \(strikes) round&#39;s due day"))
                #expect(html.contains("The average of \(card.feedbackCount) stage score"))
                // No other studio's numbers or name.
                for other in club where other.studioId != pixel { #expect(!html.contains(other.name)) }
            }
        }

        @Test func theScorecardIsTheStudiosOwnOnly() async throws {
            try await ConsoleTests.withConsole { console in
                let pixel = try await Requests.studioId(console, named: "Pixel Hands")
                let other = try await Requests.studioId(console, named: "CRM Forge")
                let landing = try await Pages.landing(console)
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: landing.clientId)
                let coordinator = try await Pages.person(console, "coord@club.example", .coordinator)
                for session in [client, coordinator] {
                    let (response, html) = try await console.get("/scorecard", session: session)
                    #expect(response.status == .notFound && !html.contains("Pixel Hands"))
                }
                // The store: another studio's is 404, a client never reads one.
                let crm = Principal(tokenId: "p", name: "CRM PM", role: .studio, studioId: other)
                let oleg = Principal(tokenId: "p", name: "Oleg", role: .client, clientId: landing.clientId)
                await #expect(throws: DomainError.self) { try await console.database.scorecard(studioId: pixel, for: crm) }
                do {
                    _ = try await console.database.scorecard(studioId: pixel, for: crm)
                    Issue.record("another studio read Pixel Hands' scorecard")
                } catch DomainError.notFound {}
                do {
                    _ = try await console.database.scorecard(studioId: pixel, for: oleg)
                    Issue.record("a client read a scorecard")
                } catch DomainError.forbidden {}
                #expect(try await console.database.scorecard(studioId: other, for: crm).studioId == other)
            }
        }

        // MARK: - Audits of the studio's work

        static let auditNote = "the club suspects the auditor is a rival agency"
        static let findingNote = "we agree privately: the negatives were thin"

        /// An open audit of the landing engagement, with the club's notes on it and its finding.
        static func openAudit(_ console: Console) async throws -> (audit: Audit, landing: Engagement) {
            let landing = try await Pages.landing(console)
            let audit = try await console.database.createAudit(
                landing.id,
                AuditInput(
                    auditor: "Southwind Review",
                    receivedAt: console.database.clock.now(),
                    subject: "landing page review",
                    findings: [
                        AuditInput.Finding(
                            statement: "the form has no privacy notice",
                            severity: "high",
                            category: "legal",
                            proposal: "link the notice",
                            internalNote: findingNote
                        )
                    ],
                    internalNote: auditNote
                ),
                by: .system
            )
            return (audit, landing)
        }

        @Test func theAuditedStudioProposesAnArgumentAndTheClientReadsTheAudit() async throws {
            try await ConsoleTests.withConsole { console in
                let (audit, landing) = try await Self.openAudit(console)
                let studio = try await Pages.person(console, "pm@pixel.example", .studio, studioId: landing.studioId)
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: landing.clientId)
                let path = "/audits/" + audit.id
                let finding = audit.findings[0]
                let action = "/audit-findings/\(finding.id)/rebuttal"

                let (response, html) = try await console.get(path, session: studio)
                #expect(response.status == .ok)
                #expect(html.contains("the form has no privacy notice") && html.contains("Southwind Review"))
                #expect(html.contains(#"action="\#(action)""#) && html.contains(#"name="findings[0].argument""#))
                #expect(!html.contains(#"name="findings[0].position""#), "the position is the club's")
                #expect(!html.contains(#"action="\#(path)/answer""#) && !html.contains(#"action="\#(path)/close""#))
                #expect(!html.contains(Self.auditNote) && !html.contains(Self.findingNote))

                // An empty argument is refused next to its field; then the argument is recorded as the studio's.
                let csrf = try ConsoleTests.csrf(in: html)
                let empty = Pages.form([("csrf", csrf), ("audit", audit.id), ("findings[0].argument", "")])
                let (refused, refusedHTML) = try await console.post(action, session: studio, form: empty)
                #expect(refused.status == .unprocessableContent && refusedHTML.contains(#"id="findings-0-argument-error""#))
                let argument = Pages.form([
                    ("csrf", csrf), ("audit", audit.id), ("findings[0].argument", "the notice is linked from the footer"),
                    ("findings[0].evidence", "https://pixel.example/privacy"),
                ])
                let (posted, _) = try await console.post(action, session: studio, form: argument)
                #expect(posted.status == .seeOther && posted.headers[.location] == path + "#finding-1")
                let stored = try await console.database.audit(audit.id, for: .system).findings[0]
                #expect(stored.studioArguments.map(\.argument) == ["the notice is linked from the footer"])
                #expect(stored.rebuttal == nil, "a studio's argument is not the club's position")

                // The client reads the audit and the studio's argument, and has no form.
                let (clientResponse, clientHTML) = try await console.get(path, session: client)
                #expect(clientResponse.status == .ok)
                #expect(clientHTML.contains("the notice is linked from the footer") && clientHTML.contains("the form has no privacy notice"))
                #expect(!clientHTML.contains(#"action="\#(action)""#))
                #expect(!clientHTML.contains(Self.auditNote) && !clientHTML.contains(Self.findingNote))
                let clientPost = Pages.form([
                    ("csrf", try ConsoleTests.csrf(in: clientHTML)), ("audit", audit.id), ("findings[0].argument", "we disagree"),
                ])
                #expect(try await console.post(action, session: client, form: clientPost).0.status == .notFound)
                #expect(try await console.database.audit(audit.id, for: .system).findings[0].studioArguments.count == 1)
            }
        }

        @Test func anAuditAndItsLetterAreNotFoundForAnotherStudioOrClient() async throws {
            try await ConsoleTests.withConsole { console in
                let (audit, _) = try await Self.openAudit(console)
                let other = try await Requests.studioId(console, named: "CRM Forge")
                let otherStudio = try await Pages.person(console, "pm@crm.example", .studio, studioId: other)
                let otherClientId = try await console.database.createClient(ClientInput(name: "Other Ltd"), by: .system).id
                let otherClient = try await Pages.person(console, "boss@other.example", .client, clientId: otherClientId)
                // The reference case's answered audit: its letter exists for its parties.
                let answered = try await console.database.audit(console.summary.auditId, for: .system)
                #expect(answered.status != .received && answered.status != .underReview)
                let audited = try await Pages.person(console, "pm@pixel.example", .studio, studioId: answered.studioId)
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: answered.clientId)

                for session in [otherStudio, otherClient] {
                    for path in ["/audits/\(audit.id)", "/audits/\(answered.id)/letter", "/audits/\(answered.id)/letter.md"] {
                        let (response, html) = try await console.get(path, session: session)
                        #expect(response.status == .notFound, "\(path)")
                        #expect(!html.contains(audit.subject) && !html.contains(answered.subject) && !html.contains("Northwind"))
                    }
                    #expect(try await console.get("/audits", session: session).0.status == .notFound)
                }
                let csrf = try ConsoleTests.csrf(in: try await console.get("/", session: otherStudio).1)
                let argument = Pages.form([("csrf", csrf), ("audit", audit.id), ("findings[0].argument", "not ours")])
                let rebuttal = "/audit-findings/\(audit.findings[0].id)/rebuttal"
                #expect(try await console.post(rebuttal, session: otherStudio, form: argument).0.status == .notFound)
                #expect(try await console.database.audit(audit.id, for: .system).findings[0].studioArguments.isEmpty)

                // The audited studio and the client read the answered audit's letter; the list stays the club's.
                for session in [audited, client] {
                    let (page, html) = try await console.get("/audits/\(answered.id)/letter", session: session)
                    #expect(page.status == .ok && html.contains("Northwind Audit Bureau"))
                    let (markdown, text) = try await console.get("/audits/\(answered.id)/letter.md", session: session)
                    #expect(markdown.status == .ok && text.contains("Northwind Audit Bureau"))
                    #expect(try await console.get("/audits", session: session).0.status == .notFound)
                    #expect(try await console.get("/engagements/\(answered.engagementId)/audits/new", session: session).0.status == .notFound)
                }
            }
        }
    }
}
