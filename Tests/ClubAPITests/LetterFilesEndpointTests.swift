import ClubAPI
import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The letter the API gives lists the files stored on the audit and its findings (issue 13 item 4).
@Suite("Evidence files in the response letter")
struct LetterFilesEndpointTests {
    @Test func theLetterListsTheFindingsEvidenceAndTheAuditorsReport() async throws {
        try await withClub { client, club in
            let scene = try await FileEndpointTests.scene(client, club)
            let screenshot = try await client.upload(
                FileEndpointTests.png,
                to: "audit-findings/\(scene.finding)",
                name: "negative keywords.png",
                token: club.headToken
            )
            let report = try await client.upload(FileEndpointTests.pdf, to: "audits/\(scene.audit)", name: "audit report.pdf", token: club.headToken)
            #expect(screenshot.status == .created && report.status == .created)
            let rebuttal = try await client.call(
                .post,
                "/v1/audit-findings/\(scene.finding)/rebuttal",
                token: club.headToken,
                json: #"{"position":"dispute","argument":"the list holds 340 negative keywords"}"#
            )
            #expect(rebuttal.status == .ok, "\(rebuttal.text)")
            #expect(try await client.call(.post, "/v1/audits/\(scene.audit)/answer", token: club.headToken, json: "{}").status == .ok)

            let png = String(FileEndpointTests.sha256(FileEndpointTests.png).prefix(16))
            let pdf = String(FileEndpointTests.sha256(FileEndpointTests.pdf).prefix(16))
            let letter = try await client.call(.get, "/v1/audits/\(scene.audit)/letter", token: scene.parties.clientToken)
            #expect(letter.status == .ok)
            #expect(letter.text.contains("Evidence files:\n  - negative keywords.png — PNG image, 70 bytes, SHA-256 \(png)\n"), "\(letter.text)")
            #expect(letter.text.contains("Files attached to the audit\n"))
            #expect(letter.text.contains("- audit report.pdf — PDF document, "))
            #expect(letter.text.contains(" KB, SHA-256 \(pdf)\n"), "the report, about 12 KB, with its short hash")
            let russian = try await client.call(
                .get,
                "/v1/audits/\(scene.audit)/letter?lang=ru",
                token: scene.parties.studioToken,
                headers: [.accept: "text/markdown"]
            )
            let evidence = "- **Файлы-подтверждения:**\n"
            #expect(russian.text.contains(evidence + "  - negative keywords.png — изображение PNG, 70 байт, SHA-256 \(png)\n"))
            #expect(russian.text.contains("## Файлы, приложенные к аудиту\n- audit report.pdf — документ PDF"))
        }
    }
}
