/// What a studio's record shows, counted by the store from outcomes; never typed in.
public struct StudioOutcomes: Sendable, Equatable {
    /// Stage feedback received: how many and the sum of their scores.
    public var feedbackCount = 0
    public var feedbackTotal = 0
    public var referralsOffered = 0
    public var referralsAccepted = 0
    public var referralsDeclined = 0
    public var referralsExpired = 0
    public var answerHours: [Double] = []
    /// Resolved complaints upheld in full or in part, and how many of those only in part.
    public var upheldComplaints = 0
    public var partlyUpheldComplaints = 0
    /// Strikes of fix items, one per round (a reopened item struck again counts twice), and how
    /// many of those came after the end of their own round's due day (docs/design.md §3.7).
    public var fixItemsStruck = 0
    public var fixItemsStruckLate = 0
    /// Times the studio's struck items were reopened because the client or the club did not accept them.
    public var fixItemsReopened = 0
    /// Findings of answered audits of the studio's work, by the club's position.
    public var auditFindingsAccepted = 0
    public var auditFindingsPartlyAccepted = 0
    public var auditFindingsDisputed = 0

    public init() {}
}

/// A studio's scorecard: outcomes and the rating in [0, 1] that feeds matching.
public struct Scorecard: Codable, Sendable, Equatable {
    public let studioId: String
    public let name: String
    public let feedbackCount: Int
    public let averageFeedback: Double?
    public let referralsOffered: Int
    public let referralsAccepted: Int
    public let referralsDeclined: Int
    public let referralsExpired: Int
    /// Accepted among answered and expired offers.
    public let acceptanceRate: Double?
    public let medianAnswerHours: Double?
    public let upheldComplaints: Int
    /// Those of `upheldComplaints` upheld only in part; they weigh half in the rating.
    public let partlyUpheldComplaints: Int
    public let fixItemsStruck: Int
    public let fixItemsStruckLate: Int
    /// Strikes on time among all strikes, each judged against its own round's due day.
    public let fixesOnTimeShare: Double?
    public let fixItemsReopened: Int
    public let auditFindingsAccepted: Int
    public let auditFindingsPartlyAccepted: Int
    public let auditFindingsDisputed: Int
    public let rating: Double

    /// Each available signal becomes a value in [0, 1] (feedback, acceptance, answer speed, upheld
    /// complaints, fixes on time, reopened fixes, accepted audit findings) and the rating is their
    /// mean; a studio with no record yet rates a neutral 0.5.
    public init(studioId: String, name: String, outcomes: StudioOutcomes, answerWindowHours: Int) {
        self.studioId = studioId
        self.name = name
        feedbackCount = outcomes.feedbackCount
        averageFeedback = outcomes.feedbackCount == 0 ? nil : Self.round(Double(outcomes.feedbackTotal) / Double(outcomes.feedbackCount))
        referralsOffered = outcomes.referralsOffered
        referralsAccepted = outcomes.referralsAccepted
        referralsDeclined = outcomes.referralsDeclined
        referralsExpired = outcomes.referralsExpired
        let concluded = outcomes.referralsAccepted + outcomes.referralsDeclined + outcomes.referralsExpired
        acceptanceRate = concluded == 0 ? nil : Self.round(Double(outcomes.referralsAccepted) / Double(concluded))
        medianAnswerHours = Self.median(outcomes.answerHours).map(Self.round)
        upheldComplaints = outcomes.upheldComplaints
        partlyUpheldComplaints = outcomes.partlyUpheldComplaints
        fixItemsStruck = outcomes.fixItemsStruck
        fixItemsStruckLate = outcomes.fixItemsStruckLate
        fixesOnTimeShare =
            outcomes.fixItemsStruck == 0
            ? nil : Self.round(Double(outcomes.fixItemsStruck - outcomes.fixItemsStruckLate) / Double(outcomes.fixItemsStruck))
        fixItemsReopened = outcomes.fixItemsReopened
        auditFindingsAccepted = outcomes.auditFindingsAccepted
        auditFindingsPartlyAccepted = outcomes.auditFindingsPartlyAccepted
        auditFindingsDisputed = outcomes.auditFindingsDisputed

        var signals: [Double] = []
        if let averageFeedback { signals.append((averageFeedback - 1) / 4) }
        if let acceptanceRate { signals.append(acceptanceRate) }
        if let medianAnswerHours, answerWindowHours > 0 { signals.append(max(0, 1 - medianAnswerHours / Double(answerWindowHours))) }
        if outcomes.upheldComplaints > 0 {
            // A complaint upheld only in part counts against the studio by half (docs/design.md §3.12).
            let weight = Double(outcomes.upheldComplaints) - Double(outcomes.partlyUpheldComplaints) / 2
            signals.append(1 / (1 + weight))
        }
        if let fixesOnTimeShare { signals.append(fixesOnTimeShare) }
        let audited = outcomes.auditFindingsAccepted + outcomes.auditFindingsPartlyAccepted + outcomes.auditFindingsDisputed
        if audited > 0 {
            // Accepted findings count against the studio in full, partly accepted ones by half.
            signals.append(1 - (Double(outcomes.auditFindingsAccepted) + Double(outcomes.auditFindingsPartlyAccepted) / 2) / Double(audited))
        }
        if outcomes.fixItemsReopened > 0 { signals.append(max(0, 1 - Double(outcomes.fixItemsReopened) / Double(max(outcomes.fixItemsStruck, 1)))) }
        rating = signals.isEmpty ? Self.neutralRating : Self.round(signals.reduce(0, +) / Double(signals.count))
    }

    /// The rating of a studio with no record yet.
    public static let neutralRating = 0.5

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func round(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}
