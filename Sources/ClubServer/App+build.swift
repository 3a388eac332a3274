import ClubAPI
import ClubStore
import ClubWeb
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import Prometheus

/// Builds the application: the router over TLS at the configured address, with the services
/// that run beside it.
public func buildApplication(
    database: AppDatabase,
    settings: ServerSettings,
    tls: TLSConfiguration,
    logger: Logger,
    metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let updates = ShareUpdates()
    let idle = TimeAmount.seconds(settings.idleTimeout.components.seconds)
    return Application(
        router: try buildRouter(database: database, updates: updates, bodyTimeout: settings.bodyTimeout, metrics: metrics),
        server: try .tls(.http1(configuration: .init(idleTimeout: idle)), tlsConfiguration: tls),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "clubd"),
        services: [
            SweepService.referralExpiry(database: database, interval: settings.referralSweepInterval, logger: logger),
            // The same sweep interval: an item's check is overdue by days, not seconds.
            SweepService.fixItemAutoAccept(database: database, interval: settings.referralSweepInterval, logger: logger),
            ShareUpdatesService(database: database, updates: updates),
        ],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? settings.port) },
        logger: logger
    )
}

/// The routes of both doors, side by side behind the middleware they share: the JSON API
/// (`/v1`, `/metrics`) and the HTML pages (`/share`, the console at `/`).
public func buildRouter(
    database: AppDatabase,
    updates: ShareUpdates = ShareUpdates(),
    throttle: AuthThrottle = AuthThrottle(),
    signInThrottle: SignInThrottle = SignInThrottle(),
    bodyTimeout: Duration = .seconds(10),
    metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
) throws -> Router<ClubRequestContext> {
    let router = Router(context: ClubRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: BodyTimeoutMiddleware(timeout: bodyTimeout))
    router.add(middleware: ProblemMiddleware())
    APIRoutes(database: database, throttle: throttle, metrics: metrics).addRoutes(to: router)
    try WebRoutes(database: database, updates: updates, throttle: signInThrottle) { _, context in context.remoteAddress?.ipAddress }
        .addRoutes(to: router)
    return router
}
