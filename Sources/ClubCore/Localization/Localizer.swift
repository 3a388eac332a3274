import Foundation
import Synchronization

/// The texts of one language, with the default language's behind them: what pages and letters
/// ask for their words, counts and dates.
public struct Localizer: Sendable {
    public let catalog: Catalog
    let fallback: Catalog?

    public init(catalog: Catalog, fallback: Catalog? = nil) {
        self.catalog = catalog
        self.fallback = fallback
    }

    public var language: String { catalog.language }

    /// The text of `key` with its `{name}` placeholders filled from `args`.
    public func text(_ key: String, _ args: [String: String] = [:]) -> String {
        Self.fill(template(key), args)
    }

    /// The form of `key` that `count` takes in this language, with `{count}` and the other
    /// placeholders filled: `plural("plural.items", count: 21)` is "21 пункт" in Russian.
    public func plural(_ key: String, count: Int, _ args: [String: String] = [:]) -> String {
        Self.fill(pluralTemplate(key, count: count), args.merging(["count": String(count)]) { given, _ in given })
    }

    /// The text of `key` as the catalog has it, placeholders unfilled (for callers that escape
    /// the text before filling it). A key no catalog has comes back as itself.
    public func template(_ key: String) -> String {
        switch entry(key) {
        case .text(let text): text
        case .plural(let forms): forms[.other] ?? key
        case nil: key
        }
    }

    /// The plural form of `key` for `count`, placeholders unfilled.
    public func pluralTemplate(_ key: String, count: Int) -> String {
        switch entry(key) {
        case .plural(let forms):
            let rule = catalog.entries[key] == nil ? (fallback?.pluralRule ?? catalog.pluralRule) : catalog.pluralRule
            return forms[rule.category(for: count)] ?? forms[.other] ?? key
        case .text(let text): return text
        case nil: return key
        }
    }

    private func entry(_ key: String) -> CatalogEntry? {
        catalog.entries[key] ?? fallback?.entries[key]
    }

    /// Replaces each `{name}` whose name is in `args`; other braces stay as they are. Values are
    /// inserted once, never read for placeholders themselves.
    public static func fill(_ template: String, _ args: [String: String]) -> String {
        guard !args.isEmpty, template.contains("{") else { return template }
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}"), let value = args[String(rest[afterOpen..<close])] else {
                result.append("{")
                rest = rest[afterOpen...]
                continue
            }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    // MARK: - Dates

    public enum DateStyle: String, Sendable {
        /// The catalog's `format.dateTime`: "29 ноября 2026 г., 14:05", "29 Nov 2026, 14:05".
        case dateTime = "format.dateTime"
        /// The catalog's `format.date`: "29 ноября 2026 г.", "29 Nov 2026".
        case date = "format.date"
    }

    /// `date` as a person in `zone` reads it in this language, by the catalog's pattern
    /// (a Unicode date pattern) and its locale's month names.
    public func format(_ date: Date, zone: TimeZone, style: DateStyle = .dateTime) -> String {
        DateFormatting.string(from: date, pattern: template(style.rawValue), locale: catalog.locale, zone: zone)
    }

    /// A calendar day (a due date, the day an audit arrived), which has no time zone.
    public func format(_ day: Day) -> String {
        format(day.start(in: .gmt), zone: .gmt, style: .date)
    }
}

extension Catalogs {
    /// `date` in `zone` and `language`: `format(date, zone: moscow, language: "ru")` is
    /// "29 ноября 2026 г., 14:05".
    public func format(_ date: Date, zone: TimeZone, language: String, style: Localizer.DateStyle = .dateTime) -> String {
        localizer(for: language).format(date, zone: zone, style: style)
    }
}

/// Date formatters are costly to make and not safe to share unguarded: one per pattern, locale
/// and zone, used under a lock.
enum DateFormatting {
    private static let formatters = Mutex<[String: DateFormatter]>([:])

    static func string(from date: Date, pattern: String, locale: Locale, zone: TimeZone) -> String {
        let key = [pattern, locale.identifier, zone.identifier].joined(separator: "\u{1F}")
        return formatters.withLock { formatters in
            let formatter =
                formatters[key]
                ?? {
                    let formatter = DateFormatter()
                    formatter.calendar = Calendar(identifier: .gregorian)
                    formatter.locale = locale
                    formatter.timeZone = zone
                    formatter.dateFormat = pattern
                    formatters[key] = formatter
                    return formatter
                }()
            return formatter.string(from: date)
        }
    }
}
