import ClubCore
import Foundation

/// Encodes a value straight into the objects `JSONSerialization` reads (`[String: Any]`, `[Any]`,
/// strings, numbers, booleans, `NSNull`), with the API's conventions: times in RFC 3339 UTC, data
/// in base64, URLs as their text. A party's object is redacted as such a tree (DESIGN §2); encoding
/// it to JSON text and parsing that back, as the answers did before, cost about a third of a fix
/// list's read (docs/performance.md). `ObjectTreeEncoderTests` holds the two ways equal.
struct ObjectTreeEncoder {
    func encode(_ value: some Encodable) throws -> Any {
        let root = TreeNode()
        try TreeEncoding(node: root, codingPath: []).encodeValue(value)
        return root.object
    }
}

/// One value being built: a keyed or unkeyed container whose members are nodes too, or a leaf.
private final class TreeNode {
    enum Content {
        case empty
        case leaf(Any)
        case keyed([(String, TreeNode)])
        case unkeyed([TreeNode])
    }

    var content = Content.empty

    /// Keyed members in the order they were encoded; a key encoded twice keeps its last value.
    var object: Any {
        switch content {
        case .empty: [String: Any]()
        case .leaf(let value): value
        case .keyed(let members):
            Dictionary(members.map { ($0.0, $0.1.object) }, uniquingKeysWith: { _, last in last })
        case .unkeyed(let elements): elements.map(\.object)
        }
    }

    func member(_ key: String) -> TreeNode {
        let node = TreeNode()
        if case .keyed(var members) = content {
            content = .empty  // so that the array is not copied to grow
            members.append((key, node))
            content = .keyed(members)
        } else {
            content = .keyed([(key, node)])
        }
        return node
    }

    func element() -> TreeNode {
        let node = TreeNode()
        if case .unkeyed(var elements) = content {
            content = .empty
            elements.append(node)
            content = .unkeyed(elements)
        } else {
            content = .unkeyed([node])
        }
        return node
    }
}

private struct TreeEncoding: Encoder, SingleValueEncodingContainer {
    let node: TreeNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        // Asked again (a flattened answer encodes its base, then its extras), the same object grows.
        if case .keyed = node.content {} else { node.content = .keyed([]) }
        return KeyedEncodingContainer(KeyedTree<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .unkeyed = node.content {} else { node.content = .unkeyed([]) }
        return UnkeyedTree(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    mutating func encodeNil() throws { node.content = .leaf(NSNull()) }
    mutating func encode(_ value: Bool) throws { node.content = .leaf(value) }
    mutating func encode(_ value: String) throws { node.content = .leaf(value) }
    mutating func encode(_ value: Double) throws { try leaf(value) }
    mutating func encode(_ value: Float) throws { try leaf(Double(value)) }
    mutating func encode(_ value: Int) throws { node.content = .leaf(value) }
    mutating func encode(_ value: Int8) throws { node.content = .leaf(Int(value)) }
    mutating func encode(_ value: Int16) throws { node.content = .leaf(Int(value)) }
    mutating func encode(_ value: Int32) throws { node.content = .leaf(Int(value)) }
    mutating func encode(_ value: Int64) throws { node.content = .leaf(Int(value)) }
    mutating func encode(_ value: UInt) throws { node.content = .leaf(value) }
    mutating func encode(_ value: UInt8) throws { node.content = .leaf(Int(value)) }
    mutating func encode(_ value: UInt16) throws { node.content = .leaf(Int(value)) }
    mutating func encode(_ value: UInt32) throws { node.content = .leaf(Int(value)) }
    mutating func encode(_ value: UInt64) throws { node.content = .leaf(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }

    private func leaf(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is no JSON number"))
        }
        node.content = .leaf(value)
    }

    /// The types `JSONEncoder` treats apart, treated as `JSONCoding.encoder` does; the rest encode themselves.
    func encodeValue(_ value: some Encodable) throws {
        switch value {
        case let date as Date: node.content = .leaf(RFC3339.string(from: date))
        case let data as Data: node.content = .leaf(data.base64EncodedString())
        case let url as URL: node.content = .leaf(url.absoluteString)
        default: try value.encode(to: self)
        }
    }
}

private struct KeyedTree<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: TreeNode
    let codingPath: [any CodingKey]

    private func encoding(_ key: Key) -> TreeEncoding {
        TreeEncoding(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }

    mutating func encodeNil(forKey key: Key) throws { node.member(key.stringValue).content = .leaf(NSNull()) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encoding(key).encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoding(key).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { encoding(key).unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { TreeEncoding(node: node.member("super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { encoding(key) }
}

private struct UnkeyedTree: UnkeyedEncodingContainer {
    let node: TreeNode
    let codingPath: [any CodingKey]
    var count: Int {
        if case .unkeyed(let elements) = node.content { return elements.count }
        return 0
    }

    private func encoding() -> TreeEncoding { TreeEncoding(node: node.element(), codingPath: codingPath) }

    mutating func encodeNil() throws { node.element().content = .leaf(NSNull()) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoding().encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoding().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { encoding().unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { encoding() }
}

/// Writes the tree `ObjectTreeEncoder` builds (after redaction) as JSON text: the answer's objects
/// hold only dictionaries, arrays, strings, integers, booleans and nulls, and writing those directly
/// is several times cheaper than `JSONSerialization`, which was more than half of a fix list's read
/// (docs/performance.md). Anything else (a double) is left to `JSONSerialization`. The output is
/// what `JSONSerialization` writes with `.withoutEscapingSlashes` (`ObjectTreeEncoderTests`).
struct JSONTreeWriter {
    /// Keys in the order `JSONSerialization`'s `.sortedKeys` gives (letters compared without case),
    /// for the tests that compare the two.
    var sortedKeys = false

    func data(_ object: Any) throws -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4096)
        try write(object, into: &bytes)
        return Data(bytes)
    }

    private func write(_ object: Any, into bytes: inout [UInt8]) throws {
        switch object {
        case let text as String: Self.write(text, into: &bytes)
        case let dictionary as [String: Any]:
            bytes.append(UInt8(ascii: "{"))
            var first = true
            let keys = sortedKeys ? dictionary.keys.sorted { ($0.lowercased(), $0) < ($1.lowercased(), $1) } : Array(dictionary.keys)
            for key in keys {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                Self.write(key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                try write(dictionary[key] as Any, into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        case let array as [Any]:
            bytes.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                try write(element, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case let flag as Bool: bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case let number as Int: bytes.append(contentsOf: String(number).utf8)
        case is NSNull: bytes.append(contentsOf: "null".utf8)
        default:
            bytes.append(contentsOf: try JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed, .withoutEscapingSlashes]))
        }
    }

    private static func write(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
            case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
