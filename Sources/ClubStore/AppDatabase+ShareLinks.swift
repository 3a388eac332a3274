import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    /// A coordinator, or the engagement's client, makes a read-only link to the list's page.
    public func createShareLink(_ listId: String, _ input: ShareLinkInput, by principal: Principal) async throws -> IssuedShareLink {
        try Policy.require(principal, .createShareLink)
        let now = clock.now()
        return try await transaction { db in
            guard let list = try FixList.fetchOne(db, key: listId), let engagement = try Engagement.fetchOne(db, key: list.engagementId),
                Policy.reaches(principal, .createShareLink, engagement.owners)
            else { throw DomainError.notFound(entity: "fix list", id: listId) }
            let link = try ShareLink(id: Identifier.make("shr"), fixListId: listId, input: input, by: principal.actor, at: now)
            let token = TokenSecret.generate(prefix: TokenSecret.sharePrefix)
            try db.execute(
                sql: "INSERT INTO shareLink (id, fixListId, tokenHash, expiresAt, createdAt, createdBy, revokedAt) VALUES (?, ?, ?, ?, ?, ?, NULL)",
                arguments: [link.id, listId, TokenSecret.hash(token), link.expiresAt, now, link.createdBy]
            )
            try Journal.created("share-link", id: link.id, link, by: principal.actor, at: now, in: db)
            return IssuedShareLink(link: link, token: token)
        }
    }

    public func revokeShareLink(_ id: String, by principal: Principal) async throws -> ShareLink {
        try Policy.require(principal, .revokeShareLink)
        let now = clock.now()
        return try await transaction { db in
            guard var link = try ShareLink.fetchOne(db, sql: "SELECT * FROM shareLink WHERE id = ?", arguments: [id]),
                let list = try FixList.fetchOne(db, key: link.fixListId), let engagement = try Engagement.fetchOne(db, key: list.engagementId),
                Policy.reaches(principal, .revokeShareLink, engagement.owners)
            else { throw DomainError.notFound(entity: "share link", id: id) }
            let old = link
            try link.revoke(at: now)
            try db.execute(sql: "UPDATE shareLink SET revokedAt = ? WHERE id = ?", arguments: [link.revokedAt, id])
            try Journal.changed("share-link", id: id, action: "revoked", from: old, to: link, by: principal.actor, at: now, in: db)
            return link
        }
    }

    /// What a share token opens: the list, or that the link is gone, or nothing at all.
    public func sharedFixList(token: String) async throws -> SharedFixList {
        guard token.count <= 256 else { return .unknown }
        return try await shared(where: "tokenHash = ?", TokenSecret.hash(token))
    }

    /// The same, for a page already open on link `linkId` (its live updates).
    public func sharedFixList(linkId: String) async throws -> SharedFixList {
        try await shared(where: "id = ?", linkId)
    }

    private func shared(where condition: String, _ value: String) async throws -> SharedFixList {
        let now = clock.now()
        return try await writer.read { db in
            guard let link = try ShareLink.fetchOne(db, sql: "SELECT * FROM shareLink WHERE \(condition)", arguments: [value]) else {
                return .unknown
            }
            guard link.isUsable(at: now), let list = try FixList.fetchOne(db, key: link.fixListId),
                let engagement = try Engagement.fetchOne(db, key: list.engagementId)
            else { return .gone }
            let context = ShareContext(
                clientName: try String.fetchOne(db, sql: "SELECT name FROM client WHERE id = ?", arguments: [engagement.clientId]) ?? "",
                studioName: try String.fetchOne(db, sql: "SELECT name FROM studio WHERE id = ?", arguments: [engagement.studioId]) ?? ""
            )
            return .available(FixListRecord(list: list, items: try Self.items(of: list.id, in: db), at: now, in: rules.timeZone), link, context)
        }
    }
}

extension AppDatabase {
    /// The images of a shared list's items, by item id, oldest first (docs/design.md §11.5). The page is public by
    /// link and read-only, so it shows pictures only: PDFs and texts stay behind sign-in. Removed items show nothing.
    public func sharedImages(ofList listId: String) async throws -> [String: [EvidenceFile]] {
        try await writer.read { db in Dictionary(grouping: try Self.sharedImages(ofList: listId, in: db), by: \.objectId) }
    }

    /// One image through a share token: nil unless the token opens its list now and the file is an image on one of
    /// the list's items, so that a link reveals nothing beyond its own page.
    public func sharedImage(_ fileId: String, token: String) async throws -> EvidenceFile? {
        guard fileId.count <= 64, case .available(let record, _, _) = try await sharedFixList(token: token) else { return nil }
        return try await writer.read { db in try Self.sharedImages(ofList: record.list.id, only: fileId, in: db).first }
    }

    static func sharedImages(ofList listId: String, only fileId: String? = nil, in db: Database) throws -> [EvidenceFile] {
        let images = FileType.allCases.filter(\.isImage).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        var arguments: StatementArguments = [FileOwnerKind.fixItem.rawValue, listId]
        var sql =
            "SELECT evidenceFile.* FROM evidenceFile JOIN fixItem ON fixItem.id = evidenceFile.objectId"
            + " WHERE evidenceFile.objectType = ? AND fixItem.fixListId = ? AND NOT fixItem.isRemoved AND evidenceFile.type IN (\(images))"
        if let fileId {
            sql += " AND evidenceFile.id = ?"
            arguments += [fileId]
        }
        return try EvidenceFile.fetchAll(db, sql: sql + " ORDER BY evidenceFile.uploadedAt, evidenceFile.rowid", arguments: arguments)
    }

    /// The list whose share pages show a file, while the file is on one of its items.
    func fixListId(ofFile fileId: String) async throws -> String? {
        try await writer.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT fixItem.fixListId FROM evidenceFile JOIN fixItem ON fixItem.id = evidenceFile.objectId"
                    + " WHERE evidenceFile.id = ? AND evidenceFile.objectType = ?",
                arguments: [fileId, FileOwnerKind.fixItem.rawValue]
            )
        }
    }
}
