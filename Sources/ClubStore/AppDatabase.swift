import ClubCore
import Foundation
import GRDB
import Metrics

/// The club's database over any GRDB writer: in the daemon one `DatabasePool` per process (WAL,
/// foreign keys, `synchronous=FULL`), in tests an in-memory queue; migrated on open. Every
/// mutation is one named method running one write transaction that loads, applies a `ClubCore`
/// transition, saves and appends its journal event; once it commits, `changes` announces it.
public struct AppDatabase: Sendable {
    public let writer: any DatabaseWriter
    public let clock: any ClubClock
    public let rules: ClubRules
    /// Every committed journal event, announced after its transaction commits.
    public let changes: ChangeFeed
    /// Where the evidence files' contents live (docs/design.md §11.2).
    public let vault: FileVault
    /// Mutations wait here and commit in groups (docs/design.md §5).
    let groupCommit: GroupCommit
    /// Bearer tokens already looked up, emptied by every revocation (docs/design.md §5).
    let tokenCache = TokenCache()

    /// Migrates `writer` and watches its journal for the change feed. Without a vault, files go to a fresh temporary
    /// folder (a database in memory has no folder of its own).
    public init(_ writer: any DatabaseWriter, clock: any ClubClock = SystemClock(), rules: ClubRules = ClubRules(), vault: FileVault? = nil) throws {
        try Migrations.migrator.migrate(writer)
        let changes = ChangeFeed()
        writer.add(transactionObserver: JournalObserver(feed: changes), extent: .databaseLifetime)
        writer.add(transactionObserver: TokenCacheInvalidator(cache: tokenCache), extent: .databaseLifetime)
        self.writer = writer
        self.clock = clock
        self.rules = rules
        self.changes = changes
        self.groupCommit = GroupCommit(writer: writer)
        self.vault =
            vault ?? FileVault(directory: FileManager.default.temporaryDirectory.appendingPathComponent("clubd-files-\(UUID().uuidString)").path)
    }

    /// Opens (creating if needed) the database file at `path` and brings its schema up to date.
    public init(path: String, clock: any ClubClock = SystemClock(), rules: ClubRules = ClubRules(), checkpoints: Checkpoints = .automatic) throws {
        let pool = try DatabasePool(path: path, configuration: Self.makeConfiguration())
        // DatabasePool lowers `synchronous` to NORMAL on its writer after `prepareDatabase`, so
        // FULL has to be set again once the pool is open: an answered write must survive a crash.
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        if checkpoints == .leftToLitestream {
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        }
        try self.init(pool, clock: clock, rules: rules, vault: .beside(databasePath: path))
    }

    /// A private database in memory, for tests of rules and use cases where durability is not
    /// the point.
    public static func inMemory(clock: any ClubClock = SystemClock(), rules: ClubRules = ClubRules()) throws -> AppDatabase {
        try AppDatabase(DatabaseQueue(configuration: makeConfiguration()), clock: clock, rules: rules)
    }

    static func makeConfiguration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.label = "clubd"
        return configuration
    }

    /// The pragmas in force on the writer connection, for health checks and tests.
    public func durabilitySettings() throws -> (journalMode: String, synchronous: Int, foreignKeys: Bool) {
        try writer.writeWithoutTransaction { db in
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
            let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            let foreignKeys = try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false
            return (mode, synchronous, foreignKeys)
        }
    }

    /// Runs SQLite's own consistency check; "ok" when the file is sound.
    public func integrityCheck() throws -> String {
        try writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }

    /// Writes a consistent copy of the live database to `path` with SQLite's online backup.
    public func backup(to path: String) throws {
        let destination = try DatabaseQueue(path: path)
        try writer.backup(to: destination)
    }
}

/// Who checkpoints the WAL into the database file (docs/design.md §11.4).
public enum Checkpoints: Sendable, Equatable {
    /// SQLite's default: the committing connection checkpoints passively once the WAL holds 1,000 pages.
    case automatic
    /// Litestream does, after it has copied the WAL's frames: no checkpoint of clubd's can race it and reset the WAL
    /// before they are copied, which would make it start a new generation (a full snapshot). The closing checkpoint
    /// stays: SQLite skips it while Litestream's connection is open; when Litestream was not running, it only starts anew.
    case leftToLitestream
}

/// Errors of the storage layer that are not domain rules.
public enum StoreError: Error, Equatable, Sendable {
    /// `If-Match` named a version that is no longer current.
    case versionMismatch(current: Int)
}

extension AppDatabase {
    /// Closes the pool once the server has stopped, so that the WAL is checkpointed cleanly.
    public func close() throws {
        try writer.close()
    }
}

extension AppDatabase {
    /// One mutation, in its own savepoint of the next group's write transaction (`GroupCommit`); it
    /// returns once that transaction has committed. Its duration, waiting included, is recorded for
    /// the operators' metrics (`clubd_db_transaction_seconds`).
    func transaction<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        let start = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - start
            Timer(label: "clubd_db_transaction_seconds").recordNanoseconds(
                elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
            )
        }
        return try await groupCommit.write(body)
    }
}
