import GRDB

extension AppDatabase {
    /// The fix list a committed change belongs to, if any: the list itself, one of its items,
    /// one of its share links, a comment on an item or a file on one. Live views of a list use it to know when to refresh.
    public func fixListId(touchedBy change: Change) async throws -> String? {
        let table: String
        switch change.entityType {
        case "fix-list": return change.entityId
        case "fix-item": table = "fixItem"
        case "share-link": table = "shareLink"
        case "fix-item-comment": table = "fixItemComment"
        case evidenceFileEntity:
            // A removed file has no row left: its events' images still name the item.
            if let list = try await fixListId(ofFile: change.entityId) { return list }
            return try await writer.read { db in
                try String.fetchOne(
                    db,
                    sql: """
                        SELECT fixItem.fixListId FROM journal JOIN fixItem
                            ON fixItem.id = COALESCE(json_extract(journal.before, '$.objectId'), json_extract(journal.after, '$.objectId'))
                        WHERE journal.seq = ?
                            AND COALESCE(json_extract(journal.before, '$.objectType'), json_extract(journal.after, '$.objectType')) = 'fix-item'
                        """,
                    arguments: [change.seq]
                )
            }
        default: return nil
        }
        return try await writer.read { db in
            // Asked for every committed change while a live page is open: a cached statement.
            try String.fetchOne(db.cachedStatement(sql: "SELECT fixListId FROM \(table) WHERE id = ?"), arguments: [change.entityId])
        }
    }
}
