import Foundation

/// What a request's `Range` header asks of a content of `size` bytes (RFC 9110 §14; docs/design.md §11.3).
///
/// Only what a browser or a download manager sends is honoured: one range of bytes. Anything else (another unit,
/// a malformed header, several ranges) is ignored and the whole content served, as RFC 9110 permits; answering
/// several ranges would mean a multipart body, which no client of ours needs.
public enum ByteRange: Equatable, Sendable {
    /// Serve everything (200).
    case whole
    /// Serve these bytes, both ends included (206).
    case part(ClosedRange<Int>)
    /// The range starts past the end (416, `Content-Range: bytes */size`).
    case unsatisfiable

    /// Judges `header` against a content of `size` bytes whose current strong entity tag is `etag`.
    ///
    /// `ifRange` makes the range conditional: unless it names `etag` exactly, the content has changed since the
    /// client fetched its first part, so it gets the whole. A date there is never a match, as we send no
    /// `Last-Modified`, and a weak tag never is, as If-Range compares strongly.
    public init(header: String?, ifRange: String? = nil, size: Int, etag: String) {
        guard let header else {
            self = .whole
            return
        }
        if let ifRange, ifRange.trimmingCharacters(in: .whitespaces) != etag {
            self = .whole
            return
        }
        guard let spec = Self.singleSpec(of: header), let range = Self.resolve(spec, size: size) else {
            self = .whole
            return
        }
        self = range
    }

    /// The one range-spec of a `bytes=` header, or nil for another unit, an empty set or several ranges.
    private static func singleSpec(of header: String) -> Substring? {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals].lowercased() == "bytes" else { return nil }
        // A list may carry empty elements ("bytes=0-9,"), which RFC 9110 §5.6.1 tells recipients to ignore.
        let specs = trimmed[trimmed.index(after: equals)...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard specs.count == 1 else { return nil }
        return Substring(specs[0])
    }

    /// The range a spec (`a-b`, `a-` or `-n`) selects, nil when it is malformed (the header is then ignored).
    private static func resolve(_ spec: Substring, size: Int) -> ByteRange? {
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash]
        let last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            // A suffix: the last n bytes, all of them when n exceeds the size; nothing at all is unsatisfiable.
            guard let length = number(last) else { return nil }
            guard length > 0, size > 0 else { return .unsatisfiable }
            return .part(max(0, size - length)...(size - 1))
        }
        guard let start = number(first) else { return nil }
        var end = Int.max
        if !last.isEmpty {
            guard let given = number(last) else { return nil }
            end = given
        }
        guard end >= start else { return nil }
        guard start < size else { return .unsatisfiable }
        return .part(start...min(end, size - 1))
    }

    /// A run of ASCII digits; one too long for an `Int` saturates, since it can only lie past any content's end.
    private static func number(_ digits: Substring) -> Int? {
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(digits) ?? Int.max
    }
}
