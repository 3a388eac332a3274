import ClubCore
import ClubStore
import Hummingbird

/// The club's own score (docs/design.md §3.12): the client's rating of the club on an
/// engagement and whether one is awaited (the club's report is `GET /v1/reports/club`).
struct ClubRatingsController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("engagements/:id/club-rating") { request, context in
            // A studio never rates the club for a client: refused before the body is read.
            try Policy.require(context.caller(), .rateClub)
            let input = try await request.decodeJSON(ClubRatingInput.self, context: context)
            return try JSONCoding.response(
                try await database.rateClub(context.parameters.require("id"), input, by: context.caller()),
                shape: "ClubRating",
                for: context.caller(),
                status: .created
            )
        }
        group.get("engagements/:id/club-rating") { _, context in
            try JSONCoding.response(
                try await database.clubRatingStatus(context.parameters.require("id"), for: context.caller()),
                shape: "ClubRatingStatus",
                for: context.caller()
            )
        }
    }
}
