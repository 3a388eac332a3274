import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    /// One retrospective per engagement, written by a coordinator.
    public func createRetrospective(_ engagementId: String, _ input: RetrospectiveInput, by principal: Principal) async throws -> Retrospective {
        try principal.requireCoordinator("write retrospectives")
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
        try await writer.read { db in
            guard let engagement = try Engagement.fetchOne(db, key: engagementId), Self.reaches(engagement, principal) else {
                throw DomainError.notFound(entity: "engagement", id: engagementId)
            }
            guard let retrospective = try Retrospective.filter(Column("engagementId") == engagementId).fetchOne(db) else {
                throw DomainError.notFound(entity: "retrospective of engagement", id: engagementId)
            }
            return retrospective
        }
    }

    /// Lessons across the club containing `query` (case-insensitive), newest first (coordinators).
    public func lessons(matching query: String?, page: PageRequest, for principal: Principal) async throws -> Page<Lesson> {
        try principal.requireCoordinator("search the club's lessons")
        let needle = (query ?? "").lowercased()
        var arguments: StatementArguments = ["%\(needle)%"]
        var cursor = ""
        if let after = page.after {
            cursor = "AND (r.rowid * 1000 + CAST(l.key AS INTEGER)) < ?"
            _ = arguments.append(contentsOf: [after])
        }
        _ = arguments.append(contentsOf: [page.limit + 1])
        let rows = try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT l.value AS lesson, r.engagementId, r.id, r.recordedAt, r.rowid * 1000 + CAST(l.key AS INTEGER) AS position
                FROM retrospective r, json_each(r.lessons) l
                WHERE lower(l.value) LIKE ? \(cursor)
                ORDER BY position DESC LIMIT ?
                """, arguments: arguments)
        }
        let lessons = rows.prefix(page.limit).map { Lesson(lesson: $0["lesson"], engagementId: $0["engagementId"], retrospectiveId: $0["id"], recordedAt: $0["recordedAt"]) }
        let next: String? = rows.count > page.limit ? rows.prefix(page.limit).last.map { String($0["position"] as Int64) } : nil
        return Page(items: Array(lessons), nextCursor: next)
    }
}
