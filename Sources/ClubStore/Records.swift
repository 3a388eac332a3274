import ClubCore
import Foundation
import GRDB

// Domain values persist as they are: their coding keys are the column names, nested values are
// stored as JSON text by GRDB.

extension Studio: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "studio"
}

extension Client: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "client"
}

extension Lead: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "lead"
}

extension Shortlist: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "shortlist"
}

extension Referral: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "referral"
}

extension Engagement: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "engagement"
}

extension Agreement: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "agreement"
}

extension CheckIn: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "checkIn"
}

extension StageFeedback: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "stageFeedback"
}

/// Dates without a time are stored as their ISO text (`2027-02-01`), which also sorts correctly.
extension Day: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Day? {
        String.fromDatabaseValue(dbValue).flatMap(Day.init)
    }
}

extension FixList: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "fixList"

    /// Read by hand, not through `Decodable`, as its items are: every read and strike of a list
    /// reads it. `FixItemRowTests` holds the two readings equal.
    public init(row: Row) throws {
        guard let status = FixListStatus(rawValue: row["status"]) else {
            throw DatabaseError(message: "fixList \(row["id"] as String? ?? "?"): unreadable status")
        }
        let client: String? = row["clientConfirmation"]
        let studio: String? = row["studioConfirmation"]
        self.init(
            stored: row["id"],
            engagementId: row["engagementId"],
            status: status,
            revision: row["revision"],
            confirmations: (try client.map(Self.storedConfirmations.value(for:)), try studio.map(Self.storedConfirmations.value(for:))),
            agreedAt: row["agreedAt"],
            created: (row["createdAt"], row["createdBy"]),
            version: row["version"],
            updatedAt: row["updatedAt"],
            internalNote: row["internalNote"]
        )
    }

    /// A confirmation column decoded once per distinct text, as an item's rounds are.
    static let storedConfirmations = DecodedTexts<Confirmation> { text in
        try FixList.databaseJSONDecoder(for: "clientConfirmation").decode(Confirmation.self, from: Data(text.utf8))
    }
}

extension FixItem: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "fixItem"

    /// Read by hand, not through `Decodable`: a fix list's items are the hottest rows of the club
    /// (docs/performance.md). `FixItemRowTests` holds this reading equal to `Decodable`'s for
    /// items in every state, by name and by place.
    public init(row: Row) throws {
        try self.init(StoredItemRow(row: row, places: nil))
    }

    /// The columns of the table, each case named as its column, in the order of `selection`.
    enum StoredColumn: Int, CaseIterable {
        case id, fixListId, position, statement, acceptance, due, assignedStudioId, state, pending, isRemoved
        case struckAt, struckBy, strikeNote, reopenedAt, reopenedBy, reopenReason, reopenCount, rounds
        case acceptedAt, acceptedBy, acceptNote, autoAccepted, version, internalNote, findingId
    }

    /// `SELECT` of every column in `StoredColumn`'s order, for the hot reads (a list's items on
    /// every read and strike), which read each column by its place: looking each one up by name
    /// was most of the cost of reading an item (docs/performance.md).
    static let selection = "SELECT " + StoredColumn.allCases.map { "\($0)" }.joined(separator: ", ") + " FROM fixItem"

    static let columnNames = StoredColumn.allCases.map { "\($0)" }
    private static let placesInOrder = StoredColumn.allCases.map(\.rawValue)

    /// An item read from a row of `selection`.
    static func selected(_ row: Row) throws -> FixItem { try FixItem(StoredItemRow(row: row, places: placesInOrder)) }

    private init(_ row: StoredItemRow) throws {
        guard let due = Day(row[.due] as String), let state = FixItemState(rawValue: row[.state]) else {
            throw DatabaseError(message: "fixItem \(row[.id] as String? ?? "?"): unreadable due day or state")
        }
        let pending: String? = row[.pending]
        let rounds: String? = row[.rounds]
        self.init(
            stored: row[.id],
            fixListId: row[.fixListId],
            position: row[.position],
            statement: row[.statement],
            acceptance: row[.acceptance],
            due: due,
            assignedStudioId: row[.assignedStudioId],
            state: state,
            pending: pending.flatMap(PendingChange.init(rawValue:)),
            isRemoved: row[.isRemoved],
            strike: (row[.struckAt], row[.struckBy], row[.strikeNote]),
            reopening: (row[.reopenedAt], row[.reopenedBy], row[.reopenReason], row[.reopenCount]),
            rounds: try rounds.map { try Self.storedRounds.value(for: $0) } ?? [],
            accepted: (row[.acceptedAt], row[.acceptedBy], row[.acceptNote], row[.autoAccepted]),
            version: row[.version],
            internalNote: row[.internalNote],
            findingId: row[.findingId]
        )
    }
}

/// A fix item's row, read by the columns' places when they are known (`FixItem.selection`), else
/// by their names.
private struct StoredItemRow {
    let row: Row
    let places: [Int]?

    subscript<Value: DatabaseValueConvertible>(_ column: FixItem.StoredColumn) -> Value {
        if let places { row[places[column.rawValue]] } else { row[FixItem.columnNames[column.rawValue]] }
    }

    subscript<Value: DatabaseValueConvertible & StatementColumnConvertible>(_ column: FixItem.StoredColumn) -> Value {
        if let places { row[places[column.rawValue]] } else { row[FixItem.columnNames[column.rawValue]] }
    }
}

