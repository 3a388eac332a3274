import ClubCore
import Foundation
import Testing

@testable import ClubStore

/// `Range` headers judged against a content's size (RFC 9110 §14; docs/design.md §11.3).
@Suite("Byte ranges")
struct ByteRangeTests {
    static let etag = "\"\(String(repeating: "ab", count: 32))\""

    static func judge(_ header: String?, size: Int = 1000, ifRange: String? = nil) -> ByteRange {
        ByteRange(header: header, ifRange: ifRange, size: size, etag: etag)
    }

    @Test("one closed range is served as asked, its end clamped to the last byte")
    func closedRange() {
        #expect(Self.judge("bytes=0-99") == .part(0...99))
        #expect(Self.judge("bytes=500-999") == .part(500...999))
        #expect(Self.judge("bytes=990-5000") == .part(990...999))
        #expect(Self.judge("bytes=7-7") == .part(7...7))
        #expect(Self.judge("bytes=0-99999999999999999999999") == .part(0...999))
    }

    @Test("an open range runs to the end; a suffix takes the last bytes, all of them when it asks more")
    func openAndSuffix() {
        #expect(Self.judge("bytes=900-") == .part(900...999))
        #expect(Self.judge("bytes=0-") == .part(0...999))
        #expect(Self.judge("bytes=-100") == .part(900...999))
        #expect(Self.judge("bytes=-1") == .part(999...999))
        #expect(Self.judge("bytes=-5000") == .part(0...999))
        #expect(Self.judge("bytes=-99999999999999999999999") == .part(0...999))
    }

    @Test("the unit is case-insensitive and blanks around the range and empty list elements are tolerated")
    func lenientSyntax() {
        #expect(Self.judge("Bytes=10-19") == .part(10...19))
        #expect(Self.judge(" bytes= 10-19 ") == .part(10...19))
        #expect(Self.judge("bytes=10-19,") == .part(10...19))
        #expect(Self.judge("bytes=, 10-19") == .part(10...19))
    }

    @Test("a first byte past the end, a range on nothing or an empty suffix is unsatisfiable")
    func unsatisfiable() {
        #expect(Self.judge("bytes=1000-") == .unsatisfiable)
        #expect(Self.judge("bytes=1000-2000") == .unsatisfiable)
        #expect(Self.judge("bytes=99999999999999999999999-") == .unsatisfiable)
        #expect(Self.judge("bytes=-0") == .unsatisfiable)
        #expect(Self.judge("bytes=0-", size: 0) == .unsatisfiable)
        #expect(Self.judge("bytes=-5", size: 0) == .unsatisfiable)
    }

    @Test(
        "no header, another unit, several ranges or a malformed range serve the whole",
        arguments: [
            nil, "", "bytes=", "bytes", "items=0-9", "bytes=0-9,20-29", "bytes=0-9, -5", "bytes=9-0", "bytes=a-9", "bytes=0-b",
            "bytes=-", "bytes=--5", "bytes=+1-5", "bytes=1-+5", "bytes=0x10-20", "bytes=1 -5", "bytes=١-٥", "bytes=0-9-",
        ]
    )
    func whole(header: String?) {
        #expect(Self.judge(header) == .whole, "\(header ?? "no header")")
    }

    @Test("If-Range with the current strong tag keeps the range; any other tag, a weak one or a date gives the whole")
    func ifRange() {
        #expect(Self.judge("bytes=0-9", ifRange: Self.etag) == .part(0...9))
        #expect(Self.judge("bytes=0-9", ifRange: " \(Self.etag) ") == .part(0...9))
        #expect(Self.judge("bytes=0-9", ifRange: "\"other\"") == .whole)
        #expect(Self.judge("bytes=0-9", ifRange: "W/\(Self.etag)") == .whole)
        #expect(Self.judge("bytes=0-9", ifRange: "Sun, 06 Dec 2026 18:00:00 GMT") == .whole)
        #expect(Self.judge("bytes=5000-", ifRange: "\"other\"") == .whole)
    }
}

/// How a file and a thumbnail are answered: status, headers and bytes, decided without touching the disk.
@Suite("File delivery")
struct FileDeliveryTests {
    static let sha = String(repeating: "0123456789abcdef", count: 4)
    static let etag = "\"\(sha)\""

