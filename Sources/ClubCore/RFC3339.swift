import Foundation

/// RFC 3339 times in UTC with millisecond precision.
public enum RFC3339 {
    /// Rounded to the nearest millisecond (Foundation's own formatter truncates, which can lose
    /// one and break a hash computed from the time). Civil date from days since 1970 by integer
    /// arithmetic (H. Hinnant's algorithm): this runs for every time in every answer, and
    /// `Calendar` is slow on Linux.
    public static func string(from date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = millis.quotientAndRemainder(dividingBy: 1000)
        let (wholeSeconds, milliseconds) = fraction < 0 ? (seconds - 1, fraction + 1000) : (seconds, fraction)
        let (days, secondOfDay) = floorDivide(wholeSeconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        let hour = secondOfDay / 3600
        let minute = secondOfDay % 3600 / 60
        let second = secondOfDay % 60
        guard (0...9999).contains(year) else {
            return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
                + "." + pad(milliseconds, 3) + "Z"
        }
        // The 24 characters written in place: joining a dozen small strings was most of the cost.
        return String(unsafeUninitializedCapacity: 24) { text in
            var end = 0
            func put(_ value: Int64, _ width: Int) {
                var rest = value
                for place in stride(from: end + width - 1, through: end, by: -1) {
                    text[place] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                end += width
            }
            func put(_ separator: Unicode.Scalar) {
                text[end] = UInt8(ascii: separator)
                end += 1
            }
            put(year, 4)
            put("-")
            put(month, 2)
            put("-")
            put(day, 2)
            put("T")
            put(hour, 2)
            put(":")
            put(minute, 2)
            put(":")
            put(second, 2)
            put(".")
            put(milliseconds, 3)
            put("Z")
            return end
        }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Year, month and day of the day `days` after 1970-01-01 (proleptic Gregorian).
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    public static func date(from text: String) -> Date? {
        if let date = try? Date(
            text,
            strategy: .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(
                separator: .omitted
            )
        ) {
            return date
        }
        return try? Date(text, strategy: .iso8601)
    }
}

extension JSONEncoder.DateEncodingStrategy {
    /// Times as `RFC3339.string(from:)` writes them: the one date format of answers and journal.
    public static let rfc3339 = JSONEncoder.DateEncodingStrategy.custom { date, encoder in
        var container = encoder.singleValueContainer()
        try container.encode(RFC3339.string(from: date))
    }
}

extension JSONDecoder.DateDecodingStrategy {
    /// Times read with `RFC3339.date(from:)`; anything else is a decoding error that says what is expected.
    public static let rfc3339 = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = RFC3339.date(from: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "must be an RFC 3339 time such as 2027-01-10T09:00:00Z"
            )
        }
        return date
    }
}
