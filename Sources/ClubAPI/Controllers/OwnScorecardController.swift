import ClubCore
import ClubStore
import Hummingbird

/// A studio's own scorecard, as the club computes it (coordinators read any studio's).
struct OwnScorecardController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("studios/:id/scorecard") { _, context in
            try JSONCoding.response(try await database.scorecard(studioId: context.parameters.require("id"), for: context.caller()))
        }
    }
}
