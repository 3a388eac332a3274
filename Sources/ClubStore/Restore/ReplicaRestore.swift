import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `clubd restore --from-replica` (issue 20, docs/design.md §11.4): Litestream brings the database back from its replica
/// into a new file in the data folder, and `DatabaseRestore` checks that file (integrity, schema, journal chain, evidence
/// contents) before it puts it in place of a stopped daemon's database. Litestream only fetches; clubd decides.
public struct ReplicaRestore: Sendable {
    /// Litestream's configuration, the one `litestream replicate` runs with: it names the database and its replica.
    public let configPath: String
    /// Restore the database as it was at this time (within the replica's retention) rather than its newest state.
    public let timestamp: ReplicaTimestamp?
    /// The `litestream` executable: a path, or a name looked up in `PATH`.
    public let litestream: String

    public init(configPath: String, timestamp: ReplicaTimestamp? = nil, litestream: String = "litestream") {
        self.configPath = configPath
        self.timestamp = timestamp
        self.litestream = litestream
    }

    /// Fetches the replica into a new file beside the database and hands it to `DatabaseRestore` with the evidence
    /// contents of `filesFolder` (by default the data folder's own `files/`, made empty when missing: a database that
    /// names no file restores without one). The fetched file is removed afterwards, restored or refused.
    public func restore(into dataFolder: DataFolder, filesFolder: String? = nil, now: Date = Date()) throws -> RestoreReport {
        try Self.requireStopped(dataFolder)
        let files = filesFolder ?? FileVault.beside(databasePath: dataFolder.databasePath).directory
        if filesFolder == nil { try DataFolder.createPrivateDirectory(atPath: files) }
        // A private folder on the data folder's file system: Litestream leaves its own companions beside its output.
        let staging = "\(dataFolder.path)/.replica-\(UUID().uuidString.lowercased())"
        try DataFolder.createPrivateDirectory(atPath: staging)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let fetched = "\(staging)/clubd.sqlite"
        try fetch(database: Self.absolute(dataFolder.databasePath), into: fetched)
        return try DatabaseRestore(dataFolder: dataFolder).restore(RestoreCandidate(databasePath: fetched, filesFolder: files), now: now)
    }

    /// `litestream restore -config CONFIG [-timestamp T] -o OUTPUT DATABASE`: `database` is the path the configuration
    /// gives the database, by which Litestream finds its replica.
    public func fetch(database: String, into output: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executable(litestream))
        process.arguments = ["restore", "-config", configPath] + (timestamp.map { ["-timestamp", $0.text] } ?? []) + ["-o", output, database]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = errors
        do {
            try process.run()
        } catch {
            throw ReplicaRestoreError.litestreamUnusable(path: litestream, detail: "\(error)")
        }
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: output) else {
            throw ReplicaRestoreError.litestreamFailed(status: process.terminationStatus, said: Self.lastLines(said))
        }
    }

    /// Refuses before a long download when a daemon serves the folder; `DatabaseRestore` takes the lock again to swap.
    private static func requireStopped(_ folder: DataFolder) throws {
        do {
            try ServingLock.acquire(folder).release()
        } catch let error as ServingLockError {
            throw RestoreRefusal.folderInUse(error)
        }
    }

    /// Litestream matches the database by its absolute path.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    static func executable(_ name: String) throws -> String {
        if name.contains("/") {
            guard access(name, X_OK) == 0 else { throw ReplicaRestoreError.litestreamUnusable(path: name, detail: "not executable") }
            return name
        }
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        let candidates: [String] = folders.map { "\($0)/\(name)" }
        guard let found = candidates.first(where: { candidate in access(candidate, X_OK) == 0 }) else {
            throw ReplicaRestoreError.litestreamUnusable(path: name, detail: "not found in PATH")
        }
        return found
    }

    private static func lastLines(_ text: String) -> String {
        text.split(separator: "\n").suffix(3).joined(separator: " / ")
    }
}

/// A moment to restore to, as Litestream reads it (RFC 3339: `2026-12-06T21:00:00Z`), checked before Litestream runs.
public struct ReplicaTimestamp: Sendable, Equatable {
    public let date: Date
    /// The text handed to Litestream, in UTC.
    public let text: String

    public init(_ text: String) throws {
        let plain = Date.ISO8601FormatStyle()
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard let date = (try? plain.parse(text)) ?? (try? fractional.parse(text)) else {
            throw ReplicaRestoreError.badTimestamp(text)
        }
        self.date = date
        self.text = date.timeIntervalSince1970.rounded() == date.timeIntervalSince1970 ? plain.format(date) : fractional.format(date)
    }
}

/// Why Litestream brought nothing back; the data folder is unchanged.
public enum ReplicaRestoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case litestreamUnusable(path: String, detail: String)
    /// Litestream's exit status and its last words (no replica, no generation before the timestamp, a damaged file…).
    case litestreamFailed(status: Int32, said: String)
    case badTimestamp(String)

    public var description: String {
        switch self {
        case .litestreamUnusable(let path, let detail): "cannot run litestream (\(path)): \(detail)"
        case .litestreamFailed(let status, let said): "litestream restore failed (exit \(status)): \(said)"
        case .badTimestamp(let text): "--timestamp \(text) is not an RFC 3339 time such as 2026-12-06T21:00:00Z"
        }
    }
}
