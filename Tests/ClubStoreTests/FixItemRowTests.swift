import ClubCore
import Foundation
import GRDB
import Synchronization
import Testing

@testable import ClubStore

/// Fix items are read by hand (`FixItem.init(row:)`, docs/performance.md) for speed: the reading
/// must give exactly what the `Decodable` bridge gave, for items in every state.
@Suite("Fix items read by hand")
struct FixItemRowTests {
    /// GRDB's `Decodable` reading of a fix item, as the store did it before.
    struct DecodedItem: Decodable, FetchableRecord {
        let item: FixItem
        init(from decoder: any Decoder) throws { item = try FixItem(from: decoder) }
    }

    @Test func everyStateReadsTheSameByHandAsThroughDecodable() async throws {
        let (club, list, studio, client) = try await FixListStoreTests.agreedList()
        let database = club.database
        let items = list.items.map(\.id)
        // Two rounds and an acceptance with a note; a strike awaiting its check; an amendment pending
        // with an internal note; a removal pending.
        _ = try await database.strikeFixItem(items[0], StrikeInput(note: "deployed"), by: studio)
        _ = try await database.reopenFixItem(items[0], ReopenInput(reason: "broken on mobile", due: Day("2027-02-01")), by: client)
        _ = try await database.strikeFixItem(items[0], StrikeInput(note: "fixed for mobile"), by: studio)
        _ = try await database.acceptFixItem(items[0], AcceptInput(note: "works, thank you"), by: client)
        _ = try await database.strikeFixItem(items[1], StrikeInput(note: "compressed the images"), by: studio)
        let added = try await database.addFixItem(
            list.list.id,
            FixItemInput(
                statement: "Prices in roubles",
                acceptance: "the price list shows ₽",
                due: try #require(Day("2027-03-01")),
                internalNote: "asked twice"
            ),
            by: head
        )
        _ = try await database.removeFixItem(items[1], by: head)

        let (byHand, byPlace, decoded, tableColumns) = try await database.writer.read { db in
            (
                try FixItem.fetchAll(db, sql: "SELECT * FROM fixItem ORDER BY position"),
                try Array(Row.fetchCursor(db, sql: FixItem.selection + " ORDER BY position").map(FixItem.selected)),
                try DecodedItem.fetchAll(db, sql: "SELECT * FROM fixItem ORDER BY position").map(\.item),
                try db.columns(in: "fixItem").map(\.name)
            )
        }
        #expect(byHand.count == 3 && added.items.count == 3)
        try await Self.expectRowsWrittenByHandAsByUpdate(byHand, fixList: list.list, in: database)
        #expect(byHand == decoded)
        // The hot reads select the columns in a known order and read them by place: the same items,
        // and no column of the table left out.
        #expect(byPlace == decoded)
        #expect(Set(FixItem.columnNames) == Set(tableColumns) && FixItem.columnNames.count == tableColumns.count)
        #expect(byHand[0].rounds.count == 2 && byHand[0].state == .accepted && byHand[0].acceptNote == "works, thank you")
        #expect(byHand[1].pending == .removal && byHand[1].state == .struck)
        #expect(byHand[2].pending == .wording && byHand[2].internalNote == "asked twice")
    }

    struct DecodedList: Decodable, FetchableRecord {
        let list: FixList
        init(from decoder: any Decoder) throws { list = try FixList(from: decoder) }
    }

