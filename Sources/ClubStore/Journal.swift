import ClubCore
import Crypto
import Foundation
import GRDB

/// Appends and checks the hash-chained journal. Called only from inside a write transaction, so
/// an event exists exactly when its change does, and so do the notifications it raises.
enum Journal {
    /// What a mutation records about itself: each image's fields as their canonical JSON texts
    /// (DESIGN §3.11), by field name.
    struct Change {
        let entityType: String
        let entityId: String
        let action: String
        let before: [String: String]
        let after: [String: String]

        /// Images of JSON-compatible values (`[String: Any]`), each field serialised on its own.
        init(entityType: String, entityId: String, action: String, before: [String: Any], after: [String: Any]) {
            self.init(
                entityType: entityType,
                entityId: entityId,
                action: action,
                texts: (before.mapValues(JSONText.encode), after.mapValues(JSONText.encode))
            )
        }

        init(entityType: String, entityId: String, action: String, texts: (before: [String: String], after: [String: String])) {
            self.entityType = entityType
            self.entityId = entityId
            self.action = action
            self.before = texts.before
            self.after = texts.after
        }
    }

    /// The scheme new events are hashed with (DESIGN §3.11).
    static let hashScheme = 2

    @discardableResult
    static func append(_ change: Change, by actor: Actor, at now: Date, in db: Database) throws -> JournalEvent {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1"))
        let seq: Int64 = (last?["seq"] ?? 0) + 1
        let previousHash: String = last?["hash"] ?? JournalEvent.genesisHash
        let millis = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        // Each field is serialised once: its JSON text both goes into the stored image and is digested.
        let fieldKey = SymmetricKey(size: .bits256)
        let keyed = HMAC<SHA256>(key: fieldKey)
        let before = JournalImage(texts: change.before, side: .before, keyed: keyed)
        let after = JournalImage(texts: change.after, side: .after, keyed: keyed)
        let unsealed = JournalEvent(
            seq: seq,
            id: Identifier.make("evt"),
            at: Date(timeIntervalSince1970: Double(millis) / 1000),
            actor: actor,
            entityType: change.entityType,
            entityId: change.entityId,
            action: change.action,
            before: before.text,
            after: after.text,
            previousHash: previousHash,
            hash: "",
            hashScheme: hashScheme,
            fieldKey: fieldKey.withUnsafeBytes { HexDigest.hex($0) }
        )
        let event = unsealed.with(
            hash: HexDigest.sha256(unsealed.canonicalText(before: before.digestList(), after: after.digestList())),
            fieldSalts: nil,
            redactedFields: nil
        )
        try db.cachedStatement(
            sql: """
                INSERT INTO journal (seq, id, atMillis, actorId, actorName, actorRole, entityType, entityId, action,
                    before, after, previousHash, hash, hashScheme, fieldKey)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                event.seq, event.id, event.millis, actor.id, actor.name, actor.role, event.entityType, event.entityId,
                event.action, event.before, event.after, event.previousHash, event.hash, event.hashScheme, event.fieldKey,
            ]
        )
        // What someone must hear of is written with the change, or not at all (DESIGN §10).
        try Outbox.journaled(event, in: db)
        return event
    }

    /// Journals the creation of `value`: every field is "after".
    static func created(_ entityType: String, id: String, _ value: some Encodable, by actor: Actor, at now: Date, in db: Database) throws {
        try append(
            Change(entityType: entityType, entityId: id, action: "created", texts: ([:], JSONText.fieldTexts(of: value))),
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
        try changed(entityType, id: id, action: action, fromTree: JSONText.tree(of: old), toTree: JSONText.tree(of: new), by: actor, at: now, in: db)
    }

    /// The same for values already in tree form: fix items and lists, changed on every strike,
    /// are written to their trees by hand (`FixItem.jsonTree`), as they are answered.
    static func changed(
        _ entityType: String,
        id: String,
        action: String,
        fromTree old: JSONTree,
        toTree new: JSONTree,
        by actor: Actor,
        at now: Date,
        in db: Database
    ) throws {
        let texts = JSONText.difference(JSONText.fieldTexts(ofTree: old), JSONText.fieldTexts(ofTree: new))
        try append(Change(entityType: entityType, entityId: id, action: action, texts: texts), by: actor, at: now, in: db)
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
            hash: row["hash"],
            hashScheme: row["hashScheme"],
            fieldKey: row["fieldKey"]
        )
    }
}

/// One image of an event (`before` or `after`) as hash scheme 2 sees it (DESIGN §3.11): each
/// top-level field's canonical JSON (`JSONSerialization`, sorted keys, fragments allowed,
/// slashes unescaped), its salt, and its digest: the SHA-256 of the salt, U+001F, the field's
/// name, U+001F and that JSON. The canonical text holds the digests sorted, joined by commas.
struct JournalImage {
    enum Side: String {
        case before, after
    }

    struct Field {
        let key: String
        let json: String
        let salt: String
        var digest: String { HexDigest.sha256(of: salt, "\u{1F}", key, "\u{1F}", json) }
    }

    let fields: [Field]

    /// An image read from the database: salts from the event's field key.
    init(_ object: [String: Any], side: Side, fieldKey: SymmetricKey) {
        self.init(texts: object.mapValues(JSONText.encode), side: side, fieldKey: fieldKey)
    }

    /// An image being written: its fields' canonical texts, salts from the event's field key.
    init(texts: [String: String], side: Side, fieldKey: SymmetricKey) {
        self.init(texts: texts, side: side, keyed: HMAC<SHA256>(key: fieldKey))
    }

    /// The same, salted by an HMAC already keyed with the event's field key.
    init(texts: [String: String], side: Side, keyed: HMAC<SHA256>) {
        fields = texts.map { key, json in Field(key: key, json: json, salt: HexDigest.salt(key, side: side, keyed: keyed)) }
    }

    /// An image as a case file carries it, with the salts of its fields; nil when one is missing.
    init?(_ object: [String: Any], salts: [String: String]) {
        var fields: [Field] = []
        for key in object.keys {
            guard let salt = salts[key] else { return nil }
            fields.append(Field(key: key, json: JSONText.encode(object[key]), salt: salt))
        }
        self.fields = fields
    }

    private init(fields: [Field]) {
        self.fields = fields
    }

    static func object(_ text: String) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    }

    /// The fields the predicate keeps, and the digests of the others.
    func partitioned(keeping keep: (Field) -> Bool) -> (kept: JournalImage, withheld: [String]) {
        var kept: [Field] = []
        var withheld: [String] = []
        for field in fields {
            if keep(field) { kept.append(field) } else { withheld.append(field.digest) }
        }
        return (JournalImage(fields: kept), withheld)
    }

    /// The image as JSON object text with sorted keys, built from the fields' own texts.
    var text: String {
        let sorted = fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        return "{" + sorted.map { Self.quoted($0.key) + ":" + $0.json }.joined(separator: ",") + "}"
    }

    var salts: [String: String] { Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0.salt) }) }

    /// What the canonical text holds in place of the image: the fields' digests and the
    /// withheld ones, sorted, joined by commas.
    func digestList(with withheld: [String] = []) -> String {
        (fields.map(\.digest) + withheld).sorted().joined(separator: ",")
    }

    /// A field name as a JSON string: property names are plain ASCII, anything else goes through
    /// the serialiser.
    private static func quoted(_ key: String) -> String {
        let plain = key.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        return plain ? "\"" + key + "\"" : JSONText.encode(key)
    }
}

extension JournalEvent {
    /// The event's time in whole milliseconds, as hashed and stored.
    var millis: Int64 { Int64((at.timeIntervalSince1970 * 1000).rounded()) }

    /// The canonical text that the hash covers: every field but the hash, in a fixed order,
    /// separated by a control character that JSON text never contains unescaped; the images as
    /// their text (scheme 1) or their digest lists (scheme 2).
    func canonicalText(before: String, after: String) -> String {
        [String(seq), id, String(millis), actor.id, actor.name, actor.role, entityType, entityId, action, before, after, previousHash]
            .joined(separator: "\u{1F}")
    }

    /// Scheme 2: the images' fields with their salts, from the field key in the database or
    /// from the salts a case file carries; nil when neither is there or an image is not an object.
    private var images: (before: JournalImage, after: JournalImage)? {
        guard let beforeObject = JournalImage.object(before), let afterObject = JournalImage.object(after) else { return nil }
        if let fieldKey {
            guard let key = HexDigest.fieldKey(hex: fieldKey) else { return nil }
            return (JournalImage(beforeObject, side: .before, fieldKey: key), JournalImage(afterObject, side: .after, fieldKey: key))
        }
        guard let salts = fieldSalts, let beforeImage = JournalImage(beforeObject, salts: salts.before),
            let afterImage = JournalImage(afterObject, salts: salts.after)
        else { return nil }
        return (beforeImage, afterImage)
    }

    /// The canonical text by this event's own scheme; nil when it cannot be formed (an unknown
    /// scheme, an image that is not a JSON object, a field without its salt).
    var canonicalText: String? {
        switch hashScheme {
        case 1:
            guard redactedFields == nil, fieldSalts == nil else { return nil }
            return canonicalText(before: before, after: after)
        case 2:
            guard let images else { return nil }
            return canonicalText(
                before: images.before.digestList(with: redactedFields?.before ?? []),
                after: images.after.digestList(with: redactedFields?.after ?? [])
            )
        default:
            return nil
        }
    }

    /// The SHA-256 this event should carry; nil when its canonical text cannot be formed.
    public var expectedHash: String? { canonicalText.map(HexDigest.sha256) }

    /// Why this event's content does not match its hash, or nil when it does.
    var contentProblem: String? {
        guard let expected = expectedHash else {
            return hashScheme == 1 || hashScheme == 2
                ? "its before or after cannot be read under hash scheme \(hashScheme)" : "it names an unknown hash scheme \(hashScheme)"
        }
        return expected == hash ? nil : "its content does not match its hash (the event was altered)"
    }

    /// A copy with other images, hash, salts or withheld digests. An event that carries salts
    /// has left the club: it no longer carries the field key.
    func with(
        before: String? = nil,
        after: String? = nil,
        hash: String? = nil,
        fieldSalts: FieldMap?,
        redactedFields: Withheld?
    ) -> JournalEvent {
        JournalEvent(
            seq: seq,
            id: id,
            at: at,
            actor: actor,
            entityType: entityType,
            entityId: entityId,
            action: action,
            before: before ?? self.before,
            after: after ?? self.after,
            previousHash: previousHash,
            hash: hash ?? self.hash,
            hashScheme: hashScheme,
            fieldSalts: fieldSalts,
            redactedFields: redactedFields,
            fieldKey: fieldSalts == nil ? fieldKey : nil
        )
    }

    /// The event as it leaves the club for `role` (DESIGN §2, §3.11), checkable without the
    /// field key: under scheme 2 with the salt of every field it shows, and every field of
    /// `before` and `after` that the reader may not read in whole (a field read only in part
    /// included) taken out, only its digest kept in `redactedFields`, without its name. A
    /// coordinator reads every field. Nil when the event must be left out: an event about an
    /// object the reader reads nothing of, a scheme-1 event (its hash covers the images' whole
    /// text) holding something the reader may not read, or an event that cannot be read.
    public func exported(for role: Role) -> JournalEvent? {
        guard role == .coordinator || Self.shapes[entityType].map({ Self.readsAnything(of: $0, role) }) == true else { return nil }
        switch hashScheme {
        case 1:
            guard role != .coordinator else { return self }
            guard let beforeObject = JournalImage.object(before), let afterObject = JournalImage.object(after) else { return nil }
            let shown =
                Self.readableFields(beforeObject, of: entityType, by: role) == Set(beforeObject.keys)
                && Self.readableFields(afterObject, of: entityType, by: role) == Set(afterObject.keys)
            return shown ? self : nil
        case 2:
            guard let images, let beforeObject = JournalImage.object(before), let afterObject = JournalImage.object(after) else { return nil }
            let readableBefore = Self.readableFields(beforeObject, of: entityType, by: role)
            let readableAfter = Self.readableFields(afterObject, of: entityType, by: role)
            let (keptBefore, withheldBefore) = images.before.partitioned { readableBefore.contains($0.key) }
            let (keptAfter, withheldAfter) = images.after.partitioned { readableAfter.contains($0.key) }
            let withheld = Withheld(
                before: ((redactedFields?.before ?? []) + withheldBefore).sorted(),
                after: ((redactedFields?.after ?? []) + withheldAfter).sorted()
            )
            return with(
                before: keptBefore.text,
                after: keptAfter.text,
                fieldSalts: FieldMap(before: keptBefore.salts, after: keptAfter.salts),
                redactedFields: withheld.before.isEmpty && withheld.after.isEmpty ? nil : withheld
            )
        default:
            return nil
        }
    }

    /// Whether `role` reads any field of `shape`: nothing of an object it reads no field of
    /// leaves the club, not even that it changed (shortlists for a party, share links for a studio).
    private static func readsAnything(of shape: String, _ role: Role) -> Bool {
        FieldVisibility.table[shape]?.values.contains { rule in
            guard case .field(let visibility) = rule else { return true }
            return visibility.isReadable(by: role)
        } ?? false
    }

    /// The fields of an image that `role` reads whole; the redactor decides on the parsed image,
    /// and a field stays only if it comes out unchanged.
    private static func readableFields(_ object: [String: Any], of entityType: String, by role: Role) -> Set<String> {
        guard role != .coordinator else { return Set(object.keys) }
        guard let shape = shapes[entityType], let visible = Redactor(role: role).redact(object, as: shape) as? [String: Any] else { return [] }
        return Set(object.keys.filter { key in visible[key].map { JSONText.encode($0) == JSONText.encode(object[key]) } ?? false })
    }
}

/// The result of checking a chain of events.
public enum JournalVerification: Equatable, Sendable {
    case intact(events: Int, head: String)
    case broken(seq: Int64, id: String, reason: String)

    /// Checks that each event's hash matches its content (by the event's own hash scheme) and
    /// names the previous event's hash.
    public static func check(_ events: some Sequence<JournalEvent>, startingAfter genesis: String = JournalEvent.genesisHash) -> JournalVerification {
        var previous = genesis
        var count = 0
        for event in events {
            if event.previousHash != previous {
                return .broken(seq: event.seq, id: event.id, reason: "its previousHash does not match the hash of the event before it")
            }
            if let problem = event.contentProblem {
                return .broken(seq: event.seq, id: event.id, reason: problem)
            }
            previous = event.hash
            count += 1
        }
        return .intact(events: count, head: previous)
    }
}
