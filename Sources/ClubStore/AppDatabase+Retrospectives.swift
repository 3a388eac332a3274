import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    /// One retrospective per engagement, written by a coordinator.
    public func createRetrospective(_ engagementId: String, _ input: RetrospectiveInput, by principal: Principal) async throws -> Retrospective {
        try Policy.require(principal, .writeRetrospective)
        let now = clock.now()
        return try await transaction { db in
            guard try Engagement.exists(db, key: engagementId) else { throw DomainError.notFound(entity: "engagement", id: engagementId) }
            guard try Retrospective.filter(Column("engagementId") == engagementId).fetchCount(db) == 0 else {
                throw DomainError.ruleBroken(.retrospectiveExists, detail: "engagement \(engagementId) already has its retrospective")
            }
            let retrospective = try Retrospective(id: Identifier.make("rtr"), engagementId: engagementId, input: input, by: principal.actor, at: now)
            try retrospective.insert(db)
            try Journal.created("retrospective", id: retrospective.id, retrospective, by: principal.actor, at: now, in: db)
            return retrospective
        }
    }

    /// Coordinators, the engagement's client and its studio.
    public func retrospective(of engagementId: String, for principal: Principal) async throws -> Retrospective {
        try Policy.require(principal, .readRetrospective)
        return try await writer.read { db in
            guard let engagement = try Engagement.fetchOne(db, key: engagementId),
                Policy.reaches(principal, .readRetrospective, engagement.owners)
            else {
                throw DomainError.notFound(entity: "engagement", id: engagementId)
            }
            guard let retrospective = try Retrospective.filter(Column("engagementId") == engagementId).fetchOne(db) else {
                throw DomainError.notFound(entity: "retrospective of engagement", id: engagementId)
            }
            return retrospective
        }
    }

    /// Lessons across the club containing `query` (case-insensitive, any script), newest first
    /// (coordinators). Matching happens here rather than in SQL: SQLite's `lower()` and `LIKE`
    /// fold ASCII only, and a club's lessons are few enough to read.
    public func lessons(matching query: String?, page: PageRequest, for principal: Principal) async throws -> Page<Lesson> {
        try Policy.require(principal, .searchLessons)
        let needle = (query ?? "").lowercased()
        // Lessons, not rows, leave the read (a `Row` is not `Sendable`), which keeps the read asynchronous.
        let found = try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT l.value AS lesson, r.engagementId, r.id, r.recordedAt, r.rowid * 1000 + CAST(l.key AS INTEGER) AS position
                    FROM retrospective r, json_each(r.lessons) l
                    ORDER BY position DESC
                    """
            )
            .map { row in
                let lesson = Lesson(
                    lesson: row["lesson"],
                    engagementId: row["engagementId"],
                    retrospectiveId: row["id"],
                    recordedAt: row["recordedAt"]
                )
                return (lesson: lesson, position: row["position"] as Int64)
            }
        }
        let matching = found.filter { entry in
            (needle.isEmpty || entry.lesson.lesson.lowercased().contains(needle)) && page.after.map { entry.position < $0 } ?? true
        }
        let visible = matching.prefix(page.limit)
        let lessons = visible.map(\.lesson)
        let next: String? = matching.count > page.limit ? visible.last.map { String($0.position) } : nil
        return Page(items: Array(lessons), nextCursor: next)
    }
}
