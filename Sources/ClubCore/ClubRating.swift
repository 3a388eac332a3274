import Foundation

/// When the client is asked about the club itself (docs/design.md §3.12): once its engagement has
/// ended, and once after each of its complaints was resolved.
public enum ClubRatingOccasion: String, Codable, Sendable, CaseIterable {
    case engagementEnded = "engagement_ended"
    case complaintResolved = "complaint_resolved"
}

/// Input of `POST /v1/engagements/{id}/club-rating`. Without `occasion` a rating naming a
/// complaint is for its resolution, one naming none for the end of the engagement.
public struct ClubRatingInput: Codable, Sendable {
    public let score: Int
    public let comment: String?
    public let occasion: ClubRatingOccasion?
    public let complaintId: String?

    public init(score: Int, comment: String? = nil, occasion: ClubRatingOccasion? = nil, complaintId: String? = nil) {
        self.score = score
        self.comment = comment
        self.occasion = occasion
        self.complaintId = complaintId
    }

    /// The occasion the input is for, said or implied.
    public var impliedOccasion: ClubRatingOccasion { occasion ?? (complaintId == nil ? .engagementEnded : .complaintResolved) }
}

/// One moment at which the club may be rated: the end of an engagement or one resolved complaint.
public struct ClubRatingMoment: Codable, Sendable, Hashable {
    public let occasion: ClubRatingOccasion
    public let complaintId: String?
    /// When the moment came: the engagement's end or the complaint's resolution.
    public let since: Date

    public init(occasion: ClubRatingOccasion, complaintId: String? = nil, since: Date) {
        self.occasion = occasion
        self.complaintId = complaintId
        self.since = since
    }

    /// The moments an engagement offers: its end once it is completed or terminated, and each of
    /// its complaints once resolved, in the order they came.
    public static func offered(by engagement: Engagement, complaints: [Complaint]) -> [ClubRatingMoment] {
        var moments: [ClubRatingMoment] = []
        if !engagement.status.isOpen, let endedAt = engagement.endedAt {
            moments.append(ClubRatingMoment(occasion: .engagementEnded, since: endedAt))
        }
        for complaint in complaints where complaint.engagementId == engagement.id && complaint.status == .resolved {
            guard let resolvedAt = complaint.resolution?.resolvedAt else { continue }
            moments.append(ClubRatingMoment(occasion: .complaintResolved, complaintId: complaint.id, since: resolvedAt))
        }
        return moments.sorted { $0.since < $1.since }
    }

    /// Whether a rating was given for this moment.
    public func isRated(by ratings: [ClubRating]) -> Bool {
        ratings.contains { $0.occasion == occasion && $0.complaintId == complaintId }
    }
}

/// The client's answer to "how likely are you to recommend the club?" (0–10) and why. It is about
/// the club's own mediation: it never feeds a studio's scorecard or the matching score.
public struct ClubRating: Codable, Sendable, Equatable {
    public let id: String
    public let engagementId: String
    public let clientId: String
    public let occasion: ClubRatingOccasion
    public let complaintId: String?
    public let score: Int
    public let comment: String?
    /// Who recorded it: the client, or a coordinator who took it down for the client (on a call).
    public let recordedBy: String
    /// True when a coordinator recorded the client's words on its behalf.
    public let onBehalf: Bool
    public let givenAt: Date

    /// Only after the moment came (`club-rating-not-due`), once per moment (`club-rating-already-given`).
    /// `complaint` is the engagement's complaint named by `complaintId`, nil when there is none.
    public init(
        id: String,
        engagement: Engagement,
        complaint: Complaint?,
        input: ClubRatingInput,
        by principal: Principal,
        given: [ClubRating],
        at now: Date
    ) throws {
        try Policy.require(principal, .rateClub)
        var validator = Validator()
        validator.check((0...10).contains(input.score), "score", "must be from 0 to 10")
        let comment = validator.optionalText(input.comment, "comment")
        let occasion = input.impliedOccasion
        switch occasion {
        case .engagementEnded:
            validator.check(input.complaintId == nil, "complaintId", "is given only with the occasion complaint_resolved")
        case .complaintResolved:
            if input.complaintId == nil {
                validator.fail("complaintId", "is required with the occasion complaint_resolved")
            } else {
                validator.check(complaint?.engagementId == engagement.id, "complaintId", "names no complaint of this engagement")
            }
        }
        try validator.finish()
        let complaintId = occasion == .complaintResolved ? complaint?.id : nil
        let offered = ClubRatingMoment.offered(by: engagement, complaints: complaint.map { [$0] } ?? [])
        guard let moment = offered.first(where: { $0.occasion == occasion && $0.complaintId == complaintId }) else {
            throw DomainError.ruleBroken(
                .clubRatingNotDue,
                detail: occasion == .engagementEnded
                    ? "the club is rated on an engagement's end only once it is completed or terminated (it is \(engagement.status.rawValue))"
                    : "the club is rated on a complaint only once it is resolved"
            )
        }
        if moment.isRated(by: given) {
            throw DomainError.ruleBroken(
                .clubRatingAlreadyGiven,
                detail: occasion == .engagementEnded
                    ? "the club was already rated on the end of this engagement"
                    : "the club was already rated on the resolution of complaint \(complaintId ?? "")"
            )
        }
        self.id = id
        self.engagementId = engagement.id
        self.clientId = engagement.clientId
        self.occasion = occasion
        self.complaintId = complaintId
        self.score = input.score
        self.comment = comment
        self.recordedBy = principal.name
        self.onBehalf = principal.role == .coordinator
        self.givenAt = now
    }
}

/// What `GET /v1/engagements/{id}/club-rating` answers: whether the client is asked about the
/// club now (`awaited`: the moments not yet rated, oldest first) and the ratings given.
public struct ClubRatingStatus: Codable, Sendable, Equatable {
    public let engagementId: String
    public let awaited: [ClubRatingMoment]
    public let ratings: [ClubRating]

    public init(engagement: Engagement, complaints: [Complaint], ratings: [ClubRating]) {
        self.engagementId = engagement.id
        self.awaited = ClubRatingMoment.offered(by: engagement, complaints: complaints).filter { !$0.isRated(by: ratings) }
        self.ratings = ratings.sorted { $0.givenAt < $1.givenAt }
    }
}

/// The club's score over a set of ratings, net-promoter style: promoters (9–10) less detractors
/// (0–6), each as a percentage of all ratings, rounded to a whole number (halves away from zero);
/// passives (7–8) count only in the total. Nil without ratings: no score is not a score of 0.
public struct ClubScore: Codable, Sendable, Equatable {
    public let count: Int
    public let promoters: Int
    public let passives: Int
    public let detractors: Int
    /// From −100 (all detractors) to 100 (all promoters).
    public let score: Int?

    public init(scores: [Int]) {
        count = scores.count
        promoters = scores.filter { Self.kind(of: $0) == .promoter }.count
        passives = scores.filter { Self.kind(of: $0) == .passive }.count
        detractors = scores.filter { Self.kind(of: $0) == .detractor }.count
        score = count == 0 ? nil : Int((Double(promoters - detractors) * 100 / Double(count)).rounded(.toNearestOrAwayFromZero))
    }

    public enum Kind: String, Sendable {
        case promoter, passive, detractor
    }

    /// 9 and 10 promote, 7 and 8 are passive, 6 and below detract.
    public static func kind(of score: Int) -> Kind {
        switch score {
        case 9...: .promoter
        case 7...8: .passive
        default: .detractor
        }
    }
}
