import ClubCore
import Foundation
import GRDB

extension EvidenceFile: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "evidenceFile"
}

/// The entity name of evidence files in the journal.
let evidenceFileEntity = "evidence-file"

extension AppDatabase {
    /// The sniffer for the next upload to an object, after checking that the caller may attach files to it and that it
    /// is open: a refusal (403, 404, 409, 413 for a full object) comes before a byte of the body is read.
    public func fileSniffer(for kind: FileOwnerKind, _ id: String, by principal: Principal) async throws -> FileSniffer {
        let limits = rules.files
        return try await writer.read { db in
            let owner = try Self.fileOwner(kind, id, in: db)
            try EvidenceFile.checkAttach(to: owner, by: principal)
            let held = try Self.held(by: owner, in: db)
            return try limits.sniffer(objectHolds: held.count, bytes: held.bytes)
        }
    }

    /// Records an upload on its object: the row and its journal event in one transaction, the content moved into the
    /// vault only once that has committed (docs/design.md §11.2). A refused change throws the staged content away.
    public func attachFile(
        _ staged: StagedFile,
        to kind: FileOwnerKind,
        _ id: String,
        name: String,
        caption: String?,
        by principal: Principal
    ) async throws -> EvidenceFile {
        let limits = rules.files
        let now = clock.now()
        let file: EvidenceFile
        do {
            file = try await transaction { db in
                let owner = try Self.fileOwner(kind, id, in: db)
                let file = try EvidenceFile(
                    id: Identifier.make("fil"),
                    on: owner,
                    content: staged.content,
                    sha256: staged.sha256,
                    name: name,
                    caption: caption,
                    by: principal,
                    at: now
                )
                // Uploads to one object run side by side; only here, in the write transaction, is the total certain.
                let held = try Self.held(by: owner, in: db)
                let sniffer = try limits.sniffer(objectHolds: held.count, bytes: held.bytes)
                guard file.size <= sniffer.maxBytes else { throw limits.refusalForBody(over: sniffer.maxBytes) }
                try file.insert(db)
                try Journal.created(evidenceFileEntity, id: file.id, file, by: principal.actor, at: now, in: db)
                return file
            }
        } catch {
            vault.discard(staged)
            throw error
        }
        try vault.place(staged)
        return file
    }

    /// The files of an object, oldest first, for whoever may read the object.
    public func files(on kind: FileOwnerKind, _ id: String, for principal: Principal) async throws -> [EvidenceFile] {
        try await writer.read { db in
            let owner = try Self.fileOwner(kind, id, in: db)
            try EvidenceFile.checkRead(of: owner, by: principal)
            return try Self.files(on: kind, id, in: db)
        }
    }

    /// One file, for whoever may read its object (404 for anyone else).
    public func file(_ id: String, for principal: Principal) async throws -> EvidenceFile {
        try await writer.read { db in
            let file = try Self.fileRow(id, in: db)
            try Self.asFile(id) { try EvidenceFile.checkRead(of: try Self.fileOwner(file.objectType, file.objectId, in: db), by: principal) }
            return file
        }
    }

    /// Removes a file from its object: its uploader or a coordinator, while the object is open. The content stays in
    /// the vault until the next start-up check finds nothing referring to it, so that a backup running meanwhile
    /// never misses a content its copy of the database names.
    public func removeFile(_ id: String, by principal: Principal) async throws {
        let now = clock.now()
        try await transaction { db in
            let file = try Self.fileRow(id, in: db)
            try Self.asFile(id) { try file.checkRemoval(from: try Self.fileOwner(file.objectType, file.objectId, in: db), by: principal) }
            try file.delete(db)
            try Journal.append(
                Journal.Change(entityType: evidenceFileEntity, entityId: id, action: "removed", texts: (JSONText.fieldTexts(of: file), [:])),
                by: principal.actor,
                at: now,
                in: db
            )
        }
    }

