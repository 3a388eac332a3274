import ClubCore
import Foundation
import Testing

/// The domain's rules for findings that become fixes, and the letter's new layout
/// (docs/design.md §3.8).
@Suite("Findings become fixes")
struct FindingFixesTests {
    static let studio = AuditTests.studio
    static let due = Day("2027-05-01") ?? Day(containing: epoch, in: .gmt)

    static func correction(_ statement: String? = nil) -> CorrectionInput {
        CorrectionInput(statement: statement, acceptance: "a test call shows as a goal", due: due)
    }

    static func ruleBroken(_ body: () throws -> Void) -> Rule? {
        do {
            try body()
            return nil
        } catch DomainError.ruleBroken(let rule, _) {
            return rule
        } catch {
            return nil
        }
    }

    @Test func acceptingNeedsACorrectionWhoseStatementDefaultsToTheProposal() throws {
        var audit = try AuditTests.audit()
        #expect(
            Self.ruleBroken { try audit.rebut(findingId: "f2", RebuttalInput(position: .accept, argument: "x"), by: coordinator, at: epoch) }
                == .findingNeedsCorrection
        )
        #expect(audit.findings[1].rebuttal == nil, "nothing recorded")
        let proposed = try audit.rebut(
            findingId: "f2",
            RebuttalInput(position: .partial, argument: "for mobile only", correction: Self.correction()),
            by: coordinator,
            at: epoch
        )
        #expect(proposed?.statement == audit.findings[1].proposal && proposed?.acceptance == "a test call shows as a goal")
        let own = try audit.rebut(
            findingId: "f1",
            RebuttalInput(position: .accept, argument: "x", correction: Self.correction("  ")),
            by: coordinator,
            at: epoch
        )
        #expect(own?.statement == "too few negative keywords", "without a proposal, the finding itself")
        let disputed = try audit.rebut(findingId: "f1", RebuttalInput(position: .dispute, argument: "no"), by: coordinator, at: epoch)
        #expect(disputed == nil && audit.findings[0].rebuttal?.position == .dispute, "no item is linked yet, so the position can still change")
    }

    @Test func aDisputeOrAStudioSendsNoCorrection() throws {
        var audit = try AuditTests.audit()
        #expect(
            invalidFields {
                try audit.rebut(
                    findingId: "f1",
                    RebuttalInput(position: .dispute, argument: "no", correction: Self.correction()),
                    by: coordinator,
                    at: epoch
                )
            } == ["correction"]
        )
        #expect(
            invalidFields {
                try audit.rebut(findingId: "f1", RebuttalInput(argument: "we can", correction: Self.correction()), by: Self.studio, at: epoch)
            }
                == ["correction"]
        )
        #expect(audit.findings[0].studioArguments.isEmpty && audit.findings[0].rebuttal == nil)
    }

    @Test func aLinkedFindingStaysAcceptedAndTakesNoSecondCorrection() throws {
        var audit = try AuditTests.audit()
        try audit.rebut(findingId: "f2", RebuttalInput(position: .accept, argument: "x", correction: Self.correction()), by: coordinator, at: epoch)
        audit.link(findingId: "f2", toFixItem: "fxi_1", onList: "fxl_1")
        #expect(audit.findings[1].fixItemId == "fxi_1" && audit.findings[1].fixListId == "fxl_1")
        #expect(
            Self.ruleBroken { try audit.rebut(findingId: "f2", RebuttalInput(position: .dispute, argument: "no"), by: coordinator, at: epoch) }
                == .findingCorrectionExists
        )
        #expect(
            Self.ruleBroken {
                try audit.rebut(
                    findingId: "f2",
                    RebuttalInput(position: .accept, argument: "y", correction: Self.correction()),
                    by: coordinator,
                    at: epoch
                )
            } == .findingCorrectionExists
        )
        let rewritten = try audit.rebut(findingId: "f2", RebuttalInput(position: .partial, argument: "in part"), by: coordinator, at: epoch)
        #expect(rewritten == nil)
        #expect(audit.findings[1].rebuttal?.position == .partial && audit.findings[1].fixItemId == "fxi_1")
    }

    @Test func theLetterNamesTheClientTheSignerAndTheCorrection() throws {
        var audit = try AuditTests.audit()
        try audit.rebut(findingId: "f1", RebuttalInput(argument: "the search terms are clean"), by: Self.studio, at: epoch)
        try audit.rebut(findingId: "f1", RebuttalInput(position: .dispute, argument: "quality, not count"), by: coordinator, at: epoch)
        try audit.rebut(
            findingId: "f2",
            RebuttalInput(position: .accept, argument: "added", correction: Self.correction()),
            by: coordinator,
            at: epoch
        )
        audit.link(findingId: "f2", toFixItem: "fxi_1", onList: "fxl_1")
        try audit.answer(at: epoch, by: "Maria")
        #expect(audit.answeredBy == "Maria")
        let item = try FixItem(
            id: "fxi_1",
            fixListId: "fxl_1",
            position: 4,
            input: FixItemInput(statement: "add a call goal", acceptance: "a test call shows", due: Self.due),
            defaultStudioId: "std_1",
            existing: [],
            findingId: "f2"
        )
        let letter = ResponseLetter(
            audit: audit,
            studioName: "Ad Minds",
            clientName: "Yacht Charter",
            contact: Contact(name: "Oleg", phone: "+7 900 000-00-00"),
            corrections: ["f2": item]
        )
        let text = try letter.render(.plainText)
        #expect(text.contains("To: Yacht Charter\nFor the attention of: Oleg (+7 900 000-00-00)\nFrom: the club, signed by Maria, coordinator\n"))
        #expect(text.contains("The studio's argument: Ad Minds: the search terms are clean"))
        #expect(text.contains("Correction: add a call goal, due "))
        #expect(text.hasSuffix("For the club: Maria, coordinator\n"))
        let russian = ResponseLetter(
            audit: audit,
            studioName: "Ad Minds",
            clientName: "Yacht Charter",
            localizer: Catalogs.bundled.localizer(for: "ru"),
            corrections: ["f2": item]
        )
        let markdown = try russian.render(.markdown)
        #expect(markdown.contains("Кому: Yacht Charter") && markdown.contains("- **Исправление:** add a call goal, срок "))
        #expect(markdown.contains("- **Довод студии:** Ad Minds: the search terms are clean"))
        let none = "- **Довод студии:** Студия Ad Minds своих доводов не привела"
        #expect(markdown.contains(none), "finding 2 had no argument")
        #expect(markdown.contains("От имени клуба: Maria, координатор"))
    }
}
