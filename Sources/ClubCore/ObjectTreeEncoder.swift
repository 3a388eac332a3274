import Foundation

/// Encodes a value straight into a `JSONTree`, with the API's conventions: times in RFC 3339 UTC,
/// data in base64, URLs as their text. A party's object is redacted as such a tree (DESIGN §2);
/// encoding it to JSON text and parsing that back, as the answers once did, cost about a third of
/// a fix list's read (docs/performance.md). `ObjectTreeEncoderTests` holds the two ways equal.
public struct ObjectTreeEncoder {
    public init() {}

    public func encode(_ value: some Encodable) throws -> JSONTree {
        let root = TreeNode()
        try TreeEncoding(node: root, codingPath: []).encodeValue(value)
        return root.value
    }
}

/// One value being built: a keyed or unkeyed container whose members are nodes too, or a leaf.
private final class TreeNode {
    enum Content {
        case empty
        case leaf(JSONTree)
        case keyed([(String, TreeNode)])
        case unkeyed([TreeNode])
    }

    var content = Content.empty
    /// Whether an object was asked for again (a flattened answer encodes its base, then its
    /// extras), so that a key may have been encoded twice.
    var reopened = false

    /// Keyed members in the order they were encoded; a key encoded twice keeps its last value.
    var value: JSONTree {
        switch content {
        case .empty: .object([])
        case .leaf(let value): value
        case .keyed(let members):
            .object(reopened ? Self.lastOfEach(members) : members.map { ($0.0, $0.1.value) })
        case .unkeyed(let elements): .array(elements.map(\.value))
        }
    }

    private static func lastOfEach(_ members: [(String, TreeNode)]) -> [(key: String, value: JSONTree)] {
        var seen: Set<String> = []
        return members.reversed().filter { seen.insert($0.0).inserted }.reversed().map { ($0.0, $0.1.value) }
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
        if case .keyed = node.content { node.reopened = true } else { node.content = .keyed([]) }
        return KeyedEncodingContainer(KeyedTree<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .unkeyed = node.content {} else { node.content = .unkeyed([]) }
        return UnkeyedTree(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    mutating func encodeNil() throws { node.content = .leaf(.null) }
    mutating func encode(_ value: Bool) throws { node.content = .leaf(.bool(value)) }
    mutating func encode(_ value: String) throws { node.content = .leaf(.string(value)) }
    mutating func encode(_ value: Double) throws { try leaf(value) }
    mutating func encode(_ value: Float) throws { try leaf(Double(value)) }
    mutating func encode(_ value: Int) throws { node.content = .leaf(.integer(value)) }
    mutating func encode(_ value: Int8) throws { node.content = .leaf(.integer(Int(value))) }
    mutating func encode(_ value: Int16) throws { node.content = .leaf(.integer(Int(value))) }
    mutating func encode(_ value: Int32) throws { node.content = .leaf(.integer(Int(value))) }
    mutating func encode(_ value: Int64) throws { node.content = .leaf(.integer(Int(value))) }
    mutating func encode(_ value: UInt) throws { node.content = .leaf(.unsignedInteger(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { node.content = .leaf(.integer(Int(value))) }
    mutating func encode(_ value: UInt16) throws { node.content = .leaf(.integer(Int(value))) }
    mutating func encode(_ value: UInt32) throws { node.content = .leaf(.integer(Int(value))) }
    mutating func encode(_ value: UInt64) throws { node.content = .leaf(.unsignedInteger(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }

    private func leaf(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is no JSON number"))
        }
        node.content = .leaf(.number(value))
    }

    /// The types `JSONEncoder` treats apart, treated as `JSONCoding.encoder` does; the rest encode themselves.
    func encodeValue(_ value: some Encodable) throws {
        switch value {
        case let date as Date: node.content = .leaf(.string(RFC3339.string(from: date)))
        case let data as Data: node.content = .leaf(.string(data.base64EncodedString()))
        case let url as URL: node.content = .leaf(.string(url.absoluteString))
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

    mutating func encodeNil(forKey key: Key) throws { node.member(key.stringValue).content = .leaf(.null) }
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

    mutating func encodeNil() throws { node.element().content = .leaf(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoding().encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoding().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { encoding().unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { encoding() }
}

/// Writes a `JSONTree` (after redaction) as JSON text, objects' members in their order. Writing it
/// directly is several times cheaper than `JSONSerialization`, which was more than half of a fix
/// list's read (docs/performance.md). The output is what `JSONSerialization` writes with
/// `.withoutEscapingSlashes` (`ObjectTreeEncoderTests`).
public struct JSONTreeWriter {
    /// Keys in the order `JSONSerialization`'s `.sortedKeys` gives (letters compared without case):
    /// the journal's canonical field texts, and the tests that compare the two.
    public var sortedKeys: Bool

    public init(sortedKeys: Bool = false) {
        self.sortedKeys = sortedKeys
    }

    public func data(_ value: JSONTree) throws -> Data {
        Data(try bytes(value, capacity: 4096))
    }

    public func text(_ value: JSONTree) throws -> String {
        String(decoding: try bytes(value, capacity: 64), as: UTF8.self)
    }

    private func bytes(_ value: JSONTree, capacity: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        try write(value, into: &bytes)
        return bytes
    }

    private func write(_ value: JSONTree, into bytes: inout [UInt8]) throws {
        switch value {
        case .string(let text): Self.write(text, into: &bytes)
        case .object(var members):
            if sortedKeys { members.sort { ($0.key.lowercased(), $0.key) < ($1.key.lowercased(), $1.key) } }
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.write(member.key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                try write(member.value, into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                try write(element, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number): bytes.append(contentsOf: String(number).utf8)
        case .unsignedInteger(let number): bytes.append(contentsOf: String(number).utf8)
        case .null: bytes.append(contentsOf: "null".utf8)
        case .number(let number):
            // Foundation's way with doubles (shortest form, exponents) is kept as it was.
            bytes.append(contentsOf: try JSONSerialization.data(withJSONObject: number, options: [.fragmentsAllowed]))
        }
    }

    private static func write(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Most text needs no escape: copied whole, not byte by byte.
            guard utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 { appendEscaped(byte, into: &bytes) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ byte: UInt8, into bytes: inout [UInt8]) {
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
}
