import ClubCore
import ClubStore
import Hummingbird
import NIOCore
import Prometheus

/// `GET /metrics`: Prometheus text for the operators, behind a coordinator's token (a scraper
/// holds one as its bearer token). Request counts and latency per route come from Hummingbird's
/// metrics middleware; transaction times and overdue referrals from the store and the service.
struct MetricsController<Context: APIRequestContext> {
    let registry: PrometheusCollectorRegistry

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("metrics") { _, context in
            try Policy.require(context.caller(), .readMetrics)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }
}
