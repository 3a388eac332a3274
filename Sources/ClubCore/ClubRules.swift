import Foundation

/// The configurable part of the club's rules: what the configuration file may change.
public struct ClubRules: Sendable, Equatable {
    /// The controlled vocabulary of competences a studio may claim and a request may need.
    public var competences: Set<String>
    /// Vetting checks that must each have passed before a studio is admitted.
    public var requiredChecks: Set<VettingCheckKind>

    /// A deadline closer than this many days makes a request a rush.
    public var rushThresholdDays: Int
    /// Hours a studio has to answer a referral before it expires and passes to the next studio.
    public var referralAnswerHours: Int
    /// The stages at whose end a client is asked for feedback, unless an engagement names its own.
    public var keyStages: [String]
    /// The weights of the matching score's parts.
    public var weights: MatchWeights
    /// How long a console session lasts without a request, and at most.
    public var sessions: SessionRules

    public init(
        competences: Set<String> = ClubRules.defaultCompetences,
        requiredChecks: Set<VettingCheckKind> = Set(VettingCheckKind.allCases),
        rushThresholdDays: Int = 7,
        referralAnswerHours: Int = 48,
        keyStages: [String] = ["design", "development", "launch"],
        weights: MatchWeights = MatchWeights(),
        sessions: SessionRules = SessionRules()
    ) {
        self.competences = competences
        self.requiredChecks = requiredChecks
        self.rushThresholdDays = rushThresholdDays
        self.referralAnswerHours = referralAnswerHours
        self.keyStages = keyStages
        self.weights = weights
        self.sessions = sessions
    }

    public func isRush(_ deadline: Day, at now: Date) -> Bool {
        deadline.end.timeIntervalSince(now) < Double(rushThresholdDays) * 24 * 3600
    }

    public static let defaultCompetences: Set<String> = [
        "landing", "web", "mobile", "context_ads", "smm", "seo", "crm", "branding", "analytics",
    ]

    /// Checks each competence against the vocabulary, naming the offending entry.
    func validateCompetences(_ values: [String], field: String, into validator: inout Validator) {
        for (index, value) in values.enumerated() where !competences.contains(value) {
            validator.fail(
                "\(field)[\(index)]",
                "'\(value)' is not a competence of the club (known: \(competences.sorted().joined(separator: ", ")))"
            )
        }
    }
}
