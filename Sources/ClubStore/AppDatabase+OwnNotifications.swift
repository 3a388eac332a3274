import ClubCore
import Foundation
import GRDB

/// What a person reads of their own notifications through the API (docs/design.md §10): the
/// person behind a caller, and their notifications page by page, newest first.
extension AppDatabase {
    /// The person a caller is: a console session's principal carries the person's id, a personal
    /// token names its person; any other token (the bootstrap's, one issued by the head) is nobody.
    public func person(behind principal: Principal) async throws -> Person? {
        try await writer.read { db in
            if let person = try Person.fetchOne(db, key: principal.tokenId) { return person.isActive ? person : nil }
            let sql = "SELECT person.* FROM person JOIN accessToken ON accessToken.personId = person.id WHERE accessToken.id = ?"
            guard let person = try Person.fetchOne(db, sql: sql, arguments: [principal.tokenId]) else { return nil }
            return person.isActive ? person : nil
        }
    }

    /// The person's notifications, newest first, whatever their choice; the cursor is the position
    /// of the last one answered, and the next page starts below it.
    public func notificationPage(of personId: String, page: PageRequest) async throws -> Page<NotificationRecord> {
        try await writer.read { db in
            var sql = "SELECT rowid AS pageCursor, * FROM notification WHERE personId = ?"
            var arguments: StatementArguments = [personId]
            if let after = page.after {
                sql += " AND rowid < ?"
                _ = arguments.append(contentsOf: [after])
            }
            _ = arguments.append(contentsOf: [page.limit + 1])
            let rows = try Row.fetchAll(db, sql: sql + " ORDER BY rowid DESC LIMIT ?", arguments: arguments)
            let visible = rows.prefix(page.limit)
            let next: String? = rows.count > page.limit ? visible.last.map { String($0["pageCursor"] as Int64) } : nil
            return Page(items: visible.map(NotificationRecord.init(row:)), nextCursor: next)
        }
    }
}
