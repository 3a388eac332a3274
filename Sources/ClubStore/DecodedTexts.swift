import Synchronization

/// Remembers what a pure decoding made of each text, so that a column read again and again (a fix
/// item's rounds) is decoded once. It never goes stale: the same text always decodes to the same
/// value, and a changed row holds a new text. Bounded: when full, it starts again empty.
final class DecodedTexts<Value: Sendable>: Sendable {
    private let decode: @Sendable (String) throws -> Value
    private let capacity: Int
    private let values = Mutex<[String: Value]>([:])

    init(capacity: Int = 4096, decode: @escaping @Sendable (String) throws -> Value) {
        self.capacity = capacity
        self.decode = decode
    }

    /// The value `text` decodes to. A text that does not decode throws each time, remembered never.
    func value(for text: String) throws -> Value {
        if let known = values.withLock({ $0[text] }) { return known }
        let value = try decode(text)
        values.withLock { values in
            if values.count >= capacity { values.removeAll(keepingCapacity: true) }
            values[text] = value
        }
        return value
    }

    /// How many texts are remembered, for tests.
    var count: Int { values.withLock { $0.count } }
}
