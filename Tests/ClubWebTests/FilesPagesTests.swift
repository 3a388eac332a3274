import ClubCore
import ClubDemo
import ClubStore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClubWeb

extension ConsolePages {
    /// Evidence files in the console (issue 13, docs/design.md §11.5): multipart uploads streamed into the vault, the
    /// files section of object pages, each file served to whoever may read its object, and removal.
    @Suite("Console files pages")
    struct FilesPagesTests {
        typealias Console = ConsoleTests.Console

        /// A fix item of the landing engagement, open, and sessions for its client and its studio.
        struct Scene {
            let itemId: String
            let engagement: Engagement
            let client: String
            let studio: String
            var itemPath: String { "/fix-items/\(itemId)" }
            var uploadPath: String { "/fix-items/\(itemId)/files" }
        }

        static func scene(_ console: Console, clientLanguage: Language = .en) async throws -> Scene {
            let landing = try await console.database.engagementRecord(console.summary.landingEngagementId, for: .system).engagement
            let due = Day(containing: console.database.clock.now().addingTimeInterval(5 * 24 * 3600), in: .gmt)
            let record = try await console.database.createFixList(
                landing.id,
                FixListInput(items: [FixItemInput(statement: "The booking form breaks", acceptance: "a booking goes through", due: due)]),
                by: .system
            )
            let client = try await person(console, "oleg@yacht.example", .client, language: clientLanguage, clientId: landing.clientId)
            let studio = try await person(console, "pm@pixel.example", .studio, studioId: landing.studioId)
            return Scene(itemId: record.items[0].id, engagement: landing, client: client, studio: studio)
        }

        static func person(
            _ console: Console,
            _ email: String,
            _ role: Role,
            language: Language = .en,
            clientId: String? = nil,
            studioId: String? = nil
        ) async throws -> String {
            let input = PersonInput(
                email: email,
                name: "Person \(email.prefix(4))",
                role: role,
                studioId: studioId,
                clientId: clientId,
                language: language
            )
            let invited = try await console.database.createPerson(input, by: .system)
            _ = try await console.database.acceptInvitation(token: invited.token, password: ConsoleTests.password)
            return try await console.session(email)
        }

        /// One part of a multipart body: a field, or a file when `filename` is set.
        struct Part {
            let name: String
            var filename: String?
            var type: String?
            let bytes: [UInt8]

            static func field(_ name: String, _ value: String) -> Part { Part(name: name, bytes: Array(value.utf8)) }
            static func file(_ filename: String, _ type: String, _ bytes: [UInt8]) -> Part {
                Part(name: "file", filename: filename, type: type, bytes: bytes)
            }
        }

        static let boundary = "----clubdFormBoundary7MA4YWxkTrZu0gW"

        static func multipart(_ parts: [Part], boundary: String = boundary) -> ByteBuffer {
            var body: [UInt8] = []
            for part in parts {
                var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
                if let filename = part.filename { head += "; filename=\"\(filename)\"" }
                head += "\r\n"
                if let type = part.type { head += "Content-Type: \(type)\r\n" }
                body += Array((head + "\r\n").utf8) + part.bytes + Array("\r\n".utf8)
            }
            body += Array("--\(boundary)--\r\n".utf8)
            return ByteBuffer(bytes: body)
        }

        static func upload(
            _ console: Console,
            _ path: String,
            session: String,
            _ parts: [Part],
            contentType: String = "multipart/form-data; boundary=\(boundary)"
        ) async throws -> (TestResponse, String) {
            let headers: HTTPFields = [.contentType: contentType, .cookie: "clubd_session=\(session)"]
            let response = try await console.client.execute(uri: path, method: .post, headers: headers, body: multipart(parts))
            return (response, String(buffer: response.body))
        }

        /// What is left in the vault's staging folder: nothing, once every upload is placed or refused.
        static func staging(_ console: Console) -> [String] {
            (try? FileManager.default.contentsOfDirectory(atPath: console.database.vault.directory + "/tmp")) ?? []
        }

        static func csrf(_ console: Console, _ path: String, session: String) async throws -> String {
            try ConsoleTests.csrf(in: try await console.get(path, session: session).1)
        }

        static let pdf = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)