    static func deliver(
        _ type: FileType = .pdf,
        name: String = "report.pdf",
        size: Int = 1000,
        ifNoneMatch: String? = nil,
        range: String? = nil,
        ifRange: String? = nil
    ) -> FileDelivery {
        FileDelivery(sha256: sha, size: size, type: type, name: name, ifNoneMatch: ifNoneMatch, range: range, ifRange: ifRange)
    }

    static func names(_ delivery: FileDelivery) -> [String] { delivery.headers.map { $0.name.lowercased() } }

    @Test("a plain request gets 200, every byte, and all the protective headers")
    func whole() {
        let delivery = Self.deliver()
        #expect(delivery.status == .ok)
        #expect(delivery.bytes == 0...999)
        #expect(delivery.header("ETag") == Self.etag)
        #expect(delivery.header("etag") == Self.etag)
        #expect(delivery.header("Cache-Control") == "private, no-cache")
        #expect(delivery.header("Accept-Ranges") == "bytes")
        #expect(delivery.header("X-Content-Type-Options") == "nosniff")
        #expect(delivery.header("Content-Security-Policy") == "sandbox; default-src 'none'; frame-ancestors 'none'")
        #expect(delivery.header("Content-Type") == "application/pdf")
        #expect(delivery.header("Content-Length") == "1000")
        #expect(delivery.header("Content-Range") == nil)
        #expect(delivery.header("Content-Disposition") == "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf")
        #expect(Set(Self.names(delivery)).count == Self.names(delivery).count, "no header twice")
    }

    @Test("images are shown inline, every other type is downloaded, each with its media type", arguments: FileType.allCases)
    func disposition(type: FileType) {
        let delivery = Self.deliver(type, name: "evidence")
        let disposition = delivery.header("Content-Disposition") ?? ""
        #expect(disposition.hasPrefix(type.isImage ? "inline; " : "attachment; "), "\(type)")
        #expect(delivery.header("Content-Type") == type.mediaType)
    }

    @Test("If-None-Match naming the tag, in a list, weakly or as * gives 304 with the validators and no body")
    func notModified() {
        let matching = [Self.etag, "*", " * ", "\"x\", \(Self.etag)", "W/\(Self.etag)", "\"a,b\",W/\(Self.etag)", "\"x\",\t\(Self.etag) "]
        for value in matching {
            let delivery = Self.deliver(ifNoneMatch: value, range: "bytes=0-9")
            #expect(delivery.status == .notModified, "\(value)")
            #expect(delivery.bytes == nil)
            #expect(delivery.header("ETag") == Self.etag)
            #expect(delivery.header("Cache-Control") == "private, no-cache")
            #expect(delivery.header("Content-Length") == nil)
            #expect(delivery.header("Content-Type") == nil)
        }
    }

    @Test("If-None-Match naming other tags, the thumbnail's, a prefix or garbage serves the file")
    func modified() {
        let other = ["\"x\"", "\"\(Self.sha)-thumb\"", "\"\(Self.sha.prefix(10))\"", Self.sha, "\"a,\(Self.sha)\"", "", "W/", "**"]
        for value in other {
            #expect(Self.deliver(ifNoneMatch: value).status == .ok, "\(value)")
        }
    }

    @Test("a satisfiable range gets 206 with its Content-Range and length")
    func partial() {
        let delivery = Self.deliver(range: "bytes=100-199")
        #expect(delivery.status == .partialContent)
        #expect(delivery.bytes == 100...199)
        #expect(delivery.header("Content-Range") == "bytes 100-199/1000")
        #expect(delivery.header("Content-Length") == "100")
        #expect(delivery.header("ETag") == Self.etag)
        #expect(delivery.header("Content-Disposition")?.hasPrefix("attachment; ") == true)
        let suffix = Self.deliver(range: "bytes=-10")
        #expect(suffix.header("Content-Range") == "bytes 990-999/1000")
        #expect(suffix.bytes == 990...999)
    }

