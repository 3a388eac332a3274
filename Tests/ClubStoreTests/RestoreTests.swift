import ClubCore
import ClubDemo
import ClubStore
import Foundation
import GRDB
import Testing

/// `clubd restore`'s checks and its putting in place (docs/design.md §11.4): a real data folder, real database files,
/// real evidence contents, a backup made by `backupWithFiles`.
@Suite("Restoring a backup")
struct RestoreTests {
    /// A club on disk with two evidence files, backed up, then changed: one more client and one more file.
    struct Scenario {
        let root: URL
        let data: DataFolder
        let backup: String
        let backedUpContents: [FileBackupTests.Content]
        let laterContent: FileBackupTests.Content
        let eventsInBackup: Int
        let lastEventInBackup: Date

        var candidate: RestoreCandidate { .backup(at: backup) }

        static func make() async throws -> Scenario {
            let root = try FileBackupTests.makeFolder()
            let dataURL = root.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: dataURL, withIntermediateDirectories: true)
            let (database, summary) = try await FileBackupTests.referenceCaseOnDisk(in: dataURL)
            let engagement = summary.landingEngagementId
            let contents = [try FileBackupTests.Content("a screenshot", in: root), try FileBackupTests.Content("the audit", in: root)]
            for (index, content) in contents.enumerated() {
                try await FileBackupTests.insertRow(
                    database,
                    id: "fil_\(index)",
                    engagementId: engagement,
                    sha256: content.sha256,
                    size: content.bytes.count,
                    name: "f\(index).png"
                )
                try FileBackupTests.place(content, in: database.vault)
            }
            let backup = root.appendingPathComponent("backup.sqlite").path
            _ = try database.backupWithFiles(to: backup)
            let events = try await database.journalHead().seq
            let last = try await database.writer.read { try Int64.fetchOne($0, sql: "SELECT max(atMillis) FROM journal") } ?? 0

            // The club moves on after the backup.
            _ = try await database.createClient(ClientInput(name: "Written after the backup Ltd"), by: head)
            let later = try FileBackupTests.Content("uploaded after the backup", in: root)
            try await FileBackupTests.insertRow(database, id: "fil_later", engagementId: engagement, sha256: later.sha256, size: 25, name: "l.png")
            try FileBackupTests.place(later, in: database.vault)
            // A content lost from the live vault since: the restore brings it back from the backup.
            try FileManager.default.removeItem(atPath: database.vault.contentPath(contents[0].sha256))
            try database.close()
            return Scenario(
                root: root,
                data: DataFolder(dataURL.path),
                backup: backup,
                backedUpContents: contents,
                laterContent: later,
                eventsInBackup: Int(events),
                lastEventInBackup: Date(timeIntervalSince1970: Double(last) / 1000)
            )
        }

