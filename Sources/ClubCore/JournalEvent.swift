import Foundation

/// One entry of the club's tamper-evident history. `hash` is the SHA-256 of this event's
/// canonical form, which includes `previousHash`, so altering any event breaks every later link.
public struct JournalEvent: Codable, Sendable, Equatable {
    public let seq: Int64
    public let id: String
    public let at: Date
    public let actor: Actor
    public let entityType: String
    public let entityId: String
    public let action: String
    /// The changed fields before the change (JSON object text; `{}` on creation).
    public let before: String
    /// The changed fields after the change (JSON object text).
    public let after: String
    public let previousHash: String
    public let hash: String
    /// How `hash` covers `before` and `after` (DESIGN §3.11): 1, their JSON text; 2, a salted
    /// digest of each of their fields, so that a field can be withheld from a reader and the hash
    /// still checked. Events written before scheme 2 keep scheme 1.
    public let hashScheme: Int
    /// Scheme 2, in a case file: the salt of each field shown in `before` and `after`.
    public let fieldSalts: FieldMap?
    /// Scheme 2, in a party's case file: the digests of the fields of `before` and of `after`
    /// that the party may not read and that were taken out of them, unnamed.
    public let redactedFields: Withheld?
    /// Scheme 2, in the club's database only: the secret the fields' salts are derived from. It
    /// never leaves the club (it is not encoded): with it, a withheld field of few possible
    /// values could be found from its digest by trying them all.
    public let fieldKey: String?

    /// Strings by field name, for `before` and for `after`.
    public struct FieldMap: Codable, Sendable, Equatable {
        public let before: [String: String]
        public let after: [String: String]

        public init(before: [String: String], after: [String: String]) {
            self.before = before
            self.after = after
        }
    }

    /// Digests of withheld fields, for `before` and for `after`, in no particular order.
    public struct Withheld: Codable, Sendable, Equatable {
        public let before: [String]
        public let after: [String]

        public init(before: [String], after: [String]) {
            self.before = before
            self.after = after
        }
    }

    private enum CodingKeys: String, CodingKey {
        case seq, id, at, actor, entityType, entityId, action, before, after, previousHash, hash, hashScheme, fieldSalts, redactedFields
    }

    public init(
        seq: Int64,
        id: String,
        at: Date,
        actor: Actor,
        entityType: String,
        entityId: String,
        action: String,
        before: String,
        after: String,
        previousHash: String,
        hash: String,
        hashScheme: Int = 1,
        fieldSalts: FieldMap? = nil,
        redactedFields: Withheld? = nil,
        fieldKey: String? = nil
    ) {
        self.seq = seq
        self.id = id
        self.at = at
        self.actor = actor
        self.entityType = entityType
        self.entityId = entityId
        self.action = action
        self.before = before
        self.after = after
        self.previousHash = previousHash
        self.hash = hash
        self.hashScheme = hashScheme
        self.fieldSalts = fieldSalts
        self.redactedFields = redactedFields
        self.fieldKey = fieldKey
    }

    /// Case files of format 1 carry no `hashScheme`: their events are all of scheme 1.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            seq: try container.decode(Int64.self, forKey: .seq),
            id: try container.decode(String.self, forKey: .id),
            at: try container.decode(Date.self, forKey: .at),
            actor: try container.decode(Actor.self, forKey: .actor),
            entityType: try container.decode(String.self, forKey: .entityType),
            entityId: try container.decode(String.self, forKey: .entityId),
            action: try container.decode(String.self, forKey: .action),
            before: try container.decode(String.self, forKey: .before),
            after: try container.decode(String.self, forKey: .after),
            previousHash: try container.decode(String.self, forKey: .previousHash),
            hash: try container.decode(String.self, forKey: .hash),
            hashScheme: try container.decodeIfPresent(Int.self, forKey: .hashScheme) ?? 1,
            fieldSalts: try container.decodeIfPresent(FieldMap.self, forKey: .fieldSalts),
            redactedFields: try container.decodeIfPresent(Withheld.self, forKey: .redactedFields)
        )
    }

    /// The hash that precedes the first event.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The shape (`FieldVisibility.table`) of the object an event's `before` and `after` are
    /// fields of, by the event's `entityType`; nil for types no party reads (tokens).
    public static let shapes: [String: String] = [
        "studio": "Studio", "client": "Client", "request": "Lead", "shortlist": "Shortlist", "referral": "Referral",
        "engagement": "Engagement", "agreement": "Agreement", "check-in": "CheckIn", "feedback": "StageFeedback",
        "fix-list": "FixList", "fix-item": "FixItem", "share-link": "ShareLink", "complaint": "Complaint", "audit": "Audit",
        "exit": "EngagementExit", "consulting-offer": "ConsultingOffer", "consulting-session": "ConsultingSession",
        "retrospective": "Retrospective", "fix-item-comment": "FixItemComment", "club-rating": "ClubRating",
        "evidence-file": "EvidenceFile",
    ]
}
