import ClubCore
import ClubDemo
import ClubStore
import Foundation
import GRDB
import Testing

/// Evidence files in backups and case files (docs/design.md §11.4): real files, a real database file, real hashes.
@Suite("Evidence files in backups and case files")
struct FileBackupTests {
    /// A content with its hash, as the vault names it.
    struct Content {
        let bytes: Data
        let sha256: String

        init(_ text: String, in folder: URL) throws {
            bytes = Data(text.utf8)
            let scratch = folder.appendingPathComponent("scratch-\(UUID().uuidString)")
            try bytes.write(to: scratch)
            sha256 = try FileVault.sha256(ofFileAt: scratch.path)
            try FileManager.default.removeItem(at: scratch)
        }
    }

    static func makeFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-files-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The reference case in a database file of its own folder, so that its vault is a real `files/` beside it.
    static func referenceCaseOnDisk(in folder: URL) async throws -> (AppDatabase, ReferenceCase.Summary) {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let database = try AppDatabase(path: folder.appendingPathComponent("clubd.sqlite").path, clock: clock)
        return (database, try await ReferenceCase(database: database, clock: clock).load())
    }

    /// A row as an upload leaves it, written directly: these tests are about what happens to rows and contents after.
    static func insertRow(
        _ database: AppDatabase,
        id: String,
        engagementId: String,
        sha256: String,
        size: Int,
        name: String,
        type: FileType = .png,
        caption: String? = nil
    ) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO evidenceFile (id, objectType, objectId, engagementId, sha256, size, type, width, height, name, caption,
                        uploadedBy, uploadedById, uploadedAt)
                    VALUES (?, 'fix-item', 'fit_0000', ?, ?, ?, ?, 1, 1, ?, ?, 'Maria', 'tok_h', ?)
                    """,
                arguments: [id, engagementId, sha256, size, type.rawValue, name, caption, Date(timeIntervalSince1970: 1_800_000_000)]
            )
        }
    }

    static func place(_ content: Content, in vault: FileVault) throws {
        try FileManager.default.createDirectory(atPath: vault.directory, withIntermediateDirectories: true)
        try content.bytes.write(to: URL(fileURLWithPath: vault.contentPath(content.sha256)))
    }

    // MARK: backup

    @Test func theBackupHoldsExactlyTheReferencedContentsCheckedByHash() async throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (database, summary) = try await Self.referenceCaseOnDisk(in: folder)
        let engagement = summary.landingEngagementId
        let (shared, report, staged, stray) = (
            try Content("a screenshot", in: folder), try Content("the auditor's report", in: folder),
            try Content("uploaded a moment before the backup", in: folder), try Content("never referenced", in: folder)
        )
        // The same content attached twice is stored, and copied, once.
        try await Self.insertRow(database, id: "fil_1", engagementId: engagement, sha256: shared.sha256, size: 12, name: "form.png")
        try await Self.insertRow(database, id: "fil_2", engagementId: engagement, sha256: shared.sha256, size: 12, name: "again.png")
        try await Self.insertRow(database, id: "fil_3", engagementId: engagement, sha256: report.sha256, size: 20, name: "audit.pdf", type: .pdf)
        try await Self.insertRow(database, id: "fil_4", engagementId: engagement, sha256: staged.sha256, size: 35, name: "late.png")
        for content in [shared, report, stray] { try Self.place(content, in: database.vault) }
        // Its row has committed, its content is not yet moved in: the backup takes it from the staging folder.
        let staging = database.vault.directory + "/tmp"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try staged.bytes.write(to: URL(fileURLWithPath: "\(staging)/\(staged.sha256).0123456789ab.staged"))

        let copyPath = folder.appendingPathComponent("backup.sqlite").path
        let result = try database.backupWithFiles(to: copyPath)

        #expect(result.integrity == "ok")
        #expect(result.fileCount == 3)
        #expect(result.filesFolder == copyPath + "-files")
        let copied = try FileManager.default.contentsOfDirectory(atPath: result.filesFolder)
        #expect(Set(copied) == [shared.sha256, report.sha256, staged.sha256])
        #expect(!copied.contains(stray.sha256))
        for name in copied {
            #expect(try FileVault.sha256(ofFileAt: result.filesFolder + "/" + name) == name)
        }
        let copy = try DatabaseQueue(path: copyPath)
        #expect(try await copy.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM evidenceFile") } == 4)
    }

    @Test func aRowWhoseContentIsMissingFailsTheBackupLoudly() async throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (database, summary) = try await Self.referenceCaseOnDisk(in: folder)
        let present = try Content("present", in: folder)
        let missing = try Content("lost", in: folder)
        try await Self.insertRow(database, id: "fil_1", engagementId: summary.landingEngagementId, sha256: present.sha256, size: 7, name: "a.png")
        try await Self.insertRow(database, id: "fil_2", engagementId: summary.landingEngagementId, sha256: missing.sha256, size: 4, name: "b.png")
        try Self.place(present, in: database.vault)

        let copyPath = folder.appendingPathComponent("backup.sqlite").path
        #expect(throws: FileBackupError.missingContent(sha256: missing.sha256)) { try database.backupWithFiles(to: copyPath) }
        // No half-written copy carries a content's name.
        let left = try FileManager.default.contentsOfDirectory(atPath: copyPath + "-files")
        #expect(left.allSatisfy { !$0.hasSuffix(".part") })
        #expect(!left.contains(missing.sha256))
    }

    @Test func aBackupWithoutFilesMakesAnEmptyFolderAndRefusesToMixWithAnother() async throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (database, _) = try await Self.referenceCaseOnDisk(in: folder)
        let first = folder.appendingPathComponent("first.sqlite").path
        let report = try database.backupWithFiles(to: first)
        #expect(report.fileCount == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: report.filesFolder) == [])

        let second = folder.appendingPathComponent("second.sqlite").path
        try FileManager.default.createDirectory(atPath: second + "-files", withIntermediateDirectories: false)
        #expect(throws: FileBackupError.filesFolderExists(second + "-files")) { try database.backupWithFiles(to: second) }
        #expect(!FileManager.default.fileExists(atPath: second))
    }

    // MARK: case files

    /// The reference case in memory with three files on the landing engagement and one on the other.
    static func caseWithFiles(in folder: URL) async throws -> (AppDatabase, ReferenceCase.Summary, [Content]) {
        let (database, summary) = try await CaseFileTests.demo()
        let contents = try ["the broken form", "the auditor's report", "a call export"].map { try Content($0, in: folder) }
        let landing = summary.landingEngagementId
        try await Self.insertRow(
            database,
            id: "fil_1",
            engagementId: landing,
            sha256: contents[0].sha256,
            size: 15,
            name: "form.png",
            caption: "as sent"
        )
        try await Self.insertRow(database, id: "fil_2", engagementId: landing, sha256: contents[1].sha256, size: 20, name: "audit.pdf", type: .pdf)
        try await Self.insertRow(database, id: "fil_3", engagementId: landing, sha256: contents[2].sha256, size: 13, name: "calls.csv", type: .csv)
        try await Self.insertRow(
            database,
            id: "fil_other",
            engagementId: summary.advertisingEngagementId,
            sha256: contents[0].sha256,
            size: 15,
            name: "elsewhere.png"
        )
        return (database, summary, contents)
    }

    @Test func aCaseFileListsTheEngagementsFilesForEachReader() async throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (database, summary, contents) = try await Self.caseWithFiles(in: folder)
        let client = try #require(try await database.authenticate(secret: summary.clientToken))
        let head = try #require(try await database.authenticate(secret: summary.headToken))

        for reader in [head, client] {
            let file = try await database.caseFile(summary.landingEngagementId, for: reader)
            let listed = try #require(file.section("files") as? [[String: Any]])
            #expect(listed.map { $0["id"] as? String } == ["fil_1", "fil_2", "fil_3"], "\(reader.role)")
            let form = try #require(listed.first)
            #expect(form["name"] as? String == "form.png")
            #expect(form["type"] as? String == "png")
            #expect(form["size"] as? Int == 15)
            #expect(form["sha256"] as? String == contents[0].sha256)
            #expect(form["caption"] as? String == "as sent")
            #expect(form["objectType"] as? String == "fix-item")
            #expect(form["objectId"] as? String == "fit_0000")
            #expect(form["uploadedBy"] as? String == "Maria")
            #expect(form["uploadedAt"] as? String == "2027-01-15T08:00:00.000Z" || form["uploadedAt"] as? String == "2027-01-15T08:00:00Z")
            #expect(listed[1]["type"] as? String == "pdf")
            // Nothing of a file is withheld, so nothing is annotated for the club.
            #expect(form[Redactor.annotationKey] == nil)
            #expect(try file.listedFiles().map { $0.sha256 } == contents.map { $0.sha256 })
            // It still verifies once written and read back.
            #expect(try CaseFile(jsonData: try file.jsonData()).verify().isIntact)
        }
    }

    @Test func aFileAttachedThroughTheStoreIsListedAndTheCaseFileStillVerifies() async throws {
        let (database, summary) = try await CaseFileTests.demo()
        let client = try #require(try await database.authenticate(secret: summary.clientToken))
        let head = try #require(try await database.authenticate(secret: summary.headToken))
        // The reference case has accepted the landing's fix items: a new complaint takes files.
        let complaint = try await database.createComplaint(
            summary.landingEngagementId,
            ComplaintInput(channel: "phone", summary: "prices on two yacht cards are wrong", demand: ComplaintDemand(kind: .redo)),
            by: head
        )
        let sniffer = try await database.fileSniffer(for: .complaint, complaint.id, by: client)
        let upload = try database.vault.beginUpload(sniffer: sniffer)
        try Data("the form still shows last year's prices\n".utf8).withUnsafeBytes { try upload.write($0) }
        let attached = try await database.attachFile(try upload.finish(), to: .complaint, complaint.id, name: "form.txt", caption: nil, by: client)

        for reader in [head, client] {
            let file = try CaseFile(jsonData: try await database.caseFile(summary.landingEngagementId, for: reader).jsonData())
            #expect(file.verify().isIntact, "\(reader.role)")
            let listed = try #require(try file.listedFiles().first)
            #expect(listed.id == attached.id && listed.name == "form.txt" && listed.sha256 == attached.sha256 && listed.size == attached.size)
            #expect((file.section("files") as? [[String: Any]])?.first?["type"] as? String == "text")
        }
        // The club's file carries the attachment's journal event, which holds the hash the listing must agree with.
        let club = try await database.caseFile(summary.landingEngagementId, for: head)
        #expect(club.journal.events.contains { $0.entityId == attached.id })
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("case.json").path
        let forged = try Content("the form was fine all along\n", in: folder)
        try forged.bytes.write(to: folder.appendingPathComponent("form.txt"))
        var document = try #require(try JSONSerialization.jsonObject(with: try club.jsonData()) as? [String: Any])
        var files = try #require(document["files"] as? [[String: Any]])
        files[0]["sha256"] = forged.sha256
        document["files"] = files
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
        let altered = try CaseFile(jsonData: try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(altered.verify().isIntact)
        let checks = try altered.verifyFiles(besideCaseFileAt: path)
        #expect(checks.map { $0.outcome } == [.contradicted(journal: attached.sha256)])
        #expect(checks[0].failed)
        #expect(FileCheck.summary(checks) == "0 files intact, 1 contradicted by the journal")

        // The same file unaltered, with the real content beside it under its hash, is intact.
        let genuinePath = folder.appendingPathComponent("genuine.json").path
        try club.jsonData().write(to: URL(fileURLWithPath: genuinePath))
        try Data("the form still shows last year's prices\n".utf8).write(to: folder.appendingPathComponent(attached.sha256))
        let genuine = try club.verifyFiles(besideCaseFileAt: genuinePath)
        #expect(genuine.map { $0.outcome } == [.intact(path: folder.appendingPathComponent(attached.sha256).path)])
    }

    @Test func filesBesideACaseFileAreIntactMismatchedOrAbsent() async throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (database, summary, contents) = try await Self.caseWithFiles(in: folder)
        let export = folder.appendingPathComponent("export")
        try FileManager.default.createDirectory(at: export.appendingPathComponent("case.json-files"), withIntermediateDirectories: true)
        let path = export.appendingPathComponent("case.json").path
        let exported = try await database.caseFile(summary.landingEngagementId, for: .system).jsonData()
        try exported.write(to: URL(fileURLWithPath: path))
        let file = try CaseFileReader.read(path)
        // The form beside it by its hash, the report in `case.json-files/` by its display name, the export not at all.
        let formPath = export.appendingPathComponent(contents[0].sha256).path
        let reportPath = export.appendingPathComponent("case.json-files/audit.pdf").path
        try contents[0].bytes.write(to: URL(fileURLWithPath: formPath))
        try contents[1].bytes.write(to: URL(fileURLWithPath: reportPath))

        let checks = try file.verifyFiles(besideCaseFileAt: path)
        #expect(checks.map { $0.outcome } == [.intact(path: formPath), .intact(path: reportPath), .absent])
        #expect(checks.allSatisfy { !$0.failed })
        #expect(FileCheck.summary(checks) == "2 files intact, 1 absent")

        // One byte changed: a mismatch naming where, and what it hashes to now.
        var altered = contents[1].bytes
        altered[0] ^= 0x01
        try altered.write(to: URL(fileURLWithPath: reportPath))
        let afterChange = try file.verifyFiles(besideCaseFileAt: path)
        let found = try FileVault.sha256(ofFileAt: reportPath)
        #expect(afterChange[1].outcome == .mismatch(path: reportPath, found: found))
        #expect(afterChange[1].failed)
        #expect(afterChange[1].description.contains("fil_2") && afterChange[1].description.contains("MISMATCH"))
        #expect(FileCheck.summary(afterChange) == "1 file intact, 1 absent, 1 mismatched")

        // The intact copy under its hash wins over a stale one under the same display name.
        let byHash = export.appendingPathComponent("case.json-files").path + "/" + contents[1].sha256
        try contents[1].bytes.write(to: URL(fileURLWithPath: byHash))
        #expect(try file.verifyFiles(besideCaseFileAt: path)[1].outcome == .intact(path: byHash))
    }

    @Test func aCaseFileWithoutFilesStillVerifiesAndANameIsNeverAPath() async throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (database, summary, contents) = try await Self.caseWithFiles(in: folder)
        var document = try #require(
            try JSONSerialization.jsonObject(with: try await database.caseFile(summary.landingEngagementId, for: .system).jsonData())
                as? [String: Any]
        )
        var files = try #require(document["files"] as? [[String: Any]])
        document["files"] = nil
        let older = try CaseFile(jsonData: try JSONSerialization.data(withJSONObject: document))
        #expect(older.verify().isIntact)
        #expect(try older.listedFiles() == [])
        #expect(try older.verifyFiles(besideCaseFileAt: folder.appendingPathComponent("old.json").path) == [])

        // A listing altered to climb out of the folder is looked up by its hash only.
        let export = folder.appendingPathComponent("export")
        try FileManager.default.createDirectory(at: export, withIntermediateDirectories: true)
        try contents[0].bytes.write(to: folder.appendingPathComponent("outside.png"))
        files[0]["name"] = "../outside.png"
        files[1]["sha256"] = "../../etc/passwd"
        document["files"] = files
        let tampered = try CaseFile(jsonData: try JSONSerialization.data(withJSONObject: document))
        let checks = try tampered.verifyFiles(besideCaseFileAt: export.appendingPathComponent("case.json").path)
        #expect(checks[0].outcome == .absent)
        #expect(checks[1].failed)
        #expect(checks[1].description.contains("cannot be checked"))
    }
}

extension JournalVerification {
    fileprivate var isIntact: Bool {
        if case .intact = self { true } else { false }
    }
}

/// Reads a case file from disk as `clubd journal verify --case-file` does.
enum CaseFileReader {
    static func read(_ path: String) throws -> CaseFile {
        try CaseFile(jsonData: try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
