import ClubAPI
import ClubCore
import ClubStore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The share page shows the images of its items, through its own link only (issue 13 item 4; docs/design.md §11.5).
@Suite("Images on the share page")
struct SharePageFilesTests {
    @Test func theSharePageShowsItsItemsImagesAndNothingElse() async throws {
        try await withClub { client, club in
            let scene = try await FileEndpointTests.scene(client, club)
            let token = scene.parties.clientToken
            let screenshot = try await client.upload(
                FileEndpointTests.png,
                to: "fix-items/\(scene.items[0])",
                name: "form.png",
                caption: "the form says <error 500>",
                token: token
            )
            let plain = try await client.upload(FileEndpointTests.png, to: "fix-items/\(scene.items[1])", name: "menu.png", token: token)
            let report = try await client.upload(FileEndpointTests.pdf, to: "fix-items/\(scene.items[0])", name: "notes.pdf", token: token)
            let auditReport = try await client.upload(FileEndpointTests.png, to: "audits/\(scene.audit)", name: "audit.png", token: club.headToken)
            #expect([screenshot, plain, report, auditReport].allSatisfy { $0.status == .created })
            let (imageId, plainId) = (try ReferenceCaseTests.id(screenshot), try ReferenceCaseTests.id(plain))
            let (pdfId, auditFileId) = (try ReferenceCaseTests.id(report), try ReferenceCaseTests.id(auditReport))

            let list = try #require(try await Self.listId(of: scene.items[0], in: club))
            let link = try await client.call(.post, "/v1/fix-lists/\(list)/share-links", token: token, json: "{}")
            let share = try #require(try link.json()["token"] as? String)
            let page = try await client.call(.get, "/share/\(share)")
            #expect(page.status == .ok)
            #expect(page.headers[.contentSecurityPolicy]?.contains("img-src 'self'") == true, "the page's policy admits its images")
            let base = "/share/\(share)/files"
            #expect(page.text.contains(#"<a href="\#(base)/\#(imageId)"><img src="\#(base)/\#(imageId)/thumbnail""#))
            #expect(page.text.contains(#"alt="the form says &lt;error 500&gt;""#), "the caption describes the image, escaped")
            #expect(page.text.contains(#"<img src="\#(base)/\#(plainId)/thumbnail" alt="menu.png""#), "no caption: the name")
            #expect(page.text.contains(#"width="1" height="1""#))
            #expect(!page.text.contains(pdfId) && !page.text.contains("notes.pdf"), "a PDF stays behind sign-in")
            #expect(!page.text.contains(auditFileId), "only the list's items' files")
            let item = try #require(page.text.range(of: #"id="item-1""#))
            let second = try #require(page.text.range(of: #"id="item-2""#))
            #expect(page.text[item.upperBound..<second.lowerBound].contains(imageId), "each image under its own item")

            let image = try await client.call(.get, "\(base)/\(imageId)")
            #expect(image.status == .ok)
            #expect(Data(image.body.readableBytesView) == FileEndpointTests.png)
            #expect(image.headers[.contentType] == "image/png")
            #expect(image.headers[.xContentTypeOptions] == "nosniff")
            #expect(image.headers[.contentSecurityPolicy]?.hasPrefix("sandbox") == true)
            #expect(image.headers[.eTag] == "\"\(FileEndpointTests.sha256(FileEndpointTests.png))\"")
            #expect(image.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            let cached = try await client.call(.get, "\(base)/\(imageId)", headers: [.ifNoneMatch: image.headers[.eTag] ?? ""])
            #expect(cached.status == .notModified && cached.body.readableBytes == 0)

            let thumbnail = try await client.call(.get, "\(base)/\(imageId)/thumbnail")
            #expect(thumbnail.status == .ok)
            #expect(thumbnail.headers[.contentType] == "image/webp")
            #expect(thumbnail.headers[.xContentTypeOptions] == "nosniff")
            let webp = Data(thumbnail.body.readableBytesView)
            #expect(webp.prefix(4) == Data("RIFF".utf8) && webp.dropFirst(8).prefix(4) == Data("WEBP".utf8), "a WebP")

            for path in [
                "\(base)/\(pdfId)", "\(base)/\(pdfId)/thumbnail", "\(base)/\(auditFileId)", "\(base)/fil_nothing",
                "/share/shr_nothing/files/\(imageId)",
            ] {
                #expect(try await client.call(.get, path).status == .notFound, "\(path)")
            }
            // An upload wakes the list's open pages; a file elsewhere wakes none.
            let touched = try await club.database.fixListId(
                touchedBy: Change(seq: 1, entityType: "evidence-file", entityId: imageId, action: "created")
            )
            #expect(touched == list)
            #expect(
                try await club.database.fixListId(touchedBy: Change(seq: 2, entityType: "evidence-file", entityId: auditFileId, action: "created"))
                    == nil
            )

            let revoked = try await client.call(.delete, "/v1/share-links/\(try ReferenceCaseTests.id(link))", token: token)
            #expect(revoked.status == .ok || revoked.status == .noContent)
            #expect(try await client.call(.get, "\(base)/\(imageId)").status == .notFound, "a revoked link shows no image")
            #expect(try await client.call(.get, "\(base)/\(imageId)/thumbnail").status == .notFound)
        }
    }

    static func listId(of item: String, in club: TestClub) async throws -> String? {
        try await club.database.writer.read { db in try String.fetchOne(db, sql: "SELECT fixListId FROM fixItem WHERE id = ?", arguments: [item]) }
    }
}
