import ClubCore
import Crypto
import Foundation
import GRDB

extension Webhook: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "webhook"
}

/// An endpoint with its signing secret, answered once: when it is registered or rotated.
public struct WebhookWithSecret: Sendable {
    public let webhook: Webhook
    public let secret: String
    /// After a rotation: until when the previous secret signs too.
    public let previousSecretUntil: Date?
}

/// What the delivery service needs to send one due delivery (docs/design.md §10).
public struct DueWebhookDelivery: Sendable, Equatable {
    public let id: String
    public let webhookId: String
    public let messageId: String
    public let url: String
    /// The secrets that sign it: the current one, and the previous one during a rotation's overlap.
    public let secrets: [String]
    public let event: OutboxEvent
    /// The body as first sent; nil before the first attempt.
    public let payload: String?
    public let attemptCount: Int
}

/// Webhook secrets as Standard Webhooks writes them: `whsec_` and 32 random bytes in base64.
public enum WebhookSecret {
    public static let prefix = "whsec_"

    public static func generate() -> String {
        prefix + Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString()
    }
}

extension AppDatabase {
    // MARK: - Endpoints

    /// Registers an endpoint; its secret is in this answer and never again.
    public func registerWebhook(_ input: WebhookInput, targets: WebhookTargetRule, by principal: Principal) async throws -> WebhookWithSecret {
        try Policy.require(principal, .manageWebhooks)
        let valid = try input.validated(targets)
        let now = clock.now()
        let secret = WebhookSecret.generate()
        return try await transaction { db in
            let webhook = Webhook(id: Identifier.make("whk"), input: valid, createdAt: now, createdBy: principal.name)
            try webhook.insert(db)
            try db.execute(sql: "UPDATE webhook SET secret = ? WHERE id = ?", arguments: [secret, webhook.id])
            try Journal.created("webhook", id: webhook.id, webhook, by: principal.actor, at: now, in: db)
            return WebhookWithSecret(webhook: webhook, secret: secret, previousSecretUntil: nil)
        }
    }

    public func webhooks(page: PageRequest, for principal: Principal) async throws -> Page<Webhook> {
        try Policy.require(principal, .manageWebhooks)
        return try await self.page(Webhook.self, from: "webhook", page: page)
    }

    public func webhook(_ id: String, for principal: Principal) async throws -> Webhook {
        try Policy.require(principal, .manageWebhooks)
        return try await writer.read { db in try Self.existingWebhook(id, in: db) }
    }

    /// Edits the URL, events or description, or disables or re-enables the endpoint.
    public func updateWebhook(
        _ id: String,
        _ patch: WebhookPatch,
        ifVersion expected: Int?,
        targets: WebhookTargetRule,
        by principal: Principal
    ) async throws -> Webhook {
        try Policy.require(principal, .manageWebhooks)
        let valid = try patch.validated(targets)
        return try await update(Webhook.self, entity: "webhook", id: id, ifVersion: expected, action: "edited", by: principal) { webhook, _ in
            webhook.apply(valid)
        }
    }

    /// Deletes the endpoint with its deliveries and their log.
    public func deleteWebhook(_ id: String, by principal: Principal) async throws {
        try Policy.require(principal, .manageWebhooks)
        let now = clock.now()
        try await transaction { db in
            let webhook = try Self.existingWebhook(id, in: db)
            try db.execute(sql: "DELETE FROM webhook WHERE id = ?", arguments: [id])
            let change = Journal.Change(entityType: "webhook", entityId: id, action: "deleted", texts: (JSONText.fieldTexts(of: webhook), [:]))
            try Journal.append(change, by: principal.actor, at: now, in: db)
        }
    }

    /// A new secret, shown once; the old one keeps signing alongside for `WebhookRules.rotationOverlap`.
    public func rotateWebhookSecret(_ id: String, by principal: Principal) async throws -> WebhookWithSecret {
        try Policy.require(principal, .manageWebhooks)
        let now = clock.now()
        let secret = WebhookSecret.generate()
        let until = now.addingTimeInterval(WebhookRules.rotationOverlap)
        return try await transaction { db in
            let old = try Self.existingWebhook(id, in: db)
            var webhook = old
            webhook.secretRotatedAt = now
            webhook.version += 1
            try webhook.update(db)
            try db.execute(
                sql: "UPDATE webhook SET previousSecret = secret, previousSecretUntil = ?, secret = ? WHERE id = ?",
                arguments: [until, secret, id]
            )
            try Journal.changed("webhook", id: id, action: "secret-rotated", from: old, to: webhook, by: principal.actor, at: now, in: db)
            return WebhookWithSecret(webhook: webhook, secret: secret, previousSecretUntil: until)
        }
    }

    static func existingWebhook(_ id: String, in db: Database) throws -> Webhook {
        guard let webhook = try Webhook.fetchOne(db, key: id) else { throw DomainError.notFound(entity: "webhook", id: id) }
        return webhook
    }

