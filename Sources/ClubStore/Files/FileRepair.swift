import ClubCore
import Foundation
import GRDB

/// What the start-up check of the vault found and mended (docs/design.md §11.2).
public struct FileRepairReport: Sendable, Equatable {
    /// Contents whose row committed before a crash kept them from being moved in; moved in now from `tmp/`.
    public var restored: [String] = []
    /// Rows whose content is nowhere: removed, each with a journal event, so that no row points to nothing.
    public var lostFiles: [String] = []
    /// Contents (and thumbnails) no row refers to any more: removed.
    public var removedOrphans = 0
    /// Uploads a crash or a refusal left half-written in `tmp/`: removed.
    public var clearedUploads = 0

    public var isClean: Bool { restored.isEmpty && lostFiles.isEmpty && removedOrphans == 0 && clearedUploads == 0 }

    public var summary: String {
        "\(restored.count) restored, \(lostFiles.count) lost, \(removedOrphans) orphans removed, \(clearedUploads) unfinished uploads cleared"
    }
}

extension AppDatabase {
    /// Brings the vault and the rows back into agreement before the daemon serves, in both directions: every row's
    /// content is in place (moved in from its staged copy when a crash came between commit and move, else the row is
    /// removed and journaled as lost), and no content, thumbnail or upload remains that no row refers to. Runs under
    /// the vault's exclusive lock, so a `clubd backup` copying at the same time is waited for.
    public func repairFiles() async throws -> FileRepairReport {
        let vault = self.vault
        guard FileManager.default.fileExists(atPath: vault.directory) else { return FileRepairReport() }
        let referenced = try await writer.read { db in
            try Set(String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM evidenceFile"))
        }
        var report = FileRepairReport()
        let missing = try vault.withLock(exclusive: true) { () throws -> Set<String> in
            let staged = try Self.stagedUploads(in: vault)
            var missing: Set<String> = []
            for sha256 in referenced where !vault.hasContent(sha256) {
                if let copy = staged[sha256]?.first(where: { (try? FileVault.sha256(ofFileAt: $0)) == sha256 }) {
                    try FileVault.rename(copy, to: vault.contentPath(sha256))
                    report.restored.append(sha256)
                } else {
                    missing.insert(sha256)
                }
            }
            try FileVault.syncDirectory(vault.directory)
            report.clearedUploads = try Self.clear(vault.stagingDirectory)
            report.removedOrphans = try Self.removeOrphans(in: vault, keeping: referenced)
            return missing
        }
        if !missing.isEmpty { report.lostFiles = try await forgetFiles(withContents: missing) }
        return report
    }

    /// Removes the rows of contents that are nowhere to be found, journaled as the daemon's own act.
    private func forgetFiles(withContents hashes: Set<String>) async throws -> [String] {
        let now = clock.now()
        return try await transaction { db in
            var lost: [String] = []
            for sha256 in hashes.sorted() {
                for file in try EvidenceFile.fetchAll(db, sql: "SELECT * FROM evidenceFile WHERE sha256 = ?", arguments: [sha256]) {
                    try file.delete(db)
                    try Journal.append(
                        Journal.Change(
                            entityType: evidenceFileEntity,
                            entityId: file.id,
                            action: "lost",
                            texts: (JSONText.fieldTexts(of: file), [:])
                        ),
                        by: .system,
                        at: now,
                        in: db
                    )
                    lost.append(file.id)
                }
            }
            return lost
        }
    }

    /// Staged uploads by the hash their name begins with (`<sha256>.<random>.staged`).
    private static func stagedUploads(in vault: FileVault) throws -> [String: [String]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: vault.stagingDirectory)) ?? []
        var staged: [String: [String]] = [:]
        for name in names where name.hasSuffix(".staged") {
            let sha256 = String(name.prefix { $0 != "." })
            staged[sha256, default: []].append("\(vault.stagingDirectory)/\(name)")
        }
        return staged
    }

    private static func clear(_ folder: String) throws -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names { try FileManager.default.removeItem(atPath: "\(folder)/\(name)") }
        return names.count
    }

    /// Removes every content, thumbnail and marker whose hash no row names. Other names (the lock, `tmp/`, anything an
    /// operator put there) are left alone.
    private static func removeOrphans(in vault: FileVault, keeping referenced: Set<String>) throws -> Int {
        var removed = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: vault.directory) {
            let sha256 = String(name.prefix { $0 != "." })
            guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit), !referenced.contains(sha256) else { continue }
            try FileManager.default.removeItem(atPath: "\(vault.directory)/\(name)")
            removed += 1
        }
        return removed
    }
}
