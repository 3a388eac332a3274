import ClubCore
import ClubStore
import Foundation
import HTTPTypes

extension ConsoleController {
    /// These pages are the club's own work: a role the store never lets list clients or read
    /// shortlists gets the same 404 as for a page that does not exist.
    func requireClubWork(_ principal: Principal) throws {
        guard Self.isClubWork(principal) else { throw DomainError.notFound(entity: "page", id: "requests") }
    }

    static func isClubWork(_ principal: Principal) -> Bool {
        Policy.allows(principal, .listClients) && Policy.allows(principal, .readShortlist)
    }

    // MARK: - Inbox

    /// Requests with the filters of `query`: the store pages by state, the rest is filtered here
    /// page by page, each store page read whole so that its cursor stays exact.
    func requestInbox(_ signedIn: SignedIn, _ language: PageLanguage, _ query: InboxQuery) async throws -> RenderedPage {
        let principal = signedIn.principal
        try requireClubWork(principal)
        let words = language.localizer
        let now = database.clock.now()
        let status = LeadStatus(rawValue: query.state)
        let olderThan = Int(query.olderThan)
        let wanted = 25
        var leads: [Lead] = []
        var after = query.cursor
        var rounds = 0
        repeat {
            let page = try await database.leads(
                LeadFilter(status: status),
                page: PageRequest(limit: max(wanted - leads.count, 5), after: after),
                for: principal
            )
            leads += page.items.filter { lead in
                if query.rush == "yes", !lead.rush { return false }
                if query.rush == "no", lead.rush { return false }
                if !query.region.isEmpty, lead.region?.lowercased() != query.region.lowercased() { return false }
                if let olderThan, now.timeIntervalSince(lead.createdAt) < Double(olderThan) * 86_400 { return false }
                return true
            }
            after = page.nextCursor.flatMap { Int64($0) }
            rounds += 1
        } while leads.count < wanted && after != nil && rounds < 20
        var clients: [String: String] = [:]
        for id in Set(leads.map(\.clientId)) { clients[id] = try? await database.client(id, for: principal).name }
        let rows = leads.map { lead in
            InboxRow(
                href: "/requests/" + lead.id,
                client: clients[lead.clientId] ?? lead.clientId,
                statedAsk: lead.statedAsk,
                state: words.text("console.requests.state." + lead.status.rawValue),
                rush: lead.rush,
                age: words.plural("console.requests.age", count: max(0, Int(now.timeIntervalSince(lead.createdAt) / 86_400))),
                deadline: words.format(lead.deadline)
            )
        }
        var olderField = InputField(.number, name: "olderThan", label: words.text("console.requests.filter.olderThan"), value: query.olderThan)
        if !query.olderThan.isEmpty, olderThan == nil { olderField.error = words.text("console.problem.notNumber") }
        let filters = [
            InputField(
                .select,
                name: "state",
                label: words.text("console.requests.filter.state"),
                value: query.state,
                options: [("", words.text("console.requests.filter.anyState"))]
                    + LeadStatus.allCases.map { ($0.rawValue, words.text("console.requests.state." + $0.rawValue)) }
            ),
            InputField(
                .select,
                name: "rush",
                label: words.text("console.requests.filter.rush"),
                value: query.rush,
                options: [
                    ("", words.text("console.requests.filter.rushAny")), ("yes", words.text("console.requests.filter.rushOnly")),
                    ("no", words.text("console.requests.filter.rushNot")),
                ]
            ),
            InputField(.text, name: "region", label: words.text("console.requests.filter.region"), value: query.region),
            olderField,
        ]
        var view = view(language, title: "console.requests.title")
        view.content = RequestInboxView(
            filterFields: filters,
            rows: rows,
            hasRows: !rows.isEmpty,
            nextHref: after.map { query.href(cursor: String($0)) },
            canRegister: Policy.allows(principal, .registerRequest)
        )
        return ("requests-inbox", view, .ok)
    }

