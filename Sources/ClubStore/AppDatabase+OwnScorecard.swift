import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    /// One studio's scorecard, computed as `scorecards` computes every studio's (the same
    /// outcomes, the same rating): coordinators any studio's, a studio its own; another studio's,
    /// or one that does not exist, answers 404. A client never reads a scorecard (403).
    public func scorecard(studioId: String, for principal: Principal) async throws -> Scorecard {
        try Policy.require(principal, .readOwnScorecard)
        guard Policy.reaches(principal, .readOwnScorecard, Ownership(studioIds: [studioId])) else {
            throw DomainError.notFound(entity: "studio", id: studioId)
        }
        let hours = rules.referralAnswerHours
        return try await writer.read { db in
            guard let name = try String.fetchOne(db, sql: "SELECT name FROM studio WHERE id = ?", arguments: [studioId]) else {
                throw DomainError.notFound(entity: "studio", id: studioId)
            }
            let outcomes = try Self.studioOutcomes(in: db)[studioId] ?? StudioOutcomes()
            return Scorecard(studioId: studioId, name: name, outcomes: outcomes, answerWindowHours: hours)
        }
    }
}
