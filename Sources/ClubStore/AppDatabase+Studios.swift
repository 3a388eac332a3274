import ClubCore
import Foundation
import GRDB

/// Filters of `GET /v1/studios`.
public struct StudioFilter: Sendable {
    public var status: StudioStatus?
    public var competence: String?

    public init(status: StudioStatus? = nil, competence: String? = nil) {
        self.status = status
        self.competence = competence
    }
}

extension AppDatabase {
    // MARK: - Writes

    public func createStudio(_ input: StudioInput, by principal: Principal) async throws -> Studio {
        try Policy.require(principal, .registerStudio)
        let rules = rules
        return try await insert(entity: "studio", by: principal) { now in
            let id = Identifier.make("stu")
            return (id, try Studio(id: id, input: input, rules: rules, at: now))
        }
    }

    public func updateStudio(_ id: String, _ patch: StudioPatch, ifVersion: Int?, by principal: Principal) async throws -> Studio {
        try Policy.require(principal, .editStudio)
        let rules = rules
        return try await update(Studio.self, entity: "studio", id: id, ifVersion: ifVersion, action: "updated", by: principal) { studio, now in
            try studio.apply(patch, rules: rules, at: now)
        }
    }

    public func recordVettingCheck(_ id: String, _ check: VettingCheckInput, by principal: Principal) async throws -> Studio {
        try Policy.require(principal, .recordVettingCheck)
        return try await update(Studio.self, entity: "studio", id: id, ifVersion: nil, action: "vetting-check-recorded", by: principal) {
            studio,
            now in
            try studio.record(check, by: principal.actor, at: now)
        }
    }

    public func decideStudio(_ id: String, _ decision: DecisionInput, by principal: Principal) async throws -> Studio {
        try Policy.require(principal, .decideStudio)
        let rules = rules
        return try await update(
            Studio.self,
            entity: "studio",
            id: id,
            ifVersion: nil,
            action: "decision-\(decision.decision.rawValue)",
            by: principal
        ) { studio, now in
            try studio.decide(decision, by: principal, rules: rules, at: now)
        }
    }

    public func addConductNote(_ id: String, _ note: ConductNoteInput, by principal: Principal) async throws -> Studio {
        try Policy.require(principal, .recordConductNote)
        return try await update(Studio.self, entity: "studio", id: id, ifVersion: nil, action: "conduct-note-added", by: principal) { studio, now in
            try studio.addConductNote(note, by: principal.actor, at: now)
        }
    }

    // MARK: - Reads

    /// A studio as the caller may see it: coordinators any, a studio its own, a client the
    /// studios it has an engagement or an accepted referral with; otherwise 404. What of it each
    /// reads is the field visibility's to say.
    public func studio(_ id: String, for principal: Principal) async throws -> Studio {
        try Policy.require(principal, .readStudio)
        return try await writer.read { db in
            guard let studio = try Studio.fetchOne(db, key: id),
                try Policy.reaches(principal, .readStudio, try Self.owners(ofStudio: id, askedBy: principal, in: db))
            else {
                throw DomainError.notFound(entity: "studio", id: id)
            }
            return studio
        }
    }

    public func studios(_ filter: StudioFilter, page: PageRequest, for principal: Principal) async throws -> Page<Studio> {
        try Policy.require(principal, .listStudios)
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let status = filter.status {
            conditions.append("status = ?")
            _ = arguments.append(contentsOf: [status.rawValue])
        }
        if let competence = filter.competence {
            conditions.append("EXISTS (SELECT 1 FROM studioCompetence WHERE studioId = studio.id AND competence = ?)")
            _ = arguments.append(contentsOf: [competence])
        }
        return try await self.page(Studio.self, from: "studio", where: conditions, arguments: arguments, page: page)
    }
}

extension AppDatabase {
    /// Imports studios that were vetted elsewhere (a migration, a benchmark's club), each
    /// journaled as imported, all in one transaction. Registering in bulk: the same right.
    public func importStudios(_ studios: [Studio], by principal: Principal) async throws {
        try Policy.require(principal, .registerStudio)
        let now = clock.now()
        try await transaction { db in
            for studio in studios {
                try studio.insert(db)
                try Journal.append(
                    Journal.Change(entityType: "studio", entityId: studio.id, action: "imported", texts: ([:], JSONText.fieldTexts(of: studio))),
                    by: principal.actor,
                    at: now,
                    in: db
                )
            }
        }
    }
}
