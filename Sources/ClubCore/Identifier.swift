/// Opaque, prefixed identifiers (`stu_…`, `cli_…`): the prefix tells a person reading a log what
/// kind of object an id names; the rest is random so that ids cannot be guessed or enumerated.
public enum Identifier {
    private static let digits = Array("0123456789abcdef".utf8)

    /// The prefix, `_`, and 80 random bits as 20 lower-case hex digits, from the system's secure
    /// generator. Written by hand: `UUID().uuidString` with its case change and replacement was
    /// a fourteenth of creating a client (docs/performance.md), and every journal event takes an id.
    public static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let high: UInt64 = generator.next()
        let low: UInt16 = generator.next()
        var text = Array(prefix.utf8)
        text.reserveCapacity(text.count + 21)
        text.append(UInt8(ascii: "_"))
        for shift in stride(from: 60, through: 0, by: -4) { text.append(digits[Int(high >> UInt64(shift) & 0xF)]) }
        for shift in stride(from: 12, through: 0, by: -4) { text.append(digits[Int(low >> UInt16(shift) & 0xF)]) }
        return String(decoding: text, as: UTF8.self)
    }
}
