/// The weights of the matching score's parts, from the configuration. Only their proportions
/// matter: the score is the weighted mean of the parts, so it stays in [0, 1].
public struct MatchWeights: Codable, Sendable, Equatable {
    public var coverage: Double
    public var singleStudio: Double
    public var budgetFit: Double
    public var freeCapacity: Double
    public var rating: Double
    public var upheldComplaints: Double
    public var region: Double

    public init(
        coverage: Double = 0.35,
        singleStudio: Double = 0.15,
        budgetFit: Double = 0.15,
        freeCapacity: Double = 0.1,
        rating: Double = 0.15,
        upheldComplaints: Double = 0.05,
        region: Double = 0.05
    ) {
        self.coverage = coverage
        self.singleStudio = singleStudio
        self.budgetFit = budgetFit
        self.freeCapacity = freeCapacity
        self.rating = rating
        self.upheldComplaints = upheldComplaints
        self.region = region
    }

    var total: Double { Self.parts.reduce(0) { $0 + self[keyPath: $1.weight] } }

    /// Each part as configuration files and answers name it, with the property that holds its
    /// weight: the one list that settings, validation and documentation walk.
    public static var parts: [(name: String, weight: WritableKeyPath<MatchWeights, Double>)] {
        [
            ("coverage", \.coverage), ("singleStudio", \.singleStudio), ("budgetFit", \.budgetFit),
            ("freeCapacity", \.freeCapacity), ("rating", \.rating), ("upheldComplaints", \.upheldComplaints),
            ("region", \.region),
        ]
    }
}

/// What matching needs to know about one studio; the store fills it with one query.
public struct MatchCandidate: Sendable, Equatable {
    public let studioId: String
    public let status: StudioStatus
    public let competences: Set<String>
    public let regions: Set<String>
    public let budgetMin: Int
    public let budgetMax: Int
    public let capacity: Int
    public let openEngagements: Int
    /// The scorecard's rating in [0, 1].
    public let rating: Double
    public let upheldComplaints: Int

    public init(
        studioId: String,
        status: StudioStatus,
        competences: Set<String>,
        regions: Set<String>,
        budgetMin: Int,
        budgetMax: Int,
        capacity: Int,
        openEngagements: Int,
        rating: Double,
        upheldComplaints: Int
    ) {
        self.studioId = studioId
        self.status = status
        self.competences = competences
        self.regions = regions
        self.budgetMin = budgetMin
        self.budgetMax = budgetMax
        self.capacity = capacity
        self.openEngagements = openEngagements
        self.rating = rating
        self.upheldComplaints = upheldComplaints
    }

    public var freeCapacity: Int { capacity - openEngagements }
}

/// Each part of a candidate's score, in [0, 1] before weighting.
public struct ScoreBreakdown: Codable, Sendable, Equatable {
    public let coverage: Double
    public let singleStudio: Double
    public let budgetFit: Double
    public let freeCapacity: Double
    public let rating: Double
    public let upheldComplaints: Double
    public let region: Double

    public init(
        coverage: Double,
        singleStudio: Double,
        budgetFit: Double,
        freeCapacity: Double,
        rating: Double,
        upheldComplaints: Double,
        region: Double
    ) {
        self.coverage = coverage
        self.singleStudio = singleStudio
        self.budgetFit = budgetFit
        self.freeCapacity = freeCapacity
        self.rating = rating
        self.upheldComplaints = upheldComplaints
        self.region = region
    }
}

/// One ranked studio of a shortlist.
public struct ShortlistCandidate: Codable, Sendable, Equatable {
    public let studioId: String
    public let score: Double
    public let breakdown: ScoreBreakdown
    /// The part of the scope this studio covers.
    public let covers: [String]

    public init(studioId: String, score: Double, breakdown: ScoreBreakdown, covers: [String]) {
        self.studioId = studioId
        self.score = score
        self.breakdown = breakdown
        self.covers = covers
    }
}

