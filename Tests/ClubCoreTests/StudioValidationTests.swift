import ClubCore
import Foundation
import Testing

@Suite("Studio validation")
struct StudioValidationTests {
    @Test func competencesComeFromTheVocabulary() {
        let input = StudioInput(name: "X", competences: ["landing", "instagram_magic"], budgetMin: 0, budgetMax: 1, capacity: 1)
        #expect(invalidFields { _ = try Studio(id: "s", input: input, rules: rules, at: epoch) } == ["competences[1]"])
    }

    @Test func theVocabularyIsConfigurable() throws {
        let extended = ClubRules(competences: ClubRules.defaultCompetences.union(["video"]))
        let input = StudioInput(name: "X", competences: ["video"], budgetMin: 0, budgetMax: 1, capacity: 1)
        #expect(try Studio(id: "s", input: input, rules: extended, at: epoch).competences == ["video"])
    }

    @Test func aStudioNeedsANameACompetenceAndCapacity() {
        let input = StudioInput(name: " ", competences: [], budgetMin: 0, budgetMax: 1, capacity: 0)
        #expect(invalidFields { _ = try Studio(id: "s", input: input, rules: rules, at: epoch) } == ["name", "competences", "capacity"])
    }

    @Test func budgetRangeMustBeOrdered() {
        let input = StudioInput(name: "X", competences: ["web"], budgetMin: 500, budgetMax: 100, capacity: 1)
        #expect(invalidFields { _ = try Studio(id: "s", input: input, rules: rules, at: epoch) } == ["budgetMax"])
    }

    @Test func negativeBudgetsAreRefused() {
        let input = StudioInput(name: "X", competences: ["web"], budgetMin: -1, budgetMax: 100, capacity: 1)
        #expect(invalidFields { _ = try Studio(id: "s", input: input, rules: rules, at: epoch) } == ["budgetMin"])
    }

    @Test func overlongNamesAreRefused() {
        let input = StudioInput(
            name: String(repeating: "a", count: Limits.shortText + 1),
            competences: ["web"],
            budgetMin: 0,
            budgetMax: 1,
            capacity: 1
        )
        #expect(invalidFields { _ = try Studio(id: "s", input: input, rules: rules, at: epoch) } == ["name"])
    }

    @Test func duplicateCompetencesAreRefused() {
        let input = StudioInput(name: "X", competences: ["web", "web"], budgetMin: 0, budgetMax: 1, capacity: 1)
        #expect(invalidFields { _ = try Studio(id: "s", input: input, rules: rules, at: epoch) } == ["competences[1]"])
    }

    @Test func aPatchIsValidatedAgainstTheWholeStudio() throws {
        var studio = try applicant()
        #expect(invalidFields { try studio.apply(StudioPatch(budgetMax: 50_000), rules: rules, at: epoch) } == ["budgetMax"])
        #expect(studio.budgetMax == 2_000_000)
        try studio.apply(StudioPatch(name: "  Pixel Hands Ltd ", capacity: 5), rules: rules, at: epoch)
        #expect(studio.name == "Pixel Hands Ltd")
        #expect(studio.capacity == 5)
        #expect(studio.competences == ["landing", "context_ads"])
        #expect(studio.version == 2)
        try studio.apply(StudioPatch(capacity: 5), rules: rules, at: epoch)
        #expect(studio.version == 2, "a patch that changes nothing is not a new version")
    }
}
