import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

/// Evidence files in the store (docs/design.md §11.2): one row and one journal event per upload, contents stored once
/// by hash and moved in only after the commit, and a start-up check that mends a crash in either direction.
@Suite("Evidence files in the store")
struct FileStoreTests {
    /// A small text file staged in `database`'s vault, as an upload leaves it before its row is written.
    static func stage(_ text: String, in database: AppDatabase) throws -> StagedFile {
        let upload = try database.vault.beginUpload(sniffer: FileSniffer())
        try Data(text.utf8).withUnsafeBytes { try upload.write($0) }
        return try upload.finish()
    }

    static func contents(of vault: FileVault) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: vault.directory).filter { $0.count == 64 }.sorted()
    }

    static func staging(of vault: FileVault) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: vault.directory + "/tmp")
    }

    @Test func anUploadIsOneRowOneEventAndItsContentStoredOnceByHash() async throws {
        let (club, list, _, client) = try await FixListStoreTests.agreedList()
        let database = club.database
        let item = list.items[0].id
        let first = try await database.attachFile(
            try Self.stage("the form says 500\n", in: database),
            to: .fixItem,
            item,
            name: "error.txt",
            caption: "What the form answers",
            by: client
        )
        let second = try await database.attachFile(
            try Self.stage("the form says 500\n", in: database),
            to: .fixItem,
            item,
            name: "again.txt",
            caption: nil,
            by: client
        )
        #expect(first.sha256 == second.sha256)
        #expect(first.type == .text && first.size == 18 && first.uploadedById == client.tokenId)
        #expect(try Self.contents(of: database.vault) == [first.sha256])
        #expect(try Self.staging(of: database.vault).isEmpty)
        #expect(try await database.files(on: .fixItem, item, for: client).map { $0.id } == [first.id, second.id])
        let events = try await database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT action FROM journal WHERE entityType = 'evidence-file' ORDER BY seq")
        }
        #expect(events == ["created", "created"])
    }

    @Test func aRefusedUploadLeavesNoRowNoEventAndNoContent() async throws {
        let (club, list, _, client) = try await FixListStoreTests.agreedList()
        let database = club.database
        let staged = try Self.stage("notes\n", in: database)
        await #expect(throws: DomainError.self) {
            _ = try await database.attachFile(staged, to: .fixItem, list.items[0].id, name: "../etc/passwd", caption: nil, by: client)
        }
        #expect(try Self.contents(of: database.vault).isEmpty)
        #expect(try Self.staging(of: database.vault).isEmpty)
        let rows = try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM evidenceFile") }
        #expect(rows == 0)
    }

    @Test func theObjectsLimitsHoldAcrossUploads() async throws {
        var rules = ClubRules()
        rules.files = FileLimits(maxFileBytes: 10, maxObjectBytes: 12, maxFilesPerObject: 2)
        let (club, list, _, client) = try await FixListStoreTests.agreedList()
        let database = try AppDatabase(club.database.writer, clock: club.test.clock, rules: rules, vault: club.database.vault)
        let item = list.items[0].id
        _ = try await database.attachFile(try Self.stage("12345678\n", in: database), to: .fixItem, item, name: "a.txt", caption: nil, by: client)
        // 9 of 12 bytes held: the next sniffer may take 3, whatever the per-file limit says.
        let sniffer = try await database.fileSniffer(for: .fixItem, item, by: client)
        #expect(sniffer.maxBytes == 3)
        await #expect(throws: FileRefusal.objectTooLarge(limit: 12)) {
            _ = try await database.attachFile(try Self.stage("abcdef\n", in: database), to: .fixItem, item, name: "b.txt", caption: nil, by: client)
        }
        _ = try await database.attachFile(try Self.stage("ab\n", in: database), to: .fixItem, item, name: "c.txt", caption: nil, by: client)
        await #expect(throws: FileRefusal.objectFull(files: 2)) { _ = try await database.fileSniffer(for: .fixItem, item, by: client) }
    }

    @Test func onlyTheUploaderOrACoordinatorRemovesAFileAndOnlyWhileItsObjectIsOpen() async throws {
        let (club, list, studio, client) = try await FixListStoreTests.agreedList()
        let database = club.database
        let item = list.items[0].id
        let file = try await database.attachFile(try Self.stage("proof\n", in: database), to: .fixItem, item, name: "p.txt", caption: nil, by: client)
        await #expect(throws: DomainError.forbidden("a file is removed by whoever uploaded it or by a coordinator")) {
            try await database.removeFile(file.id, by: studio)
        }
        try await database.removeFile(file.id, by: client)
        await #expect(throws: DomainError.notFound(entity: "file", id: file.id)) { _ = try await database.file(file.id, for: client) }
        let kept = try await database.attachFile(try Self.stage("kept\n", in: database), to: .fixItem, item, name: "k.txt", caption: nil, by: client)
        _ = try await database.strikeFixItem(item, StrikeInput(note: "done"), by: studio)
        _ = try await database.acceptFixItem(item, AcceptInput(), by: client)
        await #expect(throws: DomainError.self) { try await database.removeFile(kept.id, by: head) }
        await #expect(throws: DomainError.self) { _ = try await database.fileSniffer(for: .fixItem, item, by: client) }
    }

    @Test func aFileAddedOrRemovedTellsTheLiveViewsOfItsList() async throws {
        let (club, list, _, client) = try await FixListStoreTests.agreedList()
        let database = club.database
        let file = try await database.attachFile(
            try Self.stage("x\n", in: database),
            to: .fixItem,
            list.items[0].id,
            name: "x.txt",
            caption: nil,
            by: client
        )
        try await database.removeFile(file.id, by: client)
        let events = try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, action FROM journal WHERE entityId = ? ORDER BY seq", arguments: [file.id])
                .map { (seq: $0["seq"] as Int64, action: $0["action"] as String) }
        }
        #expect(events.count == 2)
        for event in events {
            let change = Change(seq: event.seq, entityType: "evidence-file", entityId: file.id, action: event.action)
            #expect(try await database.fixListId(touchedBy: change) == list.list.id, "\(change.action)")
        }
    }

    @Test func aStudioOutsideTheEngagementReachesNoFile() async throws {
        let (club, list, _, client) = try await FixListStoreTests.agreedList()
        let database = club.database
        let file = try await database.attachFile(
            try Self.stage("x\n", in: database),
            to: .fixItem,
            list.items[0].id,
            name: "x.txt",
            caption: nil,
            by: client
        )
        let stranger = Principal(tokenId: "tok_s", name: "Other studio", role: .studio, studioId: "stu_other")
        await #expect(throws: DomainError.notFound(entity: "file", id: file.id)) {
            _ = try await database.file(file.id, for: stranger)
        }
        await #expect(throws: DomainError.notFound(entity: "fix item", id: list.items[0].id)) {
            _ = try await database.fileSniffer(for: .fixItem, list.items[0].id, by: stranger)
        }
    }

    @Test func theStartUpCheckMovesInACommittedUploadAndRemovesWhatNoRowNames() async throws {
        let (club, list, _, client) = try await FixListStoreTests.agreedList()
        let database = club.database
        let item = list.items[0].id
        // A crash after the commit and before the move: the row is there, the content only staged.
        let staged = try Self.stage("committed, not moved\n", in: database)
        let committed = try await database.attachFile(
            try Self.stage("placed\n", in: database),
            to: .fixItem,
            item,
            name: "a.txt",
            caption: nil,
            by: client
        )
        try await database.writer.write { db in
            try db.execute(
                sql: "INSERT INTO evidenceFile SELECT ?, objectType, objectId, engagementId, ?, size, type, width, height, name, caption, "
                    + "uploadedBy, uploadedById, uploadedAt FROM evidenceFile WHERE id = ?",
                arguments: ["fil_crashed", staged.sha256, committed.id]
            )
        }
        // A content whose row is gone, a half-written upload, and a row whose content is nowhere.
        let orphan = try Self.stage("orphan\n", in: database)
        try database.vault.place(orphan)
        _ = FileManager.default.createFile(atPath: database.vault.directory + "/tmp/half.part", contents: Data("half".utf8))
        try await database.writer.write { db in
            try db.execute(
                sql: "INSERT INTO evidenceFile SELECT 'fil_lost', objectType, objectId, engagementId, ?, size, type, width, height, name, "
                    + "caption, uploadedBy, uploadedById, uploadedAt FROM evidenceFile WHERE id = ?",
                arguments: [String(repeating: "ab", count: 32), committed.id]
            )
        }
        let report = try await database.repairFiles()
        #expect(report.restored == [staged.sha256])
        #expect(report.lostFiles == ["fil_lost"])
        #expect(report.removedOrphans == 1)
        #expect(report.clearedUploads == 1)
        #expect(try Self.contents(of: database.vault) == [committed.sha256, staged.sha256].sorted())
        #expect(try FileVault.sha256(ofFileAt: database.vault.contentPath(staged.sha256)) == staged.sha256)
        #expect(try Self.staging(of: database.vault).isEmpty)
        let lost = try await database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT action FROM journal WHERE entityId = 'fil_lost'")
        }
        #expect(lost == "lost")
        #expect(try await database.repairFiles().isClean)
    }
}
