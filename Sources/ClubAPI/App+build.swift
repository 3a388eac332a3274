import ClubCore
import ClubStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import Prometheus

/// Builds the application: the router over TLS at the configured address.
public func buildApplication(
    database: AppDatabase,
    settings: ServerSettings,
    tls: TLSConfiguration,
    logger: Logger,
    metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let updates = ShareUpdates()
    return Application(
        router: try buildRouter(database: database, updates: updates, bodyTimeout: settings.bodyTimeout, metrics: metrics),
        server: try .tls(.http1(configuration: .init(idleTimeout: .nanoseconds(Int64(settings.idleTimeout.components.seconds) * 1_000_000_000))), tlsConfiguration: tls),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "clubd"),
        services: [
            ReferralExpiryService(database: database, interval: settings.referralSweepInterval, logger: logger),
            ShareUpdatesService(updates: updates, interval: .seconds(15)),
        ],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? settings.port) },
        logger: logger
    )
}

/// The routes: health and the share pages open to all (a share page needs its capability
/// token), everything else under `/v1` behind a bearer token.
public func buildRouter(
    database: AppDatabase,
    updates: ShareUpdates = ShareUpdates(),
    throttle: AuthThrottle = AuthThrottle(),
    bodyTimeout: Duration = .seconds(10),
    metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
) throws -> Router<ClubRequestContext> {
    let router = Router(context: ClubRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: BodyTimeoutMiddleware(timeout: bodyTimeout))
    router.add(middleware: ProblemMiddleware())
    HealthController(database: database).addRoutes(to: router)
    SharePageController(database: database, updates: updates, library: try SharePageTemplates.library()).addRoutes(to: router)
    MetricsController(registry: metrics).addRoutes(to: router.group().add(middleware: AuthMiddleware(database: database, throttle: throttle)))
    let api = router.group("v1")
        .add(middleware: AuthMiddleware(database: database, throttle: throttle))
        .add(middleware: IdempotencyMiddleware(database: database))
    TokensController(database: database).addRoutes(to: api)
    StudiosController(database: database).addRoutes(to: api)
    ClientsController(database: database).addRoutes(to: api)
    JournalController(database: database).addRoutes(to: api)
    RequestsController(database: database).addRoutes(to: api)
    ReferralsController(database: database).addRoutes(to: api)
    EngagementsController(database: database).addRoutes(to: api)
    ReportsController(database: database).addRoutes(to: api)
    FixListsController(database: database, updates: updates).addRoutes(to: api)
    ComplaintsController(database: database).addRoutes(to: api)
    AuditsController(database: database).addRoutes(to: api)
    ExitsController(database: database).addRoutes(to: api)
    RetrospectivesController(database: database).addRoutes(to: api)
    return router
}

/// Gives every request the configured body timeout.
struct BodyTimeoutMiddleware: RouterMiddleware {
    typealias Context = ClubRequestContext
    let timeout: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.bodyTimeout = timeout
        return try await next(request, context)
    }
}
