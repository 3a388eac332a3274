import GRDB

extension AppDatabase {
    /// The fix list a committed change belongs to, if any: the list itself, one of its items,
    /// one of its share links or a comment on an item. Live views of a list use it to know when to refresh.
    public func fixListId(touchedBy change: Change) async throws -> String? {
        let table: String
        switch change.entityType {
        case "fix-list": return change.entityId
        case "fix-item": table = "fixItem"
        case "share-link": table = "shareLink"
        case "fix-item-comment": table = "fixItemComment"
        case evidenceFileEntity: return try await fixListId(ofFile: change.entityId)
        default: return nil
        }
        return try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT fixListId FROM \(table) WHERE id = ?", arguments: [change.entityId])
        }
    }
}
