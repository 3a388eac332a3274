import ClubCore
import Testing

/// The content sniffing of evidence files (DESIGN §11): what an upload is, decided from its bytes as they stream.
@Suite("File types")
struct FileTypeTests {
    /// How the bytes reach the sniffer: at once, one by one as a slow client sends them, or in pieces of a collection
    /// without contiguous storage.
    enum Feeding: CaseIterable {
        case whole
        case byteByByte
        case lazyPieces
    }

    static func sniff(_ bytes: [UInt8], _ feeding: Feeding = .whole, with sniffer: FileSniffer = FileSniffer()) -> Result<SniffedFile, FileRefusal> {
        var sniffer = sniffer
        do throws(FileRefusal) {
            switch feeding {
            case .whole: try sniffer.feed(bytes)
            case .byteByByte: for byte in bytes { try sniffer.feed([byte]) }
            case .lazyPieces:
                for start in stride(from: 0, to: bytes.count, by: 7) {
                    try sniffer.feed(bytes[start..<min(start + 7, bytes.count)].lazy.map { $0 })
                }
            }
            return .success(try sniffer.finish())
        } catch {
            return .failure(error)
        }
    }

    /// Feeds `bytes` and returns the refusal `feed` threw, if any: proof that it came before `finish`.
    static func refusalWhileFeeding(_ bytes: [UInt8], into sniffer: inout FileSniffer) -> FileRefusal? {
        do throws(FileRefusal) {
            try sniffer.feed(bytes)
            return nil
        } catch {
            return error
        }
    }

    static func refusal(_ result: Result<SniffedFile, FileRefusal>) -> FileRefusal? {
        if case .failure(let refusal) = result { refusal } else { nil }
    }

    // MARK: Recognition

    static let russianText = Array("Отчёт аудита\nВсё хорошо, кроме формы заявки.\n".utf8)
    /// A semicolon inside quotes is part of a field, not a separator.
    static let csv = Array("имя;телефон;дата\nИван;+7 900;2026-01-01\n\"Петров; Пётр\";+7 901;2026-01-02\n".utf8)
    static let pdf = Array("%PDF-1.7\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3] + Array("\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n".utf8)

    @Test(arguments: Feeding.allCases)
    func eachTypeIsRecognisedFromItsBytes(feeding: Feeding) {
        let cases: [([UInt8], SniffedFile)] = [
            (Fixture.png(width: 1, height: 1), SniffedFile(type: .png, size: Fixture.png(width: 1, height: 1).count, width: 1, height: 1)),
            (Fixture.jpeg(width: 3, height: 2), SniffedFile(type: .jpeg, size: Fixture.jpeg(width: 3, height: 2).count, width: 3, height: 2)),
            (
                Fixture.webpLossless(width: 2, height: 3),
                SniffedFile(type: .webp, size: Fixture.webpLossless(width: 2, height: 3).count, width: 2, height: 3)
            ),
            (Fixture.webpExtended(width: 3000, height: 2000), SniffedFile(type: .webp, size: 38, width: 3000, height: 2000)),
            (Self.pdf, SniffedFile(type: .pdf, size: Self.pdf.count)),
            (Self.russianText, SniffedFile(type: .text, size: Self.russianText.count)),
            ([0xEF, 0xBB, 0xBF] + Self.russianText, SniffedFile(type: .text, size: Self.russianText.count + 3)),
            (Self.csv, SniffedFile(type: .csv, size: Self.csv.count)),
        ]
        for (bytes, expected) in cases {
            #expect(Self.sniff(bytes, feeding) == .success(expected))
        }
    }

    @Test func theTypeSaysHowItIsServed() {
        #expect(
            FileType.allCases.map(\.mediaType) == [
                "image/png", "image/jpeg", "image/webp", "application/pdf", "text/plain; charset=utf-8", "text/csv; charset=utf-8",
            ]
        )
        #expect(FileType.allCases.filter(\.isImage) == [.png, .jpeg, .webp])
        #expect(FileType.defaultAllowed == Set(FileType.allCases))
    }

