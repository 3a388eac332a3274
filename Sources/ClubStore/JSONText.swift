import ClubCore
import Foundation

/// JSON helpers for journal summaries: field snapshots and their differences.
enum JSONText {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .rfc3339
        return encoder
    }()

    /// Book-keeping fields that change on every update and say nothing by themselves.
    private static let noise: Set<String> = ["version", "updatedAt"]

    /// The top-level fields of a value as a JSON object.
    static func fields(of value: some Encodable) -> [String: Any] {
        guard let data = try? encoder.encode(value),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return object.filter { !noise.contains($0.key) }
    }

    /// The fields whose values differ, as (before, after). Values parsed from JSON are Foundation
    /// objects, compared with `isEqual` rather than serialised again key by key.
    static func difference(_ old: [String: Any], _ new: [String: Any]) -> ([String: Any], [String: Any]) {
        var before: [String: Any] = [:]
        var after: [String: Any] = [:]
        for key in Set(old.keys).union(new.keys) where !same(old[key], new[key]) {
            before[key] = old[key] ?? NSNull()
            after[key] = new[key] ?? NSNull()
        }
        return (before, after)
    }

    private static func same(_ lhs: Any?, _ rhs: Any?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): true
        case (let left as NSObject, let right as NSObject): left.isEqual(right)
        default: encode(lhs) == encode(rhs)
        }
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
