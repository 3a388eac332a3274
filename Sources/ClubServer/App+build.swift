import ClubAPI
import ClubCore
import ClubNotify
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
import ServiceLifecycle

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
    // Both bounds are made here, once per daemon, so that /metrics shows their limits from the start.
    let streams = StreamGate(limits: settings.streamLimits)
    let connections = ConnectionCap(perAddress: settings.connectionsPerAddress)
    let idle = TimeAmount.seconds(settings.idleTimeout.components.seconds)
    let publicAddress = PublicAddress(configured: settings.publicURL, listenerPort: settings.port)
    return Application(
        router: try buildRouter(
            database: database,
            updates: updates,
            streams: streams,
            bodyTimeout: settings.bodyTimeout,
            metrics: metrics,
            publicAddress: publicAddress,
            hstsSeconds: settings.hstsSeconds,
            webhookTargets: settings.webhooks.targets
        ),
        server: try .cappedTLS(connections, http1: .init(idleTimeout: idle), tlsConfiguration: tls),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "clubd"),
        services: [
            SweepService.referralExpiry(database: database, interval: settings.referralSweepInterval, logger: logger),
            // The same sweep interval: an item's check is overdue by days, not seconds.
            SweepService.fixItemAutoAccept(database: database, interval: settings.referralSweepInterval, logger: logger),
            ShareUpdatesService(database: database, updates: updates),
            // Signed webhooks from the outbox (docs/design.md §10); links on the club's public address.
            WebhookDeliveryService(database: database, settings: settings.webhooks, logger: logger) { publicAddress.url.description },
            SweepService.timedNotifications(
                database: database,
                digestHour: settings.digestHour,
                interval: settings.referralSweepInterval,
                logger: logger
            ),
        ] + mailServices(database: database, settings: settings, publicAddress: publicAddress, logger: logger)
            + replicaServices(database: database, settings: settings, logger: logger),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? settings.port
            publicAddress.listenerBound(port: port)
            await onServerRunning(port)
        },
        logger: logger
    )
}

/// The mail service, when a relay is configured: without one nothing is sent and nothing fails.
func mailServices(database: AppDatabase, settings: ServerSettings, publicAddress: PublicAddress, logger: Logger) -> [any Service] {
    guard let relay = settings.mailRelay else { return [] }
    return [
        MailDeliveryService(
            database: database,
            transport: SMTPClient(relay: relay, logger: logger),
            composer: MailComposer(from: relay.from) { publicAddress.url.description },
            interval: settings.mailInterval,
            logger: logger
        )
    ]
}

/// The replica's watch, when Litestream replicates the database (docs/design.md §11.4).
func replicaServices(database: AppDatabase, settings: ServerSettings, logger: Logger) -> [any Service] {
    guard let url = settings.litestreamMetricsURL else { return [] }
    return [ReplicaWatchService(database: database, metricsURL: url, databasePath: settings.store.dataFolder.databasePath, logger: logger)]
}

/// The routes of both doors, side by side behind the middleware they share: the JSON API
/// (`/v1`, `/metrics`) and the HTML pages (`/share`, the console at `/`).
public func buildRouter(
    database: AppDatabase,
    updates: ShareUpdates = ShareUpdates(),
    streams: StreamGate = StreamGate(),
    throttle: AuthThrottle = AuthThrottle(),
    signInThrottle: SignInThrottle = SignInThrottle(),
    bodyTimeout: Duration = .seconds(10),
    metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    publicAddress: PublicAddress = PublicAddress(configured: nil, listenerPort: 8443),
    hstsSeconds: Int = 31_536_000,
    webhookTargets: WebhookTargetRule = .publicOnly
) throws -> Router<ClubRequestContext> {
    let router = Router(context: ClubRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: UnreadBodyMiddleware(allowance: BodyAllowance.allowance, timeout: bodyTimeout))
    router.add(middleware: EdgeHeadersMiddleware(hstsSeconds: hstsSeconds, publicAddress: publicAddress))
    router.add(middleware: HostCheckMiddleware(publicAddress: publicAddress))
    router.add(middleware: BodyTimeoutMiddleware(timeout: bodyTimeout))
    router.add(middleware: ProblemMiddleware())
    APIRoutes(database: database, throttle: throttle, metrics: metrics, publicAddress: publicAddress, webhookTargets: webhookTargets)
        .addRoutes(to: router)
    try WebRoutes(database: database, updates: updates, streams: streams, throttle: signInThrottle, publicAddress: publicAddress) { _, context in
        context.remoteAddress?.ipAddress
    }
    .addRoutes(to: router)
    return router
}
