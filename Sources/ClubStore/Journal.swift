import ClubCore
import Crypto
import Foundation
import GRDB

/// Appends and checks the hash-chained journal. Called only from inside a write transaction, so
/// an event exists exactly when its change does.
enum Journal {
    /// What a mutation records about itself.
    struct Change {
        let entityType: String
        let entityId: String
        let action: String
        let before: [String: Any]
        let after: [String: Any]
    }

    @discardableResult
    static func append(_ change: Change, by actor: Actor, at now: Date, in db: Database) throws -> JournalEvent {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1"))
        let seq: Int64 = (last?["seq"] ?? 0) + 1
        let previousHash: String = last?["hash"] ?? JournalEvent.genesisHash
        let millis = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let unsealed = JournalEvent(
            seq: seq,
            id: Identifier.make("evt"),
            at: Date(timeIntervalSince1970: Double(millis) / 1000),
            actor: actor,
            entityType: change.entityType,
            entityId: change.entityId,
            action: change.action,
            before: JSONText.encode(change.before),
            after: JSONText.encode(change.after),
            previousHash: previousHash,
            hash: ""
        )
        let event = unsealed.sealed()
        try db.cachedStatement(
            sql: """
                INSERT INTO journal (seq, id, atMillis, actorId, actorName, actorRole, entityType, entityId, action,
                    before, after, previousHash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                event.seq, event.id, event.millis, actor.id, actor.name, actor.role, event.entityType, event.entityId,
                event.action, event.before, event.after, event.previousHash, event.hash,
            ]
        )
        return event
    }

    /// Journals the creation of `value`: every field is "after".
    static func created(_ entityType: String, id: String, _ value: some Encodable, by actor: Actor, at now: Date, in db: Database) throws {
        try append(
            Change(entityType: entityType, entityId: id, action: "created", before: [:], after: JSONText.fields(of: value)),
            by: actor,
            at: now,
            in: db
        )
    }

    /// Journals a change of `old` into `new`, keeping only the fields that differ.
    static func changed(
        _ entityType: String,
        id: String,
        action: String,
        from old: some Encodable,
        to new: some Encodable,
        by actor: Actor,
        at now: Date,
        in db: Database
    ) throws {
        let (before, after) = JSONText.difference(JSONText.fields(of: old), JSONText.fields(of: new))
        try append(Change(entityType: entityType, entityId: id, action: action, before: before, after: after), by: actor, at: now, in: db)
    }

    static func event(from row: Row) -> JournalEvent {
        JournalEvent(
            seq: row["seq"],
            id: row["id"],
            at: Date(timeIntervalSince1970: Double(row["atMillis"] as Int64) / 1000),
            actor: Actor(id: row["actorId"], name: row["actorName"], role: row["actorRole"]),
            entityType: row["entityType"],
            entityId: row["entityId"],
            action: row["action"],
            before: row["before"],
            after: row["after"],
            previousHash: row["previousHash"],
            hash: row["hash"]
        )
    }
}

extension JournalEvent {
    /// The canonical text that the hash covers: every field but the hash, in a fixed order,
    /// separated by a control character that JSON text never contains unescaped.
    /// The event's time in whole milliseconds, as hashed and stored.
    var millis: Int64 { Int64((at.timeIntervalSince1970 * 1000).rounded()) }

    var canonicalText: String {
        [String(seq), id, String(millis), actor.id, actor.name, actor.role, entityType, entityId, action, before, after, previousHash]
            .joined(separator: "\u{1F}")
    }

    /// The SHA-256 this event should carry.
    public var expectedHash: String {
        SHA256.hash(data: Data(canonicalText.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    func sealed() -> JournalEvent {
        JournalEvent(
            seq: seq,
            id: id,
            at: at,
            actor: actor,
            entityType: entityType,
            entityId: entityId,
            action: action,
            before: before,
            after: after,
            previousHash: previousHash,
            hash: expectedHash
        )
    }
}

/// The result of checking a chain of events.
public enum JournalVerification: Equatable, Sendable {
    case intact(events: Int, head: String)
    case broken(seq: Int64, id: String, reason: String)

    /// Checks that each event's hash matches its content and names the previous event's hash.
    public static func check(_ events: some Sequence<JournalEvent>, startingAfter genesis: String = JournalEvent.genesisHash) -> JournalVerification {
        var previous = genesis
        var count = 0
        for event in events {
            if event.previousHash != previous {
                return .broken(seq: event.seq, id: event.id, reason: "its previousHash does not match the hash of the event before it")
            }
            if event.hash != event.expectedHash {
                return .broken(seq: event.seq, id: event.id, reason: "its content does not match its hash (the row was altered)")
            }
            previous = event.hash
            count += 1
        }
        return .intact(events: count, head: previous)
    }
}
