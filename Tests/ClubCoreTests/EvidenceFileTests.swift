import ClubCore
import Foundation
import Testing

/// The rules of evidence files (docs/design.md §11): who may attach and remove, on which objects, within which limits.
@Suite("Evidence files")
struct EvidenceFileTests {
    static let studio = Principal(tokenId: "tok_s", name: "Pixel Hands", role: .studio, studioId: "stu_1")
    static let client = Principal(tokenId: "tok_c", name: "Oleg", role: .client, clientId: "cli_1")
    static let otherClient = Principal(tokenId: "tok_o", name: "Other", role: .client, clientId: "cli_2")
    static let coordinator = Principal(tokenId: "tok_k", name: "Anna", role: .coordinator)
    static let sha = String(repeating: "0f", count: 32)
    static let png = SniffedFile(type: .png, size: 2048, width: 800, height: 600)

    static func owner(closed: String? = nil) -> FileOwner {
        FileOwner(
            kind: .fixItem,
            id: "fxi_1",
            engagementId: "eng_1",
            ownership: Ownership(studioIds: ["stu_1"], clientId: "cli_1"),
            closedBecause: closed
        )
    }

    static func attach(
        _ name: String = "form.png",
        caption: String? = nil,
        by principal: Principal = client,
        on owner: FileOwner = owner()
    )
        throws -> EvidenceFile
    {
        try EvidenceFile(id: "fil_1", on: owner, content: png, sha256: sha, name: name, caption: caption, by: principal, at: Date())
    }

    @Test func thePartiesAndTheClubAttachToAnOpenObject() throws {
        for principal in [Self.studio, Self.client, Self.coordinator] {
            let file = try Self.attach(by: principal)
            #expect(file.uploadedById == principal.tokenId && file.objectType == .fixItem && file.engagementId == "eng_1")
        }
        #expect(throws: DomainError.notFound(entity: "fix item", id: "fxi_1")) { try Self.attach(by: Self.otherClient) }
    }

    @Test func aSettledObjectTakesNoFileAndGivesNoneUp() throws {
        let closed = Self.owner(closed: "the item is accepted")
        #expect(throws: DomainError.ruleBroken(.fileObjectClosed, detail: "the item is accepted; its files can no longer be added")) {
            try Self.attach(on: closed)
        }
        let file = try Self.attach()
        #expect(throws: DomainError.ruleBroken(.fileObjectClosed, detail: "the item is accepted; its files can no longer be removed")) {
            try file.checkRemoval(from: closed, by: Self.coordinator)
        }
        #expect(Rule.fileObjectClosed.isStateConflict)
    }

    @Test func aFileIsRemovedByItsUploaderOrACoordinatorOnly() throws {
        let file = try Self.attach(by: Self.client)
        try file.checkRemoval(from: Self.owner(), by: Self.client)
        try file.checkRemoval(from: Self.owner(), by: Self.coordinator)
        #expect(throws: DomainError.forbidden(Action.removeFile.refusal)) { try file.checkRemoval(from: Self.owner(), by: Self.studio) }
        #expect(file.isRemovable(by: Self.client) && file.isRemovable(by: Self.coordinator) && !file.isRemovable(by: Self.studio))
        #expect(throws: DomainError.notFound(entity: "fix item", id: "fxi_1")) { try file.checkRemoval(from: Self.owner(), by: Self.otherClient) }
    }

    @Test func theNameAndTheCaptionAreValidated() throws {
        #expect(invalidFields { _ = try Self.attach("../../etc/passwd") } == ["name"])
        #expect(invalidFields { _ = try Self.attach(caption: String(repeating: "x", count: EvidenceFile.captionLimit + 1)) } == ["caption"])
        #expect(try Self.attach("Скриншот формы.png", caption: "  the form  ").caption == "the form")
    }

    @Test func theNextUploadGetsWhatBothLimitsLeave() throws {
        let limits = FileLimits(maxFileBytes: 100, maxObjectBytes: 250, maxFilesPerObject: 3)
        #expect(try limits.sniffer(objectHolds: 0, bytes: 0).maxBytes == 100)
        #expect(try limits.sniffer(objectHolds: 2, bytes: 200).maxBytes == 50)
        #expect(throws: FileRefusal.objectTooLarge(limit: 250)) { try limits.sniffer(objectHolds: 2, bytes: 250) }
        #expect(throws: FileRefusal.objectFull(files: 3)) { try limits.sniffer(objectHolds: 3, bytes: 0) }
        #expect(limits.refusalForBody(over: 50) == .objectTooLarge(limit: 250))
        #expect(limits.refusalForBody(over: 100) == .tooLarge(limit: 100))
        #expect(FileRefusal.objectFull(files: 3).isAboutSize && !FileRefusal.empty.isAboutSize)
    }

    @Test func eachKindIsNamedByItsCollectionAndReadAsItsObject() {
        for kind in FileOwnerKind.allCases { #expect(FileOwnerKind(collection: kind.collection) == kind) }
        #expect(FileOwnerKind(collection: "fix-items") == .fixItem && FileOwnerKind(collection: "files") == nil)
        #expect(FileOwnerKind.auditFinding.readAction == .readAudit && FileOwnerKind.checkIn.readAction == .readEngagement)
    }
}
