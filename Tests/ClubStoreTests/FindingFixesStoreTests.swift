import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

/// Accepted audit findings become fix items, linked both ways, in the rebuttal's transaction
/// (docs/design.md §3.8).
@Suite("Findings become fixes in the store")
struct FindingFixesStoreTests {
    /// An engagement without a fix list; returns it with the studio's and client's principals.
    static func engagement() async throws -> (MatchingFixture, Engagement, studio: Principal, client: Principal) {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"]])
        let database = club.database
        _ = try await database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let studio = try await club.studioPrincipal(0)
        let referral = try await database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[0]]), by: head)[0]
        _ = try await database.answerReferral(referral.id, ReferralAnswer(accept: true), by: studio)
        let engagement = try await database.startEngagement(club.lead.id, EngagementInput(studioId: club.studios[0]), by: head).engagement
        let issued = try await database.issueToken(TokenGrant(role: .client, clientId: club.lead.clientId, name: "Oleg"), by: head)
        let client = try #require(try await database.authenticate(secret: issued.secret))
        return (club, engagement, studio, client)
    }

    static func audit(_ database: AppDatabase, on engagementId: String) async throws -> Audit {
        try await database.createAudit(
            engagementId,
            AuditInput(
                auditor: "Northwind Audit Bureau",
                receivedAt: database.clock.now(),
                subject: "advertising campaign",
                findings: [
                    AuditInput.Finding(statement: "too few negative keywords", severity: "critical", category: "keywords"),
                    AuditInput.Finding(
                        statement: "no conversion tracking on the call button",
                        severity: "high",
                        category: "analytics",
                        proposal: "add a call-tracking goal",
                        internalNote: "the auditor sells call tracking"
                    ),
                ],
                internalNote: "the client's new marketer ordered it"
            ),
            by: head
        )
    }

    static func correction(_ statement: String? = nil) throws -> CorrectionInput {
        CorrectionInput(statement: statement, acceptance: "a test call shows as a goal in the report", due: try #require(Day("2027-02-10")))
    }

    static func actions(_ database: AppDatabase, _ entityType: String, _ id: String) async throws -> [String] {
        try await database.journal(entityType: entityType, entityId: id, page: PageRequest(limit: 200), for: head).items.map(\.action)
    }

    @Test func anAcceptedFindingAmendsTheAgreedListAndBothSidesConfirmAgain() async throws {
        let (club, agreed, studio, client) = try await FixListStoreTests.agreedList()
        let database = club.database
        let audit = try await Self.audit(database, on: agreed.list.engagementId)
        let finding = audit.findings[1]
        let answered = try await database.rebut(
            findingId: finding.id,
            RebuttalInput(position: .accept, argument: "call tracking was missing", correction: try Self.correction()),
            by: head
        )
        let itemId = try #require(answered.findings[1].fixItemId)
        #expect(answered.findings[1].fixListId == agreed.list.id)
        #expect(answered.findings[0].fixItemId == nil)

        let amended = try await database.fixList(agreed.list.id, for: client)
        let item = try #require(amended.items.first { $0.id == itemId })
        #expect(item.findingId == finding.id && item.position == 3)
        #expect(item.statement == "add a call-tracking goal", "the statement defaults to the auditor's proposal")
        #expect(item.acceptance == "a test call shows as a goal in the report" && item.due == Day("2027-02-10"))
        #expect(item.pending == .wording && item.assignedStudioId == club.studios[0])
        #expect(amended.list.status == .amending && amended.list.revision == 2)
        #expect(amended.list.clientConfirmation == nil && amended.list.studioConfirmation == nil)
        await #expect(throws: DomainError.self) { try await database.strikeFixItem(itemId, StrikeInput(note: "done"), by: studio) }

        _ = try await database.confirmFixList(agreed.list.id, by: client)
        let confirmed = try await database.confirmFixList(agreed.list.id, by: studio)
        #expect(confirmed.list.status == .agreed && confirmed.items.first { $0.id == itemId }?.pending == nil)
        #expect(try await Self.actions(database, "audit", audit.id) == ["created", "rebuttal-written"])
        #expect(try await Self.actions(database, "fix-item", itemId) == ["created", "agreed"])
        #expect(try await Self.actions(database, "fix-list", agreed.list.id).contains("amendment-opened"))
    }

    @Test func withoutAListTheCorrectionStartsADraft() async throws {
        let (club, engagement, _, _) = try await Self.engagement()
        let database = club.database
        let audit = try await Self.audit(database, on: engagement.id)
        let answered = try await database.rebut(
            findingId: audit.findings[0].id,
            RebuttalInput(position: .partial, argument: "a few terms were missing", correction: try Self.correction("add 40 negative keywords")),
            by: head
        )
        let listId = try #require(answered.findings[0].fixListId)
        let draft = try await database.fixList(listId, for: head)
        #expect(draft.list.engagementId == engagement.id && draft.list.status == .draft)
        #expect(draft.items.map(\.statement) == ["add 40 negative keywords"])
        #expect(draft.items.first?.findingId == audit.findings[0].id && draft.items.first?.id == answered.findings[0].fixItemId)
        #expect(try await Self.actions(database, "fix-list", listId) == ["created"])

        let file = try await database.caseFile(engagement.id, for: head).redacted(for: .client)
        let audits = try #require(file.section("audits") as? [[String: Any]])
        let findings = try #require(audits.first?["findings"] as? [[String: Any]])
        #expect(findings[0]["fixItemId"] as? String == answered.findings[0].fixItemId && findings[0]["internalNote"] == nil)
        let lists = try #require(file.section("fixLists") as? [[String: Any]])
        let items = try #require(lists.first?["items"] as? [[String: Any]])
        #expect(items.first?["findingId"] as? String == audit.findings[0].id)
    }

    @Test func aDraftTakesTheCorrectionAndForgetsEarlierConfirmations() async throws {
        let (club, engagement, _, client) = try await Self.engagement()
        let database = club.database
        let due = try #require(Day("2027-02-01"))
        let draft = try await database.createFixList(
            engagement.id,
            FixListInput(items: [FixItemInput(statement: "the landing page loads fast", acceptance: "PageSpeed 80+", due: due)]),
            by: head
        )
        _ = try await database.confirmFixList(draft.list.id, by: client)
        let audit = try await Self.audit(database, on: engagement.id)
        _ = try await database.rebut(
            findingId: audit.findings[0].id,
            RebuttalInput(position: .accept, argument: "agreed", correction: try Self.correction()),
            by: head
        )
        let after = try await database.fixList(draft.list.id, for: head)
        #expect(after.items.map(\.statement) == ["the landing page loads fast", "too few negative keywords"], "no proposal: the finding itself")
        #expect(after.list.status == .draft && after.list.clientConfirmation == nil)
    }

    @Test func aRefusedCorrectionChangesNothing() async throws {
        let (club, engagement, _, _) = try await Self.engagement()
        let database = club.database
        let audit = try await Self.audit(database, on: engagement.id)
        _ = try await database.rebut(
            findingId: audit.findings[0].id,
            RebuttalInput(position: .accept, argument: "agreed", correction: try Self.correction("add a call-tracking goal")),
            by: head
        )
        let before = try await database.journalHead()
        await #expect(throws: DomainError.invalid("correction.statement", "duplicates an item already on the list")) {
            try await database.rebut(
                findingId: audit.findings[1].id,
                RebuttalInput(position: .accept, argument: "agreed", correction: try Self.correction()),
                by: head
            )
        }
        do {
            _ = try await database.rebut(findingId: audit.findings[1].id, RebuttalInput(position: .partial, argument: "in part"), by: head)
            Issue.record("a partial acceptance without a correction was recorded")
        } catch DomainError.ruleBroken(let rule, _) {
            #expect(rule == .findingNeedsCorrection)
        }
        #expect(try await database.journalHead() == before)
        let unchanged = try await database.audit(audit.id, for: head)
        #expect(unchanged.findings[1].rebuttal == nil && unchanged.findings[1].fixItemId == nil)
        #expect(try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fixItem") } == 1)
    }

    @Test func aFindingWithItsItemStaysAccepted() async throws {
        let (club, engagement, _, _) = try await Self.engagement()
        let database = club.database
        let audit = try await Self.audit(database, on: engagement.id)
        let finding = audit.findings[1].id
        let first = try await database.rebut(
            findingId: finding,
            RebuttalInput(position: .accept, argument: "agreed", correction: try Self.correction()),
            by: head
        )
        for input in [
            RebuttalInput(position: .dispute, argument: "on second thought"),
            RebuttalInput(position: .accept, argument: "again", correction: try Self.correction("another")),
        ] {
            do {
                _ = try await database.rebut(findingId: finding, input, by: head)
                Issue.record("the finding's correction was changed through its rebuttal")
            } catch DomainError.ruleBroken(let rule, _) {
                #expect(rule == .findingCorrectionExists)
            }
        }
        let rewritten = try await database.rebut(findingId: finding, RebuttalInput(position: .partial, argument: "in part, after all"), by: head)
        #expect(rewritten.findings[1].rebuttal?.position == .partial)
        #expect(rewritten.findings[1].fixItemId == first.findings[1].fixItemId)
        #expect(try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fixItem") } == 1)
    }

    @Test func theLetterIsAddressedToTheClientAndQuotesTheStudioAndTheCorrection() async throws {
        let (club, engagement, studio, _) = try await Self.engagement()
        let database = club.database
        _ = try await database.updateClient(
            club.lead.clientId,
            ClientPatch(contacts: [Contact(name: "Oleg Petrov", email: "oleg@example.org")]),
            ifVersion: nil,
            by: head
        )
        let audit = try await Self.audit(database, on: engagement.id)
        _ = try await database.rebut(
            findingId: audit.findings[0].id,
            RebuttalInput(argument: "the search-term report shows no irrelevant clicks"),
            by: studio
        )
        _ = try await database.rebut(findingId: audit.findings[0].id, RebuttalInput(position: .dispute, argument: "quality, not count"), by: head)
        _ = try await database.rebut(
            findingId: audit.findings[1].id,
            RebuttalInput(position: .accept, argument: "call tracking was missing", correction: try Self.correction()),
            by: head
        )
        let answered = try await database.answerAudit(audit.id, by: head)
        #expect(answered.answeredBy == "Maria")

        let english = try await database.responseLetter(audit.id, format: .plainText, language: "en", for: head)
        #expect(english.contains("To: Yacht Charter Ltd\nFor the attention of: Oleg Petrov (oleg@example.org)\n"))
        #expect(english.contains("From: the club, signed by Maria, coordinator") && english.contains("Auditor: Northwind Audit Bureau"))
        #expect(english.contains("The studio's argument: Studio 0: the search-term report shows no irrelevant clicks"))
        #expect(english.contains("The studio's argument: Studio 0 made no argument of its own"))
        #expect(english.contains("Correction: add a call-tracking goal, due "))
        #expect(english.hasSuffix("For the club: Maria, coordinator\n"))
        #expect(!english.contains("sells call tracking") && !english.contains("new marketer"), "internal notes never appear")
        #expect(english.components(separatedBy: "Correction:").count == 2, "a disputed finding led to no correction")

        let russian = try await database.responseLetter(audit.id, format: .markdown, language: "ru", for: studio)
        #expect(russian.contains("Кому: Yacht Charter Ltd"))
        #expect(russian.contains("**Исправление:** add a call-tracking goal, срок "))
        #expect(russian.contains("подписывает координатор Maria"))
    }
}
