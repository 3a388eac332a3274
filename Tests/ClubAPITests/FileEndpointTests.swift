import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import Testing

/// Evidence files over the API (issue 13 items 1, 2 and 5; docs/design.md §11): a client's screenshot on a fix item and
/// the auditor's PDF on an audit, served safely; every refusal named; reach; the journal; nothing left behind.
@Suite("Evidence files over the API")
struct FileEndpointTests {
    // MARK: Contents

    /// A real 1×1 PNG (signature, IHDR, IDAT, IEND, every CRC right).
    static let png =
        Data(
            base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
        ) ?? Data()

    /// A PDF of about 12 KiB, large enough for a range request to take a piece from its middle.
    static let pdf: Data = {
        var text = "%PDF-1.4\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n"
        for line in 0..<400 { text += "% line \(line) of the auditor's report\n" }
        return Data((text + "%%EOF\n").utf8)
    }()

    /// The first bytes of an x86-64 ELF executable.
    static let elf = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + [UInt8](repeating: 0, count: 56))

    /// A PNG whose IHDR declares 100000×100000 pixels: small on the wire, tens of gigabytes once decoded.
    static let bombPNG: Data = {
        var ihdr = Data("IHDR".utf8)
        for side in [100_000, 100_000] { ihdr.append(contentsOf: withUnsafeBytes(of: UInt32(side).bigEndian, Array.init)) }
        ihdr.append(contentsOf: [8, 6, 0, 0, 0])
        var bytes = Data(png.prefix(8))
        bytes.append(contentsOf: withUnsafeBytes(of: UInt32(13).bigEndian, Array.init))
        bytes.append(ihdr)
        bytes.append(contentsOf: withUnsafeBytes(of: CRC32.of(ihdr).bigEndian, Array.init))
        bytes.append(png.suffix(from: 33))
        return bytes
    }()

    // MARK: Scene

    /// An engagement with an agreed fix list of two items and an open audit with one finding.
    struct Scene: Sendable {
        let parties: FixListEndpointTests.Scene
        let items: [String]
        let audit: String
        let finding: String
    }

    static func scene(_ client: any APIClient, _ club: TestClub) async throws -> Scene {
        let parties = try await FixListEndpointTests.scene(client, club)
        let list = try await client.call(
            .post,
            "/v1/engagements/\(parties.engagement)/fix-lists",
            token: club.headToken,
            json: FixListEndpointTests.items
        )
        let listId = try ReferenceCaseTests.id(list)
        try await client.call(.post, "/v1/fix-lists/\(listId)/confirm", token: parties.clientToken, json: "{}")
        let agreed = try await client.call(.post, "/v1/fix-lists/\(listId)/confirm", token: parties.studioToken, json: "{}")
        #expect(try agreed.json()["status"] as? String == "agreed")
        let audit = try await client.call(
            .post,
            "/v1/engagements/\(parties.engagement)/audits",
            token: club.headToken,
            json: """
                {"auditor":"Northwind Audit Bureau","receivedAt":"2026-11-01T09:00:00Z","subject":"advertising campaign",
                 "findings":[{"statement":"too few negative keywords","severity":"critical","category":"keywords","proposal":null}]}
                """
        )
        #expect(audit.status == .created)
        let finding = try #require((try audit.json()["findings"] as? [[String: Any]])?.first?["id"] as? String)
        return Scene(
            parties: parties,
            items: FixListEndpointTests.itemIds(try list.json()),
            audit: try ReferenceCaseTests.id(audit),
            finding: finding
        )
    }

    // MARK: Serving

    @Test(arguments: Transport.allCases)
    func aScreenshotOnAFixItemAndTheAuditorsPDFAreServedSafely(over transport: Transport) async throws {
        try await withClub(transport) { client, club in
            let scene = try await Self.scene(client, club)
            let item = scene.items[0]

            // The client shows what is broken.
            let created = try await client.upload(
                Self.png,
                to: "fix-items/\(item)",
                name: "broken form.png",
                caption: "the form says “error 500”",
                token: scene.parties.clientToken
            )
            #expect(created.status == .created, "\(created.text)")
            let file = try created.json()
            let id = try #require(file["id"] as? String)
            let sha = Self.sha256(Self.png)
            #expect(id.hasPrefix("fil_"))
            #expect(file["sha256"] as? String == sha)
            #expect(file["type"] as? String == "png" && file["size"] as? Int == Self.png.count)
            #expect(file["width"] as? Int == 1 && file["height"] as? Int == 1)
            #expect(file["name"] as? String == "broken form.png" && file["caption"] as? String == "the form says “error 500”")
            #expect(file["objectType"] as? String == "fix-item" && file["objectId"] as? String == item)
            #expect(file["engagementId"] as? String == scene.parties.engagement)

            for token in [scene.parties.clientToken, scene.parties.studioToken, club.headToken] {
                let listed = try await client.call(.get, "/v1/fix-items/\(item)/files", token: token)
                #expect(listed.status == .ok)
                #expect(try listed.items().compactMap { $0["id"] as? String } == [id])
            }

            let image = try await client.call(.get, "/v1/files/\(id)", token: scene.parties.studioToken)
            #expect(image.status == .ok)
            #expect(Data(image.body.readableBytesView) == Self.png, "the bytes served are the bytes uploaded")
            #expect(image.headers[.contentType] == "image/png")
            #expect(image.headers[.eTag] == "\"\(sha)\"")
            #expect(image.headers[.xContentTypeOptions] == "nosniff")
            #expect(image.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
            #expect(image.headers[.contentDisposition]?.hasPrefix("inline") == true, "\(image.headers[.contentDisposition] ?? "none")")

            // A coordinator attaches the auditor's report to the audit.
            let report = try await client.upload(Self.pdf, to: "audits/\(scene.audit)", name: "audit report.pdf", token: club.headToken)
            #expect(report.status == .created, "\(report.text)")
            let reportId = try ReferenceCaseTests.id(report)
            let reportSha = Self.sha256(Self.pdf)
            #expect(try report.json()["type"] as? String == "pdf")
            let document = try await client.call(.get, "/v1/files/\(reportId)", token: scene.parties.clientToken)
            #expect(document.status == .ok)
            #expect(Data(document.body.readableBytesView) == Self.pdf)
            #expect(document.headers[.contentType] == "application/pdf")
            #expect(document.headers[.contentDisposition]?.hasPrefix("attachment") == true, "\(document.headers[.contentDisposition] ?? "none")")
            #expect(document.headers[.xContentTypeOptions] == "nosniff")
            #expect(document.headers[.contentSecurityPolicy]?.contains("sandbox") == true)

            // A piece of a large PDF, and a cached copy confirmed without the bytes.
            let piece = try await client.call(.get, "/v1/files/\(reportId)", token: club.headToken, headers: [.range: "bytes=1000-1999"])
            #expect(piece.status == .partialContent)
            #expect(Data(piece.body.readableBytesView) == Self.pdf.subdata(in: 1000..<2000))
            #expect(piece.headers[.contentRange] == "bytes 1000-1999/\(Self.pdf.count)")
            let tail = try await client.call(.get, "/v1/files/\(reportId)", token: club.headToken, headers: [.range: "bytes=-100"])
            #expect(tail.status == .partialContent)
            #expect(Data(tail.body.readableBytesView) == Self.pdf.suffix(100))
            let cached = try await client.call(.get, "/v1/files/\(reportId)", token: club.headToken, headers: [.ifNoneMatch: "\"\(reportSha)\""])
            #expect(cached.status == .notModified)
            #expect(cached.body.readableBytes == 0)
            let changed = try await client.call(.get, "/v1/files/\(reportId)", token: club.headToken, headers: [.ifNoneMatch: "\"\(sha)\""])
            #expect(changed.status == .ok, "another hash is another content")

            let auditFiles = try await client.call(.get, "/v1/audits/\(scene.audit)/files", token: scene.parties.studioToken)
            #expect(try auditFiles.items().compactMap { $0["name"] as? String } == ["audit report.pdf"])
        }
    }

    @Test func theSameContentTwiceIsTwoRowsAndOneStoredFile() async throws {
        try await withClub { client, club in
            let scene = try await Self.scene(client, club)
            let first = try await client.upload(Self.png, to: "fix-items/\(scene.items[0])", name: "a.png", token: scene.parties.clientToken)
            let second = try await client.upload(Self.png, to: "fix-items/\(scene.items[1])", name: "b.png", token: scene.parties.studioToken)
            #expect(first.status == .created && second.status == .created)
            #expect(try ReferenceCaseTests.id(first) != ReferenceCaseTests.id(second))
            #expect(try first.json()["sha256"] as? String == second.json()["sha256"] as? String)
            #expect(try Self.storedContents(club) == [Self.sha256(Self.png)])
            #expect(try Self.leftovers(club).isEmpty)
        }
    }

    @Test func aComplaintAndACheckInCarryTheirEvidence() async throws {
        try await withClub { client, club in
            let scene = try await Self.scene(client, club)
            let engagement = scene.parties.engagement
            let complaint = try ReferenceCaseTests.id(
                try await client.call(
                    .post,
                    "/v1/engagements/\(engagement)/complaints",
                    token: scene.parties.clientToken,
                    json: #"{"channel":"email","summary":"the form loses leads","demand":{"kind":"refund","amount":300000}}"#
                )
            )
            let export = Data("date;calls;leads\n2026-11-01;14;0\n2026-11-02;11;0\n".utf8)
            let calls = try await client.upload(export, to: "complaints/\(complaint)", name: "calls.csv", token: scene.parties.clientToken)
            #expect(calls.status == .created, "\(calls.text)")
            #expect(try calls.json()["type"] as? String == "csv")
            let seen = try await client.call(.get, "/v1/complaints/\(complaint)/files", token: scene.parties.studioToken)
            #expect(try seen.items().compactMap { $0["name"] as? String } == ["calls.csv"])
            let served = try await client.call(.get, "/v1/files/\(ReferenceCaseTests.id(calls))", token: scene.parties.studioToken)
            #expect(served.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(served.headers[.contentDisposition]?.hasPrefix("attachment") == true)

            let checkIn = try ReferenceCaseTests.id(
                try await client.call(
                    .post,
                    "/v1/engagements/\(engagement)/check-ins",
                    token: club.headToken,
                    json: #"{"heldAt":"2026-11-20T10:00:00Z","attendees":["Oleg"],"studioReport":"design draft ready","clientSentiment":4}"#
                )
            )
            let minutes = try await client.upload(
                Data("Minutes of the call\n".utf8),
                to: "check-ins/\(checkIn)",
                name: "minutes.txt",
                token: club.headToken
            )
            #expect(minutes.status == .created, "\(minutes.text)")
            #expect(try minutes.json()["type"] as? String == "text" && minutes.json()["objectType"] as? String == "check-in")
            #expect(try await client.call(.get, "/v1/check-ins/\(checkIn)/files", token: scene.parties.otherClientToken).status == .notFound)
        }
    }

    // MARK: Refusals

    @Test func everyRefusalNamesWhatWasFoundAndLeavesNothingBehind() async throws {
        try await withClub { client, club in
            let scene = try await Self.scene(client, club)
            let target = "fix-items/\(scene.items[0])"
            let token = scene.parties.clientToken
            let refusals: [(what: String, body: Data, name: String, status: HTTPResponse.Status, names: String)] = [
                ("a PDF named .png", Self.pdf, "screenshot.png", .unsupportedMediaType, "PDF"),
                ("an ELF executable", Self.elf, "report.pdf", .unsupportedMediaType, "ELF"),
                ("a PNG declaring 100000×100000 pixels", Self.bombPNG, "bomb.png", .unsupportedMediaType, "100000×100000"),
                ("an empty body", Data(), "empty.txt", .unsupportedMediaType, "empty"),
            ]
            for refusal in refusals {
                let answer = try await client.upload(refusal.body, to: target, name: refusal.name, token: token)
                #expect(answer.status == refusal.status, "\(refusal.what): \(answer.status) \(answer.text)")
                #expect(answer.isProblem, "\(refusal.what)")
                let detail = try answer.json()["detail"] as? String ?? ""
                #expect(detail.contains(refusal.names), "\(refusal.what): the detail names what was found: \(detail)")
            }
            // A PDF under an image's Content-Type is refused the same way: the header is a claim, never trusted.
            let claimed = try await client.upload(Self.pdf, to: target, name: "report", token: token, contentType: "image/png")
            #expect(claimed.status == .unsupportedMediaType, "\(claimed.text)")
            #expect((try claimed.json()["detail"] as? String)?.contains("PDF") == true)

            for name in ["../../etc/passwd.png", "..\\secret.png"] {
                let traversal = try await client.upload(Self.png, to: target, name: name, token: token)
                #expect(traversal.status == .unprocessableContent, "\(name): \(traversal.text)")
                #expect(try traversal.problemFields() == ["name"])
            }
            let longCaption = String(repeating: "x", count: EvidenceFile.captionLimit + 1)
            let captioned = try await client.upload(Self.png, to: target, name: "a.png", caption: longCaption, token: token)
            #expect(captioned.status == .unprocessableContent)
            #expect(try captioned.problemFields() == ["caption"])

            #expect(try await client.call(.get, "/v1/\(target)/files", token: token).items().isEmpty, "no refused upload left a row")
            #expect(try Self.storedContents(club).isEmpty, "nor a stored content")
            #expect(try Self.leftovers(club).isEmpty, "nor anything in the staging folder")
        }
    }

    @Test func anObjectHoldsNoMoreThanItsLimit() async throws {
        let rules = ClubRules(files: FileLimits(maxObjectBytes: 5000))
        try await withClub(rules: rules) { client, club in
            let scene = try await Self.scene(client, club)
            let text = Data(String(repeating: "The form does not send the lead.\n", count: 90).utf8)  // 2970 bytes
            let first = try await client.upload(text, to: "fix-items/\(scene.items[0])", name: "notes.txt", token: scene.parties.clientToken)
            #expect(first.status == .created, "\(first.text)")
            let second = try await client.upload(text, to: "fix-items/\(scene.items[0])", name: "more.txt", token: scene.parties.clientToken)
            #expect(second.status == .contentTooLarge)
            #expect(second.isProblem)
            #expect((try second.json()["detail"] as? String)?.contains("object") == true, "\(second.text)")
            let elsewhere = try await client.upload(text, to: "fix-items/\(scene.items[1])", name: "more.txt", token: scene.parties.clientToken)
            #expect(elsewhere.status == .created, "the limit is the object's, not the engagement's")
            #expect(try Self.leftovers(club).isEmpty)
        }
    }

    /// Over a real listener: a declared length over the limit is refused before any body byte is sent, and a chunked
    /// body sent slowly is refused once its count passes the limit, while most of it is still unsent.
    @Test(.timeLimit(.minutes(2)))
    func aBodyOverTheLimitIsRefusedBeforeItIsWhole() async throws {
        let limit = 64 * 1024
        let club = try await TestClub.make(rules: ClubRules(files: FileLimits(maxFileBytes: limit)))
        let setup = Application(router: try buildRouter(database: club.database))
        let scene = try await setup.test(.router) { client in try await Self.scene(RouterClient(client: client), club) }
        let path = "/v1/fix-items/\(scene.items[0])/files?name=log.txt"
        let head = "POST \(path) HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(scene.parties.clientToken)\r\nContent-Type: text/plain\r\n"
        try await LiveServer.run(database: club.database) { port, material in
            // Declared: the head alone, announcing 10 MiB that never come.
            let declared = try await RawExchange.open(port: port, material: material) { connection in
                try await connection.write(head + "Content-Length: \(10 << 20)\r\n\r\n")
                return try await connection.answer()
            }
            #expect(declared.status == 413, "\(declared.text)")
            #expect(declared.text.contains("larger than the limit"), "\(declared.text)")

            // Chunked, slowly: a 1.25 MiB body in pieces of 16 KiB with pauses, stopped as soon as the answer is in.
            let piece = 16 * 1024
            let pieces = 80
            let (chunked, sent) = try await RawExchange.open(port: port, material: material) { connection in
                try await connection.write(head + "Transfer-Encoding: chunked\r\n\r\n")
                let reading = Task { try await connection.answer() }
                var sent = 0
                while sent < pieces, !connection.answered {
                    do {
                        try await connection.write(String(piece, radix: 16) + "\r\n" + String(repeating: "a", count: piece) + "\r\n")
                    } catch {
                        break  // The server closed the connection after answering.
                    }
                    sent += 1
                    try await Task.sleep(for: .milliseconds(40))
                }
                return (try await reading.value, sent)
            }
            #expect(chunked.status == 413, "\(chunked.text)")
            #expect(chunked.text.contains("larger than the limit"), "\(chunked.text)")
            // Past the limit the server reads at most its drain allowance (docs/design.md §6.1) before it answers; how
            // many more pieces the client gets out meanwhile depends on how busy the machine is, so the bound is loose:
            // the answer comes long before the body's end.
            #expect(sent < pieces / 2, "answered before half the body: after \(sent) of \(pieces) pieces (\(sent * piece) bytes)")
            #expect(sent * piece > limit, "the limit was passed before the answer")
        }
        #expect(try Self.leftovers(club).isEmpty, "the cut uploads left nothing in the staging folder")
        #expect(try await club.database.files(on: .fixItem, scene.items[0], for: .system).isEmpty)
    }

    // MARK: Reach and state

    @Test func onlyThePartiesReachTheFilesAndOnlyWhileTheObjectIsOpen() async throws {
        try await withClub { client, club in
            let scene = try await Self.scene(client, club)
            let parties = scene.parties
            let item = scene.items[0]
            let uploaded = try await client.upload(Self.png, to: "fix-items/\(item)", name: "form.png", token: parties.clientToken)
            let id = try ReferenceCaseTests.id(uploaded)

            for outsider in [parties.otherStudioToken, parties.otherClientToken] {
                #expect(try await client.upload(Self.png, to: "fix-items/\(item)", name: "x.png", token: outsider).status == .notFound)
                #expect(try await client.call(.get, "/v1/fix-items/\(item)/files", token: outsider).status == .notFound)
                #expect(try await client.call(.get, "/v1/files/\(id)", token: outsider).status == .notFound)
                #expect(try await client.call(.delete, "/v1/files/\(id)", token: outsider).status == .notFound)
            }
            #expect(try await client.call(.get, "/v1/files/fil_nothing", token: club.headToken).status == .notFound)
            #expect(try await client.call(.get, "/v1/files/\(id)").status == .unauthorized)

            // The studio sees the client's file but does not remove it; the client does.
            let refused = try await client.call(.delete, "/v1/files/\(id)", token: parties.studioToken)
            #expect(refused.status == .forbidden)
            #expect(try await client.call(.delete, "/v1/files/\(id)", token: parties.clientToken).status == .noContent)
            #expect(try await client.call(.get, "/v1/files/\(id)", token: parties.clientToken).status == .notFound)
            #expect(try await client.call(.get, "/v1/fix-items/\(item)/files", token: parties.clientToken).items().isEmpty)

            // A coordinator removes anyone's file.
            let studios = try await client.upload(Self.pdf, to: "fix-items/\(item)", name: "proof.pdf", token: parties.studioToken)
            #expect(try await client.call(.delete, "/v1/files/\(ReferenceCaseTests.id(studios))", token: club.headToken).status == .noContent)

            // An accepted item keeps its evidence as it was.
            let kept = try ReferenceCaseTests.id(
                try await client.upload(Self.png, to: "fix-items/\(item)", name: "fixed.png", token: parties.studioToken)
            )
            try await client.call(.post, "/v1/fix-items/\(item)/strike", token: parties.studioToken, json: #"{"note":"deployed"}"#)
            let accepted = try await client.call(.post, "/v1/fix-items/\(item)/accept", token: parties.clientToken, json: "{}")
            #expect(accepted.status == .ok)
            try Self.expectClosed(try await client.upload(Self.png, to: "fix-items/\(item)", name: "late.png", token: parties.clientToken))
            try Self.expectClosed(try await client.call(.delete, "/v1/files/\(kept)", token: club.headToken))
            #expect(try await client.call(.get, "/v1/files/\(kept)", token: parties.clientToken).status == .ok)

            // A closed audit too.
            try await client.call(
                .post,
                "/v1/audit-findings/\(scene.finding)/rebuttal",
                token: club.headToken,
                json: #"{"position":"dispute","argument":"quality of negative keywords is not their count"}"#
            )
            #expect(try await client.call(.post, "/v1/audits/\(scene.audit)/answer", token: club.headToken, json: "{}").status == .ok)
            let closed = try await client.call(.post, "/v1/audits/\(scene.audit)/close", token: club.headToken, json: #"{"outcome":"accepted"}"#)
            #expect(try closed.json()["status"] as? String == "closed")
            try Self.expectClosed(try await client.upload(Self.pdf, to: "audits/\(scene.audit)", name: "late.pdf", token: club.headToken))
            try Self.expectClosed(try await client.upload(Self.pdf, to: "audit-findings/\(scene.finding)", name: "late.pdf", token: club.headToken))
        }
    }

    @Test func everyUploadAndRemovalIsJournaled() async throws {
        try await withClub { client, club in
            let scene = try await Self.scene(client, club)
            let screenshot = try ReferenceCaseTests.id(
                try await client.upload(Self.png, to: "fix-items/\(scene.items[0])", name: "a.png", token: scene.parties.clientToken)
            )
            let report = try ReferenceCaseTests.id(
                try await client.upload(Self.pdf, to: "audit-findings/\(scene.finding)", name: "b.pdf", token: club.headToken)
            )
            #expect(try await client.call(.delete, "/v1/files/\(screenshot)", token: scene.parties.clientToken).status == .noContent)
            let journal = try await client.call(.get, "/v1/journal?entityType=evidence-file&limit=200", token: club.headToken)
            #expect(journal.status == .ok)
            let events = try journal.items()
            #expect(events.allSatisfy { $0["entityType"] as? String == "evidence-file" })
            #expect(events.filter { $0["entityId"] as? String == screenshot }.count == 2, "added, then removed")
            #expect(events.contains { $0["entityId"] as? String == report })
            let after = events.first { $0["entityId"] as? String == report }?["after"] as? [String: Any]
            #expect(after?["sha256"] as? String == Self.sha256(Self.pdf), "the event records the content's hash")
        }
    }

    // MARK: Helpers

    static func expectClosed(_ answer: APIResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(answer.status == .conflict, "\(answer.text)", sourceLocation: sourceLocation)
        #expect(try answer.json()["type"] as? String == "/problems/file-object-closed", sourceLocation: sourceLocation)
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The contents stored under `files/`, by name: 64 hexadecimal digits each.
    static func storedContents(_ club: TestClub) throws -> [String] {
        let folder = club.folder.appendingPathComponent("files").path
        guard FileManager.default.fileExists(atPath: folder) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { name in name.count == 64 && name.allSatisfy { $0.isHexDigit } }
            .sorted()
    }

    /// Whatever an upload left in the staging folder.
    static func leftovers(_ club: TestClub) throws -> [String] {
        let folder = club.folder.appendingPathComponent("files/tmp").path
        guard FileManager.default.fileExists(atPath: folder) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder)
    }
}

extension APIClient {
    /// `POST /v1/{collection}/{id}/files` with the raw content as the body.
    func upload(
        _ content: Data,
        to object: String,
        name: String,
        caption: String? = nil,
        token: String,
        contentType: String = "application/octet-stream"
    ) async throws -> APIResponse {
        var query = "name=\(FileEndpointTests.queryEncoded(name))"
        if let caption { query += "&caption=\(FileEndpointTests.queryEncoded(caption))" }
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: contentType]
        headers[.contentLength] = String(content.count)
        return try await send(.post, "/v1/\(object)/files?\(query)", headers: headers, body: ByteBuffer(bytes: content))
    }
}

