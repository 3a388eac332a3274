import ClubAPI
import ClubCore
import ClubDemo
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The club's practices of issue 19 as the reference case (`clubd demo`) tells them, read back
/// through the API by each party, on a club in Moscow: the client's choice between two
/// candidates, recovery as seed 004 tells it, findings that became fixes, the client's check of
/// each fix (one accepted by the daemon on the clock), and the club's own score
/// (docs/design.md §3.3–§3.8, §3.12, §3.13).
@Suite("Reference case, the club's practices")
struct ReferenceCasePracticesTests {
    static let moscow = TimeZone(identifier: "Europe/Moscow") ?? .gmt

    /// The demo loaded on a Moscow club, served through the router.
    static func withDemo(
        _ body: @escaping @Sendable (any APIClient, ReferenceCase.Summary, ManualClock) async throws -> Void
    ) async throws {
        let rules = ClubRules(timeZone: moscow)
        let clock = ReferenceCase.clock(endingBefore: Date(), rules: rules)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-practices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try AppDatabase(path: folder.appendingPathComponent("clubd.sqlite").path, clock: clock, rules: rules)
        let summary = try await ReferenceCase(database: database, clock: clock).load()
        let app = Application(router: try buildRouter(database: database))
        try await app.test(.router) { client in try await body(RouterClient(client: client), summary, clock) }
    }

    static func object(_ client: any APIClient, _ uri: String, token: String) async throws -> [String: Any] {
        let response = try await client.call(.get, uri, token: token)
        #expect(response.status == .ok, "\(uri): \(response.text)")
        return try response.json()
    }

    static func items(_ value: Any?) -> [[String: Any]] { value as? [[String: Any]] ?? [] }

    @Test func theClientChoseBetweenTwoCandidatesAndTheOtherWasToldPolitely() async throws {
        try await Self.withDemo { client, summary, _ in
            let candidates = Self.items(
                try await Self.object(client, "/v1/requests/\(summary.requestId)/candidates", token: summary.clientToken)["items"]
            )
            // The candidates for the whole request; Ad Minds accepted later for the advertising part alone.
            let forTheWhole = candidates.filter { ($0["scope"] as? [String])?.contains("landing") == true }
            let names = forTheWhole.compactMap { ($0["studio"] as? [String: Any])?["name"] as? String }.sorted()
            #expect(names == ["Landing Lab", "Pixel Hands"])
            #expect(candidates.allSatisfy { $0["score"] == nil && $0["breakdown"] == nil })
            let pixel = try #require(candidates.first { ($0["studio"] as? [String: Any])?["name"] as? String == "Pixel Hands" })
            #expect((pixel["recommendation"] as? String)?.contains("one pair of hands") == true)
            #expect(pixel["engagementId"] as? String == summary.landingEngagementId)
            let lab = try #require(candidates.first { ($0["studio"] as? [String: Any])?["name"] as? String == "Landing Lab" })
            #expect(lab["status"] as? String == "not_chosen")

            let landing = try await Self.object(client, "/v1/engagements/\(summary.landingEngagementId)", token: summary.headToken)
            #expect(landing["chosenBy"] as? String == "client")
            // The re-match moved the advertising out of the first engagement.
            #expect(landing["scope"] as? [String] == ["landing"])
            let advertising = try await Self.object(client, "/v1/engagements/\(summary.advertisingEngagementId)", token: summary.headToken)
            #expect(advertising["chosenBy"] as? String == "coordinator")
            #expect(advertising["choiceNote"] as? String == "Oleg chose Ad Minds on the phone")
            // A studio never reads the candidates.
            let studio = try await client.call(.get, "/v1/requests/\(summary.requestId)/candidates", token: summary.studioToken)
            #expect(studio.status == .forbidden)
        }
    }

    @Test func theComplaintWasAcknowledgedKeptToItsRhythmDecidedAndConfirmed() async throws {
        try await Self.withDemo { client, summary, _ in
            let complaints = Self.items(
                try await Self.object(client, "/v1/engagements/\(summary.landingEngagementId)/case-file", token: summary.headToken)["complaints"]
            )
            let complaint = try #require(complaints.first)
            let acknowledgement = try #require(complaint["acknowledgement"] as? [String: Any])
            #expect(acknowledgement["apology"] as? Bool == true)
            #expect((complaint["meeting"] as? [String: Any])?["mode"] as? String == "in_person")
            #expect((complaint["plan"] as? [String: Any])?["updateEveryDays"] as? Int == 7)
            #expect(Self.items(complaint["updates"]).count == 3)
            let resolution = try #require(complaint["resolution"] as? [String: Any])
            #expect(resolution["upheld"] as? String == "partly")
            #expect(Self.items(complaint["resolutionAnswers"]).first?["satisfied"] as? Bool == true)
        }
    }

    @Test func theClientCheckedEachFixAndTheDaemonAcceptedTheOneLeftUnchecked() async throws {
        try await Self.withDemo { client, summary, _ in
            let list = try await Self.object(client, "/v1/fix-lists/\(summary.fixListId)", token: summary.clientToken)
            #expect(list["status"] as? String == "done")
            let items = Self.items(list["items"])
            #expect(items.count == 3 && items.allSatisfy { $0["state"] as? String == "accepted" })
            #expect(items.map { $0["autoAccepted"] as? Bool } == [false, true, false])
            #expect(items[0]["acceptedBy"] as? String == "Oleg (Yacht Charter)")
            // The prices went back once: two rounds, the first struck on time and kept.
            let rounds = Self.items(items[2]["rounds"])
            #expect(rounds.count == 2)
            #expect(rounds.first?["onTime"] as? Bool == true)
            #expect(rounds.first?["reopenReason"] as? String == "the weekly price is missing on mobile" && rounds.first?["newDue"] != nil)
            #expect(rounds.last?["onTime"] as? Bool == true && rounds.last?["reopenedAt"] == nil)
            let comments = Self.items(
                try await Self.object(client, "/v1/fix-items/\(items[2]["id"] as? String ?? "")/comments", token: summary.studioToken)["items"]
            )
            #expect(comments.map { $0["side"] as? String } == ["client", "studio"])
        }
    }

