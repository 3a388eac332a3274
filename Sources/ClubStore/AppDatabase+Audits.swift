import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    // MARK: - Writes

    /// A coordinator logs a third party's audit finding by finding.
    public func createAudit(_ engagementId: String, _ input: AuditInput, by principal: Principal) async throws -> Audit {
        try Policy.require(principal, .logAudit)
        let now = clock.now()
        let findingIds = input.findings.map { _ in Identifier.make("afn") }
        return try await transaction { db in
            guard let engagement = try Engagement.fetchOne(db, key: engagementId) else {
                throw DomainError.notFound(entity: "engagement", id: engagementId)
            }
            let audit = try Audit(id: Identifier.make("aud"), engagement: engagement, input: input, findingIds: findingIds, at: now)
            try audit.insert(db)
            for finding in audit.findings {
                try db.execute(sql: "INSERT INTO auditFinding (id, auditId) VALUES (?, ?)", arguments: [finding.id, audit.id])
            }
            try Journal.created("audit", id: audit.id, audit, by: principal.actor, at: now, in: db)
            return audit
        }
    }

    /// The club's position on a finding (coordinators), or an argument proposed by the audited studio.
    public func rebut(findingId: String, _ input: RebuttalInput, by principal: Principal) async throws -> Audit {
        try Policy.require(principal, .rebutFinding)
        let now = clock.now()
        return try await transaction { db in
            guard let auditId = try String.fetchOne(db, sql: "SELECT auditId FROM auditFinding WHERE id = ?", arguments: [findingId]),
                var audit = try Audit.fetchOne(db, key: auditId), Policy.reaches(principal, .rebutFinding, audit.owners)
            else { throw DomainError.notFound(entity: "audit finding", id: findingId) }
            let old = audit
            try audit.rebut(findingId: findingId, input, by: principal, at: now)
            try audit.update(db)
            let action = principal.role == .studio ? "studio-argument-proposed" : "rebuttal-written"
            try Journal.changed("audit", id: audit.id, action: action, from: old, to: audit, by: principal.actor, at: now, in: db)
            return audit
        }
    }

    public func answerAudit(_ id: String, by principal: Principal) async throws -> Audit {
        try Policy.require(principal, .answerAudit)
        return try await update(Audit.self, entity: "audit", id: id, ifVersion: nil, action: "answered", by: principal) { audit, now in
            try audit.answer(at: now)
        }
    }

    public func closeAudit(_ id: String, _ closing: AuditClosing, by principal: Principal) async throws -> Audit {
        try Policy.require(principal, .closeAudit)
        return try await update(Audit.self, entity: "audit", id: id, ifVersion: nil, action: "closed", by: principal) { audit, now in
            try audit.close(closing, at: now)
        }
    }

    // MARK: - Reads

    /// Coordinators, the audited studio and the engagement's client; nobody else (404).
    public func audit(_ id: String, for principal: Principal) async throws -> Audit {
        try Policy.require(principal, .readAudit)
        let audit = try await writer.read { db in try Audit.fetchOne(db, key: id) }
        guard let audit, Policy.reaches(principal, .readAudit, audit.owners) else { throw DomainError.notFound(entity: "audit", id: id) }
        return audit
    }

    /// Every audit the club logged, in the order logged (coordinators: those who log them).
    public func audits(page: PageRequest, for principal: Principal) async throws -> Page<Audit> {
        try Policy.require(principal, .logAudit)
        return try await self.page(Audit.self, from: "audit", page: page)
    }

    /// The response letter, generated from the record, in `language` (a catalog's language
    /// code; the default language when nil or unknown).
    public func responseLetter(
        _ id: String,
        format: ResponseLetter.Format,
        language: String? = nil,
        for principal: Principal
    ) async throws -> String {
        let audit = try await audit(id, for: principal)
        let names = try await writer.read { db in
            (
                try String.fetchOne(db, sql: "SELECT name FROM studio WHERE id = ?", arguments: [audit.studioId]) ?? "",
                try String.fetchOne(db, sql: "SELECT name FROM client WHERE id = ?", arguments: [audit.clientId]) ?? ""
            )
        }
        let localizer = Catalogs.bundled.localizer(for: language)
        return try ResponseLetter(audit: audit, studioName: names.0, clientName: names.1, localizer: localizer).render(format)
    }
}