    @Test func aCSVNeedsTwoLinesWithTheSameSeparatorCount() {
        #expect(Self.sniff(Array("a,b,c\n1,2,3\r\n4,\"5,5\",6\n".utf8)) == .success(SniffedFile(type: .csv, size: 23)))
        #expect(Self.sniff(Array("a\tb\n1\t2".utf8)) == .success(SniffedFile(type: .csv, size: 7)))
        #expect(Self.sniff(Array("a;b;c\n".utf8)) == .success(SniffedFile(type: .text, size: 6)))
        #expect(Self.sniff(Array("Hello, world\nGoodbye, cruel, world\n".utf8)) == .success(SniffedFile(type: .text, size: 35)))
        #expect(Self.sniff(Array("no separators\nat all\n".utf8)) == .success(SniffedFile(type: .text, size: 21)))
    }

    @Test func aPDFMarkerCountsWithinTheFirstKibibyteOnly() {
        let junk = [UInt8](repeating: 0x01, count: 500)
        #expect(Self.sniff(junk + Self.pdf) == .success(SniffedFile(type: .pdf, size: 500 + Self.pdf.count)))
        let tooLate = [UInt8](repeating: 0x01, count: 2000) + Self.pdf
        #expect(Self.sniff(tooLate) == .failure(.notAllowed(found: "unrecognised binary data")))
    }

    // MARK: Claims

