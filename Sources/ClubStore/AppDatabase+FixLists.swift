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
            return FixListRecord(list: list, items: items, at: now, in: rules.timeZone)
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

    /// The assigned studio strikes its item; it then awaits the client's check (docs/design.md §3.7).
    public func strikeFixItem(_ itemId: String, _ input: StrikeInput, by principal: Principal) async throws -> FixListRecord {
        try Policy.require(principal, .strikeFixItem)
        let zone = rules.timeZone
        let action: @Sendable (FixItem) -> String = { _ in "struck" }
        return try await changeFixItem(itemId, ifVersion: nil, action: action, by: principal, for: .strikeFixItem) { item, _, _, now, _ in
            try item.strike(input, by: principal, at: now, in: zone)
            return false
        }
    }

    /// The client or a coordinator reopens a struck item, with a reason and the new due day.
    public func reopenFixItem(_ itemId: String, _ input: ReopenInput, by principal: Principal) async throws -> FixListRecord {
        try Policy.require(principal, .reopenFixItem)
        let zone = rules.timeZone
        let action: @Sendable (FixItem) -> String = { _ in "reopened" }
        return try await changeFixItem(itemId, ifVersion: nil, action: action, by: principal, for: .reopenFixItem) { item, _, _, now, _ in
            try item.reopen(input, by: principal, at: now, in: zone)
            return false
        }
    }

    /// The engagement's client accepts a struck item (a coordinator may, on its behalf, saying
    /// how the client agreed); the list is done once every item is accepted.
    public func acceptFixItem(_ itemId: String, _ input: AcceptInput, by principal: Principal) async throws -> FixListRecord {
        try Policy.require(principal, .acceptFixItem)
        let action: @Sendable (FixItem) -> String = { _ in "accepted" }
        return try await changeFixItem(itemId, ifVersion: nil, action: action, by: principal, for: .acceptFixItem) { item, _, _, now, _ in
            try item.accept(input, by: principal, at: now)
            return false
        }
    }

    /// Accepts, as the daemon, every struck item nobody checked within `days` of its strike
    /// (the club's rule when not given), each with an `auto-accepted` event by the system actor;
    /// returns how many. Run by the daemon's fix item service, and by tests with a clock they move.
    @discardableResult
    public func autoAcceptDueFixItems(days: Int? = nil) async throws -> Int {
        let days = days ?? rules.fixItemAutoAcceptDays
        let now = clock.now()
        return try await transaction { db in
            let cutoff = now.addingTimeInterval(-Double(days) * 24 * 3600)
            let listIds = try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT fixListId FROM fixItem
                    WHERE state = 'struck' AND NOT isRemoved AND struckAt <= ? ORDER BY fixListId
                    """,
                arguments: [cutoff]
            )
            var accepted = 0
            for listId in listIds {
                guard var list = try Self.fixListRow(listId, in: db) else { continue }
                var items = try Self.items(of: listId, in: db)
                var changed = false
                for index in items.indices {
                    let old = items[index]
                    guard items[index].autoAccept(at: now, days: days) else { continue }
                    try items[index].updateRow(db)
                    try Journal.changed("fix-item", id: old.id, action: "auto-accepted", from: old, to: items[index], by: .system, at: now, in: db)
                    accepted += 1
                    changed = true
                }
                if changed { try Self.settle(&list, items: items, amends: false, by: Actor.system, at: now, in: db) }
            }
            return accepted
        }
    }

    /// A remark on an item by one of the list's parties (the club, the engagement's client, a
    /// studio working on the list); journaled as a `fix-item-comment`.
    public func commentOnFixItem(_ itemId: String, _ input: FixItemCommentInput, by principal: Principal) async throws -> FixItemComment {
        try Policy.require(principal, .commentOnFixItem)
        let now = clock.now()
        return try await transaction { db in
            let item = try Self.reachableItem(itemId, principal, for: .commentOnFixItem, in: db)
            let comment = try FixItemComment(id: Identifier.make("fxc"), item: item, input: input, by: principal, at: now)
            try comment.insert(db)
            try Journal.created("fix-item-comment", id: comment.id, comment, by: principal.actor, at: now, in: db)
            return comment
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
            try list.updateRow(db)
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
                try new.updateRow(db)
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
            return FixListRecord(list: list, items: items, at: now, in: rules.timeZone)
        }
    }

    // MARK: - Reads

    /// An item's comments, oldest first, for whoever reads its list; 404 for anyone else.
    public func fixItemComments(_ itemId: String, for principal: Principal) async throws -> [FixItemComment] {
        try Policy.require(principal, .readFixList)
        return try await writer.read { db in
            _ = try Self.reachableItem(itemId, principal, for: .readFixList, in: db)
            return try FixItemComment.filter(Column("fixItemId") == itemId).order(Column("createdAt"), Column("rowid")).fetchAll(db)
        }
    }

    /// Every comment on a list's items, oldest first, for whoever reads the list.
    public func fixListComments(_ listId: String, for principal: Principal) async throws -> [FixItemComment] {
        _ = try await fixList(listId, for: principal)
        return try await writer.read { db in
            try FixItemComment.filter(Column("fixListId") == listId).order(Column("createdAt"), Column("rowid")).fetchAll(db)
        }
    }

    /// Coordinators; the engagement's client; its studio, or a studio assigned an item. Else 404.
    public func fixList(_ id: String, for principal: Principal) async throws -> FixListRecord {
        try Policy.require(principal, .readFixList)
        let now = clock.now()
        return try await writer.read { db in
            guard let list = try Self.fixListRow(id, in: db), let owners = try Self.engagementOwners(list.engagementId, in: db),
                try Self.reaches(list, owners: owners, principal, for: .readFixList, db)
            else { throw DomainError.notFound(entity: "fix list", id: id) }
            return FixListRecord(list: list, items: try Self.items(of: id, in: db), at: now, in: rules.timeZone)
        }
    }

    /// An engagement's fix lists, oldest first, each as `fixList(_:for:)` reads it: all of them
    /// for coordinators and the engagement's client and studio; for a studio assigned items in
    /// another studio's engagement, the lists that hold them. Anyone else, or no such engagement: 404.
    public func fixLists(ofEngagement engagementId: String, for principal: Principal) async throws -> [FixListRecord] {
        let now = clock.now()
        return try await writer.read { db in
            let lists = try Self.readableRows(FixList.self, table: "fixList", of: engagementId, for: principal, reading: .readFixList, in: db) {
                list,
                owners in try Self.reaches(list, owners: owners, principal, for: .readFixList, db)
            }
            return try lists.map { FixListRecord(list: $0, items: try Self.items(of: $0.id, in: db), at: now, in: rules.timeZone) }
        }
    }

    /// Every journal event of the list, its items and their comments, oldest first.
    public func fixListHistory(_ id: String, page: PageRequest, for principal: Principal) async throws -> Page<JournalEvent> {
        _ = try await fixList(id, for: principal)
        var arguments: StatementArguments = [id, id, id]
        var cursor = ""
        if let after = page.after {
            cursor = "AND seq > ?"
            _ = arguments.append(contentsOf: [after])
        }
        _ = arguments.append(contentsOf: [page.limit + 1])
        // Events, not rows, leave the read (a `Row` is not `Sendable`), which keeps the read asynchronous.
        let fetched = try await writer.read { [arguments, cursor] db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM journal
                    WHERE ((entityType = 'fix-list' AND entityId = ?)
                        OR (entityType = 'fix-item' AND entityId IN (SELECT id FROM fixItem WHERE fixListId = ?))
                        OR (entityType = 'fix-item-comment' AND entityId IN (SELECT id FROM fixItemComment WHERE fixListId = ?))) \(cursor)
                    ORDER BY seq LIMIT ?
                    """,
                arguments: arguments
            )
            .map(Journal.event(from:))
        }
        let events = fetched.prefix(page.limit)
        return Page(items: Array(events), nextCursor: fetched.count > page.limit ? events.last.map { String($0.seq) } : nil)
    }

    // MARK: - Shared helpers

    /// The list's items in order. Hot (every read and strike of a list): a cached statement
    /// spares SQLite compiling the query each time.
    static func items(of listId: String, in db: Database) throws -> [FixItem] {
        try Array(
            Row.fetchCursor(db.cachedStatement(sql: FixItem.selection + " WHERE fixListId = ? ORDER BY position"), arguments: [listId]).map(
                FixItem.selected
            )
        )
    }

    /// The item, if its list is within the caller's reach for `action`; else 404.
    static func reachableItem(_ itemId: String, _ principal: Principal, for action: Action, in db: Database) throws -> FixItem {
        guard let item = try Row.fetchOne(db.cachedStatement(sql: FixItem.selection + " WHERE id = ?"), arguments: [itemId]).map(FixItem.selected),
            let list = try fixListRow(item.fixListId, in: db),
            let owners = try engagementOwners(list.engagementId, in: db),
            try reaches(list, owners: owners, principal, for: action, db)
        else { throw DomainError.notFound(entity: "fix item", id: itemId) }
        return item
    }

    static func fixListRow(_ id: String, in db: Database) throws -> FixList? {
        try FixList.fetchOne(db.cachedStatement(sql: "SELECT * FROM fixList WHERE id = ?"), arguments: [id])
    }

    static func engagementRow(_ id: String, in db: Database) throws -> Engagement? {
        try Engagement.fetchOne(db.cachedStatement(sql: "SELECT * FROM engagement WHERE id = ?"), arguments: [id])
    }

    /// An engagement's parties (`Engagement.owners`) without the rest of its row: a rights check
    /// on a list needs no more, and decoding the whole engagement was a twentieth of a list's read
    /// (docs/performance.md).
    static func engagementOwners(_ id: String, in db: Database) throws -> Ownership? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT studioId, clientId FROM engagement WHERE id = ?"), arguments: [id]).map {
            Ownership(studioIds: [$0[0]], clientId: $0[1])
        }
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
        let (list, items) = try await transaction { db in
            guard var list = try FixList.fetchOne(db, key: listId), let engagement = try Engagement.fetchOne(db, key: list.engagementId),
                try Self.reaches(list, engagement: engagement, principal, for: right, db)
            else { throw DomainError.notFound(entity: "fix list", id: listId) }
            var items = try Self.items(of: listId, in: db)
            let amends = try change(list, &items, engagement, now, db)
            try Self.settle(&list, items: items, amends: amends, by: principal.actor, at: now, in: db)
            return (list, items)
        }
        return FixListRecord(list: list, items: items, at: now, in: rules.timeZone)
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
        // The answer's record (progress, overdue days) is worked out after the commit, off the writer,
        // which every mutation waits for (docs/performance.md, fifth round).
        let (list, items) = try await transaction { db in
            guard
                let found = try Row.fetchOne(db.cachedStatement(sql: FixItem.selection + " WHERE id = ?"), arguments: [itemId]).map(FixItem.selected),
                var list = try Self.fixListRow(found.fixListId, in: db),
                let owners = try Self.engagementOwners(list.engagementId, in: db),
                try Self.reaches(list, owners: owners, principal, for: right, db)
            else { throw DomainError.notFound(entity: "fix item", id: itemId) }
            if let ifVersion, ifVersion != found.version { throw StoreError.versionMismatch(current: found.version) }
            var items = try Self.items(of: list.id, in: db)
            var item = found
            let amends = try change(&item, list, items, now, db)
            guard item != found else { return (list, items) }
            try item.updateRow(db, from: found)
            try Journal.changed(
                "fix-item",
                id: item.id,
                action: action(item),
                fromTree: found.jsonTree,
                toTree: item.jsonTree,
                by: principal.actor,
                at: now,
                in: db
            )
            if let index = items.firstIndex(where: { $0.id == item.id }) { items[index] = item }
            try Self.settle(&list, items: items, amends: amends, by: principal.actor, at: now, in: db)
            return (list, items)
        }
        return FixListRecord(list: list, items: items, at: now, in: rules.timeZone)
    }

    /// Brings the list's status in line with its items, makes the change a new version of the
    /// list (its `ETag`), and journals the list when more than its version changed.
    static func settle(_ list: inout FixList, items: [FixItem], amends: Bool, by principal: Principal, at now: Date, in db: Database) throws {
        try settle(&list, items: items, amends: amends, by: principal.actor, at: now, in: db)
    }

    /// The same, for a change made by `actor` (the daemon's own, when it accepts unchecked items).
    static func settle(_ list: inout FixList, items: [FixItem], amends: Bool, by actor: Actor, at now: Date, in db: Database) throws {
        let old = list
        if amends { list.openAmendment(at: now) }
        list.refreshDone(items: items)
        let statusChanged =
            list.status != old.status || list.revision != old.revision
            || list.clientConfirmation != old.clientConfirmation || list.studioConfirmation != old.studioConfirmation
        if list.version == old.version { list.touch(at: now) }
        var touched = old
        touched.touch(at: now)
        // Most changes to an item (every strike) leave the list as it was but for its version.
        if list == touched { try list.updateVersionRow(db) } else { try list.updateRow(db) }
        guard statusChanged else { return }
        let action = list.status == .done ? "done" : (list.status == .amending && old.status != .amending ? "amendment-opened" : "status-changed")
        try Journal.changed("fix-list", id: list.id, action: action, fromTree: old.jsonTree, toTree: list.jsonTree, by: actor, at: now, in: db)
    }
}

extension FixItemComment: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "fixItemComment"
}
