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
            let correction = try audit.rebut(findingId: findingId, input, by: principal, at: now)
            if let correction {
                let item = try Self.putCorrection(correction, findingId: findingId, of: audit, by: principal, at: now, in: db)
                audit.link(findingId: findingId, toFixItem: item.id, onList: item.fixListId)
            }
            try audit.update(db)
            let action = principal.role == .studio ? "studio-argument-proposed" : "rebuttal-written"
            try Journal.changed("audit", id: audit.id, action: action, from: old, to: audit, by: principal.actor, at: now, in: db)
            return audit
        }
    }

    /// An accepted finding's correction on the audited engagement's fix list (docs/design.md
    /// §3.8): added to its draft, or proposed as an amendment of its agreed list (both sides
    /// confirm again, as for any amendment: `settle`), or the first item of a new draft. The list
    /// is the engagement's latest; the item names the finding. Field errors are `correction.…`.
    private static func putCorrection(
        _ input: FixItemInput,
        findingId: String,
        of audit: Audit,
        by principal: Principal,
        at now: Date,
        in db: Database
    ) throws -> FixItem {
        try Policy.require(principal, .addFixItem)
        guard let engagement = try engagementRow(audit.engagementId, in: db) else {
            throw DomainError.notFound(entity: "engagement", id: audit.engagementId)
        }
        let latest = try FixList.fetchOne(
            db,
            sql: "SELECT * FROM fixList WHERE engagementId = ? ORDER BY rowid DESC LIMIT 1",
            arguments: [engagement.id]
        )
        var list: FixList
        if let latest {
            list = latest
        } else {
            try Policy.require(principal, .composeFixList)
            guard engagement.status.isOpen else {
                throw DomainError.illegalTransition(entity: "engagement", from: engagement.status.rawValue, action: "take a fix list")
            }
            list = FixList(id: Identifier.make("fxl"), engagementId: engagement.id, by: principal.actor, at: now)
            try list.insert(db)
            try Journal.created("fix-list", id: list.id, list, by: principal.actor, at: now, in: db)
        }
        var items = try Self.items(of: list.id, in: db)
        let item = try prefixed("correction.") {
            try FixItem(
                id: Identifier.make("fxi"),
                fixListId: list.id,
                position: (items.map(\.position).max() ?? 0) + 1,
                input: input,
                defaultStudioId: engagement.studioId,
                existing: items,
                findingId: findingId
            )
        }
        try item.insert(db)
        try Journal.created("fix-item", id: item.id, item, by: principal.actor, at: now, in: db)
        items.append(item)
        try settle(&list, items: items, amends: true, by: principal, at: now, in: db)
        return item
    }

    public func answerAudit(_ id: String, by principal: Principal) async throws -> Audit {
        try Policy.require(principal, .answerAudit)
        return try await update(Audit.self, entity: "audit", id: id, ifVersion: nil, action: "answered", by: principal) { audit, now in
            try audit.answer(at: now, by: principal.name)
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

    /// Where the findings that became fix items stand in their audits, by finding id, so that an
    /// item links back to its finding (docs/design.md §3.8). Findings of audits outside the
    /// caller's reach are left out.
    public func findingPlaces(_ findingIds: [String], for principal: Principal) async throws -> [String: FindingPlace] {
        guard !findingIds.isEmpty, Policy.allows(principal, .readAudit) else { return [:] }
        return try await writer.read { db in
            let auditIds = try String.fetchAll(
                db,
                sql: "SELECT DISTINCT auditId FROM auditFinding WHERE id IN (SELECT value FROM json_each(?))",
                arguments: [JSONText.encode(findingIds)]
            )
            var places: [String: FindingPlace] = [:]
            for audit in try Audit.fetchAll(db, keys: auditIds) where Policy.reaches(principal, .readAudit, audit.owners) {
                for finding in audit.findings where findingIds.contains(finding.id) {
                    places[finding.id] = FindingPlace(auditId: audit.id, auditor: audit.auditor, position: finding.position)
                }
            }
            return places
        }
    }

    /// The fix items the audit's accepted findings led to, by finding id, as they read now (an
    /// amendment may have reworded them). For an audit the caller has already read.
    public func corrections(of audit: Audit) async throws -> [String: FixItem] {
        let itemIds = audit.findings.compactMap(\.fixItemId)
        guard !itemIds.isEmpty else { return [:] }
        let items = try await writer.read { db in try FixItem.fetchAll(db, keys: itemIds) }
        return Dictionary(items.compactMap { item in item.findingId.map { ($0, item) } }, uniquingKeysWith: { first, _ in first })
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
        let (studioName, client, auditFiles, findingFiles) = try await writer.read { db in
            (
                try String.fetchOne(db, sql: "SELECT name FROM studio WHERE id = ?", arguments: [audit.studioId]) ?? "",
                try Client.fetchOne(db, key: audit.clientId),
                // Whoever may read the audit may see its files and its findings' (FileOwnerKind.readAction).
                try Self.files(on: .audit, audit.id, in: db),
                try Dictionary(uniqueKeysWithValues: audit.findings.map { ($0.id, try Self.files(on: .auditFinding, $0.id, in: db)) })
            )
        }
        let corrections = try await corrections(of: audit)
        let localizer = Catalogs.bundled.localizer(for: language)
        return try ResponseLetter(
            audit: audit,
            studioName: studioName,
            clientName: client?.name ?? "",
            localizer: localizer,
            zone: rules.timeZone,
            contact: client?.contacts.first,
            corrections: corrections,
            findingFiles: findingFiles,
            auditFiles: auditFiles
        )
        .render(format)
    }
}

/// A finding's place: its audit, who wrote the audit, and its number there.
public struct FindingPlace: Sendable, Equatable {
    public let auditId: String
    public let auditor: String
    public let position: Int
}
