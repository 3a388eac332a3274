import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    /// The share links of a list, newest first, for whoever may make and revoke them (the
    /// engagement's client, coordinators): when each was made and by whom, when it expires, and
    /// whether it was revoked. Tokens are stored hashed; none is ever answered again.
    public func shareLinks(of listId: String, for principal: Principal) async throws -> [ShareLink] {
        try Policy.require(principal, .createShareLink)
        return try await writer.read { db in
            guard let list = try FixList.fetchOne(db, key: listId), let engagement = try Engagement.fetchOne(db, key: list.engagementId),
                Policy.reaches(principal, .createShareLink, engagement.owners)
            else { throw DomainError.notFound(entity: "fix list", id: listId) }
            return try ShareLink.fetchAll(
                db,
                sql: """
                    SELECT id, fixListId, expiresAt, createdAt, createdBy, revokedAt FROM shareLink
                    WHERE fixListId = ? ORDER BY createdAt DESC, rowid DESC
                    """,
                arguments: [listId]
            )
        }
    }
}