    @Test func theAcceptedFindingsBecameFixesBothSidesConfirmed() async throws {
        try await Self.withDemo { client, summary, _ in
            let audit = try await Self.object(client, "/v1/audits/\(summary.auditId)", token: summary.headToken)
            let findings = Self.items(audit["findings"])
            #expect(findings[0]["fixItemId"] == nil)
            let itemId = try #require(findings[1]["fixItemId"] as? String)
            let listId = try #require(findings[1]["fixListId"] as? String)
            #expect(findings[2]["fixListId"] as? String == listId)
            let list = try await Self.object(client, "/v1/fix-lists/\(listId)", token: summary.clientToken)
            #expect(list["status"] as? String == "done")
            #expect(list["clientConfirmation"] != nil && list["studioConfirmation"] != nil)
            let item = try #require(Self.items(list["items"]).first { $0["id"] as? String == itemId })
            #expect(item["findingId"] as? String == findings[1]["id"] as? String)
            #expect(item["statement"] as? String == "add a call-tracking goal")
            // The letter goes to the client and quotes the correction.
            let letter = try await client.call(.get, "/v1/audits/\(summary.auditId)/letter", token: summary.headToken)
            #expect(letter.text.contains("Yacht Charter Ltd") && letter.text.contains("add a call-tracking goal"))
        }
    }

    @Test func theClubsOwnScoreIsInTheReportAndNotInTheStudios() async throws {
        try await Self.withDemo { client, summary, _ in
            let report = try await Self.object(client, "/v1/reports/club", token: summary.headToken)
            #expect(report["count"] as? Int == 2)
            #expect(report["promoters"] as? Int == 1 && report["passives"] as? Int == 1 && report["detractors"] as? Int == 0)
            #expect(report["score"] as? Int == 50)
            #expect(report["timeZone"] as? String == "Europe/Moscow")
            let forbidden = try await client.call(.get, "/v1/reports/club", token: summary.clientToken)
            #expect(forbidden.status == .forbidden)
        }
    }

    /// One agreement due on 20 January, read at 22:30 UTC that day: over in Moscow (01:30 on the
    /// 21st), not yet in New York (17:30 on the 20th).
    @Test(arguments: [("Europe/Moscow", true), ("America/New_York", false)])
    func aDueDayIsJudgedOnTheClubsClock(zone: String, overdue: Bool) async throws {
        let clock = ManualClock(try #require(RFC3339.date(from: "2027-01-10T09:00:00Z")))
        let rules = ClubRules(timeZone: try #require(TimeZone(identifier: zone)))
        try await withClub(clock: clock, rules: rules) { client, club in
            let studio = try await ReferenceCaseTests.activeStudio(client, club, name: "Pixel Hands", competences: #"["landing"]"#)
            let yacht = try await client.createClient(club)
            let request = try ReferenceCaseTests.id(
                try await client.call(
                    .post,
                    "/v1/requests",
                    token: club.headToken,
                    json: #"{"clientId":"\#(yacht)","statedAsk":"a landing page","businessGoal":"leads","budget":600000,"deadline":"2027-06-01"}"#
                )
            )
            try await client.call(
                .patch,
                "/v1/requests/\(request)",
                token: club.headToken,
                json: #"{"requiredCompetences":["landing"],"proposedApproach":"a landing page","rationale":"the goal is leads"}"#
            )
            try await client.call(.post, "/v1/requests/\(request)/shortlist", token: club.headToken, json: #"{"size":1}"#)
            try await client.call(.post, "/v1/requests/\(request)/referrals", token: club.headToken, json: #"{"studioIds":["\#(studio)"]}"#)
            let referrals = try await client.call(.get, "/v1/referrals?requestId=\(request)", token: club.headToken)
            let referralId = try #require(Self.items(try referrals.json()["items"]).first?["id"] as? String)
            let studioToken = try await club.token(.studio, studioId: studio)
            try await client.call(.post, "/v1/referrals/\(referralId)/answer", token: studioToken, json: #"{"accept":true}"#)
            let engagement = try ReferenceCaseTests.id(
                try await client.call(
                    .post,
                    "/v1/requests/\(request)/engagements",
                    token: club.headToken,
                    json: #"{"studioId":"\#(studio)","scope":["landing"]}"#
                )
            )
            let agreement = try await client.call(
                .post,
                "/v1/engagements/\(engagement)/agreements",
                token: club.headToken,
                json: #"{"what":"client sends texts","owner":"client","due":"2027-01-20","consequence":"release moves"}"#
            )
            #expect(agreement.status == .created)
            clock.advance(by: try #require(RFC3339.date(from: "2027-01-20T22:30:00Z")).timeIntervalSince(clock.now()))
            let listed = try await client.call(.get, "/v1/agreements?overdue=true", token: club.headToken)
            #expect(Self.items(try listed.json()["items"]).count == (overdue ? 1 : 0), "\(zone): \(listed.text)")
            let followUps = try await client.call(.get, "/v1/follow-ups", token: club.headToken)
            #expect(Self.items(try followUps.json()["overdueAgreements"]).count == (overdue ? 1 : 0))
        }
    }
}
