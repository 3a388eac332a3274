import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird

extension ConsoleController {
    /// The studios area of the console (docs/console.md): the registry of studios, each studio's
    /// page with its vetting, decisions, conduct notes, engagements and scorecard; the clients;
    /// and the people of the console with their invitations.
    func addStudioPages(to router: Router<Context>) {
        router.get("/studios") { request, _ in
            try await withSession(request, current: "/studios") { signedIn, language in
                try await studioRegistry(StudioQuery(request), signedIn, language)
            }
        }
        router.get("/studios/new") { request, _ in
            try await withSession(request, current: "/studios") { signedIn, language in
                try newStudioPage(signedIn, language, forms(signedIn, language))
            }
        }
        router.post("/studios") { request, context in
            try await guardedSubmit(request) {
                try await submit(
                    request,
                    context,
                    current: "/studios",
                    render: { signedIn, language, forms in try newStudioPage(signedIn, language, forms) },
                    perform: { signedIn, reader in
                        let input = StudioForm.input(&reader)
                        try reader.finish()
                        let studio = try await ListProblems.collapsing(StudioForm.lists) {
                            try await database.createStudio(input, by: signedIn.principal)
                        }
                        return "/studios/" + studio.id
                    }
                )
            }
        }
        router.get("/studios/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await withSession(request, current: "/studios/" + id) { signedIn, language in
                try await studioPage(id, signedIn, language, forms(signedIn, language))
            }
        }
        router.post("/studios/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await studioForm(request, context, id) { signedIn, reader in
                let patch = StudioForm.patch(&reader)
                let version = reader.int("version")
                try reader.finish()
                _ = try await ListProblems.collapsing(StudioForm.lists) {
                    try await database.updateStudio(id, patch, ifVersion: version, by: signedIn.principal)
                }
            }
        }
        router.post("/studios/:id/vetting-checks") { request, context in
            let id = try context.parameters.require("id")
            return try await studioForm(request, context, id) { signedIn, reader in
                let kind = reader.requiredChoice("kind", as: VettingCheckKind.self)
                let passed = reader.requiredChoice("passed", as: PassedChoice.self)
                try reader.finish()
                guard let kind, let passed else { throw FormProblems(problems: []) }
                let check = VettingCheckInput(kind: kind, passed: passed == .yes, notes: reader.form.optionalText("notes"))
                _ = try await database.recordVettingCheck(id, check, by: signedIn.principal)
            }
        }
        router.post("/studios/:id/decisions") { request, context in
            let id = try context.parameters.require("id")
            // The question depends on the decision chosen: read it before the form is handled.
            var request = request
            let body = try await request.collectBody(upTo: 512 * 1024)
            let decision = FormFields(body: String(buffer: body))["decision"].flatMap(StudioDecision.init(rawValue:))
            var name = id
            if let viewer = try await signedIn(request) {
                // Nothing is asked of someone who would be refused anyway (expulsion is the head's).
                let refused =
                    !Policy.allows(viewer.principal, .decideStudio) || (decision == .expel && !Policy.allows(viewer.principal, .expelStudio))
                if refused { return try await guardedSubmit(request) { throw DomainError.forbidden("decideStudio") } }
                name = try await guardedName { try await database.studio(id, for: viewer.principal).name } ?? id
            }
            return try await studioForm(request, context, id, confirm: StudioForm.confirmation(decision, name: name)) { signedIn, reader in
                let decision = reader.requiredChoice("decision", as: StudioDecision.self)
                try reader.finish()
                guard let decision else { throw FormProblems(problems: []) }
                try await decide(id, DecisionInput(decision: decision, reason: reader.form.text("reason")), signedIn, words: reader.words)
            }
        }
        router.post("/studios/:id/conduct-notes") { request, context in
            let id = try context.parameters.require("id")
            return try await studioForm(request, context, id) { signedIn, reader in
                try reader.finish()
                _ = try await database.addConductNote(id, ConductNoteInput(note: reader.form.text("note")), by: signedIn.principal)
            }
        }
        addClientPages(to: router)
        addPeoplePages(to: router)
    }

    /// A form of the studio page: on success back to the page, on failure the page again.
    private func studioForm(
        _ request: Request,
        _ context: Context,
        _ id: String,
        confirm: ConfirmStep? = nil,
        perform: @escaping (SignedIn, inout FormReader) async throws -> Void
    ) async throws -> Response {
        try await guardedSubmit(request) {
            try await submit(
                request,
                context,
                current: "/studios/" + id,
                confirm: confirm,
                render: { signedIn, language, forms in try await studioPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in
                    try await perform(signedIn, &reader)
                    return "/studios/" + id
                }
            )
        }
    }

    // MARK: - The registry

    func studioRegistry(_ query: StudioQuery, _ signedIn: SignedIn, _ language: PageLanguage) async throws -> RenderedPage {
        let words = language.localizer
        let principal = signedIn.principal
        let filter = StudioFilter(status: query.status, competence: query.competence)
        let region = query.region.lowercased()
        let matching = try await everyPage { try await database.studios(filter, page: $0, for: principal) }
            .filter { studio in region.isEmpty || studio.regions.contains { $0.lowercased() == region } }
            .sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
        let start = min(query.offset, matching.count)
        let shown = matching[start..<min(start + StudioQuery.pageSize, matching.count)]
        var view = view(language, title: "console.studios.title")
        view.content = StudioRegistryView(
            statusOptions: [RegistryOption(value: "", label: words.text("console.studios.filter.any"), selected: query.status == nil)]
                + StudioStatus.allCases.map {
                    RegistryOption(value: $0.rawValue, label: StudioWords.status($0, words), selected: $0 == query.status)
                },
            competenceOptions: [RegistryOption(value: "", label: words.text("console.studios.filter.any"), selected: query.competence == nil)]
                + database.rules.competences.sorted().map {
                    RegistryOption(value: $0, label: StudioWords.competence($0, words), selected: $0 == query.competence)
                },
            region: query.region,
            rows: shown.map { studio in
                StudioRow(
                    id: studio.id,
                    name: studio.name,
                    status: StudioWords.status(studio.status, words),
                    competences: studio.competences.map { StudioWords.competence($0, words) }.joined(separator: ", "),
                    regions: studio.regions.joined(separator: ", "),
                    budget: StudioWords.number(studio.budgetMin, words) + "–" + StudioWords.number(studio.budgetMax, words),
                    capacity: StudioWords.number(studio.capacity, words)
                )
            },
            hasRows: !shown.isEmpty,
            count: words.plural("console.studios.count", count: matching.count),
            nextPage: start + StudioQuery.pageSize < matching.count ? query.link(offset: start + StudioQuery.pageSize) : nil,
            previousPage: start > 0 ? query.link(offset: max(0, start - StudioQuery.pageSize)) : nil,
            canRegister: Policy.allows(principal, .registerStudio)
        )
        return ("studios", view, .ok)
    }

    func newStudioPage(_ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) throws -> RenderedPage {
        try requireClub(signedIn, .registerStudio)
        var view = view(language, title: "console.studios.new.title")
        view.content = RegisterFormView(
            intro: nil,
            form: forms.form(
                action: "/studios",
                submit: "console.studios.new.button",
                fields: StudioForm.fields(nil, database.rules, language.localizer)
            ),
            back: "/studios",
            backLabel: language.localizer.text("console.studios.back")
        )
        return ("studios-form", view, .ok)
    }

    // MARK: - One studio

    func studioPage(_ id: String, _ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        try requireClub(signedIn, .editStudio)
        let principal = signedIn.principal
        let words = language.localizer
        let studio = try await database.studio(id, for: principal)
        func when(_ date: Date) -> String { words.format(date, zone: signedIn.zone) }
        let engagements = try await everyPage { try await database.engagements(EngagementFilter(), page: $0, for: principal) }
            .filter { $0.studioId == id && $0.status.isOpen }
        let clients = try await clientNames(Set(engagements.map(\.clientId)), principal)
        let latest = studio.latestChecks
        let scorecard = try await everyPage { try await database.scorecards(page: $0, for: principal) }.first { $0.studioId == id }

        var view = view(language, title: "console.studios.page.title", args: ["name": studio.name])
        view.content = StudioPageView(
            id: studio.id,
            name: studio.name,
            status: StudioWords.status(studio.status, words),
            profile: StudioForm.profile(studio, words, when),
            editForm: Policy.allows(principal, .editStudio)
                ? forms.form(
                    action: "/studios/" + id,
                    submit: "console.studios.edit.button",
                    fields: StudioForm.fields(studio, database.rules, words),
                    hidden: [HiddenField(name: "version", value: String(studio.version))],
                    labelledBy: "edit-heading"
                ) : nil,
            requiredChecks: database.rules.requiredChecks.sorted { $0.rawValue < $1.rawValue }.map { kind in
                StudioFact(
                    label: StudioWords.check(kind, words),
                    value: words.text(
                        latest[kind] == true
                            ? "console.studios.check.passed" : latest[kind] == false ? "console.studios.check.failed" : "console.studios.check.notYet"
                    )
                )
            },
            checks: studio.vettingChecks.reversed().map { check in
                VettingRow(
                    kind: StudioWords.check(check.kind, words),
                    result: words.text(check.passed ? "console.studios.check.passed" : "console.studios.check.failed"),
                    passed: check.passed,
                    notes: check.notes ?? "",
                    recorded: words.text("console.studios.recorded", ["date": when(check.recordedAt), "name": check.recordedBy])
                )
            },
            hasChecks: !studio.vettingChecks.isEmpty,
            vettingForm: studio.status.acceptsVettingChecks && Policy.allows(principal, .recordVettingCheck)
                ? forms.form(
                    action: "/studios/\(id)/vetting-checks",
                    submit: "console.studios.check.button",
                    fields: StudioForm.vettingFields(words),
                    labelledBy: "vetting-heading"
                ) : nil,
            vettingClosed: studio.status.acceptsVettingChecks
                ? nil : words.text("console.studios.check.closed", ["status": StudioWords.status(studio.status, words)]),
            decisions: studio.decisions.reversed().map { decision in
                StudioDecisionRow(
                    decision: StudioWords.decision(decision.decision, words),
                    change: StudioWords.status(decision.from, words) + " → " + StudioWords.status(decision.to, words),
                    reason: decision.reason,
                    decided: words.text("console.studios.recorded", ["date": when(decision.decidedAt), "name": decision.decidedBy])
                )
            },
            hasDecisions: !studio.decisions.isEmpty,
            decisionForm: decisionForm(studio, principal, forms),
            notes: studio.conductNotes.reversed().map {
                ConductNoteRow(note: $0.note, recorded: words.text("console.studios.recorded", ["date": when($0.recordedAt), "name": $0.recordedBy]))
            },
            hasNotes: !studio.conductNotes.isEmpty,
            noteForm: Policy.allows(principal, .recordConductNote)
                ? forms.form(
                    action: "/studios/\(id)/conduct-notes",
                    submit: "console.studios.note.button",
                    fields: [InputField(.textarea, name: "note", label: words.text("console.studios.note.field"), required: true)],
                    labelledBy: "notes-heading"
                ) : nil,
            engagements: engagements.map { engagement in
                PartyEngagementRow(
                    href: "/engagements/" + engagement.id,
                    id: engagement.id,
                    party: clients[engagement.clientId] ?? engagement.clientId,
                    status: StudioWords.engagement(engagement.status, words),
                    started: words.format(engagement.startedAt, zone: signedIn.zone, style: .date)
                )
            },
            hasEngagements: !engagements.isEmpty,
            scorecard: scorecard.map { StudioForm.scorecard($0, words) } ?? [],
            rating: scorecard.map { StudioWords.decimal($0.rating, words) } ?? "—"
        )
        return ("studio", view, .ok)
    }

    /// The decisions the studio's state allows, expulsion only for the head (Policy).
    private func decisionForm(_ studio: Studio, _ principal: Principal, _ forms: FormContext) -> FormView? {
        guard Policy.allows(principal, .decideStudio) else { return nil }
        let words = forms.words
        let offered = StudioDecision.allCases.filter { decision in
            studio.status.after(decision) != nil && (decision != .expel || Policy.allows(principal, .expelStudio))
        }
        guard !offered.isEmpty else { return nil }
        return forms.form(
            action: "/studios/\(studio.id)/decisions",
            submit: "console.studios.decision.button",
            fields: [
                InputField(
                    .radios,
                    name: "decision",
                    label: words.text("console.studios.decision.field"),
                    options: offered.map { ($0.rawValue, StudioWords.decision($0, words)) },
                    required: true
                ),
                InputField(
                    .textarea,
                    name: "reason",
                    label: words.text("console.studios.decision.reason"),
                    hint: words.text("console.studios.decision.reasonHint"),
                    required: true
                ),
            ],
            labelledBy: "decisions-heading"
        )
    }

    /// A decision, with the store's refusals about the studio's state said in the reader's words
    /// next to the decision (which checks are still missing, which state the studio is in).
    private func decide(_ id: String, _ input: DecisionInput, _ signedIn: SignedIn, words: Localizer) async throws {
        do {
            _ = try await database.decideStudio(id, input, by: signedIn.principal)
        } catch DomainError.ruleBroken(.admissionNeedsPassedChecks, _) {
            let latest = try await database.studio(id, for: signedIn.principal).latestChecks
            let missing = database.rules.requiredChecks.filter { latest[$0] != true }.map { StudioWords.check($0, words) }.sorted()
            let message = words.text("console.studios.decision.needsChecks", ["checks": missing.joined(separator: ", ")])
            throw FormProblems(problems: [FieldProblem(field: "decision", message: message)])
        } catch DomainError.illegalTransition(_, let from, _) {
            let status = StudioStatus(rawValue: from).map { StudioWords.status($0, words) } ?? from
            throw FormProblems(problems: [FieldProblem(field: "decision", message: words.text("console.studios.decision.notNow", ["status": status]))]
            )
        }
    }

    private func guardedName(_ read: () async throws -> String) async throws -> String? {
        do { return try await read() } catch DomainError.notFound, DomainError.forbidden { return nil }
    }

    /// The names of clients by id, for the lines that mention them.
    func clientNames(_ ids: Set<String>, _ principal: Principal) async throws -> [String: String] {
        var names: [String: String] = [:]
        for id in ids {
            names[id] = (try? await database.client(id, for: principal))?.name
        }
        return names
    }
}

/// "Passed?" of a vetting check, as a pair of radios.
enum PassedChoice: String {
    case yes
    case no
}

/// The registry's query: `?status=&competence=&region=&from=`.
struct StudioQuery {
    static let pageSize = 50

    let status: StudioStatus?
    let competence: String?
    let region: String
    let offset: Int

    init(_ request: Request) {
        let parameters = request.uri.queryParameters
        status = parameters["status"].flatMap { StudioStatus(rawValue: String($0)) }
        competence = parameters["competence"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        region = parameters["region"].map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        offset = parameters["from"].flatMap { Int(String($0)) }.map { max(0, $0) } ?? 0
    }

    /// The registry with the same filters from another position.
    func link(offset: Int) -> String {
        var items: [URLQueryItem] = []
        if let status { items.append(URLQueryItem(name: "status", value: status.rawValue)) }
        if let competence { items.append(URLQueryItem(name: "competence", value: competence)) }
        if !region.isEmpty { items.append(URLQueryItem(name: "region", value: region)) }
        items.append(URLQueryItem(name: "from", value: String(offset)))
        var components = URLComponents()
        components.path = "/studios"
        components.queryItems = items
        return components.string ?? "/studios"
    }
}
