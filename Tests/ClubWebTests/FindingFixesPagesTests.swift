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
    /// The audit page asks for the correction an accepted finding leads to, shows it with a link
    /// to its fix list, and the letter preview quotes it (docs/design.md §3.8).
    @Suite("Console: findings become fixes")
    struct FindingFixesPagesTests {
        typealias Console = ConsoleTests.Console

        /// A club with one engagement and no fix list, seeded through the store (not the demo), and
        /// an audit of it with one finding that came with a proposal.
        static func club() async throws -> (AppDatabase, Audit) {
            let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
            let database = try AppDatabase.inMemory(clock: clock)
            let input = StudioInput(
                name: "Pixel Hands",
                competences: ["landing"],
                regions: ["RU-MOW"],
                budgetMin: 1,
                budgetMax: 2_000_000,
                capacity: 3
            )
            let studio = try await database.createStudio(input, by: .system)
            for kind in VettingCheckKind.allCases {
                _ = try await database.recordVettingCheck(studio.id, VettingCheckInput(kind: kind, passed: true), by: .system)
            }
            _ = try await database.decideStudio(studio.id, DecisionInput(decision: .admit, reason: "ok"), by: .system)
            let client = try await database.createClient(ClientInput(name: "Yacht Charter Ltd"), by: .system)
            let lead = try await database.createLead(
                LeadInput(
                    clientId: client.id,
                    statedAsk: "a landing page",
                    businessGoal: "leads",
                    budget: 600_000,
                    deadline: try #require(Day("2030-03-01")),
                    region: "RU-MOW"
                ),
                by: .system
            )
            _ = try await database.updateLead(lead.id, LeadPatch(requiredCompetences: ["landing"], rationale: "a page"), ifVersion: nil, by: .system)
            _ = try await database.makeShortlist(lead.id, ShortlistInput(), by: .system)
            let issued = try await database.issueToken(TokenGrant(role: .studio, studioId: studio.id, name: "studio"), by: .system)
            let studioPrincipal = try #require(try await database.authenticate(secret: issued.secret))
            let referral = try await database.offerReferrals(lead.id, ReferralOffer(studioIds: [studio.id]), by: .system)[0]
            _ = try await database.answerReferral(referral.id, ReferralAnswer(accept: true), by: studioPrincipal)
            let engagement = try await database.startEngagement(lead.id, EngagementInput(studioId: studio.id), by: .system).engagement
            let audit = try await database.createAudit(
                engagement.id,
                AuditInput(
                    auditor: "Bureau Veritas of Ads",
                    receivedAt: clock.now(),
                    subject: "landing page review",
                    findings: [AuditInput.Finding(statement: "slow page", severity: "high", category: "speed", proposal: "compress images")]
                ),
                by: .system
            )
            return (database, audit)
        }

        @Test func anAcceptedFindingShowsItsCorrectionAndItsList() async throws {
            let (database, audit) = try await Self.club()
            let router = Router(context: BasicRequestContext.self)
            try WebRoutes(database: database, updates: ShareUpdates(), throttle: SignInThrottle(limit: 5)) { request, _ in
                request.headers[ConsoleTests.peer]
            }
            .addRoutes(to: router)
            try await Application(router: router).test(.router) { client in
                let summary = ReferenceCase.Summary(
                    headToken: "",
                    studioToken: "",
                    clientToken: "",
                    requestId: "",
                    landingEngagementId: audit.engagementId,
                    advertisingEngagementId: audit.engagementId,
                    fixListId: "",
                    shareToken: "",
                    auditId: audit.id
                )
                let console = Console(client: client, database: database, summary: summary)
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let location = "/audits/" + audit.id
                let finding = audit.findings[0]
                let (_, page) = try await console.get(location, session: session)
                #expect(page.contains(#"name="findings[0].correction.acceptance""#) && page.contains(#"name="findings[0].correction.due""#))
                let csrf = try ConsoleTests.csrf(in: page)
                func rebut(_ fields: [(String, String)]) async throws -> (HTTPResponse.Status, String) {
                    let pairs =
                        [("csrf", csrf), ("formKey", FormContext.newFormKey()), ("audit", audit.id)] + fields.map { ("findings[0]." + $0.0, $0.1) }
                    let (response, html) = try await console.post(
                        "/audit-findings/\(finding.id)/rebuttal",
                        session: session,
                        form: AuditsPagesTests.encoded(pairs)
                    )
                    return (response.status, html)
                }
                let accept = [("position", "accept"), ("argument", "images are too heavy"), ("correction.acceptance", "PageSpeed 80+ on mobile")]
                let (noDue, noDuePage) = try await rebut(accept + [("correction.due", "")])
                #expect(noDue == .unprocessableContent && noDuePage.contains(#"id="findings-0-correction-due-error""#))
                #expect(try await console.database.audit(audit.id, for: .system).findings[0].rebuttal == nil, "nothing recorded")

                #expect(try await rebut(accept + [("correction.due", "2030-03-01")]).0 == .seeOther)
                let linked = try await console.database.audit(audit.id, for: .system).findings[0]
                let listId = try #require(linked.fixListId)
                let list = try await console.database.fixList(listId, for: .system)
                #expect(list.items.last?.statement == "compress images" && list.items.last?.findingId == finding.id)

                let (_, after) = try await console.get(location, session: session)
                #expect(after.contains(#"<a href="/fix-lists/\#(listId)">"#) && after.contains(": compress images, due "))
                #expect(!after.contains(#"name="findings[0].correction.acceptance""#), "the finding has its correction: no second one")
                // And back: the list's item links to the finding it came from.
                let (_, listPage) = try await console.get("/fix-lists/\(listId)", session: session)
                #expect(listPage.contains(#"<a href="/audits/\#(audit.id)#finding-1">From finding 1 of the audit by"#))

                let (answered, _) = try await console.post("/audits/\(audit.id)/answer", session: session, form: "csrf=\(csrf)")
                #expect(answered.status == .seeOther)
                let (_, letter) = try await console.get("/audits/\(audit.id)/letter", session: session)
                #expect(letter.contains("To: Yacht Charter Ltd") && letter.contains("<strong>Correction:</strong> compress images, due "))
                #expect(letter.contains("For the club: Person ann, coordinator"), "signed by who answered")
            }
        }
    }
}