    // MARK: - Deliveries

    /// The endpoint's deliveries, oldest first, each with its attempts.
    public func webhookDeliveries(of webhookId: String, page request: PageRequest, for principal: Principal) async throws -> Page<WebhookDelivery> {
        try Policy.require(principal, .manageWebhooks)
        _ = try await webhook(webhookId, for: principal)
        let rows = try await page(DeliveryRow.self, from: "webhookDelivery", where: ["webhookId = ?"], arguments: [webhookId], page: request)
        let items = try await writer.read { db in try rows.items.map { try $0.delivery(in: db) } }
        return Page(items: items, nextCursor: rows.nextCursor)
    }

    /// Sends the same message (same `webhook-id`, same body) once more, at the service's next pass.
    public func redeliverWebhook(_ deliveryId: String, by principal: Principal) async throws -> WebhookDelivery {
        try Policy.require(principal, .manageWebhooks)
        let now = clock.now()
        return try await transaction { db in
            guard let row = try DeliveryRow.fetchOne(db, sql: "SELECT * FROM webhookDelivery WHERE id = ?", arguments: [deliveryId]) else {
                throw DomainError.notFound(entity: "webhook delivery", id: deliveryId)
            }
            let webhook = try Self.existingWebhook(row.webhookId, in: db)
            guard webhook.status == .active else {
                throw DomainError.illegalTransition(entity: "webhook", from: webhook.status.rawValue, action: "be redelivered to")
            }
            try db.execute(
                sql: "UPDATE webhookDelivery SET status = 'pending', nextAttemptAt = ? WHERE id = ?",
                arguments: [now, deliveryId]
            )
            let change = Journal.Change(
                entityType: "webhook-delivery",
                entityId: deliveryId,
                action: "redelivery-requested",
                before: ["status": row.status],
                after: ["status": WebhookDelivery.Status.pending.rawValue, "webhookId": row.webhookId, "messageId": row.messageId]
            )
            try Journal.append(change, by: principal.actor, at: now, in: db)
            return try DeliveryRow.fetchOne(db, sql: "SELECT * FROM webhookDelivery WHERE id = ?", arguments: [deliveryId])?.delivery(in: db)
                ?? row.delivery(in: db)
        }
    }

    // MARK: - For the delivery service

    /// Pending deliveries of active endpoints whose time has come on the store's clock, oldest first.
    public func dueWebhookDeliveries(limit: Int) async throws -> [DueWebhookDelivery] {
        let now = clock.now()
        return try await writer.read { db in
            let sql = """
                SELECT webhookDelivery.*, webhook.url, webhook.secret, webhook.previousSecret, webhook.previousSecretUntil
                FROM webhookDelivery JOIN webhook ON webhook.id = webhookDelivery.webhookId
                WHERE webhookDelivery.status = 'pending' AND webhookDelivery.nextAttemptAt <= ? AND webhook.status = 'active'
                ORDER BY webhookDelivery.nextAttemptAt, webhookDelivery.rowid LIMIT ?
                """
            return try Row.fetchAll(db, sql: sql, arguments: [now, limit]).map { row in
                let delivery = try DeliveryRow(row: row)
                var secrets: [String] = [row["secret"] ?? ""]
                if let previous: String = row["previousSecret"], let until: Date = row["previousSecretUntil"], until > now {
                    secrets.append(previous)
                }
                return DueWebhookDelivery(
                    id: delivery.id,
                    webhookId: delivery.webhookId,
                    messageId: delivery.messageId,
                    url: row["url"],
                    secrets: secrets,
                    event: delivery.event,
                    payload: delivery.payload,
                    attemptCount: delivery.attemptCount
                )
            }
        }
    }

    /// The earliest time a pending delivery of an active endpoint falls due, for the service's sleep.
    public func nextWebhookAttemptAt() async throws -> Date? {
        try await writer.read { db in
            try Date.fetchOne(
                db,
                sql: """
                    SELECT MIN(webhookDelivery.nextAttemptAt) FROM webhookDelivery JOIN webhook ON webhook.id = webhookDelivery.webhookId
                    WHERE webhookDelivery.status = 'pending' AND webhook.status = 'active'
                    """
            )
        }
    }

