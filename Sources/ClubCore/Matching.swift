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
        let total = weights.total
        guard !scope.isEmpty, total > 0, query.size > 0 else { return [] }
        // Only the best `size` are kept, in order, as the candidates go by: a club of thousands of
        // studios is not sorted whole for a shortlist of five (docs/performance.md, matching).
        var best = TopRanked(size: query.size)
        for candidate in candidates where isEligible(candidate, query) {
            let covered = scope.reduce(0) { $0 + (candidate.competences.contains($1) ? 1 : 0) }
            guard covered > 0 else { continue }
            let breakdown = ScoreBreakdown(
                coverage: Double(covered) / Double(scope.count),
                singleStudio: covered == scope.count ? 1 : 0,
                budgetFit: budgetFit(query.budget, min: candidate.budgetMin, max: candidate.budgetMax),
                freeCapacity: Double(candidate.freeCapacity) / Double(max(candidate.capacity, 1)),
                rating: min(max(candidate.rating, 0), 1),
                upheldComplaints: 1 / (1 + Double(candidate.upheldComplaints)),
                region: regionFit(query.region, candidate.regions)
            )
            best.offer(score: score(breakdown, weights, total: total), breakdown: breakdown, studioId: candidate.studioId) {
                query.scope.filter(candidate.competences.contains)
            }
        }
        return best.ranked
    }

    /// Whether `lhs` ranks above `rhs`: the higher score, then the wider coverage, then the
    /// smaller studio id, so that no two candidates tie.
    static func ranksAbove(_ lhs: ShortlistCandidate, _ rhs: ShortlistCandidate) -> Bool {
        ranksAbove(lhs.score, lhs.breakdown.coverage, lhs.studioId, rhs)
    }

    static func ranksAbove(_ score: Double, _ coverage: Double, _ studioId: String, _ rhs: ShortlistCandidate) -> Bool {
        if score != rhs.score { return score > rhs.score }
        if coverage != rhs.breakdown.coverage { return coverage > rhs.breakdown.coverage }
        return studioId < rhs.studioId
    }

    /// The best `size` candidates seen so far, best first.
    struct TopRanked {
        let size: Int
        private(set) var ranked: [ShortlistCandidate] = []

        init(size: Int) {
            self.size = size
            ranked.reserveCapacity(size + 1)
        }

        /// Keeps the candidate if it ranks among the best; `covers` is worked out only then.
        mutating func offer(score: Double, breakdown: ScoreBreakdown, studioId: String, covers: () -> [String]) {
            if ranked.count == size, let last = ranked.last, !ranksAbove(score, breakdown.coverage, studioId, last) { return }
            let candidate = ShortlistCandidate(studioId: studioId, score: score, breakdown: breakdown, covers: covers())
            let place = ranked.firstIndex { !ranksAbove($0, candidate) } ?? ranked.endIndex
            ranked.insert(candidate, at: place)
            if ranked.count > size { ranked.removeLast() }
        }
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

    /// The weighted score, with the weights' total worked out once for a whole ranking.
    static func score(_ parts: ScoreBreakdown, _ weights: MatchWeights, total: Double) -> Double {
        let sum =
            parts.coverage * weights.coverage + parts.singleStudio * weights.singleStudio + parts.budgetFit * weights.budgetFit
            + parts.freeCapacity * weights.freeCapacity + parts.rating * weights.rating
            + parts.upheldComplaints * weights.upheldComplaints + parts.region * weights.region
        // Rounded so that equal data compare equal and the answer reads well.
        return ((sum / total) * 10_000).rounded() / 10_000
    }
}
