import ClubCore
import ClubStore
import Foundation
import Hummingbird

extension ConsoleController {
    /// The requests area of the console (docs/console.md): the inbox, registering a request, the
    /// request page with its reframing, rush record, shortlist, offers, referrals and closing.
    func addRequestPages(to router: Router<Context>) {
        router.get("/requests") { request, _ in
            let query = InboxQuery(request.uri.queryParameters)
            return try await withSession(request, current: "/requests") { signedIn, language in
                try await requestInbox(signedIn, language, query)
            }
        }
        router.get("/requests/new") { request, _ in
            try await withSession(request, current: "/requests/new") { signedIn, language in
                try await newRequestPage(signedIn, language, forms(signedIn, language))
            }
        }
        router.post("/requests") { request, context in
            if let refused = try await refusal(request, requestId: nil) { return refused }
            return try await submit(
                request,
                context,
                current: "/requests/new",
                render: { signedIn, language, forms in try await newRequestPage(signedIn, language, forms) },
                perform: { signedIn, reader in try await registerRequest(signedIn, &reader) }
            )
        }
        router.get("/requests/:id") { request, context in
            let id = try context.parameters.require("id")
            // A studio goes to its referral, a client sees its own page (ClientRequestPage.swift).
            if let referral = try await studioReferralRedirect(request, requestId: id) { return referral }
            return try await withSession(request, current: "/requests/" + id) { signedIn, language in
                signedIn.person.role == .client
                    ? try await clientRequestPage(id, signedIn, language, forms(signedIn, language))
                    : try await requestPage(id, signedIn, language, forms(signedIn, language))
            }
        }
        addRequestForms(to: router)
        addClientRequestForms(to: router)
    }

    /// The forms of the request page; each re-renders the page with its problems when refused.
    private func addRequestForms(to router: Router<Context>) {
        func post(
            _ suffix: String,
            confirm: ConfirmStep? = nil,
            _ perform: @escaping @Sendable (ConsoleController, String, SignedIn, inout FormReader) async throws -> String
        ) {
            router.post(RouterPath("/requests/:id" + suffix)) { request, context in
                let id = try context.parameters.require("id")
                if let refused = try await refusal(request, requestId: id) { return refused }
                return try await submit(
                    request,
                    context,
                    current: "/requests/" + id,
                    confirm: confirm,
                    render: { signedIn, language, forms in try await requestPage(id, signedIn, language, forms) },
                    perform: { signedIn, reader in try await perform(self, id, signedIn, &reader) }
                )
            }
        }
        post("") { console, id, signedIn, reader in try await console.reframe(id, signedIn, &reader) }
        post("/shared-responsibility") { console, id, signedIn, reader in try await console.recordShared(id, signedIn, &reader) }
        post(
            "/close",
            confirm: ConfirmStep(
                question: "console.requests.close.question",
                consequence: "console.requests.close.consequence",
                button: "console.requests.close.confirm"
            )
        ) { console, id, signedIn, reader in try await console.closeRequest(id, signedIn, &reader) }
        post("/shortlist") { console, id, signedIn, reader in try await console.shortlist(id, signedIn, &reader) }
        post("/referrals") { console, id, signedIn, reader in try await console.offer(id, signedIn, &reader) }
        post("/engagements") { console, id, signedIn, reader in try await console.startEngagement(id, signedIn, &reader) }
        post("/recommendation") { console, id, signedIn, reader in try await console.recommend(id, signedIn, &reader) }
    }

    /// The 404 page for a form posted by someone these pages are not for, or about a request
    /// that does not exist: the store would refuse it, and `submit` shows only a form's problems.
    private func refusal(_ request: Request, requestId: String?) async throws -> Response? {
        guard let signedIn = try await signedIn(request) else { return nil }
        var known = Self.isClubWork(signedIn.principal)
        if known, let requestId {
            do {
                _ = try await database.lead(requestId, for: signedIn.principal)
            } catch DomainError.notFound {
                known = false
            }
        }
        if known { return nil }
        return notice(language(request, signedIn), signedIn, status: .notFound, title: "console.notFound.title", message: "console.notFound.message")
    }

    // MARK: - Form actions

    private func registerRequest(_ signedIn: SignedIn, _ reader: inout FormReader) async throws -> String {
        let clientId = reader.form.text("clientId")
        if clientId.isEmpty { reader.fail("clientId", "console.problem.required") }
        let budget = reader.requiredInt("budget")
        let deadline = reader.requiredDay("deadline")
        let reason = reader.choice("referralReason", as: ReferralReason.self)
        try reader.finish()
        let form = reader.form
        let input = LeadInput(
            clientId: clientId,
            statedAsk: form.text("statedAsk"),
            businessGoal: form.text("businessGoal"),
            budget: budget,
            deadline: deadline,
            region: form.optionalText("region"),
            referralReason: reason,
            internalNote: form.optionalText("internalNote")
        )
        return "/requests/" + (try await database.createLead(input, by: signedIn.principal)).id
    }

