import ClubCore
import Foundation
import Testing

@Suite("Matching")
struct MatchingTests {
    static func studio(
        _ id: String,
        _ competences: Set<String>,
        capacity: Int = 3,
        open: Int = 0,
        budget: ClosedRange<Int> = 100_000...2_000_000,
        regions: Set<String> = ["RU-MOW"],
        rating: Double = 0.5,
        complaints: Int = 0,
        status: StudioStatus = .active
    ) -> MatchCandidate {
        MatchCandidate(
            studioId: id,
            status: status,
            competences: competences,
            regions: regions,
            budgetMin: budget.lowerBound,
            budgetMax: budget.upperBound,
            capacity: capacity,
            openEngagements: open,
            rating: rating,
            upheldComplaints: complaints
        )
    }

    static let query = MatchQuery(scope: ["landing", "context_ads"], budget: 600_000, region: "RU-MOW", size: 10)

    @Test func aStudioCoveringTheWholeScopeOutranksTwoPartialOnes() {
        let ranked = Matcher.rank(
            [
                Self.studio("stu_a", ["landing"]),
                Self.studio("stu_b", ["context_ads"]),
                Self.studio("stu_c", ["landing", "context_ads"]),
            ],
            for: Self.query,
            weights: MatchWeights()
        )
        #expect(ranked.map(\.studioId) == ["stu_c", "stu_a", "stu_b"])
        #expect(ranked[0].breakdown.singleStudio == 1)
        #expect(ranked[0].breakdown.coverage == 1)
        #expect(ranked[1].breakdown.singleStudio == 0)
        #expect(ranked[1].covers == ["landing"])
    }

    @Test func everyScoreIsWithinZeroAndOne() {
        let ranked = Matcher.rank(
            [
                Self.studio("stu_a", ["landing", "context_ads"], rating: 1),
                Self.studio("stu_b", ["landing"], open: 2, budget: 1_000_000...5_000_000, regions: ["DE-BE"], rating: 0, complaints: 4),
            ],
            for: Self.query,
            weights: MatchWeights()
        )
        for candidate in ranked { #expect((0...1).contains(candidate.score)) }
        #expect(ranked.first?.score == 1)
    }

    @Test func aStudioWithoutFreeCapacityIsExcluded() {
        let ranked = Matcher.rank(
            [Self.studio("stu_full", ["landing", "context_ads"], capacity: 2, open: 2), Self.studio("stu_free", ["landing"])],
            for: Self.query,
            weights: MatchWeights()
        )
        #expect(ranked.map(\.studioId) == ["stu_free"])
    }

    @Test func aStudioThatDeclinedIsNeverProposedAgain() {
        let query = MatchQuery(scope: ["landing"], budget: 600_000, region: nil, declined: ["stu_a"], size: 10)
        let ranked = Matcher.rank(
            [Self.studio("stu_a", ["landing"], rating: 1), Self.studio("stu_b", ["landing"])],
            for: query,
            weights: MatchWeights()
        )
        #expect(ranked.map(\.studioId) == ["stu_b"])
    }

    @Test func excludedAndInactiveStudiosAreLeftOut() {
        let query = MatchQuery(scope: ["landing"], budget: 600_000, region: nil, excluded: ["stu_a"], size: 10)
        let ranked = Matcher.rank(
            [
                Self.studio("stu_a", ["landing"]), Self.studio("stu_s", ["landing"], status: .suspended),
                Self.studio("stu_v", ["landing"], status: .vetting), Self.studio("stu_b", ["landing"]),
            ],
            for: query,
            weights: MatchWeights()
        )
        #expect(ranked.map(\.studioId) == ["stu_b"])
    }

    @Test func studiosCoveringNothingOfTheScopeAreLeftOut() {
        let ranked = Matcher.rank([Self.studio("stu_seo", ["seo"])], for: Self.query, weights: MatchWeights())
        #expect(ranked.isEmpty)
    }

    @Test func weightsChangeTheOrderAsConfigured() {
        let cheapPartial = Self.studio("stu_partial", ["landing"], rating: 1)
        let wholeButWeak = Self.studio("stu_whole", ["landing", "context_ads"], rating: 0)
        let byDefault = Matcher.rank([cheapPartial, wholeButWeak], for: Self.query, weights: MatchWeights())
        #expect(byDefault.first?.studioId == "stu_whole")
        let ratingOnly = MatchWeights(coverage: 0, singleStudio: 0, budgetFit: 0, freeCapacity: 0, rating: 1, upheldComplaints: 0, region: 0)
        #expect(Matcher.rank([cheapPartial, wholeButWeak], for: Self.query, weights: ratingOnly).first?.studioId == "stu_partial")
    }

    @Test func tiesAreBrokenByStudioIdSoTheOrderIsStable() {
        let studios = ["stu_c", "stu_a", "stu_b"].map { Self.studio($0, ["landing", "context_ads"]) }
        let first = Matcher.rank(studios, for: Self.query, weights: MatchWeights())
        let again = Matcher.rank(studios.reversed(), for: Self.query, weights: MatchWeights())
        #expect(first.map(\.studioId) == ["stu_a", "stu_b", "stu_c"])
        #expect(again == first)
    }

    @Test func budgetRegionCapacityComplaintsAndRatingEachShowInTheBreakdown() {
        let ranked = Matcher.rank(
            [
                Self.studio(
                    "stu_a",
                    ["landing", "context_ads"],
                    capacity: 4,
                    open: 1,
                    budget: 1_200_000...3_000_000,
                    regions: ["DE-BE"],
                    rating: 0.8,
                    complaints: 1
                )
            ],
            for: Self.query,
            weights: MatchWeights()
        )
        let parts = try? #require(ranked.first?.breakdown)
        #expect(parts?.budgetFit == 0.5)
        #expect(parts?.region == 0)
        #expect(parts?.freeCapacity == 0.75)
        #expect(parts?.upheldComplaints == 0.5)
        #expect(parts?.rating == 0.8)
    }

    @Test func theSizeLimitsTheShortlist() {
        let studios = (0..<10).map { Self.studio("stu_\($0)", ["landing"]) }
        let query = MatchQuery(scope: ["landing"], budget: 600_000, region: nil, size: 3)
        #expect(Matcher.rank(studios, for: query, weights: MatchWeights()).count == 3)
    }
}