        @Test func theClientAttachesAScreenshotAndTheItemsPageShowsItsThumbnail() async throws {
            try await ConsoleTests.withConsole { console in
                let scene = try await Self.scene(console)
                let page = try await console.get(scene.itemPath, session: scene.client).1
                #expect(page.contains(#"enctype="multipart/form-data""#) && page.contains(#"type="file""#))
                #expect(page.contains(">Attach a file</label>") && page.contains(">Caption</label>") && page.contains(">Upload</button>"))
                let png = TestPNG.make(width: 40, height: 30)
                let (posted, _) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", try ConsoleTests.csrf(in: page)), .field("caption", "the broken form"), .file("form.png", "image/png", png)]
                )
                #expect(posted.status == .seeOther)
                #expect(posted.headers[.location] == scene.itemPath)
                let files = try await console.database.files(on: .fixItem, scene.itemId, for: .system)
                let file = try #require(files.first)
                #expect(files.count == 1 && file.name == "form.png" && file.caption == "the broken form" && file.type == .png)
                #expect(file.width == 40 && file.height == 30)
                #expect(Self.staging(console).isEmpty)

                let (shown, html) = try await console.get(scene.itemPath, session: scene.studio)
                #expect(shown.status == .ok)
                #expect(
                    html.contains(
                        #"<a class="file-thumb" href="/files/\#(file.id)"><img src="/files/\#(file.id)/thumbnail" alt="the broken form" width="40""#
                    )
                )
                #expect(html.contains(#"height="30" loading="lazy">"#))
                #expect(html.contains(#"<a href="/files/\#(file.id)">form.png</a>"#) && html.contains("PNG image"))
                #expect(html.contains("Uploaded by Person oleg"))
                #expect(!html.contains(#"action="/files/\#(file.id)/remove""#), "the studio did not upload it and is no coordinator")

