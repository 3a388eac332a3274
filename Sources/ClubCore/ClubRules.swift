/// The configurable part of the club's rules: what the configuration file may change.
public struct ClubRules: Sendable, Equatable {
    /// The controlled vocabulary of competences a studio may claim and a request may need.
    public var competences: Set<String>
    /// Vetting checks that must each have passed before a studio is admitted.
    public var requiredChecks: Set<VettingCheckKind>

    public init(
        competences: Set<String> = ClubRules.defaultCompetences,
        requiredChecks: Set<VettingCheckKind> = Set(VettingCheckKind.allCases)
    ) {
        self.competences = competences
        self.requiredChecks = requiredChecks
    }

    public static let defaultCompetences: Set<String> = [
        "landing", "web", "mobile", "context_ads", "smm", "seo", "crm", "branding", "analytics",
    ]

    /// Checks each competence against the vocabulary, naming the offending entry.
    func validateCompetences(_ values: [String], field: String, into validator: inout Validator) {
        for (index, value) in values.enumerated() where !competences.contains(value) {
            validator.fail("\(field)[\(index)]", "'\(value)' is not a competence of the club (known: \(competences.sorted().joined(separator: ", ")))")
        }
    }
}
