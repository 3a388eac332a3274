import ClubCore
import Foundation

/// A journal event as the API shows it: `before` and `after` as JSON objects rather than the
/// text the hash covers.
struct JournalEventView: Encodable {
    let event: JournalEvent

    enum CodingKeys: String, CodingKey { case seq, id, at, actor, entityType, entityId, action, before, after, previousHash, hash }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event.seq, forKey: .seq)
        try container.encode(event.id, forKey: .id)
        try container.encode(event.at, forKey: .at)
        try container.encode(event.actor, forKey: .actor)
        try container.encode(event.entityType, forKey: .entityType)
        try container.encode(event.entityId, forKey: .entityId)
        try container.encode(event.action, forKey: .action)
        try container.encode(JSONValue(text: event.before), forKey: .before)
        try container.encode(JSONValue(text: event.after), forKey: .after)
        try container.encode(event.previousHash, forKey: .previousHash)
        try container.encode(event.hash, forKey: .hash)
    }
}

/// Any JSON value, for passing stored JSON text through as structure.
enum JSONValue: Codable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(text: String) {
        self = (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