    /// Records one attempt and decides what follows: delivered on a 2xx; otherwise tried again
    /// by the schedule, or failed when it is spent. An endpoint failing without a success for
    /// `WebhookRules.disableAfterFailingFor` is disabled and the coordinators are told.
    public func recordWebhookAttempt(
        _ attempt: WebhookAttempt,
        of deliveryId: String,
        payload: String,
        schedule: WebhookRetrySchedule = .standard,
        random: Double = Double.random(in: 0..<1)
    ) async throws {
        let now = clock.now()
        try await transaction { db in
            // The endpoint may have been deleted while the request was in flight.
            guard let row = try DeliveryRow.fetchOne(db, sql: "SELECT * FROM webhookDelivery WHERE id = ?", arguments: [deliveryId]),
                let webhook = try Webhook.fetchOne(db, key: row.webhookId)
            else { return }
            try db.execute(
                sql: "INSERT INTO webhookAttempt (deliveryId, at, statusCode, durationMs, responseHead, error) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [deliveryId, attempt.at, attempt.statusCode, attempt.durationMs, attempt.responseHead, attempt.error]
            )
            let count = row.attemptCount + 1
            if attempt.succeeded {
                try db.execute(
                    sql: """
                        UPDATE webhookDelivery SET attemptCount = ?, payload = COALESCE(payload, ?), status = 'delivered',
                            deliveredAt = ?, nextAttemptAt = NULL WHERE id = ?
                        """,
                    arguments: [count, payload, now, deliveryId]
                )
                try Self.recovered(webhook, at: now, in: db)
                return
            }
            let next = schedule.nextAttempt(after: count, at: now, random: random)
            try db.execute(
                sql: "UPDATE webhookDelivery SET attemptCount = ?, payload = COALESCE(payload, ?), status = ?, nextAttemptAt = ? WHERE id = ?",
                arguments: [count, payload, (next == nil ? WebhookDelivery.Status.failed : .pending).rawValue, next, deliveryId]
            )
            try Self.failed(webhook, at: now, in: db)
        }
    }

    /// A success ends a run of failures.
    private static func recovered(_ old: Webhook, at now: Date, in db: Database) throws {
        guard old.failingSince != nil else { return }
        var webhook = old
        webhook.failingSince = nil
        webhook.version += 1
        try webhook.update(db)
        try Journal.changed("webhook", id: webhook.id, action: "recovered", from: old, to: webhook, by: .system, at: now, in: db)
    }

    /// A failure starts a run, or lengthens one until it disables the endpoint.
    private static func failed(_ old: Webhook, at now: Date, in db: Database) throws {
        guard old.status == .active else { return }
        var webhook = old
        let disable = WebhookRules.shouldDisable(failingSince: old.failingSince, now: now)
        guard old.failingSince == nil || disable else { return }
        if old.failingSince == nil { webhook.failingSince = now }
        if disable {
            webhook.status = .disabled
            webhook.disabledReason = WebhookRules.disabledAfterFailures
        }
        webhook.version += 1
        try webhook.update(db)
        let action = disable ? "disabled" : "failing"
        try Journal.changed("webhook", id: webhook.id, action: action, from: old, to: webhook, by: .system, at: now, in: db)
        if disable {
            try Outbox.raise(.webhookDisabled, about: "webhook", id: webhook.id, engagementId: nil, to: [.coordinators], at: now, in: db)
        }
    }
}

/// A `webhookDelivery` row as stored.
struct DeliveryRow: FetchableRecord, Sendable {
    let id: String
    let webhookId: String
    let messageId: String
    let event: OutboxEvent
    let payload: String?
    let status: String
    let attemptCount: Int
    let nextAttemptAt: Date?
    let createdAt: Date
    let deliveredAt: Date?

    init(row: Row) throws {
        id = row["id"]
        webhookId = row["webhookId"]
        messageId = row["messageId"]
        let kind: String = row["eventType"]
        event = OutboxEvent(
            id: row["messageId"],
            kind: NotificationKind(rawValue: kind) ?? .webhookDisabled,
            entityType: row["entityType"],
            entityId: row["entityId"],
            engagementId: row["engagementId"],
            path: row["path"],
            at: row["eventAt"]
        )
        payload = row["payload"]
        status = row["status"]
        attemptCount = row["attemptCount"]
        nextAttemptAt = row["nextAttemptAt"]
        createdAt = row["createdAt"]
        deliveredAt = row["deliveredAt"]
    }

    func delivery(in db: Database) throws -> WebhookDelivery {
        let attempts = try Row.fetchAll(db, sql: "SELECT * FROM webhookAttempt WHERE deliveryId = ? ORDER BY seq", arguments: [id]).map { row in
            WebhookAttempt(
                at: row["at"],
                statusCode: row["statusCode"],
                durationMs: row["durationMs"],
                responseHead: row["responseHead"],
                error: row["error"]
            )
        }
        return WebhookDelivery(
            id: id,
            webhookId: webhookId,
            messageId: messageId,
            eventType: event.kind,
            entityType: event.entityType,
            entityId: event.entityId,
            status: WebhookDelivery.Status(rawValue: status) ?? .pending,
            attemptCount: attemptCount,
            nextAttemptAt: nextAttemptAt,
            createdAt: createdAt,
            deliveredAt: deliveredAt,
            attempts: attempts
        )
    }
}
