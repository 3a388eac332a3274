import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import Prometheus
import NIOCore

/// `clubd serve`: prepares the data folder, the database and TLS, then serves until SIGTERM or
/// SIGINT, which Hummingbird's service group turns into a graceful shutdown.
public enum ClubServer {
    public static func run(settings: ServerSettings, logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let data = settings.dataDirectory
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let database = try AppDatabase(path: settings.databasePath, rules: settings.rules)
        if let secret = try await database.bootstrapHeadToken() {
            try PrivateFile.write(secret + "\n", to: settings.bootstrapTokenPath)
            let notice = "Head coordinator token (shown once; also in \(settings.bootstrapTokenPath), mode 0600):\n\(secret)\n"
            FileHandle.standardOutput.write(Data(notice.utf8))
        }
        let (material, generated) = try TLSMaterial.load(certificatePath: settings.certificatePath, keyPath: settings.keyPath, directory: data + "/tls")
        let fingerprint = try material.fingerprint()
        logger.info(
            generated ? "generated a development certificate for localhost; clients trust \(data)/tls/ca.pem" : "loaded the TLS certificate",
            metadata: ["sha256": "\(fingerprint)"]
        )
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))
        let app = try buildApplication(database: database, settings: settings, tls: try material.serverConfiguration(), logger: logger, metrics: metrics, onServerRunning: onServerRunning)
        try await app.runService()
        try database.close()
        logger.info("clubd stopped")
    }
}
