import ClubCore
import Foundation
import GRDB

/// The outbox (DESIGN §10, docs/design.md §10.1): what someone must hear of is written in the
/// same transaction as the change that caused it, one notification per person concerned and one
/// webhook delivery per endpoint that wants it. A change that rolls back raises nothing; a crash
/// after the commit loses nothing, because the delivery services read the outbox afresh.
enum Outbox {
    /// Raises what a journal event calls for (`NotificationRules.triggers`). Called by
    /// `Journal.append` for every event, inside its transaction.
    static func journaled(_ event: JournalEvent, in db: Database) throws {
        for trigger in NotificationRules.triggers(entityType: event.entityType, action: event.action) {
            guard let subject = try Subject.of(event.entityType, event.entityId, kind: trigger.kind, in: db) else { continue }
            let audiences = trigger.parties.flatMap { subject.audiences(for: $0) }
            guard !audiences.isEmpty else { continue }
            try raise(
                trigger.kind,
                about: subject.entityType,
                id: subject.entityId,
                engagementId: subject.engagementId,
                to: audiences,
                once: trigger.once ? subject.onceKey : nil,
                excluding: event.actor.id,
                at: event.at,
                in: db
            )
        }
    }

    /// Writes a notification for each active person of the audiences (but the acting one, who
    /// knows) and hands the event to the webhooks. With `once`, a person already told under that
    /// key is not told again, and when nobody new is told the webhooks are not either.
    @discardableResult
    static func raise(
        _ kind: NotificationKind,
        about entityType: String,
        id entityId: String,
        engagementId: String?,
        to audiences: [NotificationAudience],
        once: String? = nil,
        excluding actorId: String? = nil,
        at now: Date,
        in db: Database
    ) throws -> OutboxEvent? {
        let event = OutboxEvent(
            id: Identifier.make("msg"),
            kind: kind,
            entityType: entityType,
            entityId: entityId,
            engagementId: engagementId,
            path: try AppDatabase.consolePath(entityType, entityId, role: .coordinator, in: db) ?? "/",
            at: now
        )
        var told = 0
        for recipient in try Recipient.all(in: audiences, excluding: actorId, in: db) {
            let choice = recipient.choices[kind.rawValue].flatMap(DeliveryChoice.init(rawValue:)) ?? NotificationRules.defaultChoice
            let path = try AppDatabase.consolePath(entityType, entityId, role: recipient.role, in: db) ?? "/"
            try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO notification (id, eventId, kind, personId, entityType, entityId, engagementId, path,
                        createdAt, choice, mailStatus, nextAttemptAt, onceKey)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: [
                    Identifier.make("ntf"), event.id, kind.rawValue, recipient.id, entityType, entityId, engagementId, path,
                    now, choice.rawValue, MailStatus.initial(for: choice).rawValue, now, once,
                ]
            )
            told += db.changesCount
        }
        guard once == nil || told > 0 else { return nil }
        try WebhookOutbox.enqueue(event, in: db)
        return event
    }
}

/// Where a notification's e-mail stands.
public enum MailStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting to be mailed at once (or retried at `nextAttemptAt`).
    case pending
    /// Kept for the person's daily digest.
    case held
    /// Mailed in a daily digest.
    case digested
    /// Mailed.
    case sent
    /// Refused for good by the relay, or out of retries: `lastError` says why.
    case failed
    /// The person chose not to be mailed this kind.
    case skipped

    static func initial(for choice: DeliveryChoice) -> MailStatus {
        switch choice {
        case .immediately: .pending
        case .digest: .held
        case .never: .skipped
        }
    }
}

/// A person the outbox tells: who, in which role, and their choices per kind.
private struct Recipient {
    let id: String
    let role: Role
    let choices: [String: String]

    static func all(in audiences: [NotificationAudience], excluding actorId: String?, in db: Database) throws -> [Recipient] {
        var seen = Set<String>()
        var recipients: [Recipient] = []
        for audience in audiences {
            let (condition, arguments): (String, StatementArguments) =
                switch audience {
                case .coordinators: ("role = 'coordinator'", [])
                case .studio(let id): ("role = 'studio' AND studioId = ?", [id])
                case .client(let id): ("role = 'client' AND clientId = ?", [id])
                }
            // The acting person, whether in the console (their id) or with one of their tokens.
            let sql = """
                SELECT id, role, notificationChoices FROM person WHERE status = 'active' AND \(condition)
                AND id <> :actor AND id NOT IN (SELECT personId FROM accessToken WHERE id = :actor AND personId IS NOT NULL)
                ORDER BY rowid
                """
            var named = arguments
            _ = named.append(contentsOf: ["actor": actorId ?? ""])
            for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: named) where seen.insert(row["id"]).inserted {
                let choices = (try? Self.storedChoices.value(for: row["notificationChoices"])) ?? [:]
                recipients.append(Recipient(id: row["id"], role: Role(rawValue: row["role"]) ?? .client, choices: choices))
            }
        }
        return recipients
    }

    /// Each person's choices, decoded once per distinct text: the outbox reads them for every
    /// recipient of every event, on the writer, and most people keep the same few choices.
    private static let storedChoices = DecodedTexts<[String: String]> { text in
        try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }
}

