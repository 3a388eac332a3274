import Foundation

/// A database file offered to replace the data folder's, and the folder that holds the evidence contents its rows name.
///
/// `clubd backup` writes both (`FILE`, `FILE-files/`); a database brought back from elsewhere (a replica) names a
/// folder of contents too, which may be the data folder's own `files/` when they never left the machine.
public struct RestoreCandidate: Sendable, Equatable {
    public let databasePath: String
    public let filesFolder: String

    public init(databasePath: String, filesFolder: String) {
        self.databasePath = databasePath
        self.filesFolder = filesFolder
    }

    /// A backup as `clubd backup --to FILE` wrote it.
    public static func backup(at path: String) -> RestoreCandidate {
        RestoreCandidate(databasePath: path, filesFolder: AppDatabase.backupFilesFolder(for: path))
    }
}

/// Why a restore was refused. Nothing of the data folder has changed when one is thrown.
public enum RestoreRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// A daemon serves the folder (or another restore works in it).
    case folderInUse(ServingLockError)
    case candidateMissing(String)
    case filesFolderMissing(String)
    /// The candidate is the live database itself.
    case candidateIsLive(String)
    /// SQLite cannot read it as a database.
    case unreadable(path: String, detail: String)
    case integrity(String)
    /// No clubd migration was ever applied to it.
    case notAClubDatabase(String)
    /// Migrations this clubd does not know: a newer clubd wrote it.
    case newerSchema(unknown: [String])
    case journalBroken(seq: Int64, id: String, reason: String)
    case malformedHash(String)
    /// Contents its rows name that the files folder lacks, or holds with other bytes (the first few of each).
    case contents(folder: String, missing: [String], altered: [String], total: Int)

    public var description: String {
        switch self {
        case .folderInUse(let error): "\(error) (a running daemon's database is never replaced)"
        case .candidateMissing(let path): "\(path) does not exist or is not a file"
        case .filesFolderMissing(let folder): "\(folder), the folder of its evidence files, does not exist"
        case .candidateIsLive(let path): "\(path) is the data folder's own database"
        case .unreadable(let path, let detail): "\(path) is not a readable SQLite database: \(detail)"
        case .integrity(let result): "the database fails SQLite's integrity check: \(result)"
        case .notAClubDatabase(let path): "\(path) is not a clubd database (it has no schema migrations)"
        case .newerSchema(let unknown):
            "the database was written by a newer clubd (migrations unknown to this one: \(unknown.joined(separator: ", ")))"
        case .journalBroken(let seq, let id, let reason): "its journal is broken at event \(seq) (\(id)): \(reason)"
        case .malformedHash(let value): "an evidence file row names \"\(value)\", which is not a SHA-256"
        case .contents(let folder, let missing, let altered, let total):
            Self.describe(folder: folder, missing: missing, altered: altered, total: total)
        }
    }

    private static func describe(folder: String, missing: [String], altered: [String], total: Int) -> String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
        if !altered.isEmpty { parts.append("not matching their hash \(altered.joined(separator: ", "))") }
        let shown = missing.count + altered.count
        let more = total > shown ? " and \(total - shown) more" : ""
        return "\(total) evidence file(s) its rows name are not sound in \(folder): \(parts.joined(separator: "; "))\(more)"
    }
}

/// What a restore put in place.
public struct RestoreReport: Sendable, Equatable {
    /// The journal's events, every one verified.
    public let events: Int
    /// The newest event's time: the recovery point, what the club knows up to. Nil for an empty journal.
    public let lastEventAt: Date?
    /// Distinct contents the restored rows name, and how many of them were copied in (the others were in place).
    public let fileCount: Int
    public let filesCopied: Int
    /// Migrations applied to bring an older schema up to date, as `clubd migrate` would.
    public let migrationsApplied: [String]
    /// Where the replaced database went (with its `-wal`/`-shm` beside it); nil when the folder had none.
    public let previousDatabase: String?
    /// The vault's contents at the time, linked beside the previous database so that the pair stays a restorable backup.
    public let previousFiles: String?
}
