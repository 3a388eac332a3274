import ClubCore
import ClubStore
import Hummingbird

/// Requests (leads): intake, reframing, rush responsibility, shortlists, the client's choice and closing.
struct RequestsController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("requests") { request, context in
            let input = try await request.decodeJSON(LeadInput.self, context: context)
            return try JSONCoding.response(
                try await database.createLead(input, by: context.caller()),
                shape: "Lead",
                for: context.caller(),
                status: .created
            )
        }
        group.get("requests") { request, context in
            let filter = LeadFilter(
                status: try request.queryEnum("status", as: LeadStatus.self),
                clientId: request.uri.queryParameters.get("clientId")
            )
            let page = try await database.leads(filter, page: request.pageRequest(), for: context.caller())
            return try JSONCoding.listResponse(page, itemShape: "Lead", for: context.caller())
        }
        group.get("requests/:id") { _, context in
            try JSONCoding.response(
                try await database.lead(context.parameters.require("id"), for: context.caller()),
                shape: "Lead",
                for: context.caller()
            )
        }
        group.patch("requests/:id") { request, context in
            let patch = try await request.decodeJSON(LeadPatch.self, context: context)
            let lead = try await database.updateLead(context.parameters.require("id"), patch, ifVersion: ETag.ifMatch(request), by: context.caller())
            return try JSONCoding.response(lead, shape: "Lead", for: context.caller())
        }
        group.post("requests/:id/shared-responsibility") { request, context in
            let input = try await request.decodeJSON(SharedResponsibilityInput.self, context: context)
            return try JSONCoding.response(
                try await database.recordSharedResponsibility(context.parameters.require("id"), input, by: context.caller()),
                shape: "Lead",
                for: context.caller()
            )
        }
        group.post("requests/:id/close") { request, context in
            let closing = try await request.decodeJSON(LeadClosing.self, context: context)
            let lead = try await database.closeLead(context.parameters.require("id"), closing, by: context.caller())
            return try JSONCoding.response(lead, shape: "Lead", for: context.caller())
        }
        group.post("requests/:id/shortlist") { request, context in
            let input = try await request.decodeJSON(ShortlistInput.self, context: context)
            let shortlist = try await database.makeShortlist(context.parameters.require("id"), input, by: context.caller())
            return try JSONCoding.response(shortlist, shape: "Shortlist", for: context.caller(), status: .created)
        }
        group.get("requests/:id/shortlist") { _, context in
            let shortlist = try await database.latestShortlist(context.parameters.require("id"), for: context.caller())
            return try JSONCoding.response(shortlist, shape: "Shortlist", for: context.caller())
        }
        // The client's choice (docs/design.md §3.4): the studios that accepted, and the choice that starts the engagement.
        group.get("requests/:id/candidates") { _, context in
            let candidates = try await database.candidates(context.parameters.require("id"), for: context.caller())
            return try JSONCoding.listResponse(ItemList(items: candidates), itemShape: "Candidate", for: context.caller())
        }
        group.post("requests/:id/choice") { request, context in
            try Policy.require(context.caller(), .chooseStudio)
            let input = try await request.decodeJSON(ChoiceInput.self, context: context)
            let record = try await database.choose(context.parameters.require("id"), input, by: context.caller())
            return try JSONCoding.response(
                EngagementAnswer(record),
                shape: "Engagement",
                for: context.caller(),
                status: .created,
                etag: record.engagement.version
            )
        }
    }
}
