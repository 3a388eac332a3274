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
    /// Issue 11: the studio and the client do their part of a fix list and of an engagement in the
    /// console — strike from the list, reopened items on top, the client's check on the list,
    /// share links, feedback and the club rating — and see nothing of another party's.
    @Suite("Console: the parties' fix lists and engagement page")
    struct PartiesPagesTests {
        typealias Console = ConsoleTests.Console
        typealias Pages = MediationPagesTests

        /// An agreed list of two items on the landing engagement, with the club's notes on it.
        static func agreedList(_ console: Console) async throws -> (list: FixListRecord, landing: Engagement) {
            let landing = try await Pages.landing(console)
            let day = try #require(Day(Pages.day(console, 5)))
            let record = try await console.database.createFixList(
                landing.id,
                FixListInput(
                    items: [
                        FixItemInput(
                            statement: "The gallery swipes",
                            acceptance: "swiping shows the next yacht",
                            due: day,
                            internalNote: "pm is slow"
                        ),
                        FixItemInput(statement: "Prices show weekly", acceptance: "the card shows the weekly price", due: day),
                    ],
                    internalNote: "club-only worry about this studio"
                ),
                by: .system
            )
            _ = try await console.database.confirmFixList(record.list.id, by: clientPrincipal(landing))
            _ = try await console.database.confirmFixList(record.list.id, by: studioPrincipal(landing))
            return (try await console.database.fixList(record.list.id, for: .system), landing)
        }

        static func clientPrincipal(_ landing: Engagement) -> Principal {
            Principal(tokenId: "p", name: "Oleg", role: .client, clientId: landing.clientId)
        }

        static func studioPrincipal(_ landing: Engagement) -> Principal {
            Principal(tokenId: "p", name: "Pixel PM", role: .studio, studioId: landing.studioId)
        }

        @Test func theStudioStrikesFromTheListAndTheClientReopensFromIt() async throws {
            try await ConsoleTests.withConsole { console in
                let (record, landing) = try await Self.agreedList(console)
                let path = "/fix-lists/\(record.list.id)"
                let (first, second) = (record.items[0].id, record.items[1].id)
                let studio = try await Pages.person(console, "pm@pixel.example", .studio, studioId: landing.studioId)
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: landing.clientId)

                // Each open item carries its own strike form beside its criterion, ids kept apart.
                let studioPage = try await console.get(path, session: studio).1
                #expect(studioPage.contains(#"action="/fix-items/\#(first)/strike""#))
                #expect(studioPage.contains(#"action="/fix-items/\#(second)/strike""#))
                #expect(studioPage.contains(">Strike item 1</button>") && studioPage.contains(">Strike item 2</button>"))
                #expect(studioPage.contains(#"id="strike-\#(first)-note""#) && studioPage.contains(#"id="strike-\#(second)-note""#))
                #expect(studioPage.contains("Strike it only if it meets the criterion: swiping shows the next yacht"))
                #expect(studioPage.contains(#"<label for="strike-\#(second)-note">What was done on item 2</label>"#))
                #expect(!studioPage.contains("club-only worry") && !studioPage.contains("pm is slow"))
                #expect(!studioPage.contains("/accept\"") && !studioPage.contains("/reopen\""))

                // An empty note: the list again, the problem next to that item's note only.
                let csrf = try ConsoleTests.csrf(in: studioPage)
                let empty = Pages.form([("csrf", csrf), ("from", "list"), ("note", "")])
                let (refused, refusedHTML) = try await console.post("/fix-items/\(first)/strike", session: studio, form: empty)
                #expect(refused.status == .unprocessableContent && refusedHTML.contains(#"data-part="\#(path)?part=live""#))
                #expect(refusedHTML.contains(#"id="note-error""#) && refusedHTML.contains(##"href="#note""##))
                #expect(refusedHTML.components(separatedBy: #"class="error-message""#).count == 2)
                #expect(refusedHTML.contains(#"id="strike-\#(second)-note""#) && !refusedHTML.contains(#"id="strike-\#(first)-note""#))
                #expect(try await console.database.fixList(record.list.id, for: .system).items[0].state == .open)

                let strike = Pages.form([("csrf", csrf), ("from", "list"), ("note", "swipe added")])
                let (struck, _) = try await console.post("/fix-items/\(first)/strike", session: studio, form: strike)
                #expect(struck.status == .seeOther && struck.headers[.location] == "\(path)#item-\(first)")
                #expect(try await console.database.fixList(record.list.id, for: .system).items[0].state == .struck)

                // The client checks on the list: accept or reopen the struck item, nothing for the open one.
                let clientPage = try await console.get(path, session: client).1
                #expect(clientPage.contains(#"action="/fix-items/\#(first)/reopen""#))
                #expect(clientPage.contains(#"action="/fix-items/\#(first)/accept""#))
                #expect(!clientPage.contains(#"action="/fix-items/\#(second)/reopen""#) && !clientPage.contains("/strike\""))
                #expect(clientPage.contains(#"<label for="reopen-\#(first)-reason">Reason</label>"#))
                #expect(clientPage.contains(">Reopen item 1</button>") && clientPage.contains(">Accept item 1</button>"))
                #expect(!clientPage.contains("club-only worry") && !clientPage.contains("pm is slow"))
                let reopen = Pages.form([
                    ("csrf", try ConsoleTests.csrf(in: clientPage)), ("from", "list"), ("reason", "no swipe on iOS"), ("due", Pages.day(console, 9)),
                ])
                let (reopened, _) = try await console.post("/fix-items/\(first)/reopen", session: client, form: reopen)
                #expect(reopened.status == .seeOther && reopened.headers[.location] == "\(path)#item-\(first)")

                // The studio finds the reopened item with the client's reason above the items, strikable again.
                let again = try await console.get(path + "?part=live", session: studio).1
                let top = try #require(again.range(of: "Reopened — the client&#39;s reason"))
                let items = try #require(again.range(of: #"<h2 id="items">"#))
                #expect(top.lowerBound < items.lowerBound)
                #expect(again.contains(##"<a href="#item-\##(first)">Item 1. The gallery swipes</a>"##) && again.contains("no swipe on iOS"))
                #expect(again.contains("New due day: "))
                #expect(again.contains(">Strike item 1</button>"))

                // A coordinator keeps the item pages for its changes: no row forms on the list.
                let coordinator = try await Pages.person(console, "coord@club.example", .coordinator)
                let clubPage = try await console.get(path, session: coordinator).1
                #expect(!clubPage.contains(#"name="from""#) && clubPage.contains("club-only worry"))
            }
        }

        @Test func theListSaysWhenItsConnectionIsLostInBothLanguages() async throws {
            try await ConsoleTests.withConsole { console in
                let (record, landing) = try await Self.agreedList(console)
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: landing.clientId)
                _ = try await console.database.strikeFixItem(record.items[0].id, StrikeInput(note: "swipe added"), by: Self.studioPrincipal(landing))
                let english = try await console.get("/fix-lists/\(record.list.id)", session: client).1
                #expect(english.contains(#"id="live-status" class="live-status" role="status""#))
                // The script fetches the list's own live part, whatever address the page is shown under.
                #expect(english.contains(#"data-part="/fix-lists/\#(record.list.id)?part=live""#))
                #expect(english.contains("Connection lost — reconnecting…") && english.contains("addEventListener('error'"))
                let russian = try await console.get("/fix-lists/\(record.list.id)?lang=ru", session: client).1
                #expect(russian.contains("Связь потеряна — переподключаемся…"))
                #expect(russian.contains(">Причина</label>"))
                #expect(russian.contains(">Принять пункт 1</button>") && !russian.contains(">Принять пункт 2</button>"))
            }
        }

        @Test func anotherStudioOrClientNeitherSeesNorStrikesNorReopensTheList() async throws {
            try await ConsoleTests.withConsole { console in
                let (record, landing) = try await Self.agreedList(console)
                let advertising = try await console.database.engagementRecord(console.summary.advertisingEngagementId, for: .system).engagement
                #expect(advertising.studioId != landing.studioId)
                let stranger = try await Pages.person(console, "pm@ads.example", .studio, studioId: advertising.studioId)
                let other = try await console.database.createClient(ClientInput(name: "Other Harbour Ltd"), by: .system)
                let foreignClient = try await Pages.person(console, "x@harbour.example", .client, clientId: other.id)
                let own = try await Pages.person(console, "pm@pixel.example", .studio, studioId: landing.studioId)
                let csrfOf = { (session: String) in try ConsoleTests.csrf(in: try await console.get("/", session: session).1) }
                let first = record.items[0].id
                for session in [stranger, foreignClient] {
                    for uri in ["/fix-lists/\(record.list.id)", "/fix-lists/\(record.list.id)?part=live", "/fix-items/\(first)"] {
                        let (response, html) = try await console.get(uri, session: session)
                        #expect(response.status == .notFound && !html.contains("The gallery swipes"), "\(uri)")
                    }
                }
                let strike = Pages.form([("csrf", try await csrfOf(stranger)), ("from", "list"), ("note", "done")])
                let (refused, html) = try await console.post("/fix-items/\(first)/strike", session: stranger, form: strike)
                #expect(refused.status == .notFound && !html.contains("The gallery swipes"))
                #expect(try await console.database.fixList(record.list.id, for: .system).items[0].state == .open)

                _ = try await console.database.strikeFixItem(first, StrikeInput(note: "swipe added"), by: Self.studioPrincipal(landing))
                let reopen = Pages.form([("csrf", try await csrfOf(foreignClient)), ("from", "list"), ("reason", "no")])
                #expect(try await console.post("/fix-items/\(first)/reopen", session: foreignClient, form: reopen).0.status == .notFound)
                // The studio itself may not check its own work from the list.
                let accept = Pages.form([("csrf", try await csrfOf(own)), ("from", "list")])
                #expect(try await console.post("/fix-items/\(first)/accept", session: own, form: accept).0.status == .notFound)
                #expect(try await console.database.fixList(record.list.id, for: .system).items[0].state == .struck)
            }
        }

        @Test func theClientGivesStageFeedbackRatesTheClubAndBothConfirmAnAgreement() async throws {
            try await ConsoleTests.withConsole { console in
                let landing = try await Pages.landing(console)
                let path = "/engagements/\(landing.id)"
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: landing.clientId)
                let studio = try await Pages.person(console, "pm@pixel.example", .studio, studioId: landing.studioId)
                let due = try #require(Day(Pages.day(console, 3)))
                let agreement = try await console.database.addAgreement(
                    landing.id,
                    AgreementInput(what: "send the texts", owner: .client, due: due, consequence: "the launch moves", internalNote: "club doubts it"),
                    by: .system
                )

                // "development" was reached without the client's word: the form asks for it.
                let page = try await console.get(path, session: client).1
                #expect(page.contains(#"action="\#(path)/feedback""#) && page.contains("Your feedback on a stage"))
                #expect(page.contains(#"name="stage" value="development" checked"#) && page.contains(#"name="score" value="5""#))
                #expect(page.contains(#"href="\#(path)/case-file""#) && page.contains(#"action="/agreements/\#(agreement.id)/confirm""#))
                #expect(!page.contains("Client&#39;s mood") && !page.contains("club doubts it"))
                let csrf = try ConsoleTests.csrf(in: page)
                let (refused, refusedHTML) = try await console.post(
                    path + "/feedback",
                    session: client,
                    form: Pages.form([("csrf", csrf), ("stage", "development")])
                )
                #expect(refused.status == .unprocessableContent && refusedHTML.contains(#"id="score-error""#))
                let feedback = Pages.form([("csrf", csrf), ("stage", "development"), ("score", "5"), ("comment", "the form works now")])
                #expect(try await console.post(path + "/feedback", session: client, form: feedback).0.status == .seeOther)
                let record = try await console.database.engagementRecord(landing.id, for: .system)
                #expect(record.feedback.contains { $0.stage == "development" && $0.score == 5 } && record.stagesAwaitingFeedback.isEmpty)
                #expect(!(try await console.get(path, session: client).1.contains(#"action="\#(path)/feedback""#)))

                // Both parties confirm the agreement from the page.
                for session in [client, studio] {
                    let html = try await console.get(path, session: session).1
                    let confirm = Pages.form([("csrf", try ConsoleTests.csrf(in: html)), ("engagementId", landing.id)])
                    #expect(try await console.post("/agreements/\(agreement.id)/confirm", session: session, form: confirm).0.status == .seeOther)
                }
                let confirmed = try #require(try await console.database.engagementRecord(landing.id, for: .system).agreements.last)
                #expect(confirmed.clientConfirmation != nil && confirmed.studioConfirmation != nil)

                // Completed: the client is asked about the club, 0 to 10.
                _ = try await console.database.updateEngagement(landing.id, EngagementPatch(status: .completed), ifVersion: nil, by: .system)
                let asked = try await console.get(path, session: client).1
                #expect(asked.contains(#"action="\#(path)/club-rating""#) && asked.contains(#"name="score" value="10""#))
                #expect(asked.contains(#"name="score" value="0""#))
                let rating = Pages.form([("csrf", try ConsoleTests.csrf(in: asked)), ("score", "10"), ("comment", "kept every promise")])
                #expect(try await console.post(path + "/club-rating", session: client, form: rating).0.status == .seeOther)
                #expect(try await console.database.clubRatingStatus(landing.id, for: .system).awaited.isEmpty)
                let file = try await console.get(path + "/case-file", session: client).0
                #expect(file.status == .ok && file.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            }
        }

        @Test func theClientAnswersTheConsultingOfferAndTheStudioNeverSeesIt() async throws {
            try await ConsoleTests.withConsole { console in
                let landing = try await Pages.landing(console)
                let path = "/engagements/\(landing.id)"
                let parting = ExitInput(reason: "the work is done", decidedBy: "the club")
                let exit = try await console.database.exitEngagement(landing.id, parting, by: .system)
                let validUntil = console.database.clock.now().addingTimeInterval(30 * 24 * 3600)
                _ = try await console.database.offerConsulting(exit.id, ConsultingOfferInput(sessions: 2, validUntil: validUntil), by: .system)
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: landing.clientId)
                let studio = try await Pages.person(console, "pm@pixel.example", .studio, studioId: landing.studioId)
                let studioPage = try await console.get(path, session: studio).1
                #expect(!studioPage.contains("/consulting-offer/answer") && !studioPage.contains(#"id="exit-heading""#))
                let page = try await console.get(path, session: client).1
                #expect(page.contains(#"action="\#(path)/consulting-offer/answer""#))
                let answer = Pages.form([("csrf", try ConsoleTests.csrf(in: page)), ("accept", "true")])
                let csrfStudio = try ConsoleTests.csrf(in: studioPage)
                let refused = Pages.form([("csrf", csrfStudio), ("accept", "false")])
                #expect(try await console.post(path + "/consulting-offer/answer", session: studio, form: refused).0.status == .notFound)
                #expect(try await console.post(path + "/consulting-offer/answer", session: client, form: answer).0.status == .seeOther)
                let after = try await console.get(path, session: client).1
                #expect(!after.contains(#"action="\#(path)/consulting-offer/answer""#) && after.contains("<strong>accepted</strong>"))
            }
        }

        @Test func thePartiesEngagementPagesHideTheClubsOwnFields() async throws {
            try await ConsoleTests.withConsole { console in
                let advertising = try await console.database.engagementRecord(console.summary.advertisingEngagementId, for: .system).engagement
                let path = "/engagements/\(advertising.id)"
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: advertising.clientId)
                let studio = try await Pages.person(console, "pm@ads.example", .studio, studioId: advertising.studioId)
                let coordinator = try await Pages.person(console, "coord@club.example", .coordinator)
                let clubPage = try await console.get(path, session: coordinator).1
                #expect(clubPage.contains("the client felt ignored during development") && clubPage.contains("test integrations in week one"))
                #expect(clubPage.contains("criticism of a colleague counts only with a proposal"))
                for session in [client, studio] {
                    let (response, html) = try await console.get(path, session: session)
                    #expect(response.status == .ok && html.contains("the advertising audit found one real gap"))
                    #expect(!html.contains("the client felt ignored during development") && !html.contains("test integrations in week one"))
                    #expect(!html.contains("we were wrong not to test the form") && !html.contains("criticism of a colleague counts only"))
                }
                #expect(try await console.get(path, session: client).1.contains("send texts before the design stage"))
                // The landing engagement's check-ins: the client's mood as the club read it stays with the club.
                let landing = "/engagements/\(console.summary.landingEngagementId)"
                let pixel = try await Pages.person(console, "pm@pixel.example", .studio, studioId: try await Pages.landing(console).studioId)
                let studioLanding = try await console.get(landing, session: pixel).1
                #expect(studioLanding.contains("development late, form not connected") && !studioLanding.contains("Client&#39;s mood"))
                #expect(!studioLanding.contains("you listened and kept every promise") && !studioLanding.contains("/feedback\""))
                #expect(try await console.get(landing, session: coordinator).1.contains("Client&#39;s mood"))
            }
        }

        @Test func anotherClientOrAStudioNeitherGivesFeedbackNorRatesTheClub() async throws {
            try await ConsoleTests.withConsole { console in
                let landing = try await Pages.landing(console)
                let path = "/engagements/\(landing.id)"
                let other = try await console.database.createClient(ClientInput(name: "Other Harbour Ltd"), by: .system)
                let stranger = try await Pages.person(console, "x@harbour.example", .client, clientId: other.id)
                let studio = try await Pages.person(console, "pm@pixel.example", .studio, studioId: landing.studioId)
                let (page, html) = try await console.get(path, session: stranger)
                #expect(page.status == .notFound && !html.contains("Pixel"))
                _ = try await console.database.updateEngagement(landing.id, EngagementPatch(status: .completed), ifVersion: nil, by: .system)
                for session in [stranger, studio] {
                    let csrf = try ConsoleTests.csrf(in: try await console.get("/", session: session).1)
                    let feedback = Pages.form([("csrf", csrf), ("stage", "development"), ("score", "1")])
                    let (refused, body) = try await console.post(path + "/feedback", session: session, form: feedback)
                    #expect(refused.status == .notFound && !body.contains("development late"))
                    let rating = Pages.form([("csrf", csrf), ("score", "0")])
                    #expect(try await console.post(path + "/club-rating", session: session, form: rating).0.status == .notFound)
                }
                #expect(try await console.get(path + "/case-file", session: stranger).0.status == .notFound)
                let record = try await console.database.engagementRecord(landing.id, for: .system)
                #expect(!record.feedback.contains { $0.stage == "development" })
                #expect(try await console.database.clubRatingStatus(landing.id, for: .system).awaited.count == 1)
            }
        }

        @Test func theClientMakesAShareLinkSeesItOnceAndRevokesIt() async throws {
            try await ConsoleTests.withConsole { console in
                let landing = try await Pages.landing(console)
                let listId = console.summary.fixListId
                let path = "/fix-lists/\(listId)"
                let client = try await Pages.person(console, "oleg@yacht.example", .client, clientId: landing.clientId)
                let page = try await console.get(path, session: client).1
                #expect(page.contains(#"<h2 id="share-links">Share links</h2>"#) && page.contains(#"action="\#(path)/share-links""#))
                #expect(page.contains(#"name="expiresAt""#) && page.contains("Opens the list until"))
                let before = try await console.database.shareLinks(of: listId, for: .system)
                #expect(before.count == 1 && page.contains(#"action="\#(path)/share-links/\#(before[0].id)/revoke""#))

                // Too far away: the store's rule, said at the top of the form; nothing is made.
                let csrf = try ConsoleTests.csrf(in: page)
                let far = Pages.form([("csrf", csrf), ("expiresAt", Pages.day(console, 200))])
                let (refused, refusedHTML) = try await console.post(path + "/share-links", session: client, form: far)
                #expect(refused.status == .conflict && refusedHTML.contains("The link&#39;s expiry must be in the future"))
                #expect(try await console.database.shareLinks(of: listId, for: .system).count == 1)

                let make = Pages.form([("csrf", csrf), ("expiresAt", Pages.day(console, 10))])
                let (made, madeHTML) = try await console.post(path + "/share-links", session: client, form: make)
                #expect(made.status == .created && madeHTML.contains("it is shown only once"))
                let match = try #require(madeHTML.firstMatch(of: #/value="https://[^"/]+/share/(shr_[A-Za-z0-9_-]+)"/#))
                let token = String(match.output.1)
                guard case .available = try await console.database.sharedFixList(token: token) else {
                    Issue.record("the new link does not open the list")
                    return
                }
                let links = try await console.database.shareLinks(of: listId, for: .system)
                #expect(links.count == 2)
                let again = try await console.get(path, session: client).1
                #expect(!again.contains(token) && again.components(separatedBy: "/revoke\"").count == 3)

                // Revoking asks first, then the link no longer opens the list.
                let newest = links[0].id
                let revoke = Pages.form([("csrf", csrf)])
                let (asked, askedHTML) = try await console.post("\(path)/share-links/\(newest)/revoke", session: client, form: revoke)
                #expect(asked.status == .ok && askedHTML.contains("Revoke this link?"))
                let (revoked, _) = try await console.post("\(path)/share-links/\(newest)/revoke", session: client, form: revoke + "&confirmed=1")
                #expect(revoked.status == .seeOther)
                guard case .gone = try await console.database.sharedFixList(token: token) else {
                    Issue.record("the revoked link still opens the list")
                    return
                }
                #expect(try await console.get(path, session: client).1.contains("Revoked on "))
            }
        }

        @Test func neitherTheStudioNorAnotherClientMakesOrRevokesShareLinks() async throws {
            try await ConsoleTests.withConsole { console in
                let landing = try await Pages.landing(console)
                let listId = console.summary.fixListId
                let path = "/fix-lists/\(listId)"
                let studio = try await Pages.person(console, "pm@pixel.example", .studio, studioId: landing.studioId)
                let other = try await console.database.createClient(ClientInput(name: "Other Harbour Ltd"), by: .system)
                let stranger = try await Pages.person(console, "x@harbour.example", .client, clientId: other.id)
                let studioPage = try await console.get(path, session: studio).1
                #expect(!studioPage.contains(#"id="share-links""#) && !studioPage.contains("Made on "))
                let existing = try await console.database.shareLinks(of: listId, for: .system)[0]
                for session in [studio, stranger] {
                    let csrf = try ConsoleTests.csrf(in: try await console.get("/", session: session).1)
                    let make = Pages.form([("csrf", csrf), ("expiresAt", Pages.day(console, 10))])
                    let (refused, html) = try await console.post(path + "/share-links", session: session, form: make)
                    #expect(refused.status == .notFound && !html.contains("/share/"))
                    let revoke = Pages.form([("csrf", csrf), ("confirmed", "1")])
                    #expect(try await console.post("\(path)/share-links/\(existing.id)/revoke", session: session, form: revoke).0.status == .notFound)
                }
                let links = try await console.database.shareLinks(of: listId, for: .system)
                #expect(links.count == 1 && links[0].revokedAt == nil)
            }
        }
    }
}
