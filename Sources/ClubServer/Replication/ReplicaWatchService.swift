import AsyncHTTPClient
import ClubStore
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Reads Litestream's Prometheus endpoint every second and puts how far the replica is behind into
/// clubd's `/metrics` (docs/design.md §11.4): `clubd_replica_reachable`, `clubd_replica_lag_seconds`,
/// `clubd_replica_events_behind` and `clubd_replica_backlog_bytes`.
public struct ReplicaWatchService: Service {
    let database: AppDatabase
    let metricsURL: String
    let databasePath: String
    let interval: Duration
    let logger: Logger

    public init(database: AppDatabase, metricsURL: String, databasePath: String, interval: Duration = .seconds(1), logger: Logger) {
        self.database = database
        self.metricsURL = metricsURL
        self.databasePath = databasePath
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                var journal = JournalReading(logger: logger)
                var lag = ReplicaLag(head: try await firstHead(&journal))
                var lastState = WatchState.reporting
                while !Task.isCancelled {
                    let (state, reason) = await tick(&lag, journal: &journal)
                    if state != lastState { log(state, reason: reason) }
                    lastState = state
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            // Shutting down.
        }
    }

    /// The journal's head when the watch begins. A failed read is logged and tried again: a watch
    /// that gave up would end the service group, and with it the daemon.
    private func firstHead(_ journal: inout JournalReading) async throws -> Int64 {
        while true {
            do {
                let head = try await database.journalHead().seq
                journal.succeeded()
                return head
            } catch {
                journal.failed("the journal's head", error)
                try await Task.sleep(for: interval)
            }
        }
    }

    /// One look: Litestream's report and the journal's head, then the gauges.
    func tick(_ lag: inout ReplicaLag, journal: inout JournalReading) async -> (WatchState, reason: String) {
        let (report, state, reason) = await fetchReport()
        do {
            let head = try await database.journalHead().seq
            lag.observe(head: head, report: report)
            let behind = lag.eventsBehind(head: head)
            let oldestMissing = behind > 0 ? try await database.journalTime(after: lag.replicatedThrough) : nil
            Gauge(label: "clubd_replica_reachable").record(report == nil ? 0 : 1)
            Gauge(label: "clubd_replica_events_behind").record(behind)
            Gauge(label: "clubd_replica_lag_seconds").record(oldestMissing.map { max(0, Date().timeIntervalSince($0)) } ?? 0)
            if let backlog = lag.backlogBytes { Gauge(label: "clubd_replica_backlog_bytes").record(backlog) }
            journal.succeeded()
        } catch {
            journal.failed("the journal", error)
        }
        return (state, reason)
    }

    private func fetchReport() async -> (LitestreamReport?, WatchState, reason: String) {
        do {
            var request = HTTPClientRequest(url: metricsURL)
            request.method = .GET
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(2))
            guard response.status == .ok else { return (nil, .unreachable, "HTTP \(response.status.code)") }
            let body = try await response.body.collect(upTo: 4 << 20)
            guard let report = LitestreamReport.parse(String(buffer: body), databasePath: databasePath) else {
                return (nil, .notReplicating, "")
            }
            return (report, .reporting, "")
        } catch {
            return (nil, .unreachable, "\(error)")
        }
    }

    private func log(_ state: WatchState, reason: String) {
        switch state {
        case .reporting:
            logger.info("Litestream reports the replica's position", metadata: ["metrics": "\(metricsURL)"])
        case .unreachable:
            logger.warning(
                "Litestream's metrics do not answer: the replica's lag grows from the last position known",
                metadata: ["metrics": "\(metricsURL)", "reason": "\(reason)"]
            )
        case .notReplicating:
            logger.warning(
                "Litestream's metrics name no replica of this database; check the path in its configuration",
                metadata: ["metrics": "\(metricsURL)", "database": "\(databasePath)"]
            )
        }
    }
}

/// Whether the watch could read the journal at its last look. A failure is logged when it begins
/// and the recovery when it ends, not every second in between: a journal that stays unreadable
/// would otherwise fill the log.
struct JournalReading {
    let logger: Logger
    private(set) var failing = false

    mutating func failed(_ what: String, _ error: any Error) {
        guard !failing else { return }
        failing = true
        logger.error("replica watch could not read \(what); trying again every look", metadata: ["error": "\(error)"])
    }

    mutating func succeeded() {
        guard failing else { return }
        failing = false
        logger.info("replica watch reads the journal again")
    }
}

/// What the last look at Litestream found; a change is logged once.
enum WatchState {
    case reporting
    case unreachable
    case notReplicating
}
