import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// `clubd restore` (docs/design.md §11.4): replaces a stopped daemon's database by a candidate that has passed every
/// check, and never loses the database it replaces.
///
/// Checks first, touching nothing but a private staging copy: the candidate opened read-only passes SQLite's integrity
/// check and carries no migration newer than this clubd; its copy, migrated as `clubd migrate` would, has an intact
/// journal chain; every content its rows name is in the candidate's files folder with the right SHA-256. Then the
/// contents are copied into `files/`, the old database (with its `-wal` and `-shm`) is renamed aside, and the copy
/// renamed in. The data folder's lock is held throughout, so no daemon starts meanwhile and none may be running.
public struct DatabaseRestore: Sendable {
    public let dataFolder: DataFolder
    /// How many unsound contents a refusal names before it only counts them.
    static let namedInRefusal = 5

    public init(dataFolder: DataFolder) {
        self.dataFolder = dataFolder
    }

    /// Checks `candidate` and puts it in place; throws a `RestoreRefusal`, with the folder unchanged, when it fails a check.
    public func restore(_ candidate: RestoreCandidate, now: Date = Date()) throws -> RestoreReport {
        let lock: ServingLock
        do {
            lock = try ServingLock.acquire(dataFolder)
        } catch let error as ServingLockError {
            throw RestoreRefusal.folderInUse(error)
        }
        defer { lock.release() }
        try checkPaths(of: candidate)
        // SQLite opens a WAL-mode file, even read-only, with a `-wal` and `-shm` beside it: the backup is left as found.
        let companions = ["-wal", "-shm"].map { candidate.databasePath + $0 }.filter { !FileManager.default.fileExists(atPath: $0) }
        defer { for path in companions { unlink(path) } }
        let applied = try Self.inspectReadOnly(candidate.databasePath)
        let staging = StagingCopy(path: "\(dataFolder.path)/.restore-\(UUID().uuidString.lowercased()).sqlite")
        // Gone from here once renamed in; removed after a refusal.
        defer { staging.remove() }
        let checked = try staging.fill(from: candidate, alreadyApplied: applied)
        let filesCopied = try placeContents(checked.hashes, from: candidate.filesFolder)
        let aside = asidePath(at: now)
        let previousFiles = try linkVaultAside(to: aside + "-files", keepingBeyond: checked.hashes)
        let previousDatabase = try swapIn(staging, aside: aside)
        return RestoreReport(
            events: checked.events,
            lastEventAt: checked.lastEventAt,
            fileCount: checked.hashes.count,
            filesCopied: filesCopied,
            migrationsApplied: checked.migrationsApplied,
            previousDatabase: previousDatabase,
            previousFiles: previousFiles
        )
    }

    private func checkPaths(of candidate: RestoreCandidate) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate.databasePath, isDirectory: &isFolder), !isFolder.boolValue else {
            throw RestoreRefusal.candidateMissing(candidate.databasePath)
        }
        guard FileManager.default.fileExists(atPath: candidate.filesFolder, isDirectory: &isFolder), isFolder.boolValue else {
            throw RestoreRefusal.filesFolderMissing(candidate.filesFolder)
        }
        var offered = stat()
        var live = stat()
        if stat(candidate.databasePath, &offered) == 0, stat(dataFolder.databasePath, &live) == 0, offered.st_dev == live.st_dev,
            offered.st_ino == live.st_ino
        {
            throw RestoreRefusal.candidateIsLive(candidate.databasePath)
        }
    }

    /// SQLite's integrity check and the schema's provenance, read without writing a byte of the candidate.
    static func inspectReadOnly(_ path: String) throws -> Set<String> {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "clubd-restore-candidate"
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check(5)").joined(separator: "; ")
                guard integrity == "ok" else { throw RestoreRefusal.integrity(integrity) }
                let applied = try Migrations.migrator.appliedIdentifiers(db)
                guard !applied.isEmpty else { throw RestoreRefusal.notAClubDatabase(path) }
                let known = Set(Migrations.migrator.migrations)
                let unknown = applied.subtracting(known)
                guard unknown.isEmpty else { throw RestoreRefusal.newerSchema(unknown: unknown.sorted()) }
                return applied
            }
        } catch let error as DatabaseError {
            // A damaged page can fail the check itself rather than be reported by it.
            if error.resultCode == .SQLITE_CORRUPT { throw RestoreRefusal.integrity(error.message ?? "\(error)") }
            throw RestoreRefusal.unreadable(path: path, detail: error.message ?? "\(error)")
        }
    }

    /// Copies into `files/` each named content it lacks, checked by hash; contents already there stay as they are.
    private func placeContents(_ hashes: [String], from folder: String) throws -> Int {
        let vault = FileVault.beside(databasePath: dataFolder.databasePath)
        try DataFolder.createPrivateDirectory(atPath: vault.directory)
        var copied = 0
        for sha256 in hashes where !vault.hasContent(sha256) {
            try ContentCopy(sha256: sha256, from: "\(folder)/\(sha256)").place(in: vault.directory)
            copied += 1
        }
        if copied > 0 { try FileVault.syncDirectory(vault.directory) }
        return copied
    }

    /// Hard-links every content of `files/` beside the previous database, so that the start-up check, which removes the
    /// contents the restored rows do not name, leaves the old pair whole (and restorable, even with no files). Nil when
    /// there is nothing to keep.
    private func linkVaultAside(to folder: String, keepingBeyond restored: [String]) throws -> String? {
        let vault = FileVault.beside(databasePath: dataFolder.databasePath)
        let contents = ((try? FileManager.default.contentsOfDirectory(atPath: vault.directory)) ?? []).filter(FileVault.isHash)
        let hasPrevious = FileManager.default.fileExists(atPath: dataFolder.databasePath)
        guard hasPrevious || !Set(contents).subtracting(restored).isEmpty else { return nil }
        try DataFolder.createPrivateDirectory(atPath: folder)
        for name in contents where link(vault.contentPath(name), "\(folder)/\(name)") != 0 {
            // Another file system under files/ (a mount): a copy keeps it just as well.
            try FileManager.default.copyItem(atPath: vault.contentPath(name), toPath: "\(folder)/\(name)")
        }
        try FileVault.syncDirectory(folder)
        return folder
    }

    /// Moves the database and its companions aside, renames the staging copy in, and makes both durable.
    private func swapIn(_ staging: StagingCopy, aside: String) throws -> String? {
        let live = dataFolder.databasePath
        let hadDatabase = FileManager.default.fileExists(atPath: live)
        // A `-wal` left beside the new file would be replayed into it: every companion goes, even without its database.
        for suffix in ["", "-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: live + suffix) {
            try FileVault.rename(live + suffix, to: aside + suffix)
        }
        try FileVault.rename(staging.path, to: live)
        try FileVault.syncDirectory(dataFolder.path)
        return hadDatabase ? aside : nil
    }

    /// `clubd.sqlite.before-restore-20261206T215001Z`, with a counter when a restore of the same second came before.
    private func asidePath(at now: Date) -> String {
        let stamp = now.formatted(Date.ISO8601FormatStyle(dateSeparator: .omitted, timeSeparator: .omitted))
        let base = "\(dataFolder.databasePath).before-restore-\(stamp)"
        var candidate = base
        var counter = 2
        while FileManager.default.fileExists(atPath: candidate) || FileManager.default.fileExists(atPath: candidate + "-files") {
            candidate = "\(base)-\(counter)"
            counter += 1
        }
        return candidate
    }
}
