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

    /// The shortlist keeps only its best few as the candidates go by: it must be the head of the
    /// whole ranking, in its order, ties included.
    @Test func theBestFewAreTheHeadOfTheWholeRanking() {
        var generator = SplitMix(seed: 7)
        let competences = ["landing", "context_ads", "seo", "smm"]
        // Few distinct values, so that many scores tie and the tie-breaks decide.
        let studios = (0..<400).map { index in
            Self.studio(
                "stu_\(String(generator.next() % 1_000, radix: 16))_\(index)",
                Set(competences.filter { _ in generator.next() % 2 == 0 }),
                capacity: Int(generator.next() % 3) + 1,
                open: Int(generator.next() % 2),
                budget: (Int(generator.next() % 3) + 1) * 200_000...2_000_000,
                regions: generator.next() % 2 == 0 ? ["RU-MOW"] : ["RU-SPE"],
                rating: [0.25, 0.5, 0.75][Int(generator.next() % 3)],
                complaints: Int(generator.next() % 2),
                status: generator.next() % 10 == 0 ? .suspended : .active
            )
        }
        let scope = ["landing", "context_ads", "seo"]
        let all = Matcher.rank(
            studios,
            for: MatchQuery(scope: scope, budget: 500_000, region: "RU-MOW", size: studios.count),
            weights: MatchWeights()
        )
        let expected = studios.filter { $0.status == .active && $0.freeCapacity > 0 && !$0.competences.isDisjoint(with: scope) }
        #expect(Set(all.map(\.studioId)) == Set(expected.map(\.studioId)) && all.count == expected.count)
        for (higher, lower) in zip(all, all.dropFirst()) {
            let inOrder =
                higher.score > lower.score
                || (higher.score == lower.score
                    && (higher.breakdown.coverage > lower.breakdown.coverage
                        || (higher.breakdown.coverage == lower.breakdown.coverage && higher.studioId < lower.studioId)))
            #expect(inOrder, "\(higher.studioId) before \(lower.studioId)")
        }
        #expect(Set(all.map(\.score)).count < all.count / 3, "scores tie often enough to test the tie-breaks")
        for size in [1, 2, 5, 17, 100] {
            let few = Matcher.rank(studios, for: MatchQuery(scope: scope, budget: 500_000, region: "RU-MOW", size: size), weights: MatchWeights())
            #expect(few == Array(all.prefix(size)), "the best \(size)")
        }
    }

    /// A small deterministic generator for the test above.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func theSizeLimitsTheShortlist() {
        let studios = (0..<10).map { Self.studio("stu_\($0)", ["landing"]) }
        let query = MatchQuery(scope: ["landing"], budget: 600_000, region: nil, size: 3)
        #expect(Matcher.rank(studios, for: query, weights: MatchWeights()).count == 3)
    }
}
