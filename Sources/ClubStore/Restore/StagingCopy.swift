import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// What the staging copy was found to hold, every part of it checked.
struct CheckedCopy: Sendable {
    let events: Int
    let lastEventAt: Date?
    /// The distinct contents its evidence rows name, each present and sound in the candidate's files folder.
    let hashes: [String]
    let migrationsApplied: [String]
}

/// The candidate's copy in the data folder, private to the restore until it is renamed in: the bytes checked are
/// the bytes installed.
struct StagingCopy: Sendable {
    let path: String

    /// Copies the candidate with SQLite's backup (read-only on its side), migrates the copy, and checks its journal
    /// chain and evidence contents; the copy is left synced, in rollback-journal mode, as one self-contained file.
    func fill(from candidate: RestoreCandidate, alreadyApplied: Set<String>) throws -> CheckedCopy {
        var readOnly = Configuration()
        readOnly.readonly = true
        let source = try DatabaseQueue(path: candidate.databasePath, configuration: readOnly)
        defer { try? source.close() }
        let database = try AppDatabase(
            try DatabaseQueue(path: path, configuration: AppDatabase.makeConfiguration()).seeded(from: source),
            vault: FileVault(directory: candidate.filesFolder)
        )
        defer { try? database.close() }
        let events: Int
        switch try database.verifyJournal() {
        case .intact(let count, _): events = count
        case .broken(let seq, let id, let reason): throw RestoreRefusal.journalBroken(seq: seq, id: id, reason: reason)
        }
        let (lastMillis, hashes) = try database.writer.read { db in
            (
                try Int64.fetchOne(db, sql: "SELECT atMillis FROM journal ORDER BY seq DESC LIMIT 1"),
                try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM evidenceFile ORDER BY sha256")
            )
        }
        try ContentCheck(folder: candidate.filesFolder).require(hashes)
        try database.writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = DELETE") }
        try database.close()
        try Self.sync(path)
        return CheckedCopy(
            events: events,
            lastEventAt: lastMillis.map { Date(timeIntervalSince1970: Double($0) / 1000) },
            hashes: hashes,
            migrationsApplied: Migrations.migrator.migrations.filter { !alreadyApplied.contains($0) }
        )
    }

    /// Removes the copy and whatever SQLite left beside it; nothing is there once it has been renamed in.
    func remove() {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    private static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileVaultError.io("cannot open \(path): errno \(errno)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileVaultError.io("cannot sync \(path): errno \(errno)") }
    }
}

extension DatabaseQueue {
    /// This (new, empty) database with every page of `source`, by SQLite's online backup.
    fileprivate func seeded(from source: DatabaseQueue) throws -> DatabaseQueue {
        try source.backup(to: self)
        return self
    }
}

/// Every content the rows name, present in `folder` under its hash and hashing to it.
struct ContentCheck {
    let folder: String

    func require(_ hashes: [String]) throws {
        var missing: [String] = []
        var altered: [String] = []
        for sha256 in hashes {
            guard FileVault.isHash(sha256) else { throw RestoreRefusal.malformedHash(sha256) }
            let path = "\(folder)/\(sha256)"
            if !FileManager.default.fileExists(atPath: path) {
                missing.append(sha256)
            } else if (try? FileVault.sha256(ofFileAt: path)) != sha256 {
                altered.append(sha256)
            }
        }
        let total = missing.count + altered.count
        guard total == 0 else {
            throw RestoreRefusal.contents(
                folder: folder,
                missing: Array(missing.prefix(DatabaseRestore.namedInRefusal)),
                altered: Array(altered.prefix(DatabaseRestore.namedInRefusal)),
                total: total
            )
        }
    }
}

/// One content copied into the vault: to a hidden temporary name, synced, checked against its hash, renamed.
struct ContentCopy {
    let sha256: String
    let from: String

    func place(in directory: String) throws {
        let part = "\(directory)/.\(sha256).restore-part"
        unlink(part)
        defer { unlink(part) }
        try FileManager.default.copyItem(atPath: from, toPath: part)
        let descriptor = open(part, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileVaultError.io("cannot open \(part): errno \(errno)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileVaultError.io("cannot sync \(part): errno \(errno)") }
        // Read back from disk: a bad copy never carries a good name.
        let found = try FileVault.sha256(ofFileAt: part)
        guard found == sha256 else { throw FileBackupError.mismatch(sha256: sha256, found: found) }
        try FileVault.rename(part, to: "\(directory)/\(sha256)")
    }
}
