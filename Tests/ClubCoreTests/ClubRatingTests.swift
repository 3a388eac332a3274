import ClubCore
import Foundation
import Testing

@Suite("The club's own score")
struct ClubRatingTests {
    static let client = Principal(tokenId: "tok_k", name: "Oleg", role: .client, clientId: "cli_1")
    static let studio = Principal(tokenId: "tok_s", name: "Pixel Hands", role: .studio, studioId: "stu_1")

    static func ended() throws -> Engagement {
        var engagement = try EngagementTests.engagement()
        try engagement.terminate(at: epoch.addingTimeInterval(3600))
        return engagement
    }

    static func rate(
        _ engagement: Engagement,
        _ input: ClubRatingInput,
        complaint: Complaint? = nil,
        by principal: Principal = client,
        given: [ClubRating] = []
    ) throws -> ClubRating {
        try ClubRating(id: "crt_1", engagement: engagement, complaint: complaint, input: input, by: principal, given: given, at: epoch)
    }

    // MARK: - The score's arithmetic

    @Test func sixDetractsSevenAndEightArePassiveNinePromotes() {
        #expect(ClubScore.kind(of: 0) == .detractor && ClubScore.kind(of: 6) == .detractor)
        #expect(ClubScore.kind(of: 7) == .passive && ClubScore.kind(of: 8) == .passive)
        #expect(ClubScore.kind(of: 9) == .promoter && ClubScore.kind(of: 10) == .promoter)
        let score = ClubScore(scores: [6, 7, 8, 9])
        #expect(score.count == 4 && score.detractors == 1 && score.passives == 2 && score.promoters == 1)
        #expect(score.score == 0)
    }

    @Test func noRatingsIsNoScoreNotZero() {
        let score = ClubScore(scores: [])
        #expect(score.count == 0 && score.promoters == 0 && score.passives == 0 && score.detractors == 0)
        #expect(score.score == nil)
    }

    @Test func theScoreRunsFromMinusHundredToHundred() {
        #expect(ClubScore(scores: [10, 9]).score == 100)
        #expect(ClubScore(scores: [0, 6]).score == -100)
        #expect(ClubScore(scores: [7, 8]).score == 0)
    }

    @Test func theScoreIsRoundedToAWholeNumberHalvesAwayFromZero() {
        // 1 of 3 promoters: 33.3 → 33; 2 of 3: 66.7 → 67.
        #expect(ClubScore(scores: [10, 7, 7]).score == 33)
        #expect(ClubScore(scores: [10, 9, 7]).score == 67)
        // 1 of 8: 12.5 → 13; −12.5 → −13.
        #expect(ClubScore(scores: [10, 7, 7, 7, 7, 7, 7, 7]).score == 13)
        #expect(ClubScore(scores: [3, 7, 7, 7, 7, 7, 7, 7]).score == -13)
        // 2 promoters, 1 detractor of 6: 16.7 → 17.
        #expect(ClubScore(scores: [9, 9, 2, 8, 8, 8]).score == 17)
    }

    // MARK: - When the club is asked

    @Test func theClubIsRatedOnlyOnceTheEngagementEnded() throws {
        let open = try EngagementTests.engagement()
        #expect(throws: DomainError.self) { _ = try Self.rate(open, ClubRatingInput(score: 9)) }
        do {
            _ = try Self.rate(open, ClubRatingInput(score: 9))
        } catch DomainError.ruleBroken(let rule, _) {
            #expect(rule == .clubRatingNotDue)
        }
        #expect(ClubRatingStatus(engagement: open, complaints: [], ratings: []).awaited.isEmpty)
        let rating = try Self.rate(try Self.ended(), ClubRatingInput(score: 9, comment: "they kept us informed"))
        #expect(rating.occasion == .engagementEnded && rating.complaintId == nil && rating.score == 9)
        #expect(rating.clientId == "cli_1" && rating.recordedBy == "Oleg" && !rating.onBehalf)
    }

    @Test func oneRatingPerOccasion() throws {
        let ended = try Self.ended()
        let first = try Self.rate(ended, ClubRatingInput(score: 4))
        #expect(throws: DomainError.ruleBroken(.clubRatingAlreadyGiven, detail: "the club was already rated on the end of this engagement")) {
            _ = try Self.rate(ended, ClubRatingInput(score: 10), given: [first])
        }
        let status = ClubRatingStatus(engagement: ended, complaints: [], ratings: [first])
        #expect(status.awaited.isEmpty && status.ratings == [first])
        #expect(
            ClubRatingStatus(engagement: ended, complaints: [], ratings: []).awaited
                == [ClubRatingMoment(occasion: .engagementEnded, since: epoch.addingTimeInterval(3600))]
        )
    }

    @Test func aComplaintIsRatedOnlyOnceResolvedAndOnlyOnItsOwnEngagement() throws {
        let engagement = try EngagementTests.engagement()
        let complaint = try ComplaintTests.complaint()
        do {
            _ = try Self.rate(engagement, ClubRatingInput(score: 8, complaintId: complaint.id), complaint: complaint)
            Issue.record("an unresolved complaint was rated")
        } catch DomainError.ruleBroken(let rule, _) {
            #expect(rule == .clubRatingNotDue)
        }
        #expect(
            invalidFields { _ = try Self.rate(engagement, ClubRatingInput(score: 8, complaintId: "cmp_elsewhere"), complaint: nil) }
                == ["complaintId"]
        )
        #expect(invalidFields { _ = try Self.rate(engagement, ClubRatingInput(score: 8, occasion: .complaintResolved)) } == ["complaintId"])
        #expect(
            invalidFields {
                _ = try Self.rate(
                    try Self.ended(),
                    ClubRatingInput(score: 8, occasion: .engagementEnded, complaintId: complaint.id),
                    complaint: complaint
                )
            } == ["complaintId"]
        )
    }

    @Test func theScoreIsFromZeroToTenAndTheCommentBounded() throws {
        let ended = try Self.ended()
        #expect(invalidFields { _ = try Self.rate(ended, ClubRatingInput(score: 11)) } == ["score"])
        #expect(invalidFields { _ = try Self.rate(ended, ClubRatingInput(score: -1)) } == ["score"])
        #expect(invalidFields { _ = try Self.rate(ended, ClubRatingInput(score: 0, comment: String(repeating: "x", count: 4001))) } == ["comment"])
        #expect(try Self.rate(ended, ClubRatingInput(score: 0)).score == 0)
        #expect(try Self.rate(ended, ClubRatingInput(score: 10)).score == 10)
    }

    @Test func aCoordinatorRecordsOnTheClientsBehalfAndAStudioNever() throws {
        let ended = try Self.ended()
        let taken = try Self.rate(ended, ClubRatingInput(score: 7, comment: "said on the phone"), by: coordinator)
        #expect(taken.onBehalf && taken.recordedBy == "Anna" && taken.clientId == "cli_1")
        #expect(throws: DomainError.forbidden(Action.rateClub.refusal)) { _ = try Self.rate(ended, ClubRatingInput(score: 10), by: Self.studio) }
    }
}