    /// Every file of an engagement, for its case file and the pages that show a whole engagement. Unchecked: the
    /// caller has already established that the reader may read the engagement.
    public func files(ofEngagement engagementId: String) async throws -> [EvidenceFile] {
        try await writer.read { db in
            try EvidenceFile.fetchAll(
                db,
                sql: "SELECT * FROM evidenceFile WHERE engagementId = ? ORDER BY uploadedAt, rowid",
                arguments: [engagementId]
            )
        }
    }

    static func files(on kind: FileOwnerKind, _ id: String, in db: Database) throws -> [EvidenceFile] {
        try EvidenceFile.fetchAll(
            db,
            sql: "SELECT * FROM evidenceFile WHERE objectType = ? AND objectId = ? ORDER BY uploadedAt, rowid",
            arguments: [kind.rawValue, id]
        )
    }

    static func fileRow(_ id: String, in db: Database) throws -> EvidenceFile {
        guard let file = try EvidenceFile.fetchOne(db, key: id) else { throw DomainError.notFound(entity: "file", id: id) }
        return file
    }

    /// A file out of reach is answered as a missing file: its object's kind and id are not the caller's to learn.
    static func asFile(_ id: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch DomainError.notFound {
            throw DomainError.notFound(entity: "file", id: id)
        }
    }

    static func held(by owner: FileOwner, in db: Database) throws -> (count: Int, bytes: Int) {
        let row = try Row.fetchOne(
            db,
            sql: "SELECT COUNT(*) AS count, COALESCE(SUM(size), 0) AS bytes FROM evidenceFile WHERE objectType = ? AND objectId = ?",
            arguments: [owner.kind.rawValue, owner.id]
        )
        return (row?["count"] ?? 0, row?["bytes"] ?? 0)
    }

    /// The object files hang on, found from its own rows: whose it is, and whether it still takes changes.
    static func fileOwner(_ kind: FileOwnerKind, _ id: String, in db: Database) throws -> FileOwner {
        let missing = DomainError.notFound(entity: kind.entity, id: id)
        switch kind {
        case .fixItem:
            guard let item = try FixItem.fetchOne(db, key: id), let list = try fixListRow(item.fixListId, in: db),
                let engagement = try engagementRow(list.engagementId, in: db)
            else { throw missing }
            var ownership = engagement.owners
            ownership.studioIds.append(item.assignedStudioId)
            let closed: String? =
                if item.isRemoved { "the item was removed from its list" } else if item.state == .accepted { "the item is accepted" } else { nil }
            return FileOwner(kind: kind, id: id, engagementId: engagement.id, ownership: ownership, closedBecause: closed)
        case .audit, .auditFinding:
            let auditId = kind == .audit ? id : try String.fetchOne(db, sql: "SELECT auditId FROM auditFinding WHERE id = ?", arguments: [id])
            guard let auditId, let audit = try Audit.fetchOne(db, key: auditId) else { throw missing }
            let closed = audit.status == .closed ? "the audit is closed" : nil
            return FileOwner(kind: kind, id: id, engagementId: audit.engagementId, ownership: audit.owners, closedBecause: closed)
        case .complaint:
            guard let complaint = try Complaint.fetchOne(db, key: id) else { throw missing }
            let closed = complaint.status == .resolved ? "the complaint is resolved" : nil
            return FileOwner(kind: kind, id: id, engagementId: complaint.engagementId, ownership: complaint.owners, closedBecause: closed)
        case .checkIn:
            guard let checkIn = try CheckIn.fetchOne(db, key: id), let engagement = try engagementRow(checkIn.engagementId, in: db) else {
                throw missing
            }
            let closed = engagement.status.isOpen ? nil : "the engagement is \(engagement.status.rawValue)"
            return FileOwner(kind: kind, id: id, engagementId: engagement.id, ownership: engagement.owners, closedBecause: closed)
        }
    }
}
