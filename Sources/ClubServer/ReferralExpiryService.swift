import ClubStore
import Logging
import Metrics
import ServiceLifecycle

/// Expires referrals left unanswered past their deadline and hands each request on to the next
/// shortlisted studio, without anyone's action. The decisions are the store's (driven by its
/// injected clock); this service only decides when to look.
public struct ReferralExpiryService: Service {
    let database: AppDatabase
    let interval: Duration
    let logger: Logger

    public init(database: AppDatabase, interval: Duration, logger: Logger) {
        self.database = database
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await sweep()
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            // Shutting down: nothing left to do.
        }
    }

    /// One pass; failures are logged and retried on the next pass rather than stopping the daemon.
    public func sweep() async {
        do {
            Gauge(label: "clubd_referrals_overdue").record(try await database.overdueReferralCount())
            let expired = try await database.expireOverdueReferrals()
            if expired > 0 { logger.info("expired unanswered referrals and handed them on", metadata: ["count": "\(expired)"]) }
        } catch {
            logger.error("referral sweep failed", metadata: ["error": "\(error)"])
        }
    }
}
