import ClubCore
import ClubDemo
import ClubStore
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ClubWeb

extension ConsolePages {
    /// The client's choice on the request page: the coordinator's recommendation to the client,
    /// and the start-engagement form that records the choice the client made on the phone
    /// (docs/design.md §3.4).
    @Suite("Console: recommending candidates and recording the client's choice")
    struct ChoicePagesTests {
        typealias Console = ConsoleTests.Console

        @Test func theCoordinatorRecommendsAndRecordsTheClientsChoiceWithItsNote() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let lead = try await RequestsPagesTests.lead(console, ask: "Landing page", competences: ["landing"])
                _ = try await console.database.makeShortlist(lead.id, ShortlistInput(size: 3), by: .system)
                let pixel = try await RequestsPagesTests.studioId(console, named: "Pixel Hands")
                let offered = try await console.database.offerReferrals(lead.id, ReferralOffer(studioIds: [pixel]), by: .system)
                let studio = try #require(try await console.database.authenticate(secret: console.summary.studioToken))
                _ = try await console.database.answerReferral(offered[0].id, ReferralAnswer(accept: true, note: "free next week"), by: studio)

                let path = "/requests/" + lead.id
                var html = try await console.get(path, session: session).1
                let csrf = try ConsoleTests.csrf(in: html)
                #expect(html.contains("Recommend to the client"))
                let recommendKey = try RequestsPagesTests.formKey(in: html, action: path + "/recommendation")
                let recommend = "csrf=\(csrf)&formKey=\(recommendKey)&referralId=\(offered[0].id)&recommendation=one+pair+of+hands"
                #expect(try await console.post(path + "/recommendation", session: session, form: recommend).0.status == .seeOther)
                let referral = try #require(
                    try await console.database.referrals(ReferralFilter(requestId: lead.id), page: PageRequest(), for: .system).items.first
                )
                #expect(referral.recommendation == "one pair of hands")
                html = try await console.get(path, session: session).1
                #expect(
                    html.contains("The club&#39;s recommendation: one pair of hands") || html.contains("The club's recommendation: one pair of hands")
                )
                #expect(html.contains("How the client chose"))

                let engagementKey = try RequestsPagesTests.formKey(in: html, action: path + "/engagements")
                let choice = "csrf=\(csrf)&formKey=\(engagementKey)&studioId=\(pixel)&scope.\(pixel)=landing&note=chosen+on+the+phone"
                let (started, _) = try await console.post(path + "/engagements", session: session, form: choice)
                #expect(started.status == .seeOther)
                let location = try #require(started.headers[.location])
                let record = try await console.database.engagementRecord(String(location.dropFirst("/engagements/".count)), for: .system)
                #expect(record.engagement.chosenBy == .coordinator)
                #expect(record.engagement.choiceNote == "chosen on the phone")
                let events = try await console.database.writer.read { db in
                    try String.fetchAll(db, sql: "SELECT action FROM journal WHERE entityId = ? ORDER BY seq", arguments: [record.engagement.id])
                }
                #expect(events == ["created", "chosen"], "recorded as a choice, not only as a start")
            }
        }
    }
}
