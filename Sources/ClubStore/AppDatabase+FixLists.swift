import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    // MARK: - Writes

    /// A coordinator drafts the final correction list of an engagement, with its first items.
    public func createFixList(_ engagementId: String, _ input: FixListInput, by principal: Principal) async throws -> FixListRecord {
        try Policy.require(principal, .composeFixList)
        let now = clock.now()
        return try await transaction { db in
            guard let engagement = try Engagement.fetchOne(db, key: engagementId) else {
                throw DomainError.notFound(entity: "engagement", id: engagementId)
            }
            guard engagement.status.isOpen else {
                throw DomainError.illegalTransition(entity: "engagement", from: engagement.status.rawValue, action: "take a fix list")
            }
            let note = try input.validatedNote()
            let list = FixList(id: Identifier.make("fxl"), engagementId: engagementId, internalNote: note, by: principal.actor, at: now)
            try list.insert(db)
            try Journal.created("fix-list", id: list.id, list, by: principal.actor, at: now, in: db)
            var items: [FixItem] = []
            for (index, itemInput) in (input.items ?? []).enumerated() {
                let item = try Self.prefixed("items[\(index)].") {
                    try FixItem(
                        id: Identifier.make("fxi"),
                        fixListId: list.id,
                        position: index + 1,
                        input: itemInput,
                        defaultStudioId: engagement.studioId,
                        existing: items
                    )
                }
                try Self.checkStudioExists(item.assignedStudioId, field: "items[\(index)].assignedStudioId", in: db)
                try item.insert(db)
                try Journal.created("fix-item", id: item.id, item, by: principal.actor, at: now, in: db)
                items.append(item)
            }
            return FixListRecord(list: list, items: items, at: now)
        }
    }

    /// Adds an item: part of the draft, or an amendment of an agreed list.
    public func addFixItem(_ listId: String, _ input: FixItemInput, by principal: Principal) async throws -> FixListRecord {
        try Policy.require(principal, .addFixItem)
        return try await changeFixList(listId, by: principal, for: .addFixItem) { list, items, engagement, now, db in
            let item = try FixItem(
                id: Identifier.make("fxi"),
                fixListId: list.id,
                position: (items.map(\.position).max() ?? 0) + 1,
                input: input,
                defaultStudioId: engagement.studioId,
                existing: items
            )
            try Self.checkStudioExists(item.assignedStudioId, field: "assignedStudioId", in: db)
            try item.insert(db)
            try Journal.created("fix-item", id: item.id, item, by: principal.actor, at: now, in: db)
            items.append(item)
            return true
        }
    }

    /// Rewords an item: a plain edit of the draft, or an amendment of an agreed list.
    public func updateFixItem(_ itemId: String, _ patch: FixItemPatch, ifVersion: Int?, by principal: Principal) async throws -> FixListRecord {
        try Policy.require(principal, .editFixItem)
        let action: @Sendable (FixItem) -> String = { _ in "reworded" }
        return try await changeFixItem(itemId, ifVersion: ifVersion, action: action, by: principal, for: .editFixItem) { item, list, items, _, db in
            if let studioId = patch.assignedStudioId { try Self.checkStudioExists(studioId, field: "assignedStudioId", in: db) }
            return try item.reword(patch, existing: items, listIsFinal: list.isFinal)
        }
    }

    /// Removes an item: at once from a draft, as an amendment from an agreed list.
    public func removeFixItem(_ itemId: String, by principal: Principal) async throws -> FixListRecord {
        try Policy.require(principal, .removeFixItem)
        let action: @Sendable (FixItem) -> String = { $0.isRemoved ? "removed" : "removal-proposed" }
        return try await changeFixItem(itemId, ifVersion: nil, action: action, by: principal, for: .removeFixItem) { item, list, _, _, _ in
            try item.remove(listIsFinal: list.isFinal)
            return true
        }
    }

    /// The assigned studio strikes its item: done means struck.
    public func strikeFixItem(_ itemId: String, _ input: StrikeInput, by principal: Principal) async throws -> FixListRecord {
        try Policy.require(principal, .strikeFixItem)
        let action: @Sendable (FixItem) -> String = { _ in "struck" }
        return try await changeFixItem(itemId, ifVersion: nil, action: action, by: principal, for: .strikeFixItem) { item, _, _, now, _ in
            try item.strike(input, by: principal, at: now)
            return false
        }
    }

    /// The client or a coordinator reopens a struck item, with a reason.
    public func reopenFixItem(_ itemId: String, _ input: ReopenInput, by principal: Principal) async throws -> FixListRecord {
        try Policy.require(principal, .reopenFixItem)
        let action: @Sendable (FixItem) -> String = { _ in "reopened" }
        return try await changeFixItem(itemId, ifVersion: nil, action: action, by: principal, for: .reopenFixItem) { item, _, _, now, _ in
            try item.reopen(input, by: principal, at: now)
            return false
        }
    }

    /// The client or the studio of the engagement confirms the list (or its amendment).
    public func confirmFixList(_ listId: String, by principal: Principal) async throws -> FixListRecord {
        try Policy.require(principal, .confirmFixList)
        let now = clock.now()
        return try await transaction { db in
            guard var list = try FixList.fetchOne(db, key: listId), let engagement = try Engagement.fetchOne(db, key: list.engagementId),
                try Self.reaches(list, engagement: engagement, principal, for: .confirmFixList, db)
            else { throw DomainError.notFound(entity: "fix list", id: listId) }
            // A studio assigned an item sees the list, but only the engagement's own parties confirm it.
            guard Policy.reaches(principal, .confirmFixList, engagement.owners) else {
                throw DomainError.forbidden("the engagement's studio confirms the list for the studio side")
            }
            var items = try Self.items(of: listId, in: db)
            let before = items
            let oldList = list
            let agreed = try list.confirm(by: principal, items: &items, at: now)
            try list.update(db)
            try Journal.changed(
                "fix-list",
                id: listId,
                action: agreed ? "agreed" : "confirmed-by-\(principal.role.rawValue)",
                from: oldList,
                to: list,
                by: principal.actor,
                at: now,
                in: db
            )
            for (old, new) in zip(before, items) where old != new {
                try new.update(db)
                try Journal.changed(
                    "fix-item",
                    id: new.id,
                    action: new.isRemoved ? "removed" : "agreed",
                    from: old,
                    to: new,
                    by: principal.actor,
                    at: now,
                    in: db
                )
            }
            return FixListRecord(list: list, items: items, at: now)
        }
    }

    // MARK: - Reads

    /// Coordinators; the engagement's client; its studio, or a studio assigned an item. Else 404.
    public func fixList(_ id: String, for principal: Principal) async throws -> FixListRecord {
        try Policy.require(principal, .readFixList)
        let now = clock.now()
        return try await writer.read { db in
            guard let list = try Self.fixListRow(id, in: db), let engagement = try Self.engagementRow(list.engagementId, in: db),
                try Self.reaches(list, engagement: engagement, principal, for: .readFixList, db)
            else { throw DomainError.notFound(entity: "fix list", id: id) }
            return FixListRecord(list: list, items: try Self.items(of: id, in: db), at: now)
        }
    }

    /// Every journal event of the list and its items, oldest first.
    public func fixListHistory(_ id: String, page: PageRequest, for principal: Principal) async throws -> Page<JournalEvent> {
        _ = try await fixList(id, for: principal)
        var arguments: StatementArguments = [id, id]
        var cursor = ""
        if let after = page.after {
            cursor = "AND seq > ?"
            _ = arguments.append(contentsOf: [after])
        }
        _ = arguments.append(contentsOf: [page.limit + 1])
        let rows = try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM journal
                    WHERE ((entityType = 'fix-list' AND entityId = ?)
                        OR (entityType = 'fix-item' AND entityId IN (SELECT id FROM fixItem WHERE fixListId = ?))) \(cursor)
                    ORDER BY seq LIMIT ?
                    """,
                arguments: arguments
            )
        }
        let events = rows.prefix(page.limit).map(Journal.event(from:))
        return Page(items: Array(events), nextCursor: rows.count > page.limit ? events.last.map { String($0.seq) } : nil)
    }

    // MARK: - Shared helpers

    /// The list's items in order. Hot (every read and strike of a list): a cached statement
    /// spares SQLite compiling the query each time.
    static func items(of listId: String, in db: Database) throws -> [FixItem] {
        try FixItem.fetchAll(db.cachedStatement(sql: "SELECT * FROM fixItem WHERE fixListId = ? ORDER BY position"), arguments: [listId])
    }

    static func fixListRow(_ id: String, in db: Database) throws -> FixList? {
        try FixList.fetchOne(db.cachedStatement(sql: "SELECT * FROM fixList WHERE id = ?"), arguments: [id])
    }

    static func engagementRow(_ id: String, in db: Database) throws -> Engagement? {
        try Engagement.fetchOne(db.cachedStatement(sql: "SELECT * FROM engagement WHERE id = ?"), arguments: [id])
    }

    static func checkStudioExists(_ id: String, field: String, in db: Database) throws {
        guard try Studio.exists(db, key: id) else { throw DomainError.invalid(field, "no studio has id '\(id)'") }
    }

    /// Re-labels validation errors with the item's place in the request (`items[2].statement`).
    static func prefixed<T>(_ prefix: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch DomainError.invalid(let errors) {
            throw DomainError.invalid(errors.map { FieldError(field: prefix + $0.field, message: $0.message) })
        }
    }

    /// One change to a list's items in one transaction: the change, the list's own state (an
    /// amendment reopens confirmation; striking may finish the list), and their journal events.
    private func changeFixList(
        _ listId: String,
        by principal: Principal,
        for right: Action,
        _ change: @Sendable @escaping (FixList, inout [FixItem], Engagement, Date, Database) throws -> Bool
    ) async throws -> FixListRecord {
        let now = clock.now()
        return try await transaction { db in
            guard var list = try FixList.fetchOne(db, key: listId), let engagement = try Engagement.fetchOne(db, key: list.engagementId),
                try Self.reaches(list, engagement: engagement, principal, for: right, db)
            else { throw DomainError.notFound(entity: "fix list", id: listId) }
            var items = try Self.items(of: listId, in: db)
            let amends = try change(list, &items, engagement, now, db)
            try Self.settle(&list, items: items, amends: amends, by: principal, at: now, in: db)
            return FixListRecord(list: list, items: items, at: now)
        }
    }

    private func changeFixItem(
        _ itemId: String,
        ifVersion: Int?,
        action: @Sendable @escaping (FixItem) -> String,
        by principal: Principal,
        for right: Action,
        _ change: @Sendable @escaping (inout FixItem, FixList, [FixItem], Date, Database) throws -> Bool
    ) async throws -> FixListRecord {
        let now = clock.now()
        return try await transaction { db in
            guard let found = try FixItem.fetchOne(db.cachedStatement(sql: "SELECT * FROM fixItem WHERE id = ?"), arguments: [itemId]),
                var list = try Self.fixListRow(found.fixListId, in: db),
                let engagement = try Self.engagementRow(list.engagementId, in: db),
                try Self.reaches(list, engagement: engagement, principal, for: right, db)
            else { throw DomainError.notFound(entity: "fix item", id: itemId) }
            if let ifVersion, ifVersion != found.version { throw StoreError.versionMismatch(current: found.version) }
            var items = try Self.items(of: list.id, in: db)
            var item = found
            let amends = try change(&item, list, items, now, db)
            guard item != found else { return FixListRecord(list: list, items: items, at: now) }
            try item.update(db)
            try Journal.changed("fix-item", id: item.id, action: action(item), from: found, to: item, by: principal.actor, at: now, in: db)
            if let index = items.firstIndex(where: { $0.id == item.id }) { items[index] = item }
            try Self.settle(&list, items: items, amends: amends, by: principal, at: now, in: db)
            return FixListRecord(list: list, items: items, at: now)
        }
    }

    /// Brings the list's status in line with its items, makes the change a new version of the
    /// list (its `ETag`), and journals the list when more than its version changed.
    private static func settle(_ list: inout FixList, items: [FixItem], amends: Bool, by principal: Principal, at now: Date, in db: Database) throws {
        let old = list
        if amends { list.openAmendment(at: now) }
        list.refreshDone(items: items)
        let statusChanged =
            list.status != old.status || list.revision != old.revision
            || list.clientConfirmation != old.clientConfirmation || list.studioConfirmation != old.studioConfirmation
        if list.version == old.version { list.touch(at: now) }
        try list.update(db)
        guard statusChanged else { return }
        let action = list.status == .done ? "done" : (list.status == .amending && old.status != .amending ? "amendment-opened" : "status-changed")
        try Journal.changed("fix-list", id: list.id, action: action, from: old, to: list, by: principal.actor, at: now, in: db)
    }
}