    // MARK: - Registering

    func newRequestPage(_ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        let principal = signedIn.principal
        try requireClubWork(principal)
        guard Policy.allows(principal, .registerRequest) else { throw DomainError.notFound(entity: "page", id: "requests/new") }
        let words = language.localizer
        let clients = try await allClients(principal)
        let fields = [
            InputField(
                .select,
                name: "clientId",
                label: words.text("console.requests.field.client"),
                options: [("", words.text("console.requests.field.chooseClient"))] + clients.map { ($0.id, $0.name) }
            ),
            InputField(
                .textarea,
                name: "statedAsk",
                label: words.text("console.requests.field.statedAsk"),
                hint: words.text("console.requests.hint.statedAsk")
            ),
            InputField(
                .textarea,
                name: "businessGoal",
                label: words.text("console.requests.field.businessGoal"),
                hint: words.text("console.requests.hint.businessGoal")
            ),
            InputField(.number, name: "budget", label: words.text("console.requests.field.budget"), hint: words.text("console.requests.hint.budget")),
            InputField(.date, name: "deadline", label: words.text("console.requests.field.deadline")),
            InputField(.text, name: "region", label: words.text("console.requests.field.region"), hint: words.text("console.requests.hint.region")),
            InputField(
                .select,
                name: "referralReason",
                label: words.text("console.requests.field.referralReason"),
                options: [("", words.text("console.requests.field.noReason"))]
                    + ReferralReason.allCases.map { ($0.rawValue, words.text("console.requests.reason." + $0.rawValue)) }
            ),
            InputField(
                .textarea,
                name: "internalNote",
                label: words.text("console.requests.field.internalNote"),
                hint: words.text("console.requests.hint.internalNote")
            ),
        ]
        var view = view(language, title: "console.requests.new.title")
        view.content = NewRequestView(
            form: clients.isEmpty
                ? nil : forms.form(action: "/requests", submit: "console.requests.new.button", fields: fields, labelledBy: "page-title"),
            hasClients: !clients.isEmpty
        )
        return ("requests-new", view, .ok)
    }

    // MARK: - Lookups

    func allClients(_ principal: Principal) async throws -> [Client] {
        var clients: [Client] = []
        var after: Int64?
        repeat {
            let page = try await database.clients(page: PageRequest(limit: PageRequest.maxLimit, after: after), for: principal)
            clients += page.items
            after = page.nextCursor.flatMap { Int64($0) }
        } while after != nil && clients.count < 5_000
        return clients.sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
    }

    func allStudios(_ principal: Principal) async throws -> [Studio] {
        var studios: [Studio] = []
        var after: Int64?
        repeat {
            let page = try await database.studios(StudioFilter(), page: PageRequest(limit: PageRequest.maxLimit, after: after), for: principal)
            studios += page.items
            after = page.nextCursor.flatMap { Int64($0) }
        } while after != nil && studios.count < 5_000
        return studios
    }

    func allScorecards(_ principal: Principal) async throws -> [String: Scorecard] {
        var cards: [String: Scorecard] = [:]
        var after: Int64?
        repeat {
            let page = try await database.scorecards(page: PageRequest(limit: PageRequest.maxLimit, after: after), for: principal)
            for card in page.items { cards[card.studioId] = card }
            after = page.nextCursor.flatMap { Int64($0) }
        } while after != nil && cards.count < 5_000
        return cards
    }

    /// A competence of the vocabulary in words, or as configured when the catalog has no text.
    static func competence(_ value: String, _ words: Localizer) -> String {
        let key = "console.requests.competence." + value
        let text = words.text(key)
        return text == key ? value : text
    }

    static func amount(_ value: Int, _ words: Localizer) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.locale = words.catalog.locale
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }

    static func percent(_ value: Double, _ words: Localizer) -> String {
        words.text("console.requests.percent", ["value": String(Int((value * 100).rounded()))])
    }
}
