import Foundation

/// A calendar date without a time (`2027-02-01`), as deadlines and due dates are given. When a day
/// starts and ends depends on a zone, which every caller names: due days end at the club's local
/// midnight (docs/design.md §3.13).
public struct Day: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// `2027-02-01`: four digits, two and two, a real date. Read from the bytes, as every due day of
    /// every fix item is read on every read of a list (docs/performance.md).
    public init?(_ text: String) {
        var text = text
        guard let (year, month, day) = text.withUTF8(Self.parse),
            (1...12).contains(month), (1...Day.days(inMonth: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    private static func parse(_ text: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
        guard text.count == 10, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-") else { return nil }
        func number(_ places: Range<Int>) -> Int? {
            var value = 0
            for place in places {
                let digit = text[place] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        return (year, month, day)
    }

    /// The day a moment falls on in a zone: the club's (`ClubRules.timeZone`) for due days, a
    /// person's own for what that person reads (docs/design.md §3.13).
    public init(containing date: Date, in zone: TimeZone) {
        let components = Day.calendar(in: zone).dateComponents([.year, .month, .day], from: date)
        year = components.year ?? 1970
        month = components.month ?? 1
        day = components.day ?? 1
    }

    /// `2027-02-01`. Built by hand: `String(format:)` is slow on Linux, and every due day of every
    /// fix item of an answer is written through it (docs/performance.md).
    public var description: String {
        guard (0...9999).contains(year) else {
            return Self.padded(year, to: 4) + "-" + Self.padded(month, to: 2) + "-" + Self.padded(day, to: 2)
        }
        return String(unsafeUninitializedCapacity: 10) { text in
            for (place, value) in [(0, year / 100), (2, year % 100), (5, month), (8, day)] {
                text[place] = UInt8(ascii: "0") + UInt8(value / 10)
                text[place + 1] = UInt8(ascii: "0") + UInt8(value % 10)
            }
            text[4] = UInt8(ascii: "-")
            text[7] = UInt8(ascii: "-")
            return 10
        }
    }

    private static func padded(_ number: Int, to width: Int) -> String {
        // As `%0*d` pads: the sign counts in the width.
        let digits = String(number.magnitude)
        let sign = number < 0 ? "-" : ""
        return sign + String(repeating: "0", count: max(0, width - sign.count - digits.count)) + digits
    }

    /// Local midnight at the start of the day in a zone.
    public func start(in zone: TimeZone) -> Date {
        Day.calendar(in: zone).date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
    }

    /// Local midnight at the end of the day in a zone: a due day is missed only once this has
    /// passed. The next day's start, not start plus 24 hours, so that a day of a daylight saving
    /// change lasts 23 or 25 hours as it does on the wall clock.
    public func end(in zone: TimeZone) -> Date {
        let calendar = Day.calendar(in: zone)
        return calendar.date(byAdding: .day, value: 1, to: start(in: zone)) ?? start(in: zone).addingTimeInterval(24 * 3600)
    }

    /// Whether the day is over at `now` on the clocks of a zone.
    public func hasPassed(at now: Date, in zone: TimeZone) -> Bool { now >= end(in: zone) }

    /// The day `count` days after this one (before it when negative).
    public func adding(days count: Int) -> Day {
        Day(containing: Day.calendar(in: .gmt).date(byAdding: .day, value: count, to: start(in: .gmt)) ?? start(in: .gmt), in: .gmt)
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = Day(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be a date such as 2027-02-01")
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func calendar(in zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    private static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