    @Test("a range past the end gets 416 naming the size, without a body")
    func unsatisfiable() {
        let delivery = Self.deliver(range: "bytes=1000-")
        #expect(delivery.status == .rangeNotSatisfiable)
        #expect(delivery.bytes == nil)
        #expect(delivery.header("Content-Range") == "bytes */1000")
        #expect(delivery.header("Content-Type") == nil)
        #expect(delivery.header("X-Content-Type-Options") == "nosniff")
    }

    @Test("a stale If-Range gets the whole file with 200")
    func staleIfRange() {
        let delivery = Self.deliver(range: "bytes=0-9", ifRange: "\"old\"")
        #expect(delivery.status == .ok)
        #expect(delivery.bytes == 0...999)
        #expect(Self.deliver(range: "bytes=0-9", ifRange: Self.etag).status == .partialContent)
    }

    @Test("an empty content is answered 200 without bytes to send")
    func empty() {
        let delivery = Self.deliver(.text, name: "empty.txt", size: 0)
        #expect(delivery.status == .ok)
        #expect(delivery.bytes == nil)
        #expect(delivery.header("Content-Length") == "0")
    }

    @Test("a thumbnail is an inline WebP with a tag of its own, ranges and conditions working as for files")
    func thumbnail() {
        let delivery = FileDelivery.thumbnail(sha256: Self.sha, size: 1512)
        #expect(delivery.status == .ok)
        #expect(delivery.bytes == 0...1511)
        #expect(delivery.header("ETag") == "\"\(Self.sha)-thumb\"")
        #expect(delivery.header("Content-Type") == "image/webp")
        #expect(delivery.header("Content-Disposition") == "inline")
        #expect(delivery.header("Content-Length") == "1512")
        #expect(delivery.header("Content-Security-Policy") == "sandbox; default-src 'none'; frame-ancestors 'none'")
        #expect(FileDelivery.thumbnail(sha256: Self.sha, size: 1512, ifNoneMatch: "\"\(Self.sha)-thumb\"").status == .notModified)
        #expect(FileDelivery.thumbnail(sha256: Self.sha, size: 1512, ifNoneMatch: Self.etag).status == .ok)
        #expect(FileDelivery.thumbnail(sha256: Self.sha, size: 1512, range: "bytes=0-11").bytes == 0...11)
    }
}

/// The name offered for saving: exact in `filename*`, safe ASCII in `filename`.
@Suite("Content-Disposition")
struct ContentDispositionTests {
    @Test("a Russian name is percent-encoded UTF-8 in filename*, and underscores in the fallback")
    func russian() {
        let value = ContentDisposition(inline: false, filename: "Отчёт аудита.pdf").value
        #expect(
            value == "attachment; filename=\"_____ ______.pdf\"; "
                + "filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20%D0%B0%D1%83%D0%B4%D0%B8%D1%82%D0%B0.pdf"
        )
    }

    @Test("quotes, backslashes, percent signs and controls cannot break out of the fallback")
    func hostileCharacters() {
        let value = ContentDisposition(inline: true, filename: "a\"b\\c%41d\r\ne\u{7F}.png").value
        #expect(value.hasPrefix("inline; filename=\"a_b_c_41d__e_.png\"; filename*=UTF-8''"))
        #expect(value.hasSuffix("a%22b%5Cc%2541d%0D%0Ae%7F.png"))
        #expect(!value.contains("\r") && !value.contains("\n"))
    }

    @Test("RFC 8187 attr-chars stay as they are, everything else is encoded")
    func attrChars() {
        #expect(ContentDisposition.percentEncoded("Az09!#$&+-.^_`|~") == "Az09!#$&+-.^_`|~")
        #expect(ContentDisposition.percentEncoded(" ;,'()*/:=?@[]{}") == "%20%3B%2C%27%28%29%2A%2F%3A%3D%3F%40%5B%5D%7B%7D")
        #expect(ContentDisposition.percentEncoded("😀") == "%F0%9F%98%80")
    }

    @Test("a combining accent is one character to the eye but one underscore per scalar in the fallback")
    func combining() {
        let value = ContentDisposition(inline: false, filename: "e\u{301}.txt").value
        #expect(value == "attachment; filename=\"e_.txt\"; filename*=UTF-8''e%CC%81.txt")
    }
}
