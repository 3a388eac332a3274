import ClubStore
import Logging
import Metrics
import ServiceLifecycle

/// A pass the daemon makes over the club at an interval, for what happens without anyone's
/// action: expired referrals handed on, fix items accepted when the client did not check them.
/// The decisions are the store's, on its injected clock (so tests move the clock and call the
/// store); a service only decides when to look.
public struct SweepService: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let pass: @Sendable () async throws -> Void

    public init(name: String, interval: Duration, logger: Logger, pass: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.pass = pass
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
            try await pass()
        } catch {
            logger.error("\(name) sweep failed", metadata: ["error": "\(error)"])
        }
    }
}

extension SweepService {
    /// Expires referrals left unanswered past their deadline and hands each request on to the
    /// next shortlisted studio (docs/design.md §3.4).
    public static func referralExpiry(database: AppDatabase, interval: Duration, logger: Logger) -> SweepService {
        SweepService(name: "referral", interval: interval, logger: logger) {
            Gauge(label: "clubd_referrals_overdue").record(try await database.overdueReferralCount())
            let expired = try await database.expireOverdueReferrals()
            if expired > 0 { logger.info("expired unanswered referrals and handed them on", metadata: ["count": "\(expired)"]) }
        }
    }

    /// Accepts, as the daemon, struck fix items the client did not check within the club's days
    /// (`ClubRules.fixItemAutoAcceptDays`), each with a journal event that says so (docs/design.md §3.7).
    public static func fixItemAutoAccept(database: AppDatabase, interval: Duration, logger: Logger) -> SweepService {
        SweepService(name: "fix item check", interval: interval, logger: logger) {
            let accepted = try await database.autoAcceptDueFixItems()
            if accepted > 0 { logger.info("accepted fix items the client did not check in time", metadata: ["count": "\(accepted)"]) }
        }
    }

    /// Raises what the passing of time calls for (docs/design.md §10.2): a referral's answer due
    /// within hours, an agreement overdue, each person's daily digest from `digestHour` on.
    public static func timedNotifications(database: AppDatabase, digestHour: Int, interval: Duration, logger: Logger) -> SweepService {
        SweepService(name: "notification timer", interval: interval, logger: logger) {
            let raised = try await database.raiseTimedNotifications()
            let digests = try await database.raiseDueDigests(hour: digestHour)
            if raised + digests > 0 {
                logger.info("raised time-based notifications", metadata: ["events": "\(raised)", "digests": "\(digests)"])
            }
        }
    }
}
