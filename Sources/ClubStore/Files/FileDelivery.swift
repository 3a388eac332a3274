import ClubCore
import Foundation

/// How one evidence file, or its thumbnail, is answered to one request (docs/design.md §11.3), decided without I/O.
///
/// Both doors serve files (the JSON API and the console's share page) through thin adapters that copy `status` and
/// `headers` onto their response and stream `bytes` of the content from disk, so the rules live here once:
/// - a strong ETag, the content's SHA-256, revalidated on every use (`Cache-Control: private, no-cache`), since the
///   content sits behind authentication and its row may be removed;
/// - `If-None-Match` answered with 304, a single `Range` with 206 or 416 (`ByteRange`);
/// - content never interpreted by the browser as anything but its sniffed type (`nosniff`), a sandbox with no
///   sources at all should a PDF or a text be opened in a tab, images shown inline and everything else downloaded.
public struct FileDelivery: Sendable {
    public enum Status: Int, Sendable {
        case ok = 200
        case partialContent = 206
        case notModified = 304
        case rangeNotSatisfiable = 416
    }

    public typealias Header = (name: String, value: String)

    public let status: Status
    /// Every header of the answer, `Content-Length` included when there is a body.
    public let headers: [Header]
    /// The bytes of the content to send, both ends included; nil for an answer without a body.
    public let bytes: ClosedRange<Int>?

    /// The answer for a file's content; `name` is its display name, offered for saving in `Content-Disposition`.
    public init(
        sha256: String,
        size: Int,
        type: FileType,
        name: String,
        ifNoneMatch: String? = nil,
        range: String? = nil,
        ifRange: String? = nil
    ) {
        let disposition = ContentDisposition(inline: type.isImage, filename: name).value
        self.init(
            Representation(etag: "\"\(sha256)\"", size: size, mediaType: type.mediaType, disposition: disposition),
            ifNoneMatch: ifNoneMatch,
            range: range,
            ifRange: ifRange
        )
    }

    /// The answer for a stored file's content.
    public init(file: EvidenceFile, ifNoneMatch: String? = nil, range: String? = nil, ifRange: String? = nil) {
        self.init(sha256: file.sha256, size: file.size, type: file.type, name: file.name, ifNoneMatch: ifNoneMatch, range: range, ifRange: ifRange)
    }

    /// The answer for an image's thumbnail (`Thumbnailer`), `size` being the thumbnail's own. Its ETag differs from
    /// the content's, so that a cache never takes one for the other.
    public static func thumbnail(
        sha256: String,
        size: Int,
        ifNoneMatch: String? = nil,
        range: String? = nil,
        ifRange: String? = nil
    ) -> FileDelivery {
        FileDelivery(
            Representation(etag: "\"\(sha256)-thumb\"", size: size, mediaType: FileType.webp.mediaType, disposition: "inline"),
            ifNoneMatch: ifNoneMatch,
            range: range,
            ifRange: ifRange
        )
    }

    /// What is served, whichever request asks.
    struct Representation {
        let etag: String
        let size: Int
        let mediaType: String
        let disposition: String
    }

    init(_ representation: Representation, ifNoneMatch: String?, range: String?, ifRange: String?) {
        let etag = representation.etag
        let size = representation.size
        // RFC 9110 §15.4.5: a 304 carries the validators and cache directives a 200 would have.
        let validators: [Header] = [("ETag", etag), ("Cache-Control", "private, no-cache")]
        let guards: [Header] = [
            ("Accept-Ranges", "bytes"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'"),
        ]
        // RFC 9110 §13.2.2: If-None-Match is evaluated before Range.
        if let ifNoneMatch, Self.matches(ifNoneMatch, etag: etag) {
            status = .notModified
            headers = validators
            bytes = nil
            return
        }
        let described: [Header] = [("Content-Type", representation.mediaType), ("Content-Disposition", representation.disposition)]
        switch ByteRange(header: range, ifRange: ifRange, size: size, etag: etag) {
        case .whole:
            status = .ok
            headers = validators + guards + described + [("Content-Length", String(size))]
            bytes = size > 0 ? 0...(size - 1) : nil
        case .part(let part):
            status = .partialContent
            headers =
                validators + guards + described + [
                    ("Content-Range", "bytes \(part.lowerBound)-\(part.upperBound)/\(size)"), ("Content-Length", String(part.count)),
                ]
            bytes = part
        case .unsatisfiable:
            status = .rangeNotSatisfiable
            headers = validators + guards + [("Content-Range", "bytes */\(size)")]
            bytes = nil
        }
    }

    /// The first value of `name` among `headers`, compared case-insensitively as header names are.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Whether an `If-None-Match` value names `etag`: `*`, or a list of tags compared weakly (RFC 9110 §13.1.2), so
    /// that `W/"…"` from a cache still matches.
    static func matches(_ ifNoneMatch: String, etag: String) -> Bool {
        if ifNoneMatch.trimmingCharacters(in: .whitespaces) == "*" { return true }
        return EntityTagList(ifNoneMatch).opaqueTags.contains(etag)
    }
}

/// The opaque tags of a comma-separated list of entity tags, read up to the first malformed one.
///
/// Tags are read quote to quote rather than split on commas, since a comma is a legal character inside one.
struct EntityTagList {
    let opaqueTags: [String]

    init(_ value: String) {
        var tags: [String] = []
        var rest = Substring(value)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "," }
            if rest.isEmpty { break }
            if rest.hasPrefix("W/") { rest = rest.dropFirst(2) }
            guard rest.first == "\"", let close = rest.dropFirst().firstIndex(of: "\"") else { break }
            tags.append(String(rest[...close]))
            rest = rest[rest.index(after: close)...]
        }
        opaqueTags = tags
    }
}

/// A `Content-Disposition` value offering a display name for saving (RFC 6266), with its two spellings of the name.
///
/// `filename*` carries the name exactly, percent-encoded UTF-8 (RFC 8187); `filename` is the fallback for the rare
/// client that ignores it, made safe ASCII: quotes and backslashes would end or escape the quoted string, controls
/// are not allowed in a header, and `%` is replaced too, since some clients percent-decode the plain parameter.
struct ContentDisposition {
    let value: String

    init(inline: Bool, filename: String) {
        let fallback = String(
            filename.unicodeScalars.map { scalar -> Character in
                let isSafe = scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F && !"\"\\%".unicodeScalars.contains(scalar)
                return isSafe ? Character(scalar) : "_"
            }
        )
        value = "\(inline ? "inline" : "attachment"); filename=\"\(fallback)\"; filename*=UTF-8''\(Self.percentEncoded(filename))"
    }

    /// RFC 8187's `attr-char` kept as it is, every other byte of the UTF-8 percent-encoded.
    static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            if isAttrChar(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }

    private static func isAttrChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "!#$&+-.^_`|~".utf8.contains(byte)
        }
    }
}
