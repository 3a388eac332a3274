import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Metrics
import Prometheus
import Testing

/// The process-wide metrics system, bootstrapped once for the whole test run.
enum TestMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

@Suite("Operations")
struct MetricsTests {
    @Test func prometheusMetricsCountRequestsPerRouteAndTimeTransactions() async throws {
        let club = try await TestClub.make()
        let app = Application(router: try buildRouter(database: club.database, metrics: TestMetrics.registry))
        try await app.test(.router) { client in
            let api = RouterClient(client: client)
            _ = try await api.createClient(club)
            #expect(try await api.call(.get, "/v1/health").status == .ok)
            #expect(try await api.call(.get, "/metrics").status == .unauthorized)
            let studio = try await api.createStudio(club)
            #expect(try await api.call(.get, "/metrics", token: try await club.token(.studio, studioId: studio)).status == .forbidden)
            let metrics = try await api.call(.get, "/metrics", token: club.headToken)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(metrics.text.contains("hb_requests"))
            #expect(metrics.text.contains("/v1/clients"))
            #expect(metrics.text.contains("clubd_db_transaction_seconds"))
        }
    }

    @Test func healthReportsTheDatabaseAndTheJournalHead() async throws {
        try await withClub { client, club in
            _ = try await client.createClient(club)
            let health = try await client.call(.get, "/v1/health").json()
            #expect(health["database"] as? String == "ok")
            #expect((health["journal"] as? [String: Any])?["events"] as? Int == 2)
        }
    }
}