        /// Every file under the data folder with its SHA-256 (the lock file aside, which a restore creates).
        func snapshot() throws -> [String: String] {
            var files: [String: String] = [:]
            let enumerator = FileManager.default.enumerator(atPath: data.path)
            while let relative = enumerator?.nextObject() as? String {
                let path = data.path + "/" + relative
                var isFolder: ObjCBool = false
                guard relative != "clubd.lock", FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
                    continue
                }
                files[relative] = try FileVault.sha256(ofFileAt: path)
            }
            return files
        }

        /// Runs a restore that must be refused, and checks that not a byte of the data folder changed.
        func expectRefusal(_ candidate: RestoreCandidate? = nil, matching: (RestoreRefusal) -> Bool) throws {
            let before = try snapshot()
            #expect(before["clubd.sqlite"] != nil)
            do {
                _ = try DatabaseRestore(dataFolder: data).restore(candidate ?? self.candidate)
                Issue.record("the restore was not refused")
            } catch let refusal as RestoreRefusal {
                #expect(matching(refusal), "refused for another reason: \(refusal)")
            }
            #expect(try snapshot() == before, "a refused restore changes nothing")
        }
    }

    /// Every row of every table, as text: two databases holding the same club dump the same.
    static func dump(_ path: String) throws -> [String: [String]] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            var dump: [String: [String]] = [:]
            for table in tables {
                dump[table] = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map { $0.description }.sorted()
            }
            return dump
        }
    }

    @Test func aRestoredDatabaseEqualsTheBackupAndThePreviousOneIsKeptAside() async throws {
        let scenario = try await Scenario.make()
        defer { try? FileManager.default.removeItem(at: scenario.root) }
        let now = Date(timeIntervalSince1970: 1_800_000_123)

        let report = try DatabaseRestore(dataFolder: scenario.data).restore(scenario.candidate, now: now)

        #expect(report.events == scenario.eventsInBackup)
        #expect(report.lastEventAt == scenario.lastEventInBackup)
        #expect(report.fileCount == 2)
        #expect(report.filesCopied == 1, "the content lost from the vault came back; the other was left in place")
        #expect(report.migrationsApplied.isEmpty)
        let aside = scenario.data.databasePath + ".before-restore-20270115T080203Z"
        #expect(report.previousDatabase == aside)
        #expect(try Self.dump(scenario.data.databasePath) == Self.dump(scenario.backup), "the live database holds what the backup holds")
        // The later client is gone from the live database, and kept in the one moved aside.
        let restored = try AppDatabase(path: scenario.data.databasePath)
        #expect(try restored.verifyJournal() == .intact(events: scenario.eventsInBackup, head: try await restored.journalHead().hash))
        let clients = try await restored.writer.read { try String.fetchAll($0, sql: "SELECT name FROM client") }
        #expect(!clients.contains("Written after the backup Ltd"))
        try restored.close()
        let previous = try DatabaseQueue(path: aside)
        let previousClients = try await previous.read { try String.fetchAll($0, sql: "SELECT name FROM client") }
        #expect(previousClients.contains("Written after the backup Ltd"))
        try previous.close()
        // Every content the restored rows name is in the vault, each under its hash; the later one is kept beside the
        // previous database, where the start-up check will not remove it.
        let vault = FileVault.beside(databasePath: scenario.data.databasePath)
        for content in scenario.backedUpContents {
            #expect(try FileVault.sha256(ofFileAt: vault.contentPath(content.sha256)) == content.sha256)
        }
        #expect(report.previousFiles == aside + "-files")
        #expect(FileManager.default.fileExists(atPath: aside + "-files/" + scenario.laterContent.sha256))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scenario.data.path).filter { $0.hasPrefix(".restore-") }
        #expect(leftovers.isEmpty, "no staging copy is left")
        #expect(!FileManager.default.fileExists(atPath: scenario.backup + "-wal"), "the backup is left as it was found")
        #expect(!FileManager.default.fileExists(atPath: scenario.backup + "-shm"))

        // The pair kept aside is itself a backup: restoring it undoes the restore, later client and later file included.
        let undone = try DatabaseRestore(dataFolder: scenario.data).restore(.backup(at: aside), now: now)
        #expect(undone.previousDatabase == aside + "-2")
        #expect(undone.fileCount == 3)
        let back = try DatabaseQueue(path: scenario.data.databasePath)
        #expect(try await back.read { try String.fetchAll($0, sql: "SELECT name FROM client") }.contains("Written after the backup Ltd"))
        try back.close()
    }

    @Test func aBackupIsRestoredIntoAnEmptyDataFolderOnANewMachine() async throws {
        let scenario = try await Scenario.make()
        defer { try? FileManager.default.removeItem(at: scenario.root) }
        let fresh = DataFolder(scenario.root.appendingPathComponent("new-machine/data").path)

        let report = try DatabaseRestore(dataFolder: fresh).restore(scenario.candidate)

        #expect(report.previousDatabase == nil && report.previousFiles == nil)
        #expect(report.filesCopied == 2)
        #expect(try Self.dump(fresh.databasePath) == Self.dump(scenario.backup))
        let vault = FileVault.beside(databasePath: fresh.databasePath)
        #expect(scenario.backedUpContents.allSatisfy { vault.hasContent($0.sha256) })
    }

    @Test func aBackupWithBytesFlippedInTheMiddleFailsTheIntegrityCheck() async throws {
        let scenario = try await Scenario.make()
        defer { try? FileManager.default.removeItem(at: scenario.root) }
        // The journal's root page, somewhere inside the file: a b-tree page, never a free one whose bytes SQLite ignores.
        let copy = try DatabaseQueue(path: scenario.backup)
        let rootPage = try await copy.read { try Int.fetchOne($0, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'journal'") } ?? 0
        try copy.close()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: scenario.backup))
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        let start = (rootPage - 1) * pageSize
        #expect(rootPage > 1 && start > 0 && start < bytes.count - pageSize)
        for offset in start..<(start + 12) { bytes[offset] ^= 0xFF }
        try bytes.write(to: URL(fileURLWithPath: scenario.backup))

        try scenario.expectRefusal { refusal in
            if case .integrity = refusal { return true }
            return false
        }
    }

    @Test func aBackupWhoseJournalWasEditedFailsTheChain() async throws {
        let scenario = try await Scenario.make()
        defer { try? FileManager.default.removeItem(at: scenario.root) }
        let copy = try DatabaseQueue(path: scenario.backup)
        try await copy.write { try $0.execute(sql: "UPDATE journal SET action = 'renamed' WHERE seq = 3") }
        try copy.close()

        try scenario.expectRefusal { refusal in
            if case .journalBroken(let seq, _, _) = refusal { return seq == 3 }
            return false
        }
    }

    @Test func aBackupMissingAnEvidenceFileOrHoldingAnAlteredOneIsRefusedNamingIt() async throws {
        let scenario = try await Scenario.make()
        defer { try? FileManager.default.removeItem(at: scenario.root) }
        let folder = scenario.candidate.filesFolder
        let (lost, altered) = (scenario.backedUpContents[0].sha256, scenario.backedUpContents[1].sha256)
        try FileManager.default.removeItem(atPath: "\(folder)/\(lost)")
        try Data("not the audit".utf8).write(to: URL(fileURLWithPath: "\(folder)/\(altered)"))

        try scenario.expectRefusal { refusal in
            refusal == .contents(folder: folder, missing: [lost], altered: [altered], total: 2)
        }
        let message = RestoreRefusal.contents(folder: folder, missing: [lost], altered: [altered], total: 2).description
        #expect(message.contains("missing \(lost)") && message.contains("not matching their hash \(altered)"))
    }

    @Test func aBackupOfANewerSchemaOrNoDatabaseAtAllIsRefused() async throws {
        let scenario = try await Scenario.make()
        defer { try? FileManager.default.removeItem(at: scenario.root) }
        let copy = try DatabaseQueue(path: scenario.backup)
        try await copy.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        try copy.close()
        try scenario.expectRefusal { $0 == .newerSchema(unknown: ["v99-from-the-future"]) }

        let text = scenario.root.appendingPathComponent("notes.txt")
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: text)
        try FileManager.default.createDirectory(atPath: text.path + "-files", withIntermediateDirectories: true)
        try scenario.expectRefusal(.backup(at: text.path)) { refusal in
            if case .unreadable = refusal { return true }
            return false
        }
        try scenario.expectRefusal(.backup(at: scenario.root.appendingPathComponent("absent.sqlite").path)) { refusal in
            if case .candidateMissing = refusal { return true }
            return false
        }
        try scenario.expectRefusal(RestoreCandidate(databasePath: scenario.data.databasePath, filesFolder: scenario.candidate.filesFolder)) {
            $0 == .candidateIsLive(scenario.data.databasePath)
        }
    }

    @Test func aFolderWhoseLockIsHeldIsNeitherRestoredNorServedTwice() async throws {
        let scenario = try await Scenario.make()
        defer { try? FileManager.default.removeItem(at: scenario.root) }
        let lock = try ServingLock.acquire(scenario.data)
        let held = ServingLockError.held(folder: scenario.data.path, pid: getpid())
        #expect(throws: held) { try ServingLock.acquire(scenario.data) }
        try scenario.expectRefusal { $0 == .folderInUse(held) }
        lock.release()

        let again = try ServingLock.acquire(scenario.data)
        again.release()
    }

    @Test func anOlderSchemaIsMigratedAfterItsChecks() async throws {
        let scenario = try await Scenario.make()
        defer { try? FileManager.default.removeItem(at: scenario.root) }
        // The newest migration's tables are dropped and its mark removed: a backup as an older clubd wrote it.
        let copy = try DatabaseQueue(path: scenario.backup)
        try await copy.write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v18-evidence-files'")
            try db.execute(sql: "DROP TABLE evidenceFile")
        }
        try copy.close()
        try FileManager.default.removeItem(atPath: scenario.candidate.filesFolder)
        try FileManager.default.createDirectory(atPath: scenario.candidate.filesFolder, withIntermediateDirectories: false)

        let report = try DatabaseRestore(dataFolder: scenario.data).restore(scenario.candidate)

        #expect(report.migrationsApplied == ["v18-evidence-files"])
        #expect(report.fileCount == 0)
        let restored = try AppDatabase(path: scenario.data.databasePath)
        #expect(try await restored.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM evidenceFile") } == 0)
        try restored.close()
    }
}