                let content = try await console.get("/files/\(file.id)", session: scene.studio).0
                #expect(content.status == .ok && content.headers[.contentType] == "image/png")
                #expect(Array(content.body.readableBytesView) == png)
                #expect(content.headers[.contentSecurityPolicy]?.hasPrefix("sandbox") == true)
                let (thumbnail, _) = try await console.get("/files/\(file.id)/thumbnail", session: scene.client)
                #expect(thumbnail.status == .ok)
                #expect(thumbnail.headers[.contentType].map { $0 == "image/webp" || $0 == "image/png" } == true)
            }
        }

        @Test func aPDFNamedPNGShowsThePageAgainWith415AndKeepsNothing() async throws {
            try await ConsoleTests.withConsole { console in
                let scene = try await Self.scene(console)
                let csrf = try await Self.csrf(console, scene.itemPath, session: scene.client)
                let (refused, html) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", csrf), .field("caption", "the audit"), .file("report.png", "image/png", Self.pdf)]
                )
                #expect(refused.status == .unsupportedMediaType)
                let fieldId = ConsoleController<BasicRequestContext>.sectionId(.fixItem, scene.itemId) + "-file"
                #expect(html.contains(#"id="\#(fieldId)-error""#))
                #expect(html.contains("The name “report.png” does not match what the file is: PDF document."))
                #expect(html.contains(##"<a href="#\##(fieldId)">"##), "the error summary links to the file field")
                #expect(html.contains(#"value="the audit""#), "the caption is kept")
                #expect(try await console.database.files(on: .fixItem, scene.itemId, for: .system).isEmpty)
                #expect(Self.staging(console).isEmpty)

                // The same PDF under its own name is accepted: the refusal was about the claim, not the content.
                let (accepted, _) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", csrf), .file("report.pdf", "application/pdf", Self.pdf)]
                )
                #expect(accepted.status == .seeOther)
                let page = try await console.get(scene.itemPath, session: scene.client).1
                #expect(page.contains(">report.pdf</a>") && page.contains("PDF document") && !page.contains("<img src=\"/files/"))
            }
        }

        @Test func anUploadWithoutItsTokenFirstIsRefusedAndWritesNothing() async throws {
            try await ConsoleTests.withConsole { console in
                let scene = try await Self.scene(console)
                let png = TestPNG.make(width: 2, height: 2)
                let (missing, _) = try await Self.upload(console, scene.uploadPath, session: scene.client, [.file("a.png", "image/png", png)])
                #expect(missing.status == .forbidden)
                let (wrong, _) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", "forged"), .file("a.png", "image/png", png)]
                )
                #expect(wrong.status == .forbidden)
                // A valid token after the file is too late: the file part was refused before a byte of it was written.
                let csrf = try await Self.csrf(console, scene.itemPath, session: scene.client)
                let (late, _) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.file("a.png", "image/png", png), .field("csrf", csrf)]
                )
                #expect(late.status == .forbidden)
                #expect(Self.staging(console).isEmpty)
                #expect(try await console.database.files(on: .fixItem, scene.itemId, for: .system).isEmpty)

                // Not multipart at all, or a boundary longer than RFC 2046 allows: refused before reading a part.
                let long = String(repeating: "b", count: 71)
                let (badBoundary, _) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", csrf), .file("a.png", "image/png", png)],
                    contentType: "multipart/form-data; boundary=\(long)"
                )
                #expect(badBoundary.status == .badRequest)
                let (noBoundary, _) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", csrf)],
                    contentType: "multipart/form-data"
                )
                #expect(noBoundary.status == .badRequest)
                // The form sent without a file chosen: an empty part with an empty name.
                let (none, noneHTML) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", csrf), .file("", "application/octet-stream", [])]
                )
                #expect(none.status == .unprocessableContent && noneHTML.contains("Choose a file to attach."))
                #expect(Self.staging(console).isEmpty)
            }
        }

        @Test func theUploaderRemovesTheirFileAfterConfirming() async throws {
            try await ConsoleTests.withConsole { console in
                let scene = try await Self.scene(console)
                let csrf = try await Self.csrf(console, scene.itemPath, session: scene.client)
                let (posted, _) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", csrf), .file("shot.png", "image/png", TestPNG.make(width: 3, height: 3))]
                )
                #expect(posted.status == .seeOther)
                let file = try #require(try await console.database.files(on: .fixItem, scene.itemId, for: .system).first)
                let page = try await console.get(scene.itemPath, session: scene.client).1
                #expect(page.contains(#"action="/files/\#(file.id)/remove""#) && page.contains(#"aria-label="Remove shot.png""#))

                // The studio may not remove the client's file: refused as unknown, and it stays.
                let studioCSRF = try await Self.csrf(console, scene.itemPath, session: scene.studio)
                let (refused, _) = try await console.post("/files/\(file.id)/remove", session: scene.studio, form: "csrf=\(studioCSRF)&confirmed=1")
                #expect(refused.status == .notFound)
                #expect(try await console.database.files(on: .fixItem, scene.itemId, for: .system).count == 1)

                let (asked, question) = try await console.post("/files/\(file.id)/remove", session: scene.client, form: "csrf=\(csrf)")
                #expect(asked.status == .ok && question.contains("Remove the file shot.png?"))
                #expect(try await console.database.files(on: .fixItem, scene.itemId, for: .system).count == 1, "nothing before confirming")
                let (removed, _) = try await console.post("/files/\(file.id)/remove", session: scene.client, form: "csrf=\(csrf)&confirmed=1")
                #expect(removed.status == .seeOther && removed.headers[.location] == scene.itemPath)
                #expect(try await console.database.files(on: .fixItem, scene.itemId, for: .system).isEmpty)
                #expect(try await console.get("/files/\(file.id)", session: scene.client).0.status == .notFound)
            }
        }

        @Test func aStudioNotOnTheEngagementGets404ForTheFile() async throws {
            try await ConsoleTests.withConsole { console in
                let scene = try await Self.scene(console)
                let csrf = try await Self.csrf(console, scene.itemPath, session: scene.client)
                _ = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", csrf), .file("shot.png", "image/png", TestPNG.make(width: 3, height: 3))]
                )
                let file = try #require(try await console.database.files(on: .fixItem, scene.itemId, for: .system).first)
                let other = try await console.database.createStudio(
                    StudioInput(name: "North Lab", competences: ["seo"], regions: ["RU-SPE"], budgetMin: 1, budgetMax: 2, capacity: 1),
                    by: .system
                )
                let stranger = try await Self.person(console, "dev@north.example", .studio, studioId: other.id)
                for path in ["/files/\(file.id)", "/files/\(file.id)/thumbnail", scene.itemPath] {
                    #expect(try await console.get(path, session: stranger).0.status == .notFound, "\(path)")
                }
                let strangerCSRF = try ConsoleTests.csrf(in: try await console.get("/", session: stranger).1)
                let (removal, _) = try await console.post("/files/\(file.id)/remove", session: stranger, form: "csrf=\(strangerCSRF)&confirmed=1")
                #expect(removal.status == .notFound)
                let (upload, _) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: stranger,
                    [.field("csrf", strangerCSRF), .file("x.png", "image/png", TestPNG.make(width: 2, height: 2))]
                )
                #expect(upload.status == .notFound)
                #expect(try await console.database.files(on: .fixItem, scene.itemId, for: .system).count == 1)
                #expect(Self.staging(console).isEmpty)
                // Without a session, the sign-in page.
                #expect(try await console.get("/files/\(file.id)", session: nil).0.status == .seeOther)
            }
        }

        @Test func aCoordinatorAttachesToTheAuditItsFindingsAndACheckInButNotToAResolvedComplaint() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("coord@club.example")
                let session = try await console.session("coord@club.example")
                let auditId = console.summary.auditId
                let auditPath = "/audits/\(auditId)"
                let csrf = try await Self.csrf(console, auditPath, session: session)
                let report: [Part] = [
                    .field("csrf", csrf), .field("caption", "the auditor's report"), .file("report.pdf", "application/pdf", Self.pdf),
                ]
                let (audit, _) = try await Self.upload(console, auditPath + "/files", session: session, report)
                #expect(audit.status == .seeOther && audit.headers[.location] == auditPath)
                let findingId = try await console.database.audit(auditId, for: .system).findings[0].id
                let screenshot: [Part] = [.field("csrf", csrf), .file("keywords.png", "image/png", TestPNG.make(width: 4, height: 4))]
                let (finding, _) = try await Self.upload(console, "/audit-findings/\(findingId)/files", session: session, screenshot)
                let findingSection = ConsoleController<BasicRequestContext>.sectionId(.auditFinding, findingId)
                #expect(finding.status == .seeOther && finding.headers[.location] == "\(auditPath)#\(findingSection)")
                let auditPage = try await console.get(auditPath, session: session).1
                #expect(auditPage.contains(">report.pdf</a>") && auditPage.contains(#"id="\#(findingSection)""#))
                #expect(auditPage.contains(#"alt="keywords.png""#), "without a caption, the name is the image's text")

                let engagementId = console.summary.landingEngagementId
                let checkInId = try #require(try await console.database.engagementRecord(engagementId, for: .system).checkIns.first?.id)
                let engagementPage = try await console.get("/engagements/\(engagementId)", session: session).1
                let action = "/check-ins/\(checkInId)/files?engagement=\(engagementId)"
                #expect(engagementPage.contains(#"action="\#(action)""#))
                let (checkIn, _) = try await Self.upload(console, action, session: session, screenshot)
                let checkInSection = ConsoleController<BasicRequestContext>.sectionId(.checkIn, checkInId)
                #expect(checkIn.status == .seeOther && checkIn.headers[.location] == "/engagements/\(engagementId)#\(checkInSection)")
                #expect(try await console.database.files(on: .checkIn, checkInId, for: .system).count == 1)
                let otherEngagement = console.summary.advertisingEngagementId
                let (madeUp, _) = try await Self.upload(
                    console,
                    "/check-ins/\(checkInId)/files?engagement=\(otherEngagement)",
                    session: session,
                    screenshot
                )
                #expect(madeUp.status == .notFound, "the check-in is not the advertising engagement's")

                let complaintId = try #require(
                    try await console.database.writer.read { db in
                        try String.fetchOne(
                            db,
                            sql: "SELECT id FROM complaint WHERE engagementId = ? AND status = 'resolved'",
                            arguments: [engagementId]
                        )
                    }
                )
                let complaintPage = try await console.get("/complaints/\(complaintId)", session: session).1
                let complaintSection = ConsoleController<BasicRequestContext>.sectionId(.complaint, complaintId)
                #expect(
                    complaintPage.contains(#"id="\#(complaintSection)""#) && !complaintPage.contains(#"action="/complaints/\#(complaintId)/files""#)
                )
                let (closed, closedHTML) = try await Self.upload(console, "/complaints/\(complaintId)/files", session: session, screenshot)
                #expect(closed.status == .conflict && closedHTML.contains("Files can no longer be added or removed here"))
                #expect(Self.staging(console).isEmpty)
            }
        }

        /// The console over a club whose file limits are `limits`.
        static func withConsole(_ limits: FileLimits, _ body: @escaping @Sendable (Console) async throws -> Void) async throws {
            let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
            let database = try AppDatabase.inMemory(clock: clock, rules: ClubRules(timeZone: .gmt, files: limits))
            let summary = try await ReferenceCase(database: database, clock: clock).load()
            let router = Router(context: BasicRequestContext.self)
            try WebRoutes(database: database, updates: ShareUpdates()).addRoutes(to: router)
            try await Application(router: router).test(.router) { client in
                try await body(Console(client: client, database: database, summary: summary))
            }
        }

        @Test func aFileOverTheLimitIs413AndAFullItemTakesNoMore() async throws {
            try await Self.withConsole(FileLimits(maxFileBytes: 4096, maxFilesPerObject: 1)) { console in
                let scene = try await Self.scene(console)
                let csrf = try await Self.csrf(console, scene.itemPath, session: scene.client)
                let text = [UInt8](repeating: UInt8(ascii: "a"), count: 64 * 1024)
                let (large, html) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", csrf), .file("notes.txt", "text/plain", text)]
                )
                #expect(large.status == .contentTooLarge)
                #expect(html.contains("The file is larger than the limit of 4 KB."))
                #expect(Self.staging(console).isEmpty)
                #expect(try await console.database.files(on: .fixItem, scene.itemId, for: .system).isEmpty)

                let (posted, _) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", csrf), .file("notes.txt", "text/plain", Array("the form breaks\n".utf8))]
                )
                #expect(posted.status == .seeOther)
                let full = try await console.get(scene.itemPath, session: scene.client).1
                #expect(full.contains("This already holds 1 file, as many as it may.") && !full.contains(#"type="file""#))
                let (again, _) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", csrf), .file("more.txt", "text/plain", Array("more\n".utf8))]
                )
                #expect(again.status == .contentTooLarge)
                #expect(try await console.database.files(on: .fixItem, scene.itemId, for: .system).count == 1)
            }
        }

        @Test func theSectionSpeaksRussianAndEnglish() async throws {
            try await ConsoleTests.withConsole { console in
                let scene = try await Self.scene(console, clientLanguage: .ru)
                let russian = try await console.get(scene.itemPath, session: scene.client).1
                #expect(russian.contains(">Файлы</h2>") && russian.contains("Файлов пока нет."))
                #expect(russian.contains(">Приложить файл</label>") && russian.contains(">Подпись</label>"))
                #expect(russian.contains(">Загрузить</button>"))
                let english = try await console.get(scene.itemPath, session: scene.studio).1
                #expect(english.contains(">Files</h2>") && english.contains("No files yet."))
                #expect(english.contains(">Attach a file</label>") && english.contains(">Caption</label>") && english.contains(">Upload</button>"))

                // A refusal in the page's language, and a file shown with Russian words for its kind and size.
                let csrf = try ConsoleTests.csrf(in: russian)
                let (refused, html) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", csrf), .file("отчёт.png", "image/png", Self.pdf)]
                )
                #expect(refused.status == .unsupportedMediaType)
                let mismatch =
                    "Имя «отчёт.png» не соответствует тому, "
                    + "что это за файл: документ PDF."
                #expect(html.contains(mismatch))
                let (empty, emptyHTML) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", csrf), .file("пусто.txt", "text/plain", [])]
                )
                #expect(empty.status == .unsupportedMediaType && emptyHTML.contains("Файл пустой."))
                let (posted, _) = try await Self.upload(
                    console,
                    scene.uploadPath,
                    session: scene.client,
                    [.field("csrf", csrf), .file("отчёт.pdf", "application/pdf", Self.pdf)]
                )
                #expect(posted.status == .seeOther)
                let shown = try await console.get(scene.itemPath, session: scene.client).1
                #expect(shown.contains(">отчёт.pdf</a>") && shown.contains("документ PDF, \(Self.pdf.count) байт"))
            }
        }
    }
}

/// A real PNG of one colour, made here: signature, IHDR, one IDAT of stored (uncompressed) deflate blocks, IEND.
enum TestPNG {
    static func make(width: Int, height: Int) -> [UInt8] {
        var raw: [UInt8] = []
        for row in 0..<height {
            raw.append(0)  // No filter.
            for column in 0..<width { raw += [UInt8(40 + row % 200), UInt8(90 + column % 150), 200] }
        }
        var header: [UInt8] = []
        header += bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]  // 8 bits, RGB, deflate, no filter method, no interlace.
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlibStored(raw)) + chunk("IEND", [])
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
    }

    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65_535, data.count - offset)
            let last: UInt8 = offset + count >= data.count ? 1 : 0
            out += [last, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += data[offset..<offset + count]
            offset += count
        } while offset < data.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + bigEndian(b << 16 | a)
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
