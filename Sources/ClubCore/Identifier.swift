import Foundation

/// Opaque, prefixed identifiers (`stu_…`, `cli_…`): the prefix tells a person reading a log what
/// kind of object an id names; the rest is random so that ids cannot be guessed or enumerated.
public enum Identifier {
    public static func make(_ prefix: String) -> String {
        let hex = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return "\(prefix)_\(hex.prefix(20))"
    }
}
