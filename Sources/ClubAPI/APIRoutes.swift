import ClubCore
import ClubStore
import Hummingbird
import Prometheus

/// The JSON door: health open to all, `/metrics` and everything under `/v1` behind a bearer
/// token (DESIGN §4). Works with any context that carries what `APIRequestContext` asks for.
public struct APIRoutes<Context: APIRequestContext> {
    let database: AppDatabase
    let throttle: AuthThrottle
    let metrics: PrometheusCollectorRegistry
    /// The base of the links answers carry (share links, invitations); never the request's `Host`.
    let publicAddress: PublicAddress
    /// Where webhook deliveries may go (docs/design.md §10): public addresses unless configured otherwise.
    let webhookTargets: WebhookTargetRule

    public init(
        database: AppDatabase,
        throttle: AuthThrottle = AuthThrottle(),
        metrics: PrometheusCollectorRegistry,
        publicAddress: PublicAddress = PublicAddress(configured: nil, listenerPort: 8443),
        webhookTargets: WebhookTargetRule = .publicOnly
    ) {
        self.database = database
        self.throttle = throttle
        self.metrics = metrics
        self.publicAddress = publicAddress
        self.webhookTargets = webhookTargets
    }

    public func addRoutes(to router: Router<Context>) {
        HealthController<Context>(database: database).addRoutes(to: router)
        let authenticated = AuthMiddleware<Context>(database: database, throttle: throttle)
        MetricsController<Context>(registry: metrics).addRoutes(to: router.group().add(middleware: authenticated))
        // Rights come before the body is read: before the idempotency middleware collects it (docs/design.md §2).
        let rights = RightsBeforeInputMiddleware<Context>(database: database)
        let api = router.group("v1")
            .add(middleware: authenticated)
            .add(middleware: rights)
            .add(middleware: IdempotencyMiddleware<Context>(database: database))
        TokensController<Context>(database: database).addRoutes(to: api)
        StudiosController<Context>(database: database).addRoutes(to: api)
        ClientsController<Context>(database: database).addRoutes(to: api)
        JournalController<Context>(database: database).addRoutes(to: api)
        RequestsController<Context>(database: database).addRoutes(to: api)
        ReferralsController<Context>(database: database).addRoutes(to: api)
        EngagementsController<Context>(database: database).addRoutes(to: api)
        ReportsController<Context>(database: database).addRoutes(to: api)
        OwnScorecardController<Context>(database: database).addRoutes(to: api)
        ClubRatingsController<Context>(database: database).addRoutes(to: api)
        FixListsController<Context>(database: database, publicAddress: publicAddress).addRoutes(to: api)
        ComplaintsController<Context>(database: database).addRoutes(to: api)
        AuditsController<Context>(database: database).addRoutes(to: api)
        ExitsController<Context>(database: database).addRoutes(to: api)
        RetrospectivesController<Context>(database: database).addRoutes(to: api)
        PeopleController<Context>(database: database, publicAddress: publicAddress).addRoutes(to: api)
        NotificationsController<Context>(database: database).addRoutes(to: api)
        WebhooksController<Context>(database: database, targets: webhookTargets).addRoutes(to: api)
        // Uploads stream to disk, so they stay out of the middleware that collects a POST's body (FilesController).
        FilesController<Context>(database: database).addRoutes(to: router.group("v1").add(middleware: authenticated).add(middleware: rights))
    }
}
