import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClubDemo
@testable import ClubWeb

extension ConsolePages {
    /// The club's own score on the reports page, beside the studios' scorecards (docs/design.md §3.12).
    @Suite("Console: the club's own score")
    struct ClubScorePagesTests {
        /// A club of its own (not the reference case, whose story may rate the club itself): one
        /// engagement, parted, and the client's rating of the club taken down by the club.
        static func withRatedClub(_ body: @escaping @Sendable (ConsoleTests.Console, ClubScoreReport) async throws -> Void) async throws {
            let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
            let database = try AppDatabase.inMemory(clock: clock)
            let head = Principal.system
            let studio = try await database.createStudio(
                StudioInput(name: "Pixel Hands", competences: ["landing"], regions: ["RU-MOW"], budgetMin: 0, budgetMax: 2_000_000, capacity: 3),
                by: head
            )
            for kind in VettingCheckKind.allCases {
                _ = try await database.recordVettingCheck(studio.id, VettingCheckInput(kind: kind, passed: true), by: head)
            }
            _ = try await database.decideStudio(studio.id, DecisionInput(decision: .admit, reason: "all checks passed"), by: head)
            let client = try await database.createClient(ClientInput(name: "Yacht Charter Ltd"), by: head)
            let lead = try await database.createLead(
                LeadInput(
                    clientId: client.id,
                    statedAsk: "a landing page",
                    businessGoal: "leads from the internet",
                    budget: 600_000,
                    deadline: try #require(Day("2027-03-01"))
                ),
                by: head
            )
            _ = try await database.updateLead(lead.id, LeadPatch(requiredCompetences: ["landing"], rationale: "leads"), ifVersion: nil, by: head)
            _ = try await database.makeShortlist(lead.id, ShortlistInput(), by: head)
            let studioToken = try await database.issueToken(TokenGrant(role: .studio, studioId: studio.id, name: "Pixel Hands PM"), by: head)
            let referral = try await database.offerReferrals(lead.id, ReferralOffer(studioIds: [studio.id]), by: head)[0]
            _ = try await database.answerReferral(referral.id, ReferralAnswer(accept: true), by: studioToken.token.principal)
            let engagement = try await database.startEngagement(lead.id, EngagementInput(studioId: studio.id), by: head).engagement
            _ = try await database.exitEngagement(engagement.id, ExitInput(reason: "parting while keeping loyalty"), by: head)
            _ = try await database.rateClub(engagement.id, ClubRatingInput(score: 10, comment: "the club stood by us <always>"), by: head)
            let report = try await database.clubScore(from: nil, to: nil, for: head)
            let summary = ReferenceCase.Summary(
                headToken: "",
                studioToken: "",
                clientToken: "",
                requestId: lead.id,
                landingEngagementId: engagement.id,
                advertisingEngagementId: engagement.id,
                fixListId: "",
                shareToken: "",
                auditId: ""
            )
            let router = Router(context: BasicRequestContext.self)
            try WebRoutes(database: database, updates: ShareUpdates(), throttle: SignInThrottle(limit: 5)) { request, _ in
                request.headers[ConsoleTests.peer]
            }
            .addRoutes(to: router)
            try await Application(router: router).test(.router) { client in
                try await body(ConsoleTests.Console(client: client, database: database, summary: summary), report)
            }
        }

        @Test func theReportsPageShowsTheScoreAndTheClientsWords() async throws {
            try await Self.withRatedClub { console, report in
                let comment = try #require(report.comments.first)
                let score = try #require(report.summary.score)
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let (page, html) = try await console.get("/reports", session: session)
                #expect(page.status == .ok)
                #expect(html.contains(#"<h2 id="club-heading">The club"#) && html.contains("own score</h2>"))
                #expect(html.contains("Club score: \(score > 0 ? "+" : "")\(score)"))
                #expect(html.contains(report.summary.count == 1 ? "1 rating." : "\(report.summary.count) ratings."))
                #expect(html.contains("\(comment.score) of 10"))
                #expect(html.contains(#"<a href="/engagements/\#(comment.engagementId)">work with \#(comment.studioName)</a>"#))
                #expect(html.contains("the club stood by us &lt;always&gt;"), "the client's words are escaped")
                let scorecards = try #require(html.range(of: #"id="scorecards-heading""#))
                let club = try #require(html.range(of: #"id="club-heading""#))
                #expect(scorecards.lowerBound < club.lowerBound, "beside the scorecards, after them")

                // A period before anything happened has no score, which is not a score of 0.
                let (_, empty) = try await console.get("/reports?from=2020-01-01&to=2020-01-31", session: session)
                #expect(empty.contains("Club score: none"))
                #expect(empty.contains("0 ratings."))
            }
        }

        @Test func inRussianTheCountTakesItsPluralForm() async throws {
            try await Self.withRatedClub { console, report in
                _ = try await console.person("olga@example.org", language: .ru)
                let session = try await console.session("olga@example.org")
                let (_, html) = try await console.get("/reports", session: session)
                #expect(html.contains(#"<h2 id="club-heading">Оценка клуба</h2>"#))
                #expect(report.summary.count == 1 && html.contains("1 оценка."))
                #expect(html.contains("Оценка клуба: +100") && html.contains("10 из 10"))
                #expect(html.contains("после завершения проекта"))
                let (_, empty) = try await console.get("/reports?from=2020-01-01&to=2020-01-31", session: session)
                #expect(empty.contains("0 оценок."))
                let localizer = Catalogs.bundled.localizer(for: "ru")
                #expect(localizer.plural("console.records.club.count", count: 21) == "21 оценка.")
                #expect(localizer.plural("console.records.club.count", count: 22) == "22 оценки.")
                #expect(localizer.plural("console.records.club.count", count: 11) == "11 оценок.")
            }
        }
    }
}
