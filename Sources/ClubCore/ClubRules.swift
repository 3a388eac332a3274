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
    /// The club's clock (an IANA zone): due days end at its local midnight, whoever reads them,
    /// so that a studio and a client never disagree on whether an item is late (docs/design.md §3.13).
    public var timeZone: TimeZone
    /// Days a struck fix item waits for the client's check before the daemon accepts it.
    public var fixItemAutoAcceptDays: Int
    /// Which evidence files are accepted and how much of them (docs/design.md §11).
    public var files: FileLimits

    public init(
        competences: Set<String> = ClubRules.defaultCompetences,
        requiredChecks: Set<VettingCheckKind> = Set(VettingCheckKind.allCases),
        rushThresholdDays: Int = 7,
        referralAnswerHours: Int = 48,
        keyStages: [String] = ["design", "development", "launch"],
        weights: MatchWeights = MatchWeights(),
        sessions: SessionRules = SessionRules(),
        timeZone: TimeZone = .gmt,
        fixItemAutoAcceptDays: Int = 7,
        files: FileLimits = FileLimits()
    ) {
        self.competences = competences
        self.requiredChecks = requiredChecks
        self.rushThresholdDays = rushThresholdDays
        self.referralAnswerHours = referralAnswerHours
        self.keyStages = keyStages
        self.weights = weights
        self.sessions = sessions
        self.timeZone = timeZone
        self.fixItemAutoAcceptDays = fixItemAutoAcceptDays
        self.files = files
    }

    /// Whether a deadline is too close at `now`: less than the threshold left before the end of
    /// the deadline day on the club's clock.
    public func isRush(_ deadline: Day, at now: Date) -> Bool {
        deadline.end(in: timeZone).timeIntervalSince(now) < Double(rushThresholdDays) * 24 * 3600
    }

    /// The club's zone by its IANA name, as a person's zone is written ("UTC", not Foundation's "GMT").
    public var timeZoneName: String {
        ["GMT", "UTC", "Etc/UTC", "Etc/GMT"].contains(timeZone.identifier) ? "UTC" : timeZone.identifier
    }

    /// Today on the club's clock.
    public func today(at now: Date) -> Day { Day(containing: now, in: timeZone) }

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
