import ClubCore
import ClubStore
import Hummingbird

/// Offering requests to studios, the studios' answers and the club's recommendations.
struct ReferralsController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("requests/:id/referrals") { request, context in
            let offer = try await request.decodeJSON(ReferralOffer.self, context: context)
            let referrals = try await database.offerReferrals(context.parameters.require("id"), offer, by: context.caller())
            return try JSONCoding.listResponse(ItemList(items: referrals), itemShape: "Referral", for: context.caller(), status: .created)
        }
        group.get("referrals") { request, context in
            let filter = ReferralFilter(
                requestId: request.uri.queryParameters.get("requestId"),
                status: try request.queryEnum("status", as: ReferralStatus.self)
            )
            let page = try await database.referrals(filter, page: request.pageRequest(), for: context.caller())
            return try JSONCoding.listResponse(page, itemShape: "Referral", for: context.caller())
        }
        group.patch("referrals/:id") { request, context in
            try Policy.require(context.caller(), .recommendCandidate)
            let patch = try await request.decodeJSON(ReferralPatch.self, context: context)
            let id = try context.parameters.require("id")
            let referral = try await database.recommend(id, patch, ifVersion: ETag.ifMatch(request), by: context.caller())
            return try JSONCoding.response(referral, shape: "Referral", for: context.caller())
        }
        group.post("referrals/:id/answer") { request, context in
            let answer = try await request.decodeJSON(ReferralAnswer.self, context: context)
            let referral = try await database.answerReferral(context.parameters.require("id"), answer, by: context.caller())
            return try JSONCoding.response(referral, shape: "Referral", for: context.caller())
        }
    }
}
