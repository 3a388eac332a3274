import ClubCore
import Foundation
import GRDB

extension ClubRating: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "clubRating"
}

/// One rating in the club's report, named so that a coordinator knows whose words they are.
public struct ClubRatingComment: Sendable, Codable, Equatable {
    public let ratingId: String
    public let engagementId: String
    public let clientId: String
    public let clientName: String
    public let studioId: String
    public let studioName: String
    public let occasion: ClubRatingOccasion
    public let complaintId: String?
    public let score: Int
    public let comment: String
    public let givenAt: Date
    public let onBehalf: Bool
}

/// The club's own score over a period of days on the club's clock, both ends included
/// (docs/design.md §3.12): the count of ratings, promoters, passives and detractors, the score,
/// and the ratings that came with a comment, newest first.
public struct ClubScoreReport: Sendable, Encodable, Equatable {
    public let from: Day
    public let to: Day
    /// The zone whose days the period counts (the club's).
    public let timeZone: String
    public let summary: ClubScore
    public let comments: [ClubRatingComment]

    enum CodingKeys: String, CodingKey {
        case from, to, timeZone, count, promoters, passives, detractors, score, comments
    }

    /// Flat, with `score` always present: `null` says there were no ratings to score.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encode(summary.count, forKey: .count)
        try container.encode(summary.promoters, forKey: .promoters)
        try container.encode(summary.passives, forKey: .passives)
        try container.encode(summary.detractors, forKey: .detractors)
        try container.encode(summary.score, forKey: .score)
        try container.encode(comments, forKey: .comments)
    }
}

extension AppDatabase {
    /// How many days the club's report covers when no period is given, today included.
    public static let clubScoreDefaultDays = 90

    /// The client's rating of the club (or a coordinator's record of it, taken on a call), on the
    /// engagement's end or a complaint's resolution; journaled as `club-rating` `created`.
    public func rateClub(_ engagementId: String, _ input: ClubRatingInput, by principal: Principal) async throws -> ClubRating {
        try Policy.require(principal, .rateClub)
        let now = clock.now()
        return try await transaction { db in
            guard let engagement = try Engagement.fetchOne(db, key: engagementId), Policy.reaches(principal, .rateClub, engagement.owners) else {
                throw DomainError.notFound(entity: "engagement", id: engagementId)
            }
            let complaint = try input.complaintId.flatMap { try Complaint.fetchOne(db, key: $0) }
            let rating = try ClubRating(
                id: Identifier.make("crt"),
                engagement: engagement,
                complaint: complaint,
                input: input,
                by: principal,
                given: try Self.clubRatings(of: engagementId, in: db),
                at: now
            )
            try rating.insert(db)
            try Journal.created("club-rating", id: rating.id, rating, by: principal.actor, at: now, in: db)
            return rating
        }
    }

    /// Whether the engagement's client is asked about the club now, and what it said so far.
    public func clubRatingStatus(_ engagementId: String, for principal: Principal) async throws -> ClubRatingStatus {
        try Policy.require(principal, .readClubRating)
        return try await writer.read { db in
            guard let engagement = try Engagement.fetchOne(db, key: engagementId),
                Policy.reaches(principal, .readClubRating, engagement.owners)
            else {
                throw DomainError.notFound(entity: "engagement", id: engagementId)
            }
            return ClubRatingStatus(
                engagement: engagement,
                complaints: try Complaint.filter(Column("engagementId") == engagementId).order(sql: "rowid").fetchAll(db),
                ratings: try Self.clubRatings(of: engagementId, in: db)
            )
        }
    }

    /// The club's score over `from`…`to` (days on the club's clock, both included); without them,
    /// the last `clubScoreDefaultDays` days up to today. Coordinators only.
    public func clubScore(from: Day?, to: Day?, for principal: Principal) async throws -> ClubScoreReport {
        try Policy.require(principal, .readClubScore)
        let zone = rules.timeZone
        let last = to ?? rules.today(at: clock.now())
        let first = from ?? last.adding(days: 1 - Self.clubScoreDefaultDays)
        guard first <= last else { throw DomainError.invalid("from", "must not be after to (\(last))") }
        return try await writer.read { db in
            let ratings = try ClubRating.fetchAll(
                db,
                sql: "SELECT * FROM clubRating WHERE givenAt >= ? AND givenAt < ? ORDER BY givenAt DESC, rowid DESC",
                arguments: [first.start(in: zone), last.end(in: zone)]
            )
            let commented = ratings.filter { !($0.comment ?? "").isEmpty }
            var names: [String: (client: Client?, studio: Studio?, engagement: Engagement?)] = [:]
            for engagementId in Set(commented.map(\.engagementId)) {
                let engagement = try Engagement.fetchOne(db, key: engagementId)
                names[engagementId] = (
                    try engagement.flatMap { try Client.fetchOne(db, key: $0.clientId) },
                    try engagement.flatMap { try Studio.fetchOne(db, key: $0.studioId) },
                    engagement
                )
            }
            let comments = commented.map { rating in
                let named = names[rating.engagementId]
                return ClubRatingComment(
                    ratingId: rating.id,
                    engagementId: rating.engagementId,
                    clientId: rating.clientId,
                    clientName: named?.client?.name ?? rating.clientId,
                    studioId: named?.engagement?.studioId ?? "",
                    studioName: named?.studio?.name ?? "",
                    occasion: rating.occasion,
                    complaintId: rating.complaintId,
                    score: rating.score,
                    comment: rating.comment ?? "",
                    givenAt: rating.givenAt,
                    onBehalf: rating.onBehalf
                )
            }
            return ClubScoreReport(
                from: first,
                to: last,
                timeZone: zone.identifier,
                summary: ClubScore(scores: ratings.map(\.score)),
                comments: comments
            )
        }
    }

    /// The ratings of one engagement, oldest first.
    static func clubRatings(of engagementId: String, in db: Database) throws -> [ClubRating] {
        try ClubRating.filter(Column("engagementId") == engagementId).order(sql: "givenAt, rowid").fetchAll(db)
    }
}