    /// Lists are read by hand too, confirmed and amending alike; a rights check on a list reads its
    /// engagement's parties alone, and they are the parties the whole engagement names.
    @Test func listsReadTheSameByHandAsThroughDecodable() async throws {
        let (club, list, _, _) = try await FixListStoreTests.agreedList()
        let database = club.database
        func read() async throws -> (byHand: [FixList], decoded: [FixList], owners: Ownership?, engagement: Engagement?) {
            try await database.writer.read { db in
                (
                    try FixList.fetchAll(db, sql: "SELECT * FROM fixList"),
                    try DecodedList.fetchAll(db, sql: "SELECT * FROM fixList").map(\.list),
                    try AppDatabase.engagementOwners(list.list.engagementId, in: db),
                    try Engagement.fetchOne(db, key: list.list.engagementId)
                )
            }
        }
        let agreed = try await read()
        #expect(agreed.byHand == agreed.decoded && agreed.byHand.count == 1)
        #expect(agreed.byHand[0].clientConfirmation != nil && agreed.byHand[0].studioConfirmation != nil && agreed.byHand[0].agreedAt != nil)
        let owners = try #require(agreed.owners)
        #expect(owners == agreed.engagement?.owners && owners.clientId != nil && owners.studioIds.count == 1)

        let input = FixItemInput(statement: "Prices in roubles", acceptance: "the price list shows ₽", due: try #require(Day("2027-03-01")))
        _ = try await database.addFixItem(list.list.id, input, by: head)
        let amending = try await read()
        #expect(amending.byHand == amending.decoded && amending.byHand[0].status == .amending)
        #expect(try await database.writer.read { db in try AppDatabase.engagementOwners("eng_nowhere", in: db) } == nil)

        try await database.writer.write { db in try db.execute(sql: "UPDATE fixList SET status = 'lost' WHERE id = ?", arguments: [list.list.id]) }
        await #expect(throws: DatabaseError.self) { try await database.fixList(list.list.id, for: head) }
    }

    /// Each item's row (and the list's) written by `updateRow(_:)`, over a row scrambled first,
    /// is the row `update(_:)` writes; a row that is not there is an error.
    static func expectRowsWrittenByHandAsByUpdate(_ items: [FixItem], fixList: FixList, in database: AppDatabase) async throws {
        try await database.writer.write { db in
            func row(_ table: String, _ id: String) throws -> Row? {
                try Row.fetchOne(db, sql: "SELECT * FROM \(table) WHERE id = ?", arguments: [id])
            }
            let scramble = """
                UPDATE fixItem SET statement = 'scrambled', acceptance = 'a', due = '2000-01-01', rounds = '[]', struckAt = NULL,
                    struckBy = 'b', strikeNote = 'c', reopenedAt = NULL, reopenedBy = 'd', reopenReason = 'e', reopenCount = 99,
                    state = 'open', pending = 'removal', isRemoved = 1, version = -1, acceptedAt = NULL, acceptedBy = 'f',
                    acceptNote = 'x', autoAccepted = 1, internalNote = 'y', findingId = NULL WHERE id = ?
                """
            for item in items {
                try item.update(db)
                let written = try row("fixItem", item.id)
                try db.execute(sql: scramble, arguments: [item.id])
                try item.updateRow(db)
                #expect(try row("fixItem", item.id) == written, "\(item.id) in state \(item.state)")
                // Changed from itself as it stands, the item is written without its list, place and studio.
                try db.execute(sql: scramble, arguments: [item.id])
                try item.updateRow(db, from: item)
                #expect(try row("fixItem", item.id) == written, "\(item.id) in state \(item.state), placed as it was")
                // Changed from the item on another list, at another place, with another studio, all are written.
                let elsewhere = try Self.changed(item) { $0["position"] = item.position + 100 }
                try db.execute(sql: scramble, arguments: [item.id])
                try db.execute(sql: "UPDATE fixItem SET position = position + 100 WHERE id = ?", arguments: [item.id])
                try item.updateRow(db, from: elsewhere)
                #expect(try row("fixItem", item.id) == written, "\(item.id) moved back to its place")
            }
            try fixList.update(db)
            let written = try row("fixList", fixList.id)
            try db.execute(
                sql: "UPDATE fixList SET status = 'done', clientConfirmation = NULL, studioConfirmation = '{}', version = -1 WHERE id = ?",
                arguments: [fixList.id]
            )
            try fixList.updateRow(db)
            #expect(try row("fixList", fixList.id) == written)
            // A list whose version alone changed is written by its version alone, to the same row.
            var touched = fixList
            touched.touch(at: Date(timeIntervalSince1970: 1_900_000_000))
            try touched.update(db)
            let writtenTouched = try row("fixList", fixList.id)
            try fixList.updateRow(db)
            try touched.updateVersionRow(db)
            #expect(try row("fixList", fixList.id) == writtenTouched && writtenTouched != written)
            #expect(written?["clientConfirmation"] as String? != nil, "the list's confirmations are written too")
            #expect(throws: RecordError.self) { try FixItem.fetchOne(db, key: items[0].id).map { _ in try Self.moved(items[0]).updateRow(db) } }
        }
    }

    /// An item whose row is not there: the same item under another id.
    static func moved(_ item: FixItem) throws -> FixItem {
        try changed(item) { $0["id"] = "fxi_nowhere" }
    }

    /// The item with one of its fields as no use case changes it.
    static func changed(_ item: FixItem, _ change: (inout [String: Any]) -> Void) throws -> FixItem {
        var object = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(item)) as? [String: Any])
        change(&object)
        return try JSONDecoder().decode(FixItem.self, from: try JSONSerialization.data(withJSONObject: object))
    }

    @Test func anUnreadableDueDayIsAnErrorNotACrash() async throws {
        let (club, list, _, _) = try await FixListStoreTests.agreedList()
        try await club.database.writer.write { db in
            try db.execute(sql: "UPDATE fixItem SET due = 'soon' WHERE id = ?", arguments: [list.items[0].id])
        }
        await #expect(throws: DatabaseError.self) { try await club.database.fixList(list.list.id, for: head) }
    }

    /// Rounds are decoded once per distinct text; a text that does not decode is an error each
    /// time and is not remembered; the memory stays within its bound.
    @Test func roundsAreDecodedOncePerTextAndWithinABound() throws {
        let calls = Mutex(0)
        let texts = DecodedTexts<[Int]>(capacity: 3) { text in
            calls.withLock { $0 += 1 }
            return try JSONDecoder().decode([Int].self, from: Data(text.utf8))
        }
        #expect(try texts.value(for: "[1,2]") == [1, 2])
        #expect(try texts.value(for: "[1,2]") == [1, 2])
        #expect(calls.withLock { $0 } == 1)
        #expect(throws: DecodingError.self) { try texts.value(for: "[oops") }
        #expect(throws: DecodingError.self) { try texts.value(for: "[oops") }
        #expect(calls.withLock { $0 } == 3 && texts.count == 1)
        for number in 0..<10 { #expect(try texts.value(for: "[\(number)]") == [number]) }
        #expect(texts.count <= 3)
    }

    @Test func unreadableRoundsAreAnErrorNotACrash() async throws {
        let (club, list, _, _) = try await FixListStoreTests.agreedList()
        try await club.database.writer.write { db in
            try db.execute(sql: "UPDATE fixItem SET rounds = '[{\"number\":' WHERE id = ?", arguments: [list.items[0].id])
        }
        await #expect(throws: (any Error).self) { try await club.database.fixList(list.list.id, for: head) }
    }
}
