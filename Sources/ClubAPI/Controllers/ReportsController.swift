import ClubCore
import ClubStore
import Hummingbird

/// Scorecards, the request funnel and the club's own score, for coordinators.
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
        // The club's own score over days on the club's clock (docs/design.md §3.12).
        group.get("reports/club") { request, context in
            try Policy.require(context.caller(), .readClubScore)
            let from = try request.queryDay("from")
            let to = try request.queryDay("to")
            if let from, let to, from > to { throw RequestInputError.badField("from", "must not be after to") }
            return try JSONCoding.response(try await database.clubScore(from: from, to: to, for: context.caller()))
        }
    }
}
