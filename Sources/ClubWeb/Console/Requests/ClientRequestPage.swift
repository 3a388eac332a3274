import ClubCore
import ClubStore
import Foundation
import Hummingbird

/// The client's own request page (docs/design.md §9.6): its request in plain words, and once
/// studios accepted, the candidates as the client may read them, each with its "Choose" button.
struct ClientRequestView {
    let id: String
    let state: String
    let statedAsk: String
    let businessGoal: String
    let facts: [RequestFact]
    let engagements: [EngagementLink]
    let hasEngagements: Bool
    let showCandidates: Bool
    let candidates: [ClientCandidateView]
    let hasCandidates: Bool
}

/// A studio that accepted the client's request: its public profile, its answer, the club's
/// recommendation and its public figures (never the club's scores), and the choice.
struct ClientCandidateView {
    let id: String
    let name: String
    let facts: [RequestFact]
    let chosen: Bool
    let notChosen: Bool
    let engagementHref: String?
    let engagementLabel: String
    let chooseForm: FormView?
}

extension ConsoleController {
    /// `POST /requests/{id}/choice`: the client chooses one of the studios that accepted, as the
    /// API's choice route does; 303 to the new engagement. Only a client's person posts here (the
    /// coordinators record a choice with the request page's start form).
    func addClientRequestForms(to router: Router<Context>) {
        router.post("/requests/:id/choice") { request, context in
            let id = try context.parameters.require("id")
            return try await submit(
                request,
                context,
                current: "/requests/" + id,
                render: { signedIn, language, forms in try await clientRequestPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in
                    guard signedIn.person.role == .client else { throw DomainError.notFound(entity: "request", id: id) }
                    let studioId = reader.form.text("studioId")
                    let note = reader.form.optionalText("note")
                    try reader.finish()
                    let record = try await database.choose(id, ChoiceInput(studioId: studioId, note: note), by: signedIn.principal)
                    return "/engagements/" + record.engagement.id
                }
            )
        }
    }

    /// A studio's person opening a request goes to its referral for it (the newest, when it was
    /// offered more than once); one never offered it gets 404. Nil for everyone else.
    func studioReferralRedirect(_ request: Request, requestId: String) async throws -> Response? {
        guard let signedIn = try await signedIn(request), signedIn.person.role == .studio else { return nil }
        let referrals = try await database.referrals(
            ReferralFilter(requestId: requestId),
            page: PageRequest(limit: PageRequest.maxLimit),
            for: signedIn.principal
        ).items
        if let newest = referrals.max(by: { $0.offeredAt < $1.offeredAt }) { return PageSecurity.redirect(to: "/referrals/" + newest.id) }
        return notice(language(request, signedIn), signedIn, status: .notFound, title: "console.notFound.title", message: "console.notFound.message")
    }

    func clientRequestPage(_ id: String, _ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        let principal = signedIn.principal
        guard principal.role == .client else { throw DomainError.notFound(entity: "request", id: id) }
        let lead = try await database.lead(id, for: principal)
        let candidates = try await database.candidates(id, for: principal)
        let engagements = try await database.engagements(
            EngagementFilter(requestId: id),
            page: PageRequest(limit: PageRequest.maxLimit),
            for: principal
        ).items
        let words = language.localizer
        let names = ObjectNames(database: database, principal: principal)
        var studioNames: [String: String] = [:]
        for candidate in candidates { studioNames[candidate.studioId] = candidate.studio.name }
        for engagement in engagements where studioNames[engagement.studioId] == nil {
            studioNames[engagement.studioId] = await names.studio(engagement.studioId)
        }
        func name(_ studioId: String) -> String { studioNames[studioId] ?? studioId }
        let canChoose = Policy.allows(principal, .chooseStudio) && [.shortlisted, .matched].contains(lead.status)
        let open = candidates.filter { $0.status == .accepted && $0.engagementId == nil }

        let state: String =
            switch lead.status {
            case .new: words.text("console.clientRequest.state.new")
            case .qualified: words.text("console.clientRequest.state.finding")
            case .shortlisted:
                words.text(open.isEmpty ? "console.clientRequest.state.finding" : "console.clientRequest.state.choose")
            case .matched:
                engagements.isEmpty
                    ? words.text("console.clientRequest.state.finding")
                    : words.text(
                        "console.clientRequest.state.started",
                        ["studio": engagements.map { name($0.studioId) }.joined(separator: ", ")]
                    )
            case .closed: words.text("console.clientRequest.state.closed")
            case .lost: words.text("console.clientRequest.state.lost")
            case .withdrawn: words.text("console.clientRequest.state.withdrawn")
            }
        let path = "/requests/" + id
        var view = view(language, title: "console.clientRequest.title")
        view.content = ClientRequestView(
            id: id,
            state: state,
            statedAsk: lead.statedAsk,
            businessGoal: lead.businessGoal,
            facts: [
                RequestFact(label: words.text("console.clientRequest.budget"), value: Self.amount(lead.budget, words)),
                RequestFact(label: words.text("console.clientRequest.deadline"), value: words.format(lead.deadline)),
                RequestFact(label: words.text("console.clientRequest.region"), value: lead.region ?? "—"),
            ],
            engagements: engagements.map {
                EngagementLink(href: "/engagements/" + $0.id, text: words.text("console.clientRequest.engagement", ["studio": name($0.studioId)]))
            },
            hasEngagements: !engagements.isEmpty,
            showCandidates: !candidates.isEmpty || [.shortlisted, .matched].contains(lead.status),
            candidates: candidates.map { candidate in
                candidateView(candidate, path: path, canChoose: canChoose, words, forms)
            },
            hasCandidates: !candidates.isEmpty
        )
        return ("client-request-page", view, .ok)
    }

