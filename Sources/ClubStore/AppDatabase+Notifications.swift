import ClubCore
import Crypto
import Foundation
import GRDB

/// A notification as its person and the delivery services read it.
public struct NotificationRecord: Sendable, Equatable {
    public let id: String
    public let eventId: String
    public let kind: NotificationKind
    public let entityType: String
    public let entityId: String
    public let engagementId: String?
    /// The object's console page for this person.
    public let path: String
    public let createdAt: Date
    public let choice: DeliveryChoice
    public let mailStatus: MailStatus
    public let attempts: Int
    public let lastError: String?
    public let sentAt: Date?

    public init(
        id: String,
        eventId: String,
        kind: NotificationKind,
        entityType: String,
        entityId: String,
        engagementId: String? = nil,
        path: String,
        createdAt: Date,
        choice: DeliveryChoice = .immediately,
        mailStatus: MailStatus = .pending,
        attempts: Int = 0,
        lastError: String? = nil,
        sentAt: Date? = nil
    ) {
        self.id = id
        self.eventId = eventId
        self.kind = kind
        self.entityType = entityType
        self.entityId = entityId
        self.engagementId = engagementId
        self.path = path
        self.createdAt = createdAt
        self.choice = choice
        self.mailStatus = mailStatus
        self.attempts = attempts
        self.lastError = lastError
        self.sentAt = sentAt
    }

    init(row: Row) {
        id = row["id"]
        eventId = row["eventId"]
        kind = NotificationKind(rawValue: row["kind"]) ?? .dailyDigest
        entityType = row["entityType"]
        entityId = row["entityId"]
        engagementId = row["engagementId"]
        path = row["path"]
        createdAt = row["createdAt"]
        choice = DeliveryChoice(rawValue: row["choice"]) ?? .immediately
        mailStatus = MailStatus(rawValue: row["mailStatus"]) ?? .pending
        attempts = row["attempts"]
        lastError = row["lastError"]
        sentAt = row["sentAt"]
    }
}

/// Who a mail goes to: the person as the mail needs them (never a password or key).
public struct MailRecipient: Sendable, Equatable {
    public let personId: String
    public let email: String
    public let name: String
    public let language: Language
    public let timeZone: String
    public let role: Role

    public init(personId: String, email: String, name: String, language: Language, timeZone: String, role: Role) {
        self.personId = personId
        self.email = email
        self.name = name
        self.language = language
        self.timeZone = timeZone
        self.role = role
    }
}

/// A notification due to be mailed, with its person.
public struct OutgoingMail: Sendable, Equatable {
    public let notification: NotificationRecord
    public let recipient: MailRecipient

    public init(notification: NotificationRecord, recipient: MailRecipient) {
        self.notification = notification
        self.recipient = recipient
    }
}

/// One person's daily digest: what they kept for it, and for a coordinator the Today page's
/// follow-ups, for their local `day` (`2027-01-16`).
public struct DigestMail: Sendable {
    public let recipient: MailRecipient
    public let day: String
    public let notifications: [NotificationRecord]
    /// A coordinator's follow-ups at the moment the digest is made.
    public let followUps: FollowUps?

    public init(recipient: MailRecipient, day: String, notifications: [NotificationRecord], followUps: FollowUps?) {
        self.recipient = recipient
        self.day = day
        self.notifications = notifications
        self.followUps = followUps
    }
}

/// The outbox's side in the store (docs/design.md §10): what the delivery services take from it
/// and record in it, the time-based kinds, and each person's choices.
extension AppDatabase {
    /// Mail retries: after 1, 2, 4 … minutes, at most an hour apart, for a day; then failed.
    public static let mailRetryLimit = 30

    // MARK: - Delivery

