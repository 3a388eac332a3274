import Foundation

/// The `Accept-Language` request header (RFC 9110 §12.5.4): language ranges with optional
/// quality values, such as `ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7`.
public enum AcceptLanguage {
    public struct Range: Sendable, Equatable {
        /// Lowercased (`ru-ru`, `*`).
        public let tag: String
        public let quality: Double
    }

    /// The ranges, most preferred first; equal qualities keep the header's order. A range with
    /// `q=0` ("not this one") is left out, and so is one whose quality cannot be read.
    public static func parse(_ header: String) -> [Range] {
        var ranges: [(index: Int, range: Range)] = []
        for (index, element) in header.split(separator: ",").enumerated() {
            let parts = element.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased(), !tag.isEmpty, tag.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "*" })
            else { continue }
            var quality = 1.0
            var readable = true
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, pair[0].lowercased() == "q" else { continue }
                if let value = Double(pair[1]), (0...1).contains(value) { quality = value } else { readable = false }
            }
            guard readable, quality > 0 else { continue }
            ranges.append((index, Range(tag: tag, quality: quality)))
        }
        return ranges.sorted { ($0.range.quality, -$0.index) > ($1.range.quality, -$1.index) }.map(\.range)
    }
}
