import ClubAPI
import ClubServer
import ClubStore
import Foundation
import Logging
import NIOSSL
import ServiceLifecycle
import Testing

/// The real application over real TLS on an ephemeral port, with a development certificate
/// made in memory, run in a service group for the length of `body`.
enum LiveServer {
    /// How long a test's client and this server wait on a quiet connection. The whole suite on
    /// two cores may leave this process without a thread for many seconds (browsers, fuzzers and
    /// daemons run beside it): a starved test is slow, not wrong.
    static let patientRead = Duration.seconds(300)

    static var patientSettings: ServerSettings {
        var settings = ServerSettings(port: 0)
        settings.idleTimeout = patientRead
        return settings
    }

    static func run(
        database: AppDatabase,
        settings: ServerSettings = patientSettings,
        _ body: @escaping @Sendable (Int, TLSMaterial) async throws -> Void
    ) async throws {
        let material = try TLSMaterial.development()
        var logger = Logger(label: "clubd-live-test")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try buildApplication(
            database: database,
            settings: settings,
            tls: try material.serverConfiguration(),
            logger: logger,
            onServerRunning: { port in continuation.yield(port) }
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            do {
                try await body(port, material)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// A client configuration that trusts the development authority and nothing else.
    static func clientTLS(trusting material: TLSMaterial, maximum: TLSVersion? = nil) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array((material.authorityPEM ?? "").utf8)))
        if let maximum { configuration.maximumTLSVersion = maximum }
        return configuration
    }
}
