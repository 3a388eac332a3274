import Foundation

/// Collects every problem with an input at once, so the caller fixes them all in one go.
public struct Validator: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func fail(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    public mutating func check(_ condition: Bool, _ field: String, _ message: @autoclosure () -> String) {
        if !condition { fail(field, message()) }
    }

    /// Trims the text and checks it is non-empty and within `maxLength` characters.
    @discardableResult
    public mutating func text(_ value: String, _ field: String, maxLength: Int = Limits.shortText) -> String {
        let trimmed = value.trimmingWhitespace()
        if trimmed.isEmpty {
            fail(field, "must not be empty")
        } else if trimmed.count > maxLength {
            fail(field, "must be at most \(maxLength) characters")
        }
        return trimmed
    }

    /// Like `text`, but an absent value is fine.
    public mutating func optionalText(_ value: String?, _ field: String, maxLength: Int = Limits.longText) -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmingWhitespace()
        if trimmed.count > maxLength { fail(field, "must be at most \(maxLength) characters") }
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A list of short texts: each non-empty, no duplicates, at most `maxCount` of them.
    public mutating func textList(_ values: [String], _ field: String, maxCount: Int = Limits.listCount, allowEmpty: Bool = true) -> [String] {
        if !allowEmpty && values.isEmpty { fail(field, "must not be empty") }
        if values.count > maxCount { fail(field, "must have at most \(maxCount) entries") }
        var seen = Set<String>()
        var result: [String] = []
        for (index, value) in values.enumerated() {
            let item = text(value, "\(field)[\(index)]")
            if !seen.insert(item).inserted { fail("\(field)[\(index)]", "duplicates '\(item)'") }
            result.append(item)
        }
        return result
    }

    /// The club's own note on an object it writes (DESIGN §2: internal, never shown to a party):
    /// absent, or an empty text, is none.
    public mutating func internalNote(_ value: String?, _ field: String = "internalNote") -> String? {
        optionalText(value, field, maxLength: Limits.internalNote)
    }

    /// An optional web address: `http://` or `https://` with a host, no spaces; empty is none.
    public mutating func website(_ value: String?, _ field: String = "website") -> String? {
        guard let text = optionalText(value, field, maxLength: Limits.website) else { return nil }
        let scheme = text.hasPrefix("https://") ? "https://" : (text.hasPrefix("http://") ? "http://" : nil)
        let host = scheme.map { text.dropFirst($0.count).prefix { !"/?#".contains($0) } } ?? ""
        let valid =
            scheme != nil && !host.isEmpty && !text.contains(where: \.isWhitespace)
            && text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F } && URL(string: text) != nil
        check(valid, field, "must be a web address starting with http:// or https://")
        return text
    }

    /// Throws every collected problem as one `DomainError.invalid`.
    public func finish() throws {
        if !errors.isEmpty { throw DomainError.invalid(errors) }
    }
}

/// Sizes the API documents as maxima (docs/openapi.yaml states the same numbers).
public enum Limits {
    public static let shortText = 200
    public static let longText = 4000
    /// The club's internal note on an object.
    public static let internalNote = 2000
    /// A studio's web address.
    public static let website = 300
    public static let listCount = 100
    public static let maxAmount = 1_000_000_000_000
    public static let maxCapacity = 1000
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
