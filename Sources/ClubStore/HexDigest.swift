import Crypto
import Foundation

/// SHA-256 and HMAC in lower-case hex, without `String(format:)`: that is slow on Linux, and
/// this runs for every field of every mutation and for the bearer token of every request.
enum HexDigest {
    private static let digits = Array("0123456789abcdef".utf8)

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func sha256(_ text: String) -> String { hex(SHA256.hash(data: Data(text.utf8))) }

    /// The digest of the texts one after another, without joining them into one string first:
    /// a journal digests every field of every event this way (salt, name, text).
    static func sha256(of parts: String...) -> String {
        var hash = SHA256()
        for part in parts { absorb(part, into: &hash) }
        return hex(hash.finalize())
    }

    private static func absorb(_ text: String, into hash: inout some HashFunction) {
        var text = text
        text.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    /// A field's salt: the first 16 bytes of HMAC-SHA-256 under the event's field key of the
    /// image's name, U+001F and the field's name. `keyed` is the HMAC already keyed with the field
    /// key: an event salts each field of both its images under one key, so the key is absorbed
    /// once and the keyed state copied per field.
    static func salt(_ key: String, side: JournalImage.Side, keyed: HMAC<SHA256>) -> String {
        var hmac = keyed
        for part in [side.rawValue, "\u{1F}", key] {
            var part = part
            part.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) }
        }
        return hex(hmac.finalize().prefix(16))
    }

    /// A field key stored as hex; nil when the text is not 64 hex digits.
    static func fieldKey(hex text: String) -> SymmetricKey? {
        let nibbles = text.utf8.map { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        guard nibbles.count == 64, nibbles.allSatisfy({ $0 != nil }) else { return nil }
        let values = nibbles.compactMap { $0 }
        return SymmetricKey(data: stride(from: 0, to: 64, by: 2).map { values[$0] << 4 | values[$0 + 1] })
    }
}
