import ClubCore
import Foundation
import GRDB
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// What `backupWithFiles(to:)` wrote: the database copy and, beside it, the contents its rows refer to.
public struct BackupReport: Sendable, Equatable {
    /// The database copy.
    public let path: String
    /// `<path>-files`: one file per distinct SHA-256 the copy's `evidenceFile` rows name, named by it.
    public let filesFolder: String
    public let fileCount: Int
    /// `PRAGMA integrity_check` of the copy: "ok" when sound.
    public let integrity: String
}

/// Why a backup is incomplete; the database copy stays for inspection, and the command exits non-zero.
public enum FileBackupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The copy would mix with what is already there.
    case filesFolderExists(String)
    /// The copy failed SQLite's own check.
    case integrity(String)
    /// A row of the copy names a content the live vault does not hold.
    case missingContent(sha256: String)
    /// The copied bytes do not hash to their name.
    case mismatch(sha256: String, found: String)
    /// A row holds something that is not a SHA-256, which must never become a path.
    case malformedHash(String)

    public var description: String {
        switch self {
        case .filesFolderExists(let folder): "\(folder) already exists; choose a new backup file so that no backup is mixed with another"
        case .integrity(let result): "the copy failed its integrity check: \(result)"
        case .missingContent(let sha256): "the copied database refers to file content \(sha256), which the live vault does not hold"
        case .mismatch(let sha256, let found): "the copy of file content \(sha256) hashes to \(found)"
        case .malformedHash(let value): "an evidence file row names \"\(value)\", which is not a SHA-256"
        }
    }
}

extension AppDatabase {
    /// The folder beside a backup copy that holds its file contents (docs/design.md §11.4).
    public static func backupFilesFolder(for path: String) -> String { path + "-files" }

    /// `clubd backup` (docs/design.md §11.4): the database by SQLite's online backup, then every content its copy refers to,
    /// copied from the live vault into `<path>-files/<sha256>` and checked against its hash.
    ///
    /// The vault's shared lock is held throughout: the start-up check, the only remover of contents, takes the exclusive
    /// one, so every content a copied row names is still there to copy. Contents are only added meanwhile.
    public func backupWithFiles(to path: String) throws -> BackupReport {
        let folder = Self.backupFilesFolder(for: path)
        guard !FileManager.default.fileExists(atPath: folder) else { throw FileBackupError.filesFolderExists(folder) }
        return try vault.withLock(exclusive: false) {
            try backup(to: path)
            let (integrity, hashes) = try Self.inspectCopy(at: path)
            guard integrity == "ok" else { throw FileBackupError.integrity(integrity) }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            for sha256 in hashes {
                try BackupFileCopier(vault: vault, folder: folder).copy(sha256)
            }
            try FileVault.syncDirectory(folder)
            return BackupReport(path: path, filesFolder: folder, fileCount: hashes.count, integrity: integrity)
        }
    }

    /// The copy's integrity and the distinct hashes its rows name, read from the copy itself: it, not the live database
    /// (which moves on), says what the backup needs.
    private static func inspectCopy(at path: String) throws -> (integrity: String, hashes: [String]) {
        let copy = try DatabaseQueue(path: path, configuration: makeConfiguration())
        defer { try? copy.close() }
        return try copy.read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
            let hashes = try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM evidenceFile ORDER BY sha256")
            for sha256 in hashes where !FileVault.isHash(sha256) { throw FileBackupError.malformedHash(sha256) }
            return (integrity, hashes)
        }
    }
}

extension FileVault {
    /// Whether `value` is a SHA-256 as rows store it: 64 lowercase hex digits, safe to put in a path.
    static func isHash(_ value: String) -> Bool {
        value.utf8.count == 64 && value.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The content with this hash: in place, or still staged when its row committed a moment before the backup and the
    /// upload has not yet moved it in (`place` runs after the commit).
    func openContent(_ sha256: String) throws -> FileDescriptor? {
        if let descriptor = try Self.openIfPresent(contentPath(sha256)) { return descriptor }
        let staged = (try? FileManager.default.contentsOfDirectory(atPath: stagingDirectory)) ?? []
        for name in staged where name.hasPrefix(sha256 + ".") && name.hasSuffix(".staged") {
            if let descriptor = try Self.openIfPresent("\(stagingDirectory)/\(name)") { return descriptor }
        }
        // Moved in while the staging folder was read.
        return try Self.openIfPresent(contentPath(sha256))
    }

    private static func openIfPresent(_ path: String) throws -> FileDescriptor? {
        do {
            return try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        } catch Errno.noSuchFileOrDirectory {
            return nil
        }
    }
}

/// Copies one content into a backup's files folder: to a temporary name, synced, checked against its hash, renamed.
private struct BackupFileCopier {
    let vault: FileVault
    let folder: String

    func copy(_ sha256: String) throws {
        guard let source = try vault.openContent(sha256) else { throw FileBackupError.missingContent(sha256: sha256) }
        defer { try? source.close() }
        let partPath = "\(folder)/.\(sha256).part"
        let target = try FileDescriptor.open(
            FilePath(partPath),
            .writeOnly,
            options: [.create, .exclusiveCreate, .closeOnExec],
            permissions: [.ownerReadWrite]
        )
        var placed = false
        defer { if !placed { unlink(partPath) } }
        do {
            defer { try? target.close() }
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
                if count == 0 { break }
                _ = try buffer.withUnsafeBytes { try target.writeAll(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            }
            guard fsync(target.rawValue) == 0 else { throw FileVaultError.io("cannot sync \(partPath): errno \(errno)") }
        }
        // Read back from disk, so that a bad copy never carries a good name.
        let found = try FileVault.sha256(ofFileAt: partPath)
        guard found == sha256 else { throw FileBackupError.mismatch(sha256: sha256, found: found) }
        try FileVault.rename(partPath, to: "\(folder)/\(sha256)")
        placed = true
    }
}