/// What to match: the scope (all of the request's competences or part of them), the budget and
/// region, and the studios never to propose.
public struct MatchQuery: Sendable {
    public let scope: [String]
    public let budget: Int
    public let region: String?
    public let excluded: Set<String>
    public let declined: Set<String>
    public let size: Int

    public init(scope: [String], budget: Int, region: String?, excluded: Set<String> = [], declined: Set<String> = [], size: Int) {
        self.scope = scope
        self.budget = budget
        self.region = region
        self.excluded = excluded
        self.declined = declined
        self.size = size
    }
}

/// Ranks studios for a request. Pure and deterministic: the same data gives the same order, ties
/// broken by coverage and then by studio id.
public enum Matcher {
    public static func rank(_ candidates: [MatchCandidate], for query: MatchQuery, weights: MatchWeights) -> [ShortlistCandidate] {
        let scope = Set(query.scope)
        guard !scope.isEmpty, weights.total > 0 else { return [] }
        var ranked: [ShortlistCandidate] = []
        ranked.reserveCapacity(min(candidates.count, 1024))
        for candidate in candidates where isEligible(candidate, query) {
            let covered = scope.intersection(candidate.competences)
            guard !covered.isEmpty else { continue }
            let breakdown = ScoreBreakdown(
                coverage: Double(covered.count) / Double(scope.count),
                singleStudio: covered.count == scope.count ? 1 : 0,
                budgetFit: budgetFit(query.budget, min: candidate.budgetMin, max: candidate.budgetMax),
                freeCapacity: Double(candidate.freeCapacity) / Double(max(candidate.capacity, 1)),
                rating: min(max(candidate.rating, 0), 1),
                upheldComplaints: 1 / (1 + Double(candidate.upheldComplaints)),
                region: regionFit(query.region, candidate.regions)
            )
            ranked.append(
                ShortlistCandidate(
                    studioId: candidate.studioId,
                    score: score(breakdown, weights),
                    breakdown: breakdown,
                    covers: query.scope.filter(covered.contains)
                )
            )
        }
        ranked.sort { lhs, rhs in
            if lhs.score != rhs.score { return lhs.score > rhs.score }
            if lhs.breakdown.coverage != rhs.breakdown.coverage { return lhs.breakdown.coverage > rhs.breakdown.coverage }
            return lhs.studioId < rhs.studioId
        }
        return Array(ranked.prefix(query.size))
    }

    /// The hard filters: only active studios with free capacity, never an excluded one, never one
    /// that declined this request.
    public static func isEligible(_ candidate: MatchCandidate, _ query: MatchQuery) -> Bool {
        candidate.status == .active && candidate.freeCapacity > 0
            && !query.excluded.contains(candidate.studioId) && !query.declined.contains(candidate.studioId)
    }

    /// 1 inside the studio's range, falling with the distance outside it.
    static func budgetFit(_ budget: Int, min lower: Int, max upper: Int) -> Double {
        if budget >= lower && budget <= upper { return 1 }
        if budget < lower { return lower == 0 ? 1 : Double(max(budget, 0)) / Double(lower) }
        return budget == 0 ? 1 : Double(upper) / Double(budget)
    }

    /// 1 when the studio works in the request's region (or either side names none), else 0.
    static func regionFit(_ region: String?, _ regions: Set<String>) -> Double {
        guard let region, !regions.isEmpty else { return 1 }
        return regions.contains(region) ? 1 : 0
    }

    static func score(_ parts: ScoreBreakdown, _ weights: MatchWeights) -> Double {
        let sum =
            parts.coverage * weights.coverage + parts.singleStudio * weights.singleStudio + parts.budgetFit * weights.budgetFit
            + parts.freeCapacity * weights.freeCapacity + parts.rating * weights.rating
            + parts.upheldComplaints * weights.upheldComplaints + parts.region * weights.region
        // Rounded so that equal data compare equal and the answer reads well.
        return ((sum / weights.total) * 10_000).rounded() / 10_000
    }
}
