import ClubCore
import Foundation

/// JSON helpers for journal images: each field's canonical text, and the fields that changed.
enum JSONText {
    /// Book-keeping fields that change on every update and say nothing by themselves.
    private static let noise: Set<String> = ["version", "updatedAt"]

    /// The top-level fields of a value, each as its canonical JSON text: what `encode(_:)` writes
    /// for the field's value as `JSONEncoder` would give it, built from a `JSONTree` without `JSONEncoder` or
    /// `JSONSerialization`, which were most of a journal event's cost (docs/performance.md).
    /// `JournalTextTests` holds the two ways equal.
    static func fieldTexts(of value: some Encodable) -> [String: String] {
        fieldTexts(ofTree: tree(of: value))
    }

    /// A value as a `JSONTree`; one that cannot be encoded has no fields to image.
    static func tree(of value: some Encodable) -> JSONTree {
        (try? ObjectTreeEncoder().encode(value)) ?? .object([])
    }

    /// The same, of a value already in tree form (a fix item or list, written by hand).
    static func fieldTexts(ofTree tree: JSONTree) -> [String: String] {
        guard case .object(let members) = tree else { return [:] }
        let writer = JSONTreeWriter(sortedKeys: true)
        var texts: [String: String] = [:]
        for (key, field) in members where !noise.contains(key) {
            texts[key] = (try? writer.text(field)) ?? "null"
        }
        return texts
    }

    /// The fields whose texts differ, as (before, after); a field on one side only is `null` on the other.
    static func difference(_ old: [String: String], _ new: [String: String]) -> (before: [String: String], after: [String: String]) {
        var before: [String: String] = [:]
        var after: [String: String] = [:]
        for key in Set(old.keys).union(new.keys) where old[key] != new[key] {
            before[key] = old[key] ?? "null"
            after[key] = new[key] ?? "null"
        }
        return (before, after)
    }

    /// Compact, key-sorted JSON text of a JSON-compatible value.
    static func encode(_ value: Any?) -> String {
        guard let value else { return "null" }
        guard JSONSerialization.isValidJSONObject([value]),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