/// The object a triggered event is about, with the parties it names, read from its own rows.
private struct Subject {
    let entityType: String
    let entityId: String
    let engagementId: String?
    let studioId: String?
    let clientId: String?
    /// Of an agreement or a fix list's revision: the sides that have not confirmed it.
    let unconfirmed: [NotificationAudience]
    /// The key of a once-only kind: the object and, for a fix list, its revision.
    let onceKey: String

    func audiences(for party: NotificationRules.Party) -> [NotificationAudience] {
        switch party {
        case .coordinators: [.coordinators]
        case .studio: studioId.map { [.studio($0)] } ?? []
        case .client: clientId.map { [.client($0)] } ?? []
        case .unconfirmedSides: unconfirmed
        }
    }

    static func of(_ entityType: String, _ id: String, kind: NotificationKind, in db: Database) throws -> Subject? {
        func row(_ sql: String) throws -> Row? { try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [id]) }
        func sides(_ row: Row, studio: String?, client: String?) -> [NotificationAudience] {
            var sides: [NotificationAudience] = []
            if row["studioConfirmation"] as String? == nil, let studio { sides.append(.studio(studio)) }
            if row["clientConfirmation"] as String? == nil, let client { sides.append(.client(client)) }
            return sides
        }
        let once = "\(kind.rawValue):\(id)"
        switch entityType {
        case "referral":
            guard let found = try row("SELECT studioId FROM referral WHERE id = ?") else { return nil }
            return Subject(entityType, id, engagement: nil, studio: found["studioId"], client: nil, once: once)
        case "agreement":
            let sql = """
                SELECT agreement.*, engagement.studioId AS engagementStudio, engagement.clientId AS engagementClient
                FROM agreement JOIN engagement ON engagement.id = agreement.engagementId WHERE agreement.id = ?
                """
            guard let found = try row(sql) else { return nil }
            let studio: String? = found["engagementStudio"]
            let client: String? = found["engagementClient"]
            return Subject(
                entityType,
                id,
                engagement: found["engagementId"],
                studio: studio,
                client: client,
                unconfirmed: found["fulfilledAt"] as Date? == nil ? sides(found, studio: studio, client: client) : [],
                once: once
            )
        case "fix-item":
            let sql = """
                SELECT fixItem.fixListId, fixItem.assignedStudioId, fixList.status, fixList.revision,
                    fixList.studioConfirmation, fixList.clientConfirmation, engagement.id AS engagementId,
                    engagement.studioId AS engagementStudio, engagement.clientId AS engagementClient
                FROM fixItem JOIN fixList ON fixList.id = fixItem.fixListId JOIN engagement ON engagement.id = fixList.engagementId
                WHERE fixItem.id = ?
                """
            guard let found = try row(sql) else { return nil }
            let studio: String? = found["engagementStudio"]
            let client: String? = found["engagementClient"]
            guard kind == .fixListAwaitingConfirmation else {
                return Subject(
                    entityType,
                    id,
                    engagement: found["engagementId"],
                    studio: found["assignedStudioId"] ?? studio,
                    client: client,
                    once: once
                )
            }
            // Confirmation is of the list's revision: the notice is about the list.
            let listId: String = found["fixListId"]
            let status: String = found["status"]
            let revision: Int = found["revision"]
            return Subject(
                "fix-list",
                listId,
                engagement: found["engagementId"],
                studio: studio,
                client: client,
                unconfirmed: ["draft", "amending"].contains(status) ? sides(found, studio: studio, client: client) : [],
                once: "\(kind.rawValue):\(listId):\(revision)"
            )
        case "complaint", "audit":
            let table = entityType == "complaint" ? "complaint" : "audit"
            guard let found = try row("SELECT engagementId, studioId, clientId FROM \(table) WHERE id = ?") else { return nil }
            return Subject(entityType, id, engagement: found["engagementId"], studio: found["studioId"], client: found["clientId"], once: once)
        case "consulting-session":
            let sql = """
                SELECT consultingOffer.clientId, engagementExit.engagementId FROM consultingSession
                JOIN consultingOffer ON consultingOffer.id = consultingSession.offerId
                JOIN engagementExit ON engagementExit.id = consultingOffer.exitId WHERE consultingSession.id = ?
                """
            guard let found = try row(sql) else { return nil }
            return Subject(entityType, id, engagement: found["engagementId"], studio: nil, client: found["clientId"], once: once)
        default:
            return nil
        }
    }

    private init(
        _ entityType: String,
        _ entityId: String,
        engagement: String?,
        studio: String?,
        client: String?,
        unconfirmed: [NotificationAudience] = [],
        once: String
    ) {
        self.entityType = entityType
        self.entityId = entityId
        self.engagementId = engagement
        self.studioId = studio
        self.clientId = client
        self.unconfirmed = unconfirmed
        self.onceKey = once
    }
}