extension FixItem {
    /// The rounds column decoded once per distinct text: `JSONDecoder` was most of the cost of
    /// reading an item (docs/performance.md), and an item's rounds change only when it is struck
    /// or reopened, which writes a new text.
    static let storedRounds = DecodedTexts<[FixRound]> { text in
        try FixItem.databaseJSONDecoder(for: "rounds").decode([FixRound].self, from: Data(text.utf8))
    }
}

// Fix items and lists are written on every strike, reopening and acceptance, on the one writer.
// `update(_:)` encoded them through `Encodable` and built its statement each time: about a tenth
// of a strike's time there (docs/performance.md). They are written by hand instead, every column
// by one statement the connection keeps prepared; `FixItemRowTests` holds the rows equal to what
// `update(_:)` writes, for items in every state.

extension FixItem {
    /// Writes the item as changed from `old`. When its list, place and studio are as they were
    /// (every strike, reopening and acceptance), those columns are left out of the statement:
    /// SQLite rewrites an index whose columns an `UPDATE` sets, even to the same values, and the
    /// three indexes on them were three of the eleven pages a strike wrote (docs/performance.md).
    func updateRow(_ db: Database, from old: FixItem) throws {
        let placed = fixListId == old.fixListId && position == old.position && assignedStudioId == old.assignedStudioId
        try write(placement: !placed, db)
    }

    func updateRow(_ db: Database) throws {
        try write(placement: true, db)
    }

    private func write(placement: Bool, _ db: Database) throws {
        let rounds = String(decoding: try Self.databaseJSONEncoder(for: "rounds").encode(rounds), as: UTF8.self)
        var columns: [(any DatabaseValueConvertible)?] = placement ? [fixListId, position, assignedStudioId] : []
        columns += [
            statement, acceptance, due, state.rawValue, pending?.rawValue, isRemoved, struckAt, struckBy, strikeNote,
            reopenedAt, reopenedBy, reopenReason, reopenCount, version, internalNote, rounds, acceptedAt, acceptedBy,
            acceptNote, autoAccepted, findingId, id,
        ]
        try db.cachedStatement(sql: placement ? Self.updateWithPlacement : Self.updateInPlace).execute(arguments: StatementArguments(columns))
        guard db.changesCount > 0 else {
            throw RecordError.recordNotFound(databaseTableName: Self.databaseTableName, key: ["id": id.databaseValue])
        }
    }

    /// Every column but the id and the three indexed ones, in the order `write` gives their values.
    private static let inPlaceAssignments = """
        statement = ?, acceptance = ?, due = ?, state = ?, pending = ?, isRemoved = ?, struckAt = ?, struckBy = ?,
            strikeNote = ?, reopenedAt = ?, reopenedBy = ?, reopenReason = ?, reopenCount = ?, version = ?, internalNote = ?,
            rounds = ?, acceptedAt = ?, acceptedBy = ?, acceptNote = ?, autoAccepted = ?, findingId = ?
        """
    private static let updateInPlace = "UPDATE fixItem SET " + inPlaceAssignments + " WHERE id = ?"
    private static let updateWithPlacement =
        "UPDATE fixItem SET fixListId = ?, position = ?, assignedStudioId = ?, " + inPlaceAssignments + " WHERE id = ?"
}

extension FixList {
    /// Writes only the version and its time: what a change to one of the list's items changes.
    func updateVersionRow(_ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE fixList SET version = ?, updatedAt = ? WHERE id = ?").execute(arguments: [version, updatedAt, id])
        guard db.changesCount > 0 else {
            throw RecordError.recordNotFound(databaseTableName: Self.databaseTableName, key: ["id": id.databaseValue])
        }
    }

    func updateRow(_ db: Database) throws {
        func json(_ confirmation: Confirmation?, _ column: String) throws -> String? {
            try confirmation.map { String(decoding: try Self.databaseJSONEncoder(for: column).encode($0), as: UTF8.self) }
        }
        let columns: [(any DatabaseValueConvertible)?] = [
            engagementId, status.rawValue, revision, try json(clientConfirmation, "clientConfirmation"),
            try json(studioConfirmation, "studioConfirmation"), agreedAt, createdAt, createdBy, version, updatedAt, internalNote, id,
        ]
        try db.cachedStatement(
            sql: """
                UPDATE fixList SET engagementId = ?, status = ?, revision = ?, clientConfirmation = ?, studioConfirmation = ?,
                    agreedAt = ?, createdAt = ?, createdBy = ?, version = ?, updatedAt = ?, internalNote = ?
                WHERE id = ?
                """
        ).execute(arguments: StatementArguments(columns))
        guard db.changesCount > 0 else {
            throw RecordError.recordNotFound(databaseTableName: Self.databaseTableName, key: ["id": id.databaseValue])
        }
    }
}

extension ShareLink: FetchableRecord {
    public static let databaseTableName = "shareLink"
}

extension Complaint: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "complaint"
}

extension Audit: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "audit"
}

extension EngagementExit: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "engagementExit"
}

extension ConsultingOffer: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "consultingOffer"
}

extension ConsultingSession: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "consultingSession"
}

extension Retrospective: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "retrospective"
}
