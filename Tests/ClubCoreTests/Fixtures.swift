import ClubCore
import Foundation

/// 2027-01-15T08:00:00Z
let epoch = Date(timeIntervalSince1970: 1_800_000_000)
let coordinator = Principal(tokenId: "tok_c", name: "Anna", role: .coordinator)
let head = Principal(tokenId: "tok_h", name: "Maria", role: .coordinator, isHead: true)
let rules = ClubRules()

func pixelHands() -> StudioInput {
    StudioInput(
        name: "Pixel Hands",
        competences: ["landing", "context_ads"],
        regions: ["RU-MOW"],
        budgetMin: 100_000,
        budgetMax: 2_000_000,
        capacity: 3
    )
}

func applicant() throws -> Studio {
    try Studio(id: "stu_1", input: pixelHands(), rules: rules, at: epoch)
}

/// A studio that passed every required check, ready for admission.
func vetted() throws -> Studio {
    var studio = try applicant()
    for kind in VettingCheckKind.allCases {
        try studio.record(VettingCheckInput(kind: kind, passed: true), by: coordinator.actor, at: epoch)
    }
    return studio
}

func active() throws -> Studio {
    var studio = try vetted()
    try studio.decide(DecisionInput(decision: .admit, reason: "all checks passed"), by: coordinator, rules: rules, at: epoch)
    return studio
}

/// The fields a validation failure named.
func invalidFields(_ body: () throws -> Void) -> [String] {
    do {
        try body()
        return []
    } catch DomainError.invalid(let errors) {
        return errors.map(\.field)
    } catch {
        return ["unexpected: \(error)"]
    }
}