    @Test func aNameOrContentTypeAnnouncingAnotherTypeIsAMismatchNamingBoth() throws {
        let pdf = try Self.sniff(Self.pdf).get()
        let named = #expect(throws: FileRefusal.self) { try FileSniffer.checkClaim(name: "screenshot.PNG", contentType: nil, sniffed: pdf.type) }
        #expect(named == .mismatch(found: .pdf, claimed: "a PNG (.png)"))
        #expect(named?.detail == "the file is a PDF (application/pdf), not a PNG (.png)")

        let png = try Self.sniff(Fixture.png(width: 1, height: 1)).get()
        let declared = #expect(throws: FileRefusal.self) {
            try FileSniffer.checkClaim(name: "scan", contentType: "Application/PDF; name=x", sniffed: png.type)
        }
        #expect(declared == .mismatch(found: .png, claimed: "a PDF (application/pdf)"))
        #expect(declared?.detail == "the file is a PNG (image/png), not a PDF (application/pdf)")
    }

    @Test func claimsThatSayNothingOrAgreeAreAccepted() throws {
        try FileSniffer.checkClaim(name: "отчёт аудита.pdf", contentType: "application/pdf", sniffed: .pdf)
        try FileSniffer.checkClaim(name: "photo.JPG", contentType: "image/jpeg", sniffed: .jpeg)
        try FileSniffer.checkClaim(name: "export.xlsx.bak", contentType: "application/octet-stream", sniffed: .png)
        try FileSniffer.checkClaim(name: nil, contentType: nil, sniffed: .webp)
        try FileSniffer.checkClaim(name: "calls.csv", contentType: "application/vnd.ms-excel", sniffed: .text)
        try FileSniffer.checkClaim(name: "notes.txt", contentType: "text/plain; charset=utf-8", sniffed: .csv)
    }

    // MARK: Refusals

    @Test func executablesAndArchivesAreRefusedByNameAtTheirFirstBytes() {
        let refused: [([UInt8], String)] = [
            ([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + [UInt8](repeating: 0, count: 8), "an ELF executable"),
            ([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00], "a Windows executable"),
            ([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00], "a ZIP archive"),
            ([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00], "a gzip archive"),
            (Array("GIF89a".utf8) + [0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00], "a GIF image"),
            ([0x00, 0x01, 0x02, 0x03, 0xC3, 0x28], "unrecognised binary data"),
        ]
        for (bytes, name) in refused {
            var sniffer = FileSniffer()
            let refusal = Self.refusalWhileFeeding(bytes, into: &sniffer)
            if name == "unrecognised binary data" {
                // Without a signature the sniffer waits for a PDF marker that may still come within 1 KiB.
                #expect(refusal == nil)
                #expect(Self.sniff(bytes, .byteByByte) == .failure(.notAllowed(found: name)))
            } else {
                #expect(refusal == .notAllowed(found: name))
                #expect(refusal?.detail == "the file is \(name), which is not accepted")
                #expect(Self.sniff(bytes, .byteByByte) == .failure(.notAllowed(found: name)))
            }
        }
        // A text that merely starts with a signature's letters is text.
        #expect(Self.sniff(Array("MZ is the code of the Mazovia office\n".utf8)) == .success(SniffedFile(type: .text, size: 37)))
    }

    @Test func anEmptyFileIsRefused() {
        #expect(Self.sniff([]) == .failure(.empty))
        #expect(FileRefusal.empty.detail == "the file is empty")
    }

    @Test func aPNGDeclaringTooManyPixelsIsRefusedAtItsHeader() {
        let bomb = Fixture.png(width: 100_000, height: 100_000)
        var sniffer = FileSniffer()
        for byte in bomb.prefix(23) {
            #expect(Self.refusalWhileFeeding([byte], into: &sniffer) == nil)
        }
        // The 24th byte completes the height: refused then, before any image data.
        let refusal = Self.refusalWhileFeeding([bomb[23]], into: &sniffer)
        #expect(refusal == .imageTooLarge(width: 100_000, height: 100_000, limit: 40_000_000))
        #expect(refusal?.detail == "the image declares 100000×100000 pixels; at most 40000000 pixels and 16384 per side are accepted")

        #expect(Self.sniff(Fixture.png(width: 16_385, height: 1)) == .failure(.imageTooLarge(width: 16_385, height: 1, limit: 40_000_000)))
        #expect(Self.sniff(Fixture.png(width: 7000, height: 7000)) == .failure(.imageTooLarge(width: 7000, height: 7000, limit: 40_000_000)))
        #expect(Self.refusal(Self.sniff(Fixture.png(width: 6000, height: 6000))) == nil)
        #expect(Self.refusal(Self.sniff(Fixture.png(width: 16_384, height: 2000))) == nil)
        let strict = FileSniffer(maxPixels: 100)
        #expect(Self.sniff(Fixture.png(width: 11, height: 10), with: strict) == .failure(.imageTooLarge(width: 11, height: 10, limit: 100)))
    }

    @Test func aJPEGFrameDeclaringTooManyPixelsIsRefusedAtItsFrameHeader() {
        let bomb = Fixture.jpeg(width: 20_000, height: 20_000)
        // The frame header ends with one component's four bytes; the width's last byte comes just before them.
        let widthEnd = bomb.count - Fixture.jpegTail.count - 4
        var sniffer = FileSniffer()
        #expect(Self.refusalWhileFeeding(Array(bomb[..<(widthEnd - 1)]), into: &sniffer) == nil)
        let refusal = Self.refusalWhileFeeding([bomb[widthEnd - 1]], into: &sniffer)
        #expect(refusal == .imageTooLarge(width: 20_000, height: 20_000, limit: 40_000_000))
    }

    @Test func imagesWhoseHeadersCannotBeReadAreRefused() {
        var badIHDR = Fixture.png(width: 1, height: 1)
        badIHDR[12] = UInt8(ascii: "X")
        #expect(Self.sniff(badIHDR) == .failure(.malformed(.png, reason: "its first chunk is not a 13-byte IHDR header")))
        #expect(
            Self.sniff(Array(Fixture.png(width: 1, height: 1).prefix(12))) == .failure(.malformed(.png, reason: "it ends before its header does"))
        )
        let noFrame: [UInt8] = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x00, 0xFF, 0xD9]
        #expect(Self.sniff(noFrame) == .failure(.malformed(.jpeg, reason: "no frame header comes before its image data")))
        #expect(Self.sniff(Fixture.png(width: 0, height: 5)) == .failure(.malformed(.png, reason: "it declares an empty image")))
    }

    @Test func textIsValidatedToItsEndAcrossFeeds() {
        // "ё" is D1 91: each feed ends in the middle of a character.
        var sniffer = FileSniffer()
        let first = Array("всё ".utf8)
        let second = Array("ёж\n".utf8)
        #expect(Self.refusalWhileFeeding(Array(first.dropLast(2)), into: &sniffer) == nil)
        #expect(Self.refusalWhileFeeding(Array(first.suffix(2)) + [second[0]], into: &sniffer) == nil)
        #expect(Self.refusalWhileFeeding(Array(second.dropFirst()), into: &sniffer) == nil)
        #expect(throws: Never.self) { try sniffer.finish() }

        let invalid: [([UInt8], FileRefusal)] = [
            (Array("abc".utf8) + [0xC3, 0x28], .notAllowed(found: "text that is not valid UTF-8 (at byte 4); save it as UTF-8")),
            (Array("overlong ".utf8) + [0xC0, 0xAF], .notAllowed(found: "text that is not valid UTF-8 (at byte 9); save it as UTF-8")),
            (Array("surrogate ".utf8) + [0xED, 0xA0, 0x80], .notAllowed(found: "text that is not valid UTF-8 (at byte 11); save it as UTF-8")),
            (Array("cut off ".utf8) + [0xD1], .notAllowed(found: "text that is not valid UTF-8 (at byte 9); save it as UTF-8")),
            (Array("abc\u{0}def".utf8), .notAllowed(found: "unrecognised binary data")),
            (Array("bell\u{7}".utf8), .notAllowed(found: "unrecognised binary data")),
        ]
        for (bytes, refusal) in invalid {
            for feeding in Feeding.allCases {
                #expect(Self.sniff(bytes, feeding) == .failure(refusal), "\(bytes) \(feeding)")
            }
        }
        // Windows-1251 "Привет": text the uploader can fix by saving it as UTF-8.
        #expect(
            Self.refusal(Self.sniff([0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2]))
                == .notAllowed(found: "text that is not valid UTF-8 (at byte 1); save it as UTF-8")
        )
    }

    @Test func aFlawFarIntoATextIsRefusedWhileStreaming() {
        var sniffer = FileSniffer()
        let line = Array("строка отчёта\n".utf8)
        for _ in 0..<1000 {
            #expect(Self.refusalWhileFeeding(line, into: &sniffer) == nil)
        }
        let refusal = Self.refusalWhileFeeding(Array("x\u{0}".utf8), into: &sniffer)
        #expect(refusal == .notAllowed(found: "text with a control character at byte \(line.count * 1000 + 1)"))
        // A refusal is final.
        #expect(Self.refusalWhileFeeding(Array("ok".utf8), into: &sniffer) == refusal)
    }

    @Test(arguments: [Feeding.whole, .byteByByte])
    func bytesOverTheLimitAreRefusedAsSoonAsTheCountPassesIt(feeding: Feeding) {
        var sniffer = FileSniffer(maxBytes: 100)
        let text = [UInt8](repeating: UInt8(ascii: "a"), count: 100)
        switch feeding {
        case .whole: #expect(Self.refusalWhileFeeding(text, into: &sniffer) == nil)
        default: for byte in text { #expect(Self.refusalWhileFeeding([byte], into: &sniffer) == nil) }
        }
        #expect(Self.refusalWhileFeeding([UInt8(ascii: "a")], into: &sniffer) == .tooLarge(limit: 100))
        #expect(throws: FileRefusal.tooLarge(limit: 100)) { try sniffer.finish() }

        var exact = FileSniffer(maxBytes: 100)
        #expect(Self.refusalWhileFeeding(text, into: &exact) == nil)
        #expect(throws: Never.self) { try exact.finish() }
        #expect(FileRefusal.tooLarge(limit: FileSniffer.defaultMaxBytes).detail == "the file is larger than the limit of 20 MiB")
    }

    @Test func theConfiguredListDecides() {
        let pdfOnly = FileSniffer(allowed: [.pdf])
        var sniffer = pdfOnly
        #expect(Self.refusalWhileFeeding(Array(Fixture.png(width: 1, height: 1).prefix(8)), into: &sniffer) == .typeNotAllowed(.png))
        #expect(Self.sniff(Self.russianText, with: pdfOnly) == .failure(.typeNotAllowed(.text)))
        #expect(Self.sniff(Self.pdf, with: pdfOnly) == .success(SniffedFile(type: .pdf, size: Self.pdf.count)))
        // A CSV is text: where CSV is not listed but text is, it is accepted as text.
        #expect(Self.sniff(Self.csv, with: FileSniffer(allowed: [.text])) == .success(SniffedFile(type: .text, size: Self.csv.count)))
        #expect(Self.sniff(Self.russianText, with: FileSniffer(allowed: [.csv])) == .failure(.typeNotAllowed(.text)))
        #expect(FileRefusal.typeNotAllowed(.png).detail == "the file is a PNG (image/png), which this server does not accept")
    }

    // MARK: Names

    @Test func namesThatCouldActAsPathsOrHideCharactersAreRefused() {
        let refused: [(String, FileNameRefusal)] = [
            ("../etc/passwd", .parentDirectory),
            ("..", .parentDirectory),
            ("a\\..\\b", .parentDirectory),
            ("a/b", .pathSeparator),
            ("a\\b", .pathSeparator),
            ("a\u{0}b.pdf", .controlCharacter),
            ("line\nbreak.txt", .controlCharacter),
            ("invoice\u{202E}fdp.exe", .controlCharacter),
            ("", .empty),
            ("   ", .empty),
            (String(repeating: "я", count: 150), .tooLong(bytes: 300, limit: 255)),
        ]
        for (name, expected) in refused {
            #expect(throws: expected, "\(name)") { try FileDisplayName(name) }
        }
        #expect(FileNameRefusal.tooLong(bytes: 300, limit: 255).detail == "the file name is 300 bytes long in UTF-8, over the limit of 255")
    }

    @Test func ordinaryNamesAreKeptAsGiven() throws {
        #expect(try FileDisplayName("отчёт аудита.pdf").value == "отчёт аудита.pdf")
        #expect(try FileDisplayName("v1..v2 diff.txt").value == "v1..v2 diff.txt")
        #expect(try FileDisplayName(String(repeating: "a", count: 251) + ".pdf").value.utf8.count == 255)
    }
}

