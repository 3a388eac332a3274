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
    /// Seed 004's recovery etiquette in the coordinator's console (docs/design.md §3.6): Today
    /// reminds of the acknowledgement and of missed updates; the complaint page records them, the
    /// meeting's mode, the decision on the studio beside its account, and the client's answer.
    @Suite("Console recovery etiquette")
    struct RecoveryEtiquettePagesTests {
        typealias Console = ConsoleTests.Console
        static let form = MediationPagesTests.form

        @Test func todayRemindsAndTheComplaintPageRecordsEachStep() async throws {
            try await ConsoleTests.withConsole { console in
                let database = console.database
                let clock = try #require(database.clock as? ManualClock)
                let complaint = try await database.createComplaint(
                    console.summary.landingEngagementId,
                    ComplaintInput(channel: "phone", summary: "prices on two yacht cards are wrong", demand: ComplaintDemand(kind: .redo)),
                    by: .system
                )
                let id = complaint.id
                let page = "/complaints/\(id)"
                var head = try await MediationPagesTests.person(console, "head@club.example", .coordinator, head: true)

                // Not acknowledged: on Today, linked to the complaint.
                let today = try await console.get("/", session: head).1
                #expect(today.contains("Complaints not yet acknowledged to the client") && today.contains(#"href="\#(page)""#))
                let (_, html) = try await console.get(page, session: head)
                #expect(html.contains(#"action="\#(page)/acknowledgement""#) && html.contains(#"name="updateEveryDays""#) == false)
                var csrf = try ConsoleTests.csrf(in: html)
                let ack = Self.form([
                    ("csrf", csrf), ("channel", "phone"), ("message", "we heard you; sorry for the wrong prices"), ("apology", "on"),
                ])
                #expect(try await console.post("\(page)/acknowledgement", session: head, form: ack).0.status == .seeOther)
                #expect(try await database.complaint(id, for: .system).acknowledgement?.apology == true)
                #expect(!(try await console.get("/", session: head).1.contains(#"href="\#(page)""#)))

                // The meeting's mode and attendees, the plan's rhythm.
                let heldAt = FormReader.localTimeValue(clock.now().addingTimeInterval(-3600), zone: .gmt)
                let meeting = Self.form([
                    ("csrf", csrf), ("heldAt", heldAt), ("mode", "video"), ("attendees", "Oleg\nAnna"), ("facts", "two prices wrong"),
                ])
                #expect(try await console.post("\(page)/meeting", session: head, form: meeting).0.status == .seeOther)
                #expect(try await database.complaint(id, for: .system).meeting?.mode == .video)
                let due = MediationPagesTests.day(console, 5)
                let plan = Self.form([
                    ("csrf", csrf), ("goals", "right prices"), ("steps[0].action", "fix the cards"), ("steps[0].owner", "studio"),
                    ("steps[0].due", due), ("updateEveryDays", "2"),
                ])
                #expect(try await console.post("\(page)/plan", session: head, form: plan).0.status == .seeOther)
                #expect(try await console.post("\(page)/approve", session: head, form: "csrf=\(csrf)").0.status == .seeOther)
                #expect(try await database.complaint(id, for: .system).plan?.updateEveryDays == 2)

                // Four days on, the update due on the second day is late; recording one clears it.
                clock.advance(by: 4 * 24 * 3600)
                // Days later the session has lapsed: the head signs in again.
                head = try await console.session("head@club.example")
                csrf = try ConsoleTests.csrf(in: try await console.get(page, session: head).1)
                let late = try await console.get("/", session: head).1
                #expect(late.contains("Updates to clients in recovery that are overdue") && late.contains("2 days late"))
                let update = Self.form([("csrf", csrf), ("channel", "phone"), ("summary", "the cards are fixed")])
                #expect(try await console.post("\(page)/updates", session: head, form: update).0.status == .seeOther)
                #expect(!(try await console.get("/", session: head).1.contains("2 days late")))
                let updated = try await console.get(page, session: head).1
                #expect(updated.contains("the cards are fixed") && updated.contains("Agreed: an update every 2 days."))

                // Resolving asks for the decision on the studio, shown beside the studio's account.
                #expect(updated.contains("to weigh beside the decision"))
                let undecided = Self.form([("csrf", csrf), ("outcome", "retained"), ("confirmed", "1")])
                let (refused, refusedHTML) = try await console.post("\(page)/resolve", session: head, form: undecided)
                #expect(refused.status == .unprocessableContent && refusedHTML.contains(#"id="upheld-error""#))
                let decided = Self.form([
                    ("csrf", csrf), ("outcome", "retained"), ("upheld", "partly"), ("upheldReason", "the price list came late"), ("confirmed", "1"),
                ])
                #expect(try await console.post("\(page)/resolve", session: head, form: decided).0.status == .seeOther)
                let resolved = try await console.get(page, session: head).1
                #expect(resolved.contains("Partly upheld") && resolved.contains("the price list came late"))
                #expect(resolved.contains(#"action="\#(page)/resolution-answer""#))

                // The client's answer, taken down by the coordinator, reopens the complaint.
                let answer = Self.form([("csrf", csrf), ("satisfied", "false"), ("comment", "one price is still wrong")])
                #expect(try await console.post("\(page)/resolution-answer", session: head, form: answer).0.status == .seeOther)
                let reopened = try await database.complaint(id, for: .system)
                #expect(reopened.status == .planApproved && reopened.resolutionAnswers.last?.onBehalf == true)
                let reopenedPage = try await console.get(page, session: head).1
                #expect(reopenedPage.contains("Not satisfied: the complaint was reopened") && reopenedPage.contains("one price is still wrong"))
            }
        }
    }
}
