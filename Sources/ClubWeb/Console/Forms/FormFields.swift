import ClubCore
import Foundation

/// The fields of a posted `application/x-www-form-urlencoded` form, in the order sent. Field
/// names are the API's JSON names (`statedAsk`, `findings[0].severity`), so a store's problem
/// about a field lands next to the input of the same name.
struct FormFields: Sendable {
    let pairs: [(name: String, value: String)]

    init(pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    /// Parses a form body; a malformed pair is skipped (the page then names what is missing).
    init(body: String) {
        pairs = body.split(separator: "&", omittingEmptySubsequences: true).compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), !name.isEmpty else { return nil }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            return (name, value)
        }
    }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The first value sent under `name`.
    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value sent under `name` (checkboxes, repeated fields).
    func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// The value trimmed, `""` when absent.
    func text(_ name: String) -> String {
        (self[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The value trimmed, `nil` when absent or empty.
    func optionalText(_ name: String) -> String? {
        let text = text(name)
        return text.isEmpty ? nil : text
    }

    /// A text area read as a list: one entry per non-empty line.
    func lines(_ name: String) -> [String] {
        (self[name] ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// Values of checkboxes or a multiple select, trimmed, empty ones dropped.
    func checked(_ name: String) -> [String] {
        values(name).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `true` for a ticked checkbox (`on`, `true`, `1`, `yes`).
    func flag(_ name: String) -> Bool {
        ["on", "true", "1", "yes"].contains(text(name).lowercased())
    }

    /// Every field but the ones named, for carrying a form through its confirmation page.
    func excluding(_ names: Set<String>) -> [(name: String, value: String)] {
        pairs.filter { !names.contains($0.name) }
    }
}

/// Turns form values into the typed values of the store's inputs, collecting what cannot be
/// read (a budget that is not a number, a date that is not one) as problems next to their
/// fields, in the reader's language. Emptiness and ranges are the store's to check: it names
/// them the same way for the API and the console.
struct FormReader {
    let form: FormFields
    let words: Localizer
    let zone: TimeZone
    private(set) var problems: [FieldProblem] = []

    init(form: FormFields, words: Localizer, zone: TimeZone) {
        self.form = form
        self.words = words
        self.zone = zone
    }

    mutating func fail(_ field: String, _ key: String, _ args: [String: String] = [:]) {
        problems.append(FieldProblem(field: field, message: words.text(key, args)))
    }

    /// A whole number (spaces and thin spaces allowed as thousands separators); `nil` when empty.
    mutating func int(_ name: String) -> Int? {
        let text = form.text(name).filter { !$0.isWhitespace && $0 != "\u{202F}" && $0 != "\u{00A0}" }
        if text.isEmpty { return nil }
        guard let value = Int(text) else {
            fail(name, "console.problem.notNumber")
            return nil
        }
        return value
    }

    /// A whole number that must be given.
    mutating func requiredInt(_ name: String) -> Int {
        if form.text(name).isEmpty { fail(name, "console.problem.required") }
        return int(name) ?? 0
    }

    /// A day from `<input type="date">` (`2027-02-01`); `nil` when empty.
    mutating func day(_ name: String) -> Day? {
        let text = form.text(name)
        if text.isEmpty { return nil }
        guard let day = Day(text) else {
            fail(name, "console.problem.notDate")
            return nil
        }
        return day
    }

    mutating func requiredDay(_ name: String) -> Day {
        if form.text(name).isEmpty { fail(name, "console.problem.required") }
        return day(name) ?? Day(containing: Date(timeIntervalSince1970: 0), in: .gmt)
    }

    /// A moment from `<input type="datetime-local">` (`2027-02-01T10:30`), read in the person's
    /// time zone; `nil` when empty.
    mutating func time(_ name: String) -> Date? {
        let text = form.text(name)
        if text.isEmpty { return nil }
        guard let date = Self.localTime(text, zone: zone) else {
            fail(name, "console.problem.notTime")
            return nil
        }
        return date
    }

    mutating func requiredTime(_ name: String) -> Date {
        if form.text(name).isEmpty { fail(name, "console.problem.required") }
        return time(name) ?? Date(timeIntervalSince1970: 0)
    }

    /// One of a closed set of values (an enum's raw value); `nil` when empty.
    mutating func choice<Value: RawRepresentable>(_ name: String, as type: Value.Type) -> Value? where Value.RawValue == String {
        let text = form.text(name)
        if text.isEmpty { return nil }
        guard let value = Value(rawValue: text) else {
            fail(name, "console.problem.notChoice")
            return nil
        }
        return value
    }

    mutating func requiredChoice<Value: RawRepresentable>(_ name: String, as type: Value.Type) -> Value? where Value.RawValue == String {
        if form.text(name).isEmpty {
            fail(name, "console.problem.required")
            return nil
        }
        return choice(name, as: type)
    }

    static func localTime(_ text: String, zone: TimeZone) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        for pattern in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"] {
            formatter.dateFormat = pattern
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// The value an `<input type="datetime-local">` shows for `date` in `zone`.
    static func localTimeValue(_ date: Date, zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }
}