/// Minimal real files, built byte by byte.
private enum Fixture {
    /// A PNG with an 8-bit RGBA IHDR of the given size, a stored (uncompressed) IDAT holding one pixel, and IEND, CRCs
    /// included: valid at 1×1, and only the header matters at other sizes.
    static func png(width: UInt32, height: UInt32) -> [UInt8] {
        let header = bigEndian(width) + bigEndian(height) + [8, 6, 0, 0, 0]
        let row: [UInt8] = [0, 0xFF, 0x00, 0x00, 0xFF]  // Filter byte, then one red pixel.
        let zlib: [UInt8] = [0x78, 0x01, 0x01, UInt8(row.count), 0, ~UInt8(row.count), 0xFF] + row + bigEndian(adler32(row))
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlib) + chunk("IEND", [])
    }

    /// SOI, a JFIF APP0, a Huffman table (DHT, C4, which is not a frame), a fill byte, the baseline frame header SOF0,
    /// then `jpegTail`: a scan header, one byte of data and EOI.
    static func jpeg(width: UInt16, height: UInt16) -> [UInt8] {
        let app0: [UInt8] = [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        let dht: [UInt8] = [0xFF, 0xC4, 0x00, 0x14, 0x00, 1] + [UInt8](repeating: 0, count: 15) + [0x00]
        let sof0: [UInt8] = [0xFF, 0xFF, 0xC0, 0x00, 0x0B, 8] + bigEndian(height) + bigEndian(width) + [1, 1, 0x11, 0]
        return [0xFF, 0xD8] + app0 + dht + sof0 + jpegTail
    }

    static let jpegTail: [UInt8] = [0xFF, 0xDA, 0x00, 0x08, 1, 1, 0x00, 0, 0x3F, 0, 0x00, 0xFF, 0xD9]

    /// A lossless WebP: RIFF, WEBP, a VP8L chunk with its signature byte and 14-bit sizes minus one.
    static func webpLossless(width: UInt32, height: UInt32) -> [UInt8] {
        let bits = (width - 1) | (height - 1) << 14
        return riff(chunk: "VP8L", [0x2F] + littleEndian(bits) + [0, 0, 0, 0, 0, 0, 0])
    }

    /// An extended WebP: a VP8X chunk with flags, reserved bytes and 24-bit canvas sizes minus one.
    static func webpExtended(width: UInt32, height: UInt32) -> [UInt8] {
        riff(chunk: "VP8X", [0, 0, 0, 0] + littleEndian(width - 1).prefix(3) + littleEndian(height - 1).prefix(3) + [0, 0, 0, 0, 0, 0, 0, 0])
    }

    private static func riff(chunk type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array("WEBP".utf8) + Array(type.utf8) + littleEndian(UInt32(data.count)) + data
        return Array("RIFF".utf8) + littleEndian(UInt32(body.count)) + body
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? crc >> 1 ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }
    private static func bigEndian(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(truncatingIfNeeded: value)] }
    private static func littleEndian(_ value: UInt32) -> [UInt8] { [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: value >> $0) } }
}
