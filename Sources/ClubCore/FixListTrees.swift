import Foundation

/// A fix list and its items as `JSONTree`s, written by hand. Every read and every strike answers
/// the whole list, and encoding its items through `Encodable` was the largest part of a read
/// (docs/performance.md): Codable's generic containers look up metadata for every field. The
/// members come in the order and form the synthesized `Encodable` gives them (nil fields left
/// out, times in RFC 3339, days as `2027-02-01`); `ObjectTreeEncoderTests` holds them equal.
extension FixList {
    public var jsonTree: JSONTree {
        var tree = TreeObject(capacity: 12)
        tree.add("id", id)
        tree.add("engagementId", engagementId)
        tree.add("status", status.rawValue)
        tree.add("revision", revision)
        tree.add("clientConfirmation", clientConfirmation?.jsonTree)
        tree.add("studioConfirmation", studioConfirmation?.jsonTree)
        tree.add("agreedAt", agreedAt)
        tree.add("createdAt", createdAt)
        tree.add("createdBy", createdBy)
        tree.add("version", version)
        tree.add("updatedAt", updatedAt)
        tree.add("internalNote", internalNote)
        return tree.object
    }
}

extension Confirmation {
    var jsonTree: JSONTree {
        var tree = TreeObject(capacity: 2)
        tree.add("by", by)
        tree.add("at", at)
        return tree.object
    }
}

extension FixItem {
    public var jsonTree: JSONTree {
        var tree = TreeObject(capacity: 25)
        tree.add("id", id)
        tree.add("fixListId", fixListId)
        tree.add("position", position)
        tree.add("statement", statement)
        tree.add("acceptance", acceptance)
        tree.add("due", due)
        tree.add("assignedStudioId", assignedStudioId)
        tree.add("state", state.rawValue)
        tree.add("pending", pending?.rawValue)
        tree.add("isRemoved", isRemoved)
        tree.add("struckAt", struckAt)
        tree.add("struckBy", struckBy)
        tree.add("strikeNote", strikeNote)
        tree.add("reopenedAt", reopenedAt)
        tree.add("reopenedBy", reopenedBy)
        tree.add("reopenReason", reopenReason)
        tree.add("reopenCount", reopenCount)
        tree.add("rounds", .array(rounds.map(\.jsonTree)))
        tree.add("acceptedAt", acceptedAt)
        tree.add("acceptedBy", acceptedBy)
        tree.add("acceptNote", acceptNote)
        tree.add("autoAccepted", autoAccepted)
        tree.add("version", version)
        tree.add("internalNote", internalNote)
        tree.add("findingId", findingId)
        return tree.object
    }
}

extension FixRound {
    var jsonTree: JSONTree {
        var tree = TreeObject(capacity: 10)
        tree.add("number", number)
        tree.add("due", due)
        tree.add("struckAt", struckAt)
        tree.add("struckBy", struckBy)
        tree.add("strikeNote", strikeNote)
        tree.add("onTime", onTime)
        tree.add("reopenedAt", reopenedAt)
        tree.add("reopenedBy", reopenedBy)
        tree.add("reopenReason", reopenReason)
        tree.add("newDue", newDue)
        return tree.object
    }
}

/// The members of one object being written by hand, each in the form `ObjectTreeEncoder` gives
/// it; an optional that is nil is left out, as synthesized `Encodable` leaves it out.
public struct TreeObject {
    public private(set) var members: [(key: String, value: JSONTree)] = []

    public init(capacity: Int) { members.reserveCapacity(capacity) }

    public var object: JSONTree { .object(members) }

    public mutating func add(_ key: String, _ value: JSONTree?) {
        if let value { members.append((key, value)) }
    }

    public mutating func add(_ key: String, _ value: String?) { add(key, value.map(JSONTree.string)) }
    public mutating func add(_ key: String, _ value: Int) { members.append((key, .integer(value))) }
    public mutating func add(_ key: String, _ value: Bool) { members.append((key, .bool(value))) }
    public mutating func add(_ key: String, _ value: Date?) { add(key, value.map { JSONTree.string(RFC3339.string(from: $0)) }) }
    public mutating func add(_ key: String, _ value: Day?) { add(key, value.map { JSONTree.string($0.description) }) }
    public mutating func add(_ key: String, _ value: [String]) { members.append((key, .array(value.map(JSONTree.string)))) }
}
