import ClubCore
import ClubStore
import Logging
import Metrics
import ServiceLifecycle

/// Mails the outbox's due notifications through the relay (DESIGN §10, docs/design.md §10.3):
/// each pass takes what is due on the store's clock, writes it in its person's language and
/// hands it to the relay; a deferral is retried with backoff, a refusal kept with the relay's
/// answer for the coordinators. Runs only when a relay is configured: without one nothing is
/// sent, nothing fails, and the console still lists every notification.
public struct MailDeliveryService: Service {
    let database: AppDatabase
    let transport: any MailTransport
    let composer: MailComposer
    let interval: Duration
    let logger: Logger

    public init(database: AppDatabase, transport: any MailTransport, composer: MailComposer, interval: Duration, logger: Logger) {
        self.database = database
        self.transport = transport
        self.composer = composer
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        // A full batch means more may be waiting: go again at once.
                        while try await pass() == Self.batch, !Task.isCancelled {}
                    } catch {
                        logger.error("mail pass failed", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            // Shutting down: what is not sent stays in the outbox for the next start.
        }
    }

    static let batch = 20

    /// A refusal of the relay's own settings (530–539: authentication required, failed, or too
    /// weak), not of the message: it is retried, so mail waits for the operator's fix rather than
    /// failing for every person at once.
    static func isRelayConfiguration(_ code: Int) -> Bool { (530...539).contains(code) }

    /// Sends what is due now; returns how many notifications it tried.
    @discardableResult
    public func pass() async throws -> Int {
        let due = try await database.dueMail(limit: Self.batch)
        for mail in due {
            await deliver(mail)
        }
        return due.count
    }

    private func deliver(_ mail: OutgoingMail) async {
        let id = mail.notification.id
        let message: MailMessage
        do {
            let token = try await database.unsubscribeToken(personId: mail.recipient.personId, kind: mail.notification.kind)
            let digest = mail.notification.kind == .dailyDigest ? try await database.digestContents(mail) : nil
            message = try composer.message(for: mail, unsubscribeToken: token, digest: digest)
        } catch {
            // A person's address the message cannot carry: no retry will help.
            try? await database.markMailFailed(id, reply: "not composed: \(error)")
            Counter(label: "clubd_mail_total", dimensions: [("result", "failed")]).increment()
            return
        }
        do {
            try await transport.send(message)
            try await database.markMailSent([id])
            Counter(label: "clubd_mail_total", dimensions: [("result", "sent")]).increment()
            logger.info("mailed a notification", metadata: ["notification": "\(id)", "kind": "\(mail.notification.kind.rawValue)"])
        } catch let SMTPError.permanent(code, reply) where !Self.isRelayConfiguration(code) {
            try? await database.markMailFailed(id, reply: "\(code) \(reply)")
            Counter(label: "clubd_mail_total", dimensions: [("result", "failed")]).increment()
            logger.warning("the relay refused a notification", metadata: ["notification": "\(id)", "reply": "\(code) \(reply)"])
        } catch {
            try? await database.markMailRetry(id, error: "\(error)")
            Counter(label: "clubd_mail_total", dimensions: [("result", "deferred")]).increment()
            logger.notice("a notification's mail will be tried again", metadata: ["notification": "\(id)", "error": "\(error)"])
        }
    }
}

/// What hands a message to a relay: the SMTP client in the daemon.
public protocol MailTransport: Sendable {
    func send(_ message: MailMessage) async throws
}

extension SMTPClient: MailTransport {}