extension FileEndpointTests {
    static func queryEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

extension APIResponse {
    /// The `items` of a list answer.
    func items() throws -> [[String: Any]] {
        try json()["items"] as? [[String: Any]] ?? []
    }
}

/// CRC-32 as PNG chunks carry it (ISO 3309), to build a well-formed header around a hostile size.
enum CRC32 {
    static func of(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// One HTTP/1.1 request written by hand over TLS, for what the test client cannot send: a head whose body never
/// comes, a chunked body in slow pieces. The answer is read while the request is still incomplete.
final class RawExchange: Sendable {
    struct Answer: Sendable {
        let status: Int
        let text: String
    }

    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let inbound: NIOAsyncChannelInboundStream<ByteBuffer>
    private let done = Mutex(false)

    init(outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, inbound: NIOAsyncChannelInboundStream<ByteBuffer>) {
        self.outbound = outbound
        self.inbound = inbound
    }

    /// Whether the whole answer has arrived, for a writer that stops sending once it has.
    var answered: Bool { done.withLock { $0 } }

    static func open<T: Sendable>(
        port: Int,
        material: TLSMaterial,
        _ body: @Sendable (RawExchange) async throws -> T
    ) async throws -> T {
        let context = try NIOSSLContext(configuration: try LiveServer.clientTLS(trusting: material))
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(RawExchange(outbound: outbound, inbound: inbound))
        }
    }

    func write(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// The answer's status and text, read up to its declared length or the connection's end, within 30 seconds: a
    /// server waiting for the rest of the body would never answer.
    func answer() async throws -> Answer {
        try await withThrowingTaskGroup(of: Answer.self) { group in
            group.addTask { try await self.read() }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                throw CancellationError()
            }
            defer { group.cancelAll() }
            return try #require(try await group.next())
        }
    }

    private func read() async throws -> Answer {
        var received = ""
        do {
            for try await buffer in inbound {
                received += String(buffer: buffer)
                if let answer = Self.complete(received) {
                    done.withLock { $0 = true }
                    return answer
                }
            }
        } catch {
            // A TLS connection cut without close_notify after the answer: what arrived stands.
        }
        done.withLock { $0 = true }
        return Self.complete(received, atEnd: true) ?? Answer(status: 0, text: received)
    }

    private static func complete(_ received: String, atEnd: Bool = false) -> Answer? {
        guard let split = received.range(of: "\r\n\r\n") else { return nil }
        let head = received[..<split.lowerBound]
        let status = head.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
        let length = head.split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
        let body = received[split.upperBound...]
        guard atEnd || (length.map { body.utf8.count >= $0 } ?? false) else { return nil }
        return Answer(status: status, text: received)
    }
}
