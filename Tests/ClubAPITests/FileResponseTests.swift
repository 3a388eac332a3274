import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import ClubAPI

/// Files answered through a real Hummingbird router, their bodies streamed from a real vault (docs/design.md §11.3).
@Suite("File responses")
struct FileResponseTests {
    /// Larger than two of FileIO's 128 KiB chunks, so that ranges cross chunk boundaries.
    static let size = 300_000
    static let content = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) })

    /// A vault holding `content`, and the rows that name it as files of each type.
    struct Fixture {
        let vault: FileVault
        let sha256: String
        let thumbnail: Data

        static func make() throws -> Fixture {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("served-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let vault = FileVault(directory: directory)
            let loose = "\(directory)/loose"
            try FileResponseTests.content.write(to: URL(fileURLWithPath: loose))
            let sha256 = try FileVault.sha256(ofFileAt: loose)
            try FileManager.default.moveItem(atPath: loose, toPath: vault.contentPath(sha256))
            let thumbnail = Data("RIFF\u{4}\0\0\0WEBPthumbnail bytes".utf8)
            try thumbnail.write(to: URL(fileURLWithPath: vault.thumbnailPath(sha256)))
            return Fixture(vault: vault, sha256: sha256, thumbnail: thumbnail)
        }

        /// A stored row for the content, as the store would return it.
        func file(_ type: FileType, name: String) throws -> EvidenceFile {
            let row: [String: Any] = [
                "id": "fil_test", "objectType": "fix-item", "objectId": "fix_1", "engagementId": "eng_1", "sha256": sha256,
                "size": FileResponseTests.size, "type": type.rawValue, "name": name, "uploadedBy": "Anna", "uploadedById": "tok_1",
                "uploadedAt": 0,
            ]
            return try JSONDecoder().decode(EvidenceFile.self, from: JSONSerialization.data(withJSONObject: row))
        }
    }

    /// `GET /content/{type}?name=…` serves the content as a file of that type; `GET /thumbnail` its thumbnail.
    static func withRouter(_ body: @Sendable (Fixture, any TestClientProtocol) async throws -> Void) async throws {
        let fixture = try Fixture.make()
        defer { try? FileManager.default.removeItem(atPath: fixture.vault.directory) }
        let router = Router(context: BasicRequestContext.self)
        router.get("/content/:type") { request, context in
            guard let type = FileType(rawValue: context.parameters.get("type") ?? "") else { throw HTTPError(.badRequest) }
            let file = try fixture.file(type, name: request.uri.queryParameters["name"].map(String.init) ?? "evidence")
            return try await FileResponse.content(of: file, in: fixture.vault, for: request, context: context)
        }
        router.get("/thumbnail") { request, context in
            try await FileResponse.thumbnail(
                at: fixture.vault.thumbnailPath(fixture.sha256),
                sha256: fixture.sha256,
                for: request,
                context: context
            )
        }
        router.get("/missing-thumbnail") { request, context in
            try await FileResponse.thumbnail(at: fixture.vault.directory + "/nothing.webp", sha256: fixture.sha256, for: request, context: context)
        }
        try await Application(router: router).test(.router) { client in try await body(fixture, client) }
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, _ headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers)
    }

    static func bytes(_ response: TestResponse) -> Data { Data(response.body.readableBytesView) }

    @Test("a PDF is served whole with its tag, type, length and protective headers, as an attachment")
    func wholeFile() async throws {
        try await Self.withRouter { fixture, client in
            let response = try await Self.get(client, "/content/pdf?name=audit.pdf")
            #expect(response.status == .ok)
            #expect(Self.bytes(response) == Self.content)
            #expect(response.headers[.eTag] == "\"\(fixture.sha256)\"")
            #expect(response.headers[.contentType] == "application/pdf")
            #expect(response.headers[.contentLength] == String(Self.size))
            #expect(response.headers[.cacheControl] == "private, no-cache")
            #expect(response.headers[.acceptRanges] == "bytes")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[.contentSecurityPolicy] == "sandbox; default-src 'none'; frame-ancestors 'none'")
            #expect(response.headers[.contentDisposition] == "attachment; filename=\"audit.pdf\"; filename*=UTF-8''audit.pdf")
            #expect(response.headers[.contentRange] == nil)
        }
    }

    @Test("an image is shown inline; a text or CSV is downloaded, with its charset")
    func disposition() async throws {
        try await Self.withRouter { _, client in
            let image = try await Self.get(client, "/content/png?name=screen.png")
            #expect(image.headers[.contentDisposition]?.hasPrefix("inline; filename=\"screen.png\"") == true)
            #expect(image.headers[.contentType] == "image/png")
            let text = try await Self.get(client, "/content/csv?name=calls.csv")
            #expect(text.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"calls.csv\"") == true)
            #expect(text.headers[.contentType] == "text/csv; charset=utf-8")
        }
    }

    @Test("a Russian name is offered exactly in filename*, and as safe ASCII in filename")
    func russianName() async throws {
        try await Self.withRouter { _, client in
            let name = "Акт проверки №2.pdf"
            let query = try #require(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let response = try await Self.get(client, "/content/pdf?name=\(query)")
            let disposition = try #require(response.headers[.contentDisposition])
            #expect(disposition.hasPrefix("attachment; filename=\"___ ________ _2.pdf\"; filename*=UTF-8''"))
            let encoded = try #require(disposition.components(separatedBy: "filename*=UTF-8''").last)
            #expect(encoded.removingPercentEncoding == name)
            #expect(encoded.allSatisfy { $0.isASCII })
        }
    }

    @Test("If-None-Match with the current tag gets 304 with the tag and no body; another tag gets the file")
    func notModified() async throws {
        try await Self.withRouter { fixture, client in
            let etag = "\"\(fixture.sha256)\""
            for value in [etag, "W/\(etag)", "\"stale\", \(etag)", "*"] {
                let response = try await Self.get(client, "/content/pdf", [.ifNoneMatch: value])
                #expect(response.status == .notModified, "\(value)")
                #expect(response.headers[.eTag] == etag)
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.contentLength] == nil)
            }
            let stale = try await Self.get(client, "/content/pdf", [.ifNoneMatch: "\"stale\""])
            #expect(stale.status == .ok)
            #expect(Self.bytes(stale) == Self.content)
        }
    }

    @Test("a range gets 206 with exactly its bytes, across FileIO's chunks too")
    func partial() async throws {
        try await Self.withRouter { _, client in
            let cases: [(header: String, range: ClosedRange<Int>)] = [
                ("bytes=0-0", 0...0), ("bytes=100-199", 100...199), ("bytes=131000-262200", 131_000...262_200),
                ("bytes=299990-", 299_990...299_999), ("bytes=-25", 299_975...299_999), ("bytes=299000-999999", 299_000...299_999),
            ]
            for (header, range) in cases {
                let response = try await Self.get(client, "/content/png", [.range: header])
                #expect(response.status == .partialContent, "\(header)")
                #expect(response.headers[.contentRange] == "bytes \(range.lowerBound)-\(range.upperBound)/\(Self.size)", "\(header)")
                #expect(response.headers[.contentLength] == String(range.count), "\(header)")
                #expect(Self.bytes(response) == Self.content[range], "\(header)")
            }
        }
    }

    @Test("If-Range with the current tag keeps the range; a stale one gets the whole file")
    func ifRange() async throws {
        try await Self.withRouter { fixture, client in
            let kept = try await Self.get(client, "/content/pdf", [.range: "bytes=10-19", .ifRange: "\"\(fixture.sha256)\""])
            #expect(kept.status == .partialContent)
            #expect(Self.bytes(kept) == Self.content[10...19])
            let stale = try await Self.get(client, "/content/pdf", [.range: "bytes=10-19", .ifRange: "\"old\""])
            #expect(stale.status == .ok)
            #expect(stale.body.readableBytes == Self.size)
        }
    }

    @Test("a range past the end gets 416 naming the size; several ranges or two Range lines get the whole file")
    func unsatisfiableAndMultiple() async throws {
        try await Self.withRouter { _, client in
            let past = try await Self.get(client, "/content/pdf", [.range: "bytes=300000-"])
            #expect(past.status == .rangeNotSatisfiable)
            #expect(past.headers[.contentRange] == "bytes */\(Self.size)")
            #expect(past.body.readableBytes == 0)
            let several = try await Self.get(client, "/content/pdf", [.range: "bytes=0-9,20-29"])
            #expect(several.status == .ok)
            #expect(several.body.readableBytes == Self.size)
            var twoLines = HTTPFields()
            twoLines.append(HTTPField(name: .range, value: "bytes=0-9"))
            twoLines.append(HTTPField(name: .range, value: "bytes=20-29"))
            let lines = try await Self.get(client, "/content/pdf", twoLines)
            #expect(lines.status == .ok)
            #expect(lines.body.readableBytes == Self.size)
        }
    }

    @Test("a thumbnail is an inline WebP with its own tag, revalidated and ranged like a file")
    func thumbnail() async throws {
        try await Self.withRouter { fixture, client in
            let response = try await Self.get(client, "/thumbnail")
            let etag = "\"\(fixture.sha256)-thumb\""
            #expect(response.status == .ok)
            #expect(Self.bytes(response) == fixture.thumbnail)
            #expect(response.headers[.contentType] == "image/webp")
            #expect(response.headers[.contentDisposition] == "inline")
            #expect(response.headers[.eTag] == etag)
            #expect(response.headers[.contentLength] == String(fixture.thumbnail.count))
            #expect(try await Self.get(client, "/thumbnail", [.ifNoneMatch: etag]).status == .notModified)
            #expect(try await Self.get(client, "/thumbnail", [.ifNoneMatch: "\"\(fixture.sha256)\""]).status == .ok)
            let head = try await Self.get(client, "/thumbnail", [.range: "bytes=0-3"])
            #expect(String(buffer: head.body) == "RIFF")
            #expect(try await Self.get(client, "/missing-thumbnail").status == .notFound)
        }
    }

    @Test("over a real socket, 304 carries no body and the file streams whole")
    func live() async throws {
        let fixture = try Fixture.make()
        defer { try? FileManager.default.removeItem(atPath: fixture.vault.directory) }
        let router = Router(context: BasicRequestContext.self)
        router.get("/file") { request, context in
            try await FileResponse.content(of: try fixture.file(.pdf, name: "a.pdf"), in: fixture.vault, for: request, context: context)
        }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { client in
            let whole = try await Self.get(client, "/file")
            #expect(whole.status == .ok)
            #expect(Self.bytes(whole) == Self.content)
            let cached = try await Self.get(client, "/file", [.ifNoneMatch: "\"\(fixture.sha256)\""])
            #expect(cached.status == .notModified)
            #expect(cached.body.readableBytes == 0)
            let part = try await Self.get(client, "/file", [.range: "bytes=-10"])
            #expect(Self.bytes(part) == Self.content.suffix(10))
        }
    }
}
