import ClubCore
import ClubStore
import Hummingbird

/// Scorecards and the request funnel, for coordinators.
struct ReportsController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("reports/studios") { request, context in
            try JSONCoding.response(try await database.scorecards(page: request.pageRequest(), for: context.caller()))
        }
        group.get("reports/funnel") { request, context in
            let report = try await database.funnel(from: try request.queryTime("from"), to: try request.queryTime("to"), for: context.caller())
            return try JSONCoding.response(report)
        }
    }
}
