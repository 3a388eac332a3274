import Foundation
import Testing

@testable import ClubCore

/// The response letter lists the evidence: each finding's files under it, the audit's own files in a section of their
/// own, each with name, type, size and a short SHA-256 (issue 13 item 4; docs/design.md §11.4).
@Suite("The letter lists evidence files")
struct LetterFilesTests {
    static let screenshotHash = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
    static let reportHash = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"

    /// A stored file's row, as the store reads it.
    static func file(
        _ id: String,
        on kind: FileOwnerKind,
        _ objectId: String,
        name: String,
        type: FileType,
        size: Int,
        sha: String
    ) throws
        -> EvidenceFile
    {
        let row: [String: Any] = [
            "id": id, "objectType": kind.rawValue, "objectId": objectId, "engagementId": "eng_1", "sha256": sha, "size": size,
            "type": type.rawValue, "name": name, "uploadedBy": "Oleg", "uploadedById": "tok_o", "uploadedAt": 0,
        ]
        return try JSONDecoder().decode(EvidenceFile.self, from: JSONSerialization.data(withJSONObject: row))
    }

    static func answeredAudit() throws -> Audit {
        var audit = try AuditTests.audit()
        try audit.rebut(findingId: "f1", RebuttalInput(position: .dispute, argument: "quality, not count"), by: coordinator, at: epoch)
        try audit.rebut(findingId: "f2", RebuttalInput(position: .dispute, argument: "the calls are tracked"), by: coordinator, at: epoch)
        try audit.answer(at: epoch, by: "Maria")
        return audit
    }

    static func letter(language: String, files: Bool = true) throws -> ResponseLetter {
        let screenshot = try file("fil_1", on: .auditFinding, "f1", name: "keywords.png", type: .png, size: 12_345, sha: screenshotHash)
        let report = try file("fil_2", on: .audit, "aud", name: "audit report.pdf", type: .pdf, size: 2_500_000, sha: reportHash)
        return ResponseLetter(
            audit: try answeredAudit(),
            studioName: "Ad Minds",
            clientName: "Yacht Charter",
            localizer: Catalogs.bundled.localizer(for: language),
            findingFiles: files ? ["f1": [screenshot], "f2": []] : [:],
            auditFiles: files ? [report] : []
        )
    }

    @Test func eachFindingListsItsFilesAndTheAuditsOwnFilesHaveASection() throws {
        let text = try Self.letter(language: "en").render(.plainText)
        let first = try #require(text.range(of: "Finding 1: too few negative keywords"))
        let second = try #require(text.range(of: "Finding 2: no call tracking"))
        let screenshot = "  - keywords.png — PNG image, 12.1 KB, SHA-256 0a1b2c3d4e5f6071"
        let underFirst = text[first.upperBound..<second.lowerBound]
        #expect(underFirst.contains("Evidence files:\n" + screenshot + "\n"), "\(text)")
        #expect(!text[second.upperBound...].contains("Evidence files:"), "finding 2 has none, so no empty label")
        let section = try #require(text.range(of: "Files attached to the audit\n---------------------------\n"))
        #expect(section.lowerBound > second.upperBound && section.upperBound < (text.range(of: "Summary\n")?.lowerBound ?? text.startIndex))
        #expect(text.contains("- audit report.pdf — PDF document, 2.4 MB, SHA-256 ffeeddccbbaa9988\n"))
        #expect(!text.contains(Self.reportHash), "the short hash, not the whole")

        let markdown = try Self.letter(language: "en").render(.markdown)
        #expect(markdown.contains("- **Evidence files:**\n" + screenshot + "\n"))
        #expect(markdown.contains("## Files attached to the audit\n- audit report.pdf — PDF document, 2.4 MB, SHA-256 ffeeddccbbaa9988\n"))
    }

    @Test func theRussianLetterNamesFilesInRussian() throws {
        let markdown = try Self.letter(language: "ru").render(.markdown)
        let label = "- **Файлы-подтверждения:**\n"
        #expect(markdown.contains(label + "  - keywords.png — изображение PNG, 12,1 КБ, SHA-256 0a1b2c3d4e5f6071\n"), "\(markdown)")
        let section = "## Файлы, приложенные к аудиту\n"
        #expect(markdown.contains(section + "- audit report.pdf — документ PDF, 2,4 МБ, SHA-256 ffeeddccbbaa9988\n"))
        let text = try Self.letter(language: "ru").render(.plainText)
        #expect(text.contains("Файлы-подтверждения:\n  - keywords.png"))
    }

    @Test func aLetterWithoutFilesSaysNothingOfThem() throws {
        let text = try Self.letter(language: "en", files: false).render(.plainText)
        #expect(!text.contains("Evidence files") && !text.contains("Files attached"))
        #expect(text.contains("Finding 1: too few negative keywords") && text.contains("Summary"))
    }

    @Test func everyFileTypeHasAWordInEveryLanguage() {
        for language in ["en", "ru"] {
            let catalog = Catalogs.bundled.localizer(for: language).catalog
            for type in FileType.allCases {
                #expect(catalog.entries["letter.fileType." + type.rawValue] != nil, "\(language) lacks a word for \(type.rawValue)")
            }
        }
    }

    @Test func smallFilesAreCountedInBytes() {
        let words = Catalogs.bundled.localizer(for: "en")
        #expect(ResponseLetter.size(1, words) == "1 byte" && ResponseLetter.size(900, words) == "900 bytes")
        #expect(ResponseLetter.size(1024, words) == "1 KB" && ResponseLetter.size(3 * 1024 * 1024, words) == "3 MB")
    }
}