    private func candidateView(
        _ candidate: Candidate,
        path: String,
        canChoose: Bool,
        _ words: Localizer,
        _ forms: FormContext
    ) -> ClientCandidateView {
        let studio = candidate.studio
        var facts = [
            RequestFact(
                label: words.text("console.clientRequest.competences"),
                value: studio.competences.map { Self.competence($0, words) }.joined(separator: ", ")
            ),
            RequestFact(label: words.text("console.clientRequest.regions"), value: studio.regions.joined(separator: ", ")),
        ]
        if let website = studio.website { facts.append(RequestFact(label: words.text("console.clientRequest.website"), value: website)) }
        facts.append(
            RequestFact(
                label: words.text("console.clientRequest.scope"),
                value: candidate.scope.map { Self.competence($0, words) }.joined(separator: ", ")
            )
        )
        if let answer = candidate.answerNote { facts.append(RequestFact(label: words.text("console.clientRequest.answer"), value: answer)) }
        if let recommendation = candidate.recommendation {
            facts.append(RequestFact(label: words.text("console.clientRequest.recommendation"), value: recommendation))
        }
        let figures = candidate.figures
        facts.append(
            RequestFact(
                label: words.text("console.clientRequest.feedback"),
                value: figures.averageFeedback.map {
                    words.plural("console.clientRequest.feedbackValue", count: figures.feedbackCount, ["value": String(format: "%.1f", $0)])
                } ?? words.text("console.clientRequest.noFeedback")
            )
        )
        facts.append(
            RequestFact(
                label: words.text("console.clientRequest.fixesOnTime"),
                value: figures.fixesOnTimeShare.map { Self.percent($0, words) } ?? words.text("console.clientRequest.noFixes")
            )
        )
        var chooseForm: FormView?
        if canChoose, candidate.status == .accepted, candidate.engagementId == nil {
            // Every candidate's form posts to the same address: only the one that was sent keeps what was typed.
            var own = forms
            if forms.typed?["studioId"] != candidate.studioId {
                own = FormContext(words: words, csrf: forms.csrf)
            }
            let form = own.form(
                action: path + "/choice",
                submit: "console.clientRequest.choose",
                fields: [InputField(.textarea, name: "note", label: words.text("console.clientRequest.note"))],
                hidden: [HiddenField(name: "studioId", value: candidate.studioId)],
                labelledBy: "candidate-" + candidate.referralId,
                idPrefix: "choose-" + candidate.referralId
            )
            chooseForm = FormView(
                action: form.action,
                csrf: form.csrf,
                formKey: form.formKey,
                submitLabel: words.text("console.clientRequest.choose", ["studio": studio.name]),
                fields: form.fields,
                hidden: form.hidden,
                problem: form.problem,
                secondary: form.secondary,
                destructive: form.destructive,
                labelledBy: form.labelledBy
            )
        }
        return ClientCandidateView(
            id: candidate.referralId,
            name: studio.name,
            facts: facts,
            chosen: candidate.engagementId != nil,
            notChosen: candidate.status == .notChosen,
            engagementHref: candidate.engagementId.map { "/engagements/" + $0 },
            engagementLabel: words.text("console.clientRequest.openEngagement", ["studio": studio.name]),
            chooseForm: chooseForm
        )
    }
}
