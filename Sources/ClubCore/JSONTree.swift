/// An answer in JSON form, as the rights policy reads it before it is written: objects keep their
/// members in the order they were encoded. The API encodes a party's object into it, `Redactor`
/// removes what the reader may not read, and the API writes what is left (docs/design.md §5,
/// "Reading fast"): no dynamic casts on the way, which cost most of a fix list's read.
public enum JSONTree: Sendable {
    case object([(key: String, value: JSONTree)])
    case array([JSONTree])
    case string(String)
    case integer(Int)
    /// An unsigned integer beyond `Int`'s range is still written whole.
    case unsignedInteger(UInt64)
    case number(Double)
    case bool(Bool)
    case null
}

/// A JSON tree `Redactor` reads and rebuilds: `JSONTree`, or the objects of Foundation's
/// `JSONSerialization` (`AnyJSON`). One redaction serves both, so that they cannot differ.
protocol RedactableTree {
    /// The members of an object; nil when the value is not one.
    var members: [(key: String, value: Self)]? { get }
    /// The elements of a list; nil when the value is not one.
    var elements: [Self]? { get }
    /// The member `key` of an object.
    func member(_ key: String) -> Self?
    var text: String? { get }

    init(members: [(key: String, value: Self)])
    init(elements: [Self])
    init(text: String)
}

extension JSONTree: RedactableTree {
    var members: [(key: String, value: JSONTree)]? {
        if case .object(let members) = self { members } else { nil }
    }

    var elements: [JSONTree]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    func member(_ key: String) -> JSONTree? {
        members?.last { $0.key == key }?.value
    }

    var text: String? {
        if case .string(let text) = self { text } else { nil }
    }

    init(members: [(key: String, value: JSONTree)]) { self = .object(members) }
    init(elements: [JSONTree]) { self = .array(elements) }
    init(text: String) { self = .string(text) }
}

/// A value as `JSONSerialization` reads and writes it (`[String: Any]`, `[Any]`, `String`,
/// `NSNumber`, `NSNull`); leaves other than strings pass through untouched.
struct AnyJSON: RedactableTree {
    let value: Any

    init(_ value: Any) { self.value = value }

    var members: [(key: String, value: AnyJSON)]? {
        (value as? [String: Any]).map { object in object.map { (key: $0.key, value: AnyJSON($0.value)) } }
    }

    var elements: [AnyJSON]? {
        (value as? [Any]).map { list in list.map(AnyJSON.init) }
    }

    func member(_ key: String) -> AnyJSON? {
        (value as? [String: Any])?[key].map(AnyJSON.init)
    }

    var text: String? { value as? String }

    init(members: [(key: String, value: AnyJSON)]) {
        value = Dictionary(members.map { ($0.key, $0.value.value) }, uniquingKeysWith: { _, last in last })
    }

    init(elements: [AnyJSON]) { value = elements.map(\.value) }
    init(text: String) { value = text }
}
