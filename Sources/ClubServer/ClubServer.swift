import ClubStore
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus
import UnixSignals

/// `clubd serve`: prepares the data folder, the database and TLS, then serves until SIGTERM or
/// SIGINT, which Hummingbird's service group turns into a graceful shutdown; SIGHUP reloads the certificate.
public enum ClubServer {
    public static func run(
        settings: ServerSettings,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let folder = settings.store.dataFolder
        let servingLock = try ServingLock.acquire(folder)  // one daemon per data folder, none under a restore
        defer { servingLock.release() }
        let database = try AppDatabase.open(settings.store)
        // Rows and contents agree before anyone is served (docs/design.md §11.2).
        let repair = try await database.repairFiles()
        logger.log(level: repair.isClean ? .info : .warning, "evidence files checked", metadata: ["files": "\(repair.summary)"])
        for id in repair.lostFiles { logger.error("evidence file lost: its content is nowhere; the row was removed", metadata: ["file": "\(id)"]) }
        if let secret = try await database.bootstrapHeadToken() {
            try PrivateFile.write(secret + "\n", to: folder.bootstrapTokenPath)
            let notice = "Head coordinator token (shown once; also in \(folder.bootstrapTokenPath), mode 0600):\n\(secret)\n"
            FileHandle.standardOutput.write(Data(notice.utf8))
        }
        // The pair is checked at start as at every SIGHUP (docs/design.md §6.1): a bad one stops the start, naming its file.
        let source = CertificateSource(certificatePath: settings.certificatePath, keyPath: settings.keyPath, directory: folder.tlsDirectory)
        let (pair, origin) = try source.load()
        let certificates = CertificateReloader(source: source, initial: pair)
        let notice = origin.notice(directory: folder.tlsDirectory)
        logger.log(
            level: notice.level,
            "\(notice.message)",
            metadata: ["sha256": "\(pair.fingerprint)", "expires": "\(pair.notValidAfter.ISO8601Format())"]
        )
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))
        let app = try buildApplication(
            database: database,
            settings: settings,
            tls: certificates.serverConfiguration(),
            logger: logger,
            metrics: metrics,
            onServerRunning: onServerRunning
        )
        // Trapped before the listener opens: SIGHUP's default action would end the daemon.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { await certificates.reloadOnHangup(hangups, logger: logger) }
                try await app.runService()
                tasks.cancelAll()
            }
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            try? database.close()
            throw ListenerError(host: settings.host, port: settings.port)
        }
        try database.close()
        logger.info("clubd stopped")
    }
}

/// The address to listen on is taken: said in one line naming it, rather than as NIO's system call error.
public struct ListenerError: Error, CustomStringConvertible {
    public let host: String
    public let port: Int

    public var description: String { "port \(port) on \(host) is already in use; stop what listens there or choose another port (--port)" }
}
