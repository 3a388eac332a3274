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
    /// The mediation pages (issue 10): fix lists drafted, changed and followed live, complaints
    /// carried from the meeting to the resolution, each as the store would through the API.
    @Suite("Console mediation pages")
    struct MediationPagesTests {
        typealias Console = ConsoleTests.Console

        static func landing(_ console: Console) async throws -> Engagement {
            try await console.database.engagementRecord(console.summary.landingEngagementId, for: .system).engagement
        }

        /// A person with a password, with the role's binding (a head coordinator, a client's person).
        static func person(
            _ console: Console,
            _ email: String,
            _ role: Role,
            head: Bool = false,
            clientId: String? = nil,
            studioId: String? = nil
        ) async throws -> String {
            let input = PersonInput(
                email: email,
                name: "Person \(email.prefix(4))",
                role: role,
                head: head,
                studioId: studioId,
                clientId: clientId,
                language: .en
            )
            let invited = try await console.database.createPerson(input, by: .system)
            _ = try await console.database.acceptInvitation(token: invited.token, password: ConsoleTests.password)
            return try await console.session(email)
        }

        static func fixListCount(_ console: Console, engagement: String) async throws -> Int {
            try await console.database.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fixList WHERE engagementId = ?", arguments: [engagement]) ?? 0
            }
        }

        static func form(_ fields: [(String, String)]) -> String {
            fields.map { "\(Console.encoded($0.0))=\(Console.encoded($0.1))" }.joined(separator: "&")
        }

        static func day(_ console: Console, _ days: Double) -> String {
            Day(containing: console.database.clock.now().addingTimeInterval(days * 24 * 3600), in: .gmt).description
        }

        @Test func aDraftIsComposedThroughTheFormWithItsEmptyRowsSkipped() async throws {
            try await ConsoleTests.withConsole { console in
                let engagement = console.summary.landingEngagementId
                let session = try await Self.person(console, "coord@club.example", .coordinator)
                let (page, html) = try await console.get("/engagements/\(engagement)/fix-lists/new", session: session)
                #expect(page.status == .ok)
                #expect(html.contains(#"name="items[0].statement""#) && html.contains(#"name="items[4].due""#))
                let csrf = try ConsoleTests.csrf(in: html)
                let body = Self.form([
                    ("csrf", csrf), ("items[0].statement", "The menu opens on phones"), ("items[0].acceptance", "tapping it shows every section"),
                    ("items[0].due", Self.day(console, 5)), ("items[1].statement", ""), ("items[1].acceptance", ""), ("items[1].due", ""),
                    ("items[2].statement", "The footer shows the address"), ("items[2].acceptance", "the address is on every page"),
                    ("items[2].due", Self.day(console, 6)),
                ])
                let (answer, _) = try await console.post("/engagements/\(engagement)/fix-lists", session: session, form: body)
                #expect(answer.status == .seeOther)
                let location = try #require(answer.headers[.location])
                #expect(location.hasPrefix("/fix-lists/fxl_"))
                let record = try await console.database.fixList(String(location.dropFirst("/fix-lists/".count)), for: .system)
                #expect(record.list.status == .draft)
                #expect(record.items.map(\.statement) == ["The menu opens on phones", "The footer shows the address"])
                #expect(record.items.map(\.position) == [1, 2])
                let (listPage, listHTML) = try await console.get(location, session: session)
                #expect(listPage.status == .ok)
                #expect(listHTML.contains("The footer shows the address") && listHTML.contains(#"action="\#(location)/items""#))
            }
        }

        @Test func anItemWithoutAcceptanceIsShownAgainWithItsProblemAndNothingIsCreated() async throws {
            try await ConsoleTests.withConsole { console in
                let engagement = console.summary.landingEngagementId
                let session = try await Self.person(console, "coord@club.example", .coordinator)
                let csrf = try ConsoleTests.csrf(in: try await console.get("/engagements/\(engagement)/fix-lists/new", session: session).1)
                let before = try await Self.fixListCount(console, engagement: engagement)
                let body = Self.form([
                    ("csrf", csrf), ("items[0].statement", "The logo is sharp"), ("items[0].acceptance", ""), ("items[0].due", Self.day(console, 3)),
                ])
                let (answer, html) = try await console.post("/engagements/\(engagement)/fix-lists", session: session, form: body)
                #expect(answer.status == .unprocessableContent)
                #expect(html.contains(#"id="items-0-acceptance-error""#))
                #expect(html.contains(#"value="The logo is sharp""#))
                #expect(try await Self.fixListCount(console, engagement: engagement) == before)

                // The store numbers the rows it was given; the problem lands on the row the form showed.
                let shifted = Self.form([
                    ("csrf", csrf), ("items[0].statement", "The logo is sharp"), ("items[0].acceptance", "no blur at 200%"),
                    ("items[0].due", Self.day(console, 3)), ("items[3].statement", "Fonts load"), ("items[3].due", Self.day(console, 3)),
                ])
                let (second, secondHTML) = try await console.post("/engagements/\(engagement)/fix-lists", session: session, form: shifted)
                #expect(second.status == .unprocessableContent)
                #expect(secondHTML.contains(#"id="items-3-acceptance-error""#) && !secondHTML.contains(#"id="items-1-acceptance-error""#))
                #expect(try await Self.fixListCount(console, engagement: engagement) == before)
            }
        }

        @Test func aDoubleSubmittedDraftIsCreatedOnce() async throws {
            try await ConsoleTests.withConsole { console in
                let engagement = console.summary.landingEngagementId
                let session = try await Self.person(console, "coord@club.example", .coordinator)
                let csrf = try ConsoleTests.csrf(in: try await console.get("/engagements/\(engagement)/fix-lists/new", session: session).1)
                let before = try await Self.fixListCount(console, engagement: engagement)
                let body = Self.form([
                    ("csrf", csrf), ("formKey", "mediation-once-1"), ("items[0].statement", "Buttons are reachable"),
                    ("items[0].acceptance", "44 px at least"), ("items[0].due", Self.day(console, 4)),
                ])
                let (first, _) = try await console.post("/engagements/\(engagement)/fix-lists", session: session, form: body)
                let (again, _) = try await console.post("/engagements/\(engagement)/fix-lists", session: session, form: body)
                #expect(first.status == .seeOther && again.status == .seeOther)
                #expect(first.headers[.location] == again.headers[.location])
                #expect(try await Self.fixListCount(console, engagement: engagement) == before + 1)
            }
        }

        @Test func aStaleItemVersionIsRefusedWithBothVersionsShown() async throws {
            try await ConsoleTests.withConsole { console in
                let engagement = console.summary.landingEngagementId
                let day = try #require(Day(Self.day(console, 5)))
                let record = try await console.database.createFixList(
                    engagement,
                    FixListInput(items: [FixItemInput(statement: "The map loads", acceptance: "the pin shows the marina", due: day)]),
                    by: .system
                )
                let item = try #require(record.items.first)
                let session = try await Self.person(console, "coord@club.example", .coordinator)
                let (page, html) = try await console.get("/fix-items/\(item.id)", session: session)
                #expect(page.status == .ok)
                #expect(html.contains(#"name="version" value="\#(item.version)""#))
                let csrf = try ConsoleTests.csrf(in: html)
                _ = try await console.database.updateFixItem(item.id, FixItemPatch(statement: "The map loads fast"), ifVersion: nil, by: .system)
                let body = Self.form([
                    ("csrf", csrf), ("version", String(item.version)), ("statement", "The map loads at once"),
                    ("acceptance", "the pin shows the marina"), ("due", day.description), ("internalNote", ""),
                ])
                let (answer, answerHTML) = try await console.post("/fix-items/\(item.id)", session: session, form: body)
                #expect(answer.status == .conflict)
                #expect(answerHTML.contains(#"value="The map loads fast""#) && answerHTML.contains("The map loads at once"))
                #expect(answerHTML.contains("You typed:"))
                let stored = try await console.database.fixList(record.list.id, for: .system).items.first?.statement
                #expect(stored == "The map loads fast")

                // With the current version the change goes through and the list shows it.
                let fresh = try await console.get("/fix-items/\(item.id)", session: session).1
                let version = try #require(fresh.firstMatch(of: try Regex(#"name="version" value="(\d+)""#))?.output[1].substring)
                let retry = Self.form([
                    ("csrf", csrf), ("version", String(version)), ("statement", "The map loads at once"),
                    ("acceptance", "the pin shows the marina"), ("due", day.description),
                ])
                let (saved, _) = try await console.post("/fix-items/\(item.id)", session: session, form: retry)
                #expect(saved.status == .seeOther && saved.headers[.location] == "/fix-lists/\(record.list.id)")
                #expect(try await console.database.fixList(record.list.id, for: .system).items.first?.statement == "The map loads at once")
            }
        }

        @Test func theFixListPageShowsConfirmationsStrikesAndHistory() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.person(console, "coord@club.example", .coordinator)
                let (page, html) = try await console.get("/fix-lists/\(console.summary.fixListId)", session: session)
                #expect(page.status == .ok)
                #expect(html.contains("Done: every item is accepted"))
                #expect(html.components(separatedBy: "Confirmed by ").count == 3)
                #expect(html.contains("connected the form to the CRM webhook") && html.contains("Round 1: struck by "))
                #expect(html.contains("Drafted the list") && html.contains("Struck item 3") && html.contains("both sides have agreed"))
                #expect(html.contains("Accepted item 3") && html.contains("Accepted by "))
                #expect(html.contains(#"data-events="/fix-lists/\#(console.summary.fixListId)/events""#))
                #expect(!html.contains("/confirm\""))
                // A coordinator adding to an agreed list proposes an amendment.
                #expect(html.contains("Propose the item as an amendment"))
                // The live part alone, for the page's script to swap in.
                let (part, partHTML) = try await console.get("/fix-lists/\(console.summary.fixListId)?part=live", session: session)
                #expect(part.status == .ok && partHTML.hasPrefix(#"<div id="fix-list-live""#) && !partHTML.contains("<style"))
            }
        }

        @Test func anItemIsRemovedFromADraftAfterConfirmation() async throws {
            try await ConsoleTests.withConsole { console in
                let day = try #require(Day(Self.day(console, 5)))
                let record = try await console.database.createFixList(
                    console.summary.landingEngagementId,
                    FixListInput(items: [
                        FixItemInput(statement: "One", acceptance: "one done", due: day),
                        FixItemInput(statement: "Two", acceptance: "two done", due: day),
                    ]),
                    by: .system
                )
                let session = try await Self.person(console, "coord@club.example", .coordinator)
                let itemId = record.items[1].id
                let csrf = try ConsoleTests.csrf(in: try await console.get("/fix-items/\(itemId)", session: session).1)
                let (asked, askedHTML) = try await console.post("/fix-items/\(itemId)/remove", session: session, form: "csrf=\(csrf)")
                #expect(asked.status == .ok && askedHTML.contains("Remove this item?"))
                #expect(try await console.database.fixList(record.list.id, for: .system).items[1].isRemoved == false)
                let (done, _) = try await console.post("/fix-items/\(itemId)/remove", session: session, form: "csrf=\(csrf)&confirmed=1")
                #expect(done.status == .seeOther)
                #expect(try await console.database.fixList(record.list.id, for: .system).items[1].isRemoved)
            }
        }

        @Test func theEventsStreamSaysRefreshWhenTheListChangesThroughTheStore() async throws {
            try await ConsoleTests.withConsole { console in
                let session = try await Self.person(console, "coord@club.example", .coordinator)
                let listId = console.summary.fixListId
                let before = console.database.changes.subscriberCount
                async let stream = console.get("/fix-lists/\(listId)/events", session: session)
                while console.database.changes.subscriberCount == before { try await Task.sleep(for: .milliseconds(5)) }
                // A change to another object does not wake the page; one to an item of the list does.
                _ = try await console.database.createClient(ClientInput(name: "Quiet Marina Ltd"), by: .system)
                try await Task.sleep(for: .milliseconds(200))
                #expect(console.database.changes.subscriberCount > before, "the stream ended on a change to another object")
                let list = try await console.database.fixList(listId, for: .system)
                _ = try await console.database.commentOnFixItem(list.items[0].id, FixItemCommentInput(text: "leads are lost again"), by: .system)
                let (response, body) = try await stream
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
                #expect(body.hasPrefix("retry: 500\n: connected"))
                #expect(body.components(separatedBy: "event: refresh").count == 2)
            }
        }

        @Test func aComplaintGoesFromMeetingToPlanToTheHeadsApprovalToResolution() async throws {
            try await ConsoleTests.withConsole { console in
                let engagement = console.summary.landingEngagementId
                let head = try await Self.person(console, "head@club.example", .coordinator, head: true)
                let plain = try await Self.person(console, "plain@club.example", .coordinator)
                let (newPage, newHTML) = try await console.get("/engagements/\(engagement)/complaints/new", session: plain)
                #expect(newPage.status == .ok && newHTML.contains(#"name="demand.kind""#))
                let csrf = try ConsoleTests.csrf(in: newHTML)

                // A refund above the budget is refused next to its field.
                let tooMuch = Self.form([
                    ("csrf", csrf), ("channel", "phone"), ("summary", "the booking form fails"), ("demand.kind", "refund"),
                    ("demand.amount", "999999999"),
                ])
                let (refused, refusedHTML) = try await console.post("/engagements/\(engagement)/complaints", session: plain, form: tooMuch)
                #expect(refused.status == .unprocessableContent && refusedHTML.contains(#"id="demand-amount-error""#))

                let body = Self.form([
                    ("csrf", csrf), ("channel", "phone"), ("summary", "the booking form fails"), ("demand.kind", "refund"),
                    ("demand.amount", "100 000"), ("internalNote", "second complaint this season"),
                ])
                let (filed, _) = try await console.post("/engagements/\(engagement)/complaints", session: plain, form: body)
                #expect(filed.status == .seeOther)
                let location = try #require(filed.headers[.location])
                let id = String(location.dropFirst("/complaints/".count))
                #expect(try await console.database.complaint(id, for: .system).demand.amount == 100_000)

                // The coordinator lives on the club's clock, UTC in these tests.
                let heldAt = FormReader.localTimeValue(console.database.clock.now().addingTimeInterval(-3600), zone: .gmt)
                let meeting = Self.form([
                    ("csrf", csrf), ("heldAt", heldAt), ("facts", "the form sent nothing on 3 May\nno answer for two days"),
                    ("emotions", "Oleg is angry"),
                ])
                #expect(try await console.post("/complaints/\(id)/meeting", session: plain, form: meeting).0.status == .seeOther)
                let met = try await console.database.complaint(id, for: .system)
                #expect(met.status == .meetingHeld && met.meeting?.facts.count == 2 && met.meeting?.studiosPresent == false)

                let plan = Self.form([
                    ("csrf", csrf), ("goals", "bookings work again"), ("internalGoals", "talk to the studio about response times"),
                    ("steps[0].action", "fix the booking form"), ("steps[0].owner", "studio"), ("steps[0].due", Self.day(console, 5)),
                    ("steps[1].action", ""), ("steps[1].owner", "club"), ("steps[1].due", ""),
                    ("steps[2].action", "call Oleg"), ("steps[2].owner", "club"), ("steps[2].due", Self.day(console, 6)),
                    ("followUps", "weekly call"), ("upsell", "booking analytics"),
                ])
                #expect(try await console.post("/complaints/\(id)/plan", session: plain, form: plan).0.status == .seeOther)
                let proposed = try await console.database.complaint(id, for: .system)
                #expect(proposed.status == .planProposed && proposed.plan?.steps.map(\.action) == ["fix the booking form", "call Oleg"])
                #expect(proposed.plan?.goals.map(\.visibility) == [.shared, .internal])

                // Only the head is offered the approval; anyone else is refused.
                let plainPage = try await console.get(location, session: plain).1
                #expect(!plainPage.contains(#"action="/complaints/\#(id)/approve""#) && plainPage.contains("awaits the head coordinator"))
                let (denied, _) = try await console.post("/complaints/\(id)/approve", session: plain, form: "csrf=\(csrf)")
                #expect(denied.status == .notFound)
                #expect(try await console.database.complaint(id, for: .system).status == .planProposed)
                let headPage = try await console.get(location, session: head).1
                #expect(headPage.contains(#"action="/complaints/\#(id)/approve""#))
                let headCSRF = try ConsoleTests.csrf(in: headPage)
                #expect(try await console.post("/complaints/\(id)/approve", session: head, form: "csrf=\(headCSRF)").0.status == .seeOther)
                let approved = try await console.database.complaint(id, for: .system)
                #expect(approved.status == .planApproved)

                let firstStep = try #require(approved.plan?.steps.first?.id)
                let steps = "csrf=\(csrf)&version=\(approved.version)&completedSteps=\(firstStep)"
                #expect(try await console.post(location, session: plain, form: steps).0.status == .seeOther)
                let stepped = try await console.database.complaint(id, for: .system)
                #expect(stepped.plan?.steps.first?.doneAt != nil && stepped.plan?.steps.last?.doneAt == nil)
                #expect(try await console.post(location, session: plain, form: steps).0.status == .conflict)

                let resolve = Self.form([
                    ("csrf", csrf), ("outcome", "retained"), ("notes", "bookings work"), ("upheld", "true"), ("upheldReason", "late"),
                ])
                let (asked, askedHTML) = try await console.post("/complaints/\(id)/resolve", session: plain, form: resolve)
                #expect(asked.status == .ok && askedHTML.contains("Resolve this complaint?"))
                #expect(try await console.database.complaint(id, for: .system).status == .planApproved)
                #expect(try await console.post("/complaints/\(id)/resolve", session: plain, form: resolve + "&confirmed=1").0.status == .seeOther)
                let resolved = try await console.database.complaint(id, for: .system)
                #expect(resolved.status == .resolved && resolved.resolution?.outcome == .retained)
                let finalPage = try await console.get(location, session: plain).1
                #expect(finalPage.contains("State: resolved") && finalPage.contains("Client kept") && !finalPage.contains("/resolve\""))
            }
        }

        @Test func theClientAndTheStudioConfirmThenTheStudioStrikesAndTheClientReopens() async throws {
            try await ConsoleTests.withConsole { console in
                let landing = try await Self.landing(console)
                let day = try #require(Day(Self.day(console, 5)))
                let record = try await console.database.createFixList(
                    landing.id,
                    FixListInput(items: [FixItemInput(statement: "The gallery swipes", acceptance: "swiping shows the next yacht", due: day)]),
                    by: .system
                )
                let path = "/fix-lists/\(record.list.id)"
                let coordinator = try await Self.person(console, "coord@club.example", .coordinator)
                #expect(!(try await console.get(path, session: coordinator).1.contains(#"action="\#(path)/confirm""#)))
                let client = try await Self.person(console, "oleg@yacht.example", .client, clientId: landing.clientId)
                let studio = try await Self.person(console, "pm@pixel.example", .studio, studioId: landing.studioId)
                for session in [client, studio] {
                    let html = try await console.get(path, session: session).1
                    #expect(html.contains(#"action="\#(path)/confirm""#) && !html.contains(#"action="\#(path)/items""#))
                    let (confirmed, _) = try await console.post("\(path)/confirm", session: session, form: "csrf=\(try ConsoleTests.csrf(in: html))")
                    #expect(confirmed.status == .seeOther)
                }
                #expect(try await console.database.fixList(record.list.id, for: .system).list.status == .agreed)

                let itemPath = "/fix-items/\(record.items[0].id)"
                let studioItem = try await console.get(itemPath, session: studio).1
                #expect(studioItem.contains(#"action="\#(itemPath)/strike""#) && !studioItem.contains(#"action="\#(itemPath)/remove""#))
                let strike = "csrf=\(try ConsoleTests.csrf(in: studioItem))&note=swipe+added"
                #expect(try await console.post("\(itemPath)/strike", session: studio, form: strike).0.status == .seeOther)
                #expect(try await console.database.fixList(record.list.id, for: .system).list.status == .agreed, "it awaits the client's check")

                let clientItem = try await console.get(itemPath, session: client).1
                #expect(clientItem.contains(#"action="\#(itemPath)/reopen""#) && !clientItem.contains(#"action="\#(itemPath)/strike""#))
                #expect(clientItem.contains(#"action="\#(itemPath)/accept""#))
                let empty = "csrf=\(try ConsoleTests.csrf(in: clientItem))&reason="
                let (refused, refusedHTML) = try await console.post("\(itemPath)/reopen", session: client, form: empty)
                #expect(refused.status == .unprocessableContent && refusedHTML.contains(#"id="reason-error""#))
                let reopen = "csrf=\(try ConsoleTests.csrf(in: clientItem))&reason=it+does+not+swipe+on+iOS"
                #expect(try await console.post("\(itemPath)/reopen", session: client, form: reopen).0.status == .seeOther)
                let reopened = try await console.database.fixList(record.list.id, for: .system).items[0]
                #expect(reopened.state == .reopened && reopened.reopenReason == "it does not swipe on iOS")
                #expect(try await console.get(path, session: client).1.contains("it does not swipe on iOS"))
            }
        }

        @Test func aClientOfAnotherEngagementSeesNeitherTheListNorTheComplaint() async throws {
            try await ConsoleTests.withConsole { console in
                let complaint = try await console.database.createComplaint(
                    console.summary.landingEngagementId,
                    ComplaintInput(channel: "email", summary: "late again", demand: ComplaintDemand(kind: .redo)),
                    by: .system
                )
                let other = try await console.database.createClient(ClientInput(name: "Other Harbour Ltd"), by: .system)
                let stranger = try await Self.person(console, "stranger@harbour.example", .client, clientId: other.id)
                for uri in [
                    "/fix-lists/\(console.summary.fixListId)", "/fix-lists/\(console.summary.fixListId)/events", "/complaints/\(complaint.id)",
                    "/engagements/\(console.summary.landingEngagementId)/fix-lists/new",
                ] {
                    #expect(try await console.get(uri, session: stranger).0.status == .notFound, "\(uri)")
                }
                // The engagement's own client reads both, without the club's note or the emotions.
                let landing = try await Self.landing(console)
                let own = try await Self.person(console, "oleg@yacht.example", .client, clientId: landing.clientId)
                let (page, html) = try await console.get("/fix-lists/\(console.summary.fixListId)", session: own)
                #expect(page.status == .ok && !html.contains("Propose the item as an amendment"))
                let (complaintPage, complaintHTML) = try await console.get("/complaints/\(complaint.id)", session: own)
                #expect(complaintPage.status == .ok && complaintHTML.contains("late again") && !complaintHTML.contains("Record the meeting"))
            }
        }
    }
}
