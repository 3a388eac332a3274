import ClubCore
import ClubStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Delivers the webhook outbox (docs/design.md §10): at each pass, every due delivery is signed,
/// posted and its attempt recorded; a failure is retried by `WebhookRetrySchedule` with the same
/// `webhook-id` and body. The decisions (what is due, what follows an attempt) are the store's, on
/// its injected clock; a crash between a send and its record means one more send of the same
/// message (at least once), which receivers drop by `webhook-id`.
public struct WebhookDeliveryService: Service {
    let database: AppDatabase
    let settings: WebhookSettings
    let linkBase: @Sendable () -> String
    let logger: Logger

    /// `linkBase` gives the club's public address (`https://host[:port]`), read at each send so a
    /// listener on port 0 has its port by then.
    public init(database: AppDatabase, settings: WebhookSettings, logger: Logger, linkBase: @escaping @Sendable () -> String) {
        self.database = database
        self.settings = settings
        self.linkBase = linkBase
        self.logger = logger
    }

    public init(database: AppDatabase, settings: WebhookSettings, logger: Logger, linkBase: String) {
        self.init(database: database, settings: settings, logger: logger) { linkBase }
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        _ = try await pass()
                    } catch {
                        logger.error("webhook pass failed", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: settings.passInterval)
                }
            }
        } catch is CancellationError {
            // Shutting down: what was not sent stays pending in the store for the next start.
        }
    }

    /// Sends every delivery due now, `concurrency` at a time; returns how many attempts were made.
    @discardableResult
    public func pass() async throws -> Int {
        let clients = PinnedClients(settings: settings)
        let sender = WebhookSender(settings: settings, clients: clients, linkBase: linkBase)
        var attempts = 0
        do {
            // A bounded number of batches: what fails is due again only seconds later at the earliest.
            for _ in 0..<50 {
                let due = try await database.dueWebhookDeliveries(limit: settings.batchSize)
                if due.isEmpty { break }
                attempts += try await send(due, with: sender)
                if due.count < settings.batchSize { break }
            }
        } catch {
            await clients.shutdown()
            throw error
        }
        await clients.shutdown()
        return attempts
    }

    private func send(_ batch: [DueWebhookDelivery], with sender: WebhookSender) async throws -> Int {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var started = 0
            for due in batch {
                if started >= max(settings.concurrency, 1) { try await group.next() }
                started += 1
                group.addTask { try await attempt(due, with: sender) }
            }
            try await group.waitForAll()
            return batch.count
        }
    }

    private func attempt(_ due: DueWebhookDelivery, with sender: WebhookSender) async throws {
        let (attempt, payload) = await sender.send(due, at: database.clock.now())
        try await database.recordWebhookAttempt(attempt, of: due.id, payload: payload)
        Counter(label: "clubd_webhook_attempts_total", dimensions: [("outcome", attempt.succeeded ? "delivered" : "failed")]).increment()
        if !attempt.succeeded {
            logger.notice(
                "webhook attempt failed",
                metadata: [
                    "webhook": "\(due.webhookId)", "message": "\(due.messageId)", "attempt": "\(due.attemptCount + 1)",
                    "status": "\(attempt.statusCode.map(String.init) ?? "none")", "error": "\(attempt.error ?? "")",
                ]
            )
        }
    }
}