    /// Pending notifications whose next attempt is due, oldest first, to active people.
    public func dueMail(limit: Int = 20) async throws -> [OutgoingMail] {
        let now = clock.now()
        return try await writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT notification.*, \(Self.recipientColumns) FROM notification JOIN person ON person.id = notification.personId
                    WHERE notification.mailStatus = 'pending' AND notification.nextAttemptAt <= ? AND person.status = 'active'
                    ORDER BY notification.nextAttemptAt, notification.rowid LIMIT ?
                    """,
                arguments: [now, limit]
            )
            return rows.map { OutgoingMail(notification: NotificationRecord(row: $0), recipient: Self.recipient(from: $0)) }
        }
    }

    /// The relay took the mail.
    public func markMailSent(_ ids: [String]) async throws {
        let now = clock.now()
        try await writer.write { db in
            for id in ids {
                try db.execute(
                    sql: "UPDATE notification SET mailStatus = 'sent', sentAt = ?, attempts = attempts + 1, lastError = NULL WHERE id = ?",
                    arguments: [now, id]
                )
            }
        }
    }

    /// The attempt failed for now: tried again after a backoff, or failed once out of retries.
    public func markMailRetry(_ id: String, error: String) async throws {
        let now = clock.now()
        try await writer.write { db in
            let attempts = try Int.fetchOne(db, sql: "SELECT attempts FROM notification WHERE id = ?", arguments: [id]) ?? 0
            let next = attempts + 1
            if next >= Self.mailRetryLimit {
                try db.execute(
                    sql: "UPDATE notification SET mailStatus = 'failed', attempts = ?, lastError = ? WHERE id = ?",
                    arguments: [next, "gave up after \(next) attempts: " + error, id]
                )
            } else {
                let delay = Self.mailBackoff(afterAttempt: next)
                try db.execute(
                    sql: "UPDATE notification SET attempts = ?, lastError = ?, nextAttemptAt = ? WHERE id = ?",
                    arguments: [next, error, now.addingTimeInterval(delay), id]
                )
            }
        }
    }

    /// The relay refused the mail for good: failed, with its answer, for the coordinators to see.
    public func markMailFailed(_ id: String, reply: String) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE notification SET mailStatus = 'failed', attempts = attempts + 1, lastError = ? WHERE id = ?",
                arguments: [reply, id]
            )
        }
    }

    /// Seconds before attempt `attempt + 1`: 1, 2, 4 … minutes, at most an hour, with ±10 % jitter
    /// so that a relay back from an outage is not met by every mail at once.
    public static func mailBackoff(afterAttempt attempt: Int) -> TimeInterval {
        let minutes = min(60.0, pow(2.0, Double(max(0, attempt - 1))))
        return minutes * 60 * Double.random(in: 0.9...1.1)
    }

    /// Mail the relay refused or that ran out of retries, newest first (coordinators only).
    public func failedMail(limit: Int = 50, for principal: Principal) async throws -> [OutgoingMail] {
        guard principal.role == .coordinator else { throw DomainError.forbidden("only a coordinator may read failed mail") }
        return try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT notification.*, \(Self.recipientColumns) FROM notification JOIN person ON person.id = notification.personId
                    WHERE notification.mailStatus = 'failed' ORDER BY notification.rowid DESC LIMIT ?
                    """,
                arguments: [limit]
            ).map { OutgoingMail(notification: NotificationRecord(row: $0), recipient: Self.recipient(from: $0)) }
        }
    }

    /// A person's notifications, newest first, whatever their choice.
    public func notifications(of personId: String, limit: Int = 50) async throws -> [NotificationRecord] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM notification WHERE personId = ? ORDER BY createdAt DESC, rowid DESC LIMIT ?",
                arguments: [personId, limit]
            ).map(NotificationRecord.init(row:))
        }
    }

    // MARK: - Time-based kinds

    /// Raises what the passing of time calls for (DESIGN §10), each once per object and person:
    /// a referral's answer due within `NotificationRules.referralDueSoonHours`; an agreement
    /// whose day passed unfulfilled. Returns how many events were raised.
    @discardableResult
    public func raiseTimedNotifications() async throws -> Int {
        let now = clock.now()
        let today = rules.today(at: now)
        return try await transaction { db in
            var raised = 0
            let soon = now.addingTimeInterval(Double(NotificationRules.referralDueSoonHours) * 3600)
            let referrals = try Row.fetchAll(
                db,
                sql: "SELECT id, studioId FROM referral WHERE status = 'offered' AND dueAt > ? AND dueAt <= ?",
                arguments: [now, soon]
            )
            for referral in referrals {
                let id: String = referral["id"]
                let event = try Outbox.raise(
                    .referralDueSoon,
                    about: "referral",
                    id: id,
                    engagementId: nil,
                    to: [.studio(referral["studioId"])],
                    once: "\(NotificationKind.referralDueSoon.rawValue):\(id)",
                    at: now,
                    in: db
                )
                if event != nil { raised += 1 }
            }
            let agreements = try Row.fetchAll(
                db,
                sql: """
                    SELECT agreement.id, agreement.engagementId, agreement.owner, engagement.studioId, engagement.clientId
                    FROM agreement JOIN engagement ON engagement.id = agreement.engagementId
                    WHERE agreement.fulfilledAt IS NULL AND agreement.due < ?
                    """,
                arguments: [today]
            )
            for agreement in agreements {
                let id: String = agreement["id"]
                var audiences: [NotificationAudience] = [.coordinators]
                switch AgreementOwner(rawValue: agreement["owner"]) {
                case .studio: audiences.append(.studio(agreement["studioId"]))
                case .client: audiences.append(.client(agreement["clientId"]))
                default: break
                }
                let event = try Outbox.raise(
                    .agreementOverdue,
                    about: "agreement",
                    id: id,
                    engagementId: agreement["engagementId"],
                    to: audiences,
                    once: "\(NotificationKind.agreementOverdue.rawValue):\(id)",
                    at: now,
                    in: db
                )
                if event != nil { raised += 1 }
            }
            return raised
        }
    }

    // MARK: - The daily digest

    /// Raises the digests due at `hour` (local, in each person's zone) that were not raised today:
    /// every coordinator's (unless they chose never to get it), and anyone's who kept
    /// notifications for it. A digest is a notification mailed like any other, and the kept ones
    /// are marked as carried by it in the same transaction, so each is mailed once, in one digest.
    @discardableResult
    public func raiseDueDigests(hour: Int) async throws -> Int {
        let now = clock.now()
        return try await transaction { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.recipientColumns), person.digestDay, person.notificationChoices FROM person
                    WHERE person.status = 'active' AND (person.role = 'coordinator'
                        OR EXISTS (SELECT 1 FROM notification WHERE personId = person.id AND mailStatus = 'held'))
                    """
            )
            var raised = 0
            for row in rows {
                let recipient = Self.recipient(from: row)
                let zone = TimeZone(identifier: recipient.timeZone) ?? .gmt
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = zone
                let day = Day(containing: now, in: zone).description
                guard calendar.component(.hour, from: now) >= hour, row["digestDay"] as String? != day else { continue }
                try db.execute(sql: "UPDATE person SET digestDay = ? WHERE id = ?", arguments: [day, recipient.personId])
                let kept =
                    try Int.fetchOne(
                        db,
                        sql: "SELECT COUNT(*) FROM notification WHERE personId = ? AND mailStatus = 'held'",
                        arguments: [recipient.personId]
                    ) ?? 0
                let choice = Self.choices(from: row["notificationChoices"])[.dailyDigest] ?? NotificationRules.defaultChoice
                guard kept > 0 || (recipient.role == .coordinator && choice != .never) else { continue }
                let id = Identifier.make("ntf")
                try db.execute(
                    sql: """
                        INSERT INTO notification (id, eventId, kind, personId, entityType, entityId, path, createdAt, choice,
                            mailStatus, nextAttemptAt, onceKey)
                        VALUES (?, ?, ?, ?, 'today', ?, '/', ?, ?, 'pending', ?, ?)
                        """,
                    arguments: [
                        id, Identifier.make("msg"), NotificationKind.dailyDigest.rawValue, recipient.personId, day, now, choice.rawValue,
                        now, "\(NotificationKind.dailyDigest.rawValue):\(day)",
                    ]
                )
                try db.execute(
                    sql: "UPDATE notification SET mailStatus = 'digested', digestId = ? WHERE personId = ? AND mailStatus = 'held'",
                    arguments: [id, recipient.personId]
                )
                raised += 1
            }
            return raised
        }
    }

    /// What a digest carries: the notifications kept for it and, for a coordinator, the Today
    /// page's follow-ups as they are when it is mailed.
    public func digestContents(_ digest: OutgoingMail) async throws -> DigestMail {
        let kept = try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM notification WHERE digestId = ? ORDER BY rowid", arguments: [digest.notification.id])
                .map(NotificationRecord.init(row:))
        }
        let followUps = digest.recipient.role == .coordinator ? try await followUps(for: .system) : nil
        return DigestMail(recipient: digest.recipient, day: digest.notification.entityId, notifications: kept, followUps: followUps)
    }

    // MARK: - Choices

    /// The person's choice per kind (every kind named; those never chosen at their default).
    public func notificationChoices(of personId: String) async throws -> [NotificationKind: DeliveryChoice] {
        try await writer.read { db in
            guard let text = try String.fetchOne(db, sql: "SELECT notificationChoices FROM person WHERE id = ?", arguments: [personId]) else {
                throw DomainError.notFound(entity: "person", id: personId)
            }
            return Self.choices(from: text)
        }
    }

    /// Sets some of the person's choices, by the person themself (DESIGN §10): one transaction
    /// with its journal event.
    public func setNotificationChoices(_ choices: [NotificationKind: DeliveryChoice], of personId: String, by principal: Principal) async throws {
        let now = clock.now()
        try await transaction { db in
            try Self.requireOwn(personId, principal, in: db)
            try Self.storeChoices(choices, of: personId, by: principal.actor, at: now, in: db)
        }
    }

    /// A coordinator's own record and their own choices changed by one request: one transaction,
    /// each change with its journal event, so that a refused half leaves nothing of the other.
    public func updatePerson(
        _ id: String,
        _ patch: PersonPatch,
        choices: [NotificationKind: DeliveryChoice],
        ifVersion: Int?,
        by principal: Principal
    ) async throws -> Person {
        try Policy.require(principal, .editPerson)
        let now = clock.now()
        return try await transaction { db in
            guard var person = try Person.fetchOne(db, key: id) else { throw DomainError.notFound(entity: "person", id: id) }
            if let ifVersion, ifVersion != person.version { throw StoreError.versionMismatch(current: person.version) }
            try Self.requireOwn(id, principal, in: db)
            let old = person
            try person.apply(patch, by: principal, at: now)
            try Self.checkReferences(of: person, in: db)
            if person != old {
                try person.update(db)
                try Journal.changed("person", id: id, action: "updated", from: old, to: person, by: principal.actor, at: now, in: db)
            }
            try Self.storeChoices(choices, of: id, by: principal.actor, at: now, in: db)
            return person
        }
    }

    /// The person in the console (their id) or with one of their own tokens, and nobody else.
    private static func requireOwn(_ personId: String, _ principal: Principal, in db: Database) throws {
        let own = try String.fetchOne(db, sql: "SELECT personId FROM accessToken WHERE id = ?", arguments: [principal.tokenId])
        guard principal.tokenId == personId || own == personId else {
            throw DomainError.forbidden("a person chooses their own notifications")
        }
    }

    static func choices(from text: String) -> [NotificationKind: DeliveryChoice] {
        let stored = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
        var choices: [NotificationKind: DeliveryChoice] = [:]
        for kind in NotificationKind.allCases {
            choices[kind] = stored[kind.rawValue].flatMap(DeliveryChoice.init(rawValue:)) ?? NotificationRules.defaultChoice
        }
        return choices
    }

    private static func storeChoices(
        _ changes: [NotificationKind: DeliveryChoice],
        of personId: String,
        by actor: Actor,
        at now: Date,
        in db: Database
    ) throws {
        guard let text = try String.fetchOne(db, sql: "SELECT notificationChoices FROM person WHERE id = ?", arguments: [personId]) else {
            throw DomainError.notFound(entity: "person", id: personId)
        }
        let old = choices(from: text)
        var new = old
        for (kind, choice) in changes { new[kind] = choice }
        guard new != old else { return }
        let stored = Dictionary(uniqueKeysWithValues: new.map { ($0.key.rawValue, $0.value.rawValue) })
        let json = JSONText.encode(stored)
        try db.execute(sql: "UPDATE person SET notificationChoices = ? WHERE id = ?", arguments: [json, personId])
        let before = Dictionary(uniqueKeysWithValues: old.filter { new[$0.key] != $0.value }.map { ($0.key.rawValue, $0.value.rawValue) })
        let after = Dictionary(uniqueKeysWithValues: new.filter { old[$0.key] != $0.value }.map { ($0.key.rawValue, $0.value.rawValue) })
        try Journal.append(
            Journal.Change(
                entityType: "person",
                entityId: personId,
                action: "notification-choices-set",
                before: ["notifications": before],
                after: ["notifications": after]
            ),
            by: actor,
            at: now,
            in: db
        )
    }

    // MARK: - One-click unsubscribe

    /// The secret of a link that stops one kind of mail to one person without signing in
    /// (RFC 8058): the person's id, the kind and an HMAC under the person's own key.
    public func unsubscribeToken(personId: String, kind: NotificationKind) async throws -> String {
        try await writer.write { db in
            var key = try String.fetchOne(db, sql: "SELECT unsubscribeKey FROM person WHERE id = ?", arguments: [personId])
            if key == nil {
                let made = SymmetricKey(size: .bits256).withUnsafeBytes { HexDigest.hex($0) }
                try db.execute(sql: "UPDATE person SET unsubscribeKey = ? WHERE id = ?", arguments: [made, personId])
                key = made
            }
            guard let key, let symmetric = HexDigest.fieldKey(hex: key) else { throw DomainError.notFound(entity: "person", id: personId) }
            return Self.unsubscribeToken(personId: personId, kind: kind, key: symmetric)
        }
    }

    /// Who and what a token stops, or nil when it is not one of ours.
    public func unsubscribeTarget(_ token: String) async throws -> (person: Person, kind: NotificationKind)? {
        // `per_….fix-item.struck.<mac>`: the kind's own dot sits between the first and the last.
        guard token.utf8.count <= 300, let first = token.firstIndex(of: "."), let last = token.lastIndex(of: "."), first < last,
            let kind = NotificationKind(rawValue: String(token[token.index(after: first)..<last]))
        else { return nil }
        let personId = String(token[..<first])
        return try await writer.read { db in
            guard let person = try Person.fetchOne(db, key: personId), person.status == .active,
                let hex = try String.fetchOne(db, sql: "SELECT unsubscribeKey FROM person WHERE id = ?", arguments: [personId]),
                let key = HexDigest.fieldKey(hex: hex)
            else { return nil }
            let expected = Self.unsubscribeToken(personId: person.id, kind: kind, key: key)
            guard Data(expected.utf8).constantTimeEquals(Data(token.utf8)) else { return nil }
            return (person, kind)
        }
    }

    /// Follows an unsubscribe link: the kind is not mailed to the person any more. The person's
    /// own change, journaled as theirs.
    public func unsubscribe(_ token: String) async throws -> (person: Person, kind: NotificationKind)? {
        guard let target = try await unsubscribeTarget(token) else { return nil }
        let now = clock.now()
        let actor = Actor(id: target.person.id, name: target.person.name, role: target.person.role.rawValue)
        try await transaction { db in
            try Self.storeChoices([target.kind: .never], of: target.person.id, by: actor, at: now, in: db)
        }
        return target
    }

    private static func unsubscribeToken(personId: String, kind: NotificationKind, key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(personId).\(kind.rawValue)".utf8), using: key)
        return "\(personId).\(kind.rawValue).\(HexDigest.hex(mac.prefix(16)))"
    }

    // MARK: - Rows

    static let recipientColumns =
        "person.id AS personId, person.email, person.name, person.language, person.timeZone, person.role AS personRole"

    static func recipient(from row: Row) -> MailRecipient {
        MailRecipient(
            personId: row["personId"],
            email: row["email"],
            name: row["name"],
            language: Language(rawValue: row["language"]),
            timeZone: row["timeZone"],
            role: Role(rawValue: row["personRole"]) ?? .client
        )
    }
}

extension Data {
    /// Compares without stopping at the first difference, so timing tells nothing of a secret.
    func constantTimeEquals(_ other: Data) -> Bool {
        guard count == other.count else { return false }
        return zip(self, other).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