    private func reframe(_ id: String, _ signedIn: SignedIn, _ reader: inout FormReader) async throws -> String {
        let version = reader.int("version")
        try reader.finish()
        let patch = LeadPatch(
            requiredCompetences: reader.form.checked("requiredCompetences"),
            proposedApproach: reader.form.text("proposedApproach"),
            rationale: reader.form.text("rationale")
        )
        _ = try await database.updateLead(id, patch, ifVersion: version, by: signedIn.principal)
        return "/requests/" + id
    }

    private func recordShared(_ id: String, _ signedIn: SignedIn, _ reader: inout FormReader) async throws -> String {
        let acceptedAt = reader.requiredTime("acceptedAt")
        try reader.finish()
        let input = SharedResponsibilityInput(acceptedBy: reader.form.text("acceptedBy"), acceptedAt: acceptedAt, note: reader.form.text("note"))
        _ = try await database.recordSharedResponsibility(id, input, by: signedIn.principal)
        return "/requests/" + id + "#shared"
    }

    private func closeRequest(_ id: String, _ signedIn: SignedIn, _ reader: inout FormReader) async throws -> String {
        let outcome = reader.requiredChoice("outcome", as: LeadOutcome.self)
        try reader.finish()
        guard let outcome else { throw FormProblems(problems: []) }
        let closing = LeadClosing(outcome: outcome, reason: reader.form.text("reason"))
        _ = try await database.closeLead(id, closing, by: signedIn.principal)
        return "/requests/" + id
    }

    private func shortlist(_ id: String, _ signedIn: SignedIn, _ reader: inout FormReader) async throws -> String {
        let size = reader.int("size")
        try reader.finish()
        let input = ShortlistInput(size: size, scope: reader.form.checked("scope"), exclude: reader.form.checked("exclude"))
        _ = try await database.makeShortlist(id, input, by: signedIn.principal)
        return "/requests/" + id + "#shortlist"
    }

    private func offer(_ id: String, _ signedIn: SignedIn, _ reader: inout FormReader) async throws -> String {
        let offer = ReferralOffer(studioIds: reader.form.checked("studioIds"))
        _ = try await database.offerReferrals(id, offer, by: signedIn.principal)
        return "/requests/" + id + "#referrals"
    }

    /// With a note, the client's choice recorded on its behalf; without, the club's own choice.
    private func startEngagement(_ id: String, _ signedIn: SignedIn, _ reader: inout FormReader) async throws -> String {
        let studioId = reader.form.text("studioId")
        let scope = reader.form.checked(Self.engagementScopeField(studioId))
        let record: EngagementRecord
        if let note = reader.form.optionalText("note") {
            record = try await database.choose(id, ChoiceInput(studioId: studioId, scope: scope, note: note), by: signedIn.principal)
        } else {
            record = try await database.startEngagement(id, EngagementInput(studioId: studioId, scope: scope), by: signedIn.principal)
        }
        return "/engagements/" + record.engagement.id
    }

    private func recommend(_ id: String, _ signedIn: SignedIn, _ reader: inout FormReader) async throws -> String {
        let patch = ReferralPatch(recommendation: reader.form.text("recommendation"))
        _ = try await database.recommend(reader.form.text("referralId"), patch, ifVersion: nil, by: signedIn.principal)
        return "/requests/" + id + "#referrals"
    }
}

/// The inbox's filters as the GET form sends them.
struct InboxQuery: Sendable {
    var state = ""
    var rush = ""
    var region = ""
    var olderThan = ""
    var cursor: Int64?

    init(_ parameters: some Sequence<(key: Substring, value: Substring)>) {
        for (key, value) in parameters {
            let text = String(value).trimmingCharacters(in: .whitespaces)
            switch key {
            case "state": state = text
            case "rush": rush = text
            case "region": region = text
            case "olderThan": olderThan = text
            case "cursor": cursor = Int64(text)
            default: break
            }
        }
    }

    /// The characters a query value keeps as they are (RFC 3986's unreserved ones).
    static let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))

    /// The inbox's address with these filters and `cursor`.
    func href(cursor: String?) -> String {
        var items = [("state", state), ("rush", rush), ("region", region), ("olderThan", olderThan)].filter { !$0.1.isEmpty }
        if let cursor { items.append(("cursor", cursor)) }
        let query = items.map { $0.0 + "=" + ($0.1.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "") }
        return "/requests" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
}
