import ClubCore
import ClubStore
import Foundation
import HTTPTypes

extension ConsoleController {
    /// The request page (`/requests/{id}`). Each form is there only when the viewer may use it
    /// and the request's state allows it.
    func requestPage(_ id: String, _ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        let principal = signedIn.principal
        try requireClubWork(principal)
        let lead = try await database.lead(id, for: principal)
        let words = language.localizer
        let path = "/requests/" + id
        let rules = database.rules
        let client = (try? await database.client(lead.clientId, for: principal).name) ?? lead.clientId
        let studios = try await allStudios(principal)
        var names: [String: String] = [:]
        for studio in studios { names[studio.id] = studio.name }
        func name(_ studioId: String) -> String { names[studioId] ?? studioId }
        func date(_ value: Date) -> String { words.format(value, zone: signedIn.zone) }

        let canShortlist = [.qualified, .shortlisted, .matched].contains(lead.status)
        var shortlist: Shortlist?
        do {
            shortlist = try await database.latestShortlist(id, for: principal)
        } catch DomainError.notFound {
            shortlist = nil
        }
        let scorecards = shortlist == nil ? [:] : try await allScorecards(principal)
        let referrals = try await database.referrals(ReferralFilter(requestId: id), page: PageRequest(limit: PageRequest.maxLimit), for: principal)
            .items
        let engagements = try await database.engagements(
            EngagementFilter(requestId: id),
            page: PageRequest(limit: PageRequest.maxLimit),
            for: principal
        ).items

        var view = view(language, title: "console.requests.page.title", args: ["client": client])
        let page = RequestPageView(
            id: id,
            client: client,
            state: words.text("console.requests.state." + lead.status.rawValue),
            statedAsk: lead.statedAsk,
            businessGoal: lead.businessGoal,
            facts: facts(of: lead, words, zone: signedIn.zone),
            reframing: reframingFacts(lead, words),
            hasReframing: !lead.requiredCompetences.isEmpty || lead.proposedApproach != nil || lead.rationale != nil,
            reframeForm: Policy.allows(principal, .editRequest) && lead.status.isOpen ? reframeForm(lead, path, rules, words, forms) : nil,
            rush: lead.rush,
            rushText: words.text(
                "console.requests.rush.text",
                ["deadline": words.format(lead.deadline), "days": String(rules.rushThresholdDays)]
            ),
            shared: lead.sharedResponsibility.map { shared in
                [
                    RequestFact(label: words.text("console.requests.field.acceptedBy"), value: shared.acceptedBy),
                    RequestFact(label: words.text("console.requests.field.acceptedAt"), value: date(shared.acceptedAt)),
                    RequestFact(label: words.text("console.requests.field.note"), value: shared.note),
                    RequestFact(label: words.text("console.requests.shared.recordedBy"), value: shared.recordedBy),
                ]
            } ?? [],
            hasShared: lead.sharedResponsibility != nil,
            showShared: lead.rush || lead.sharedResponsibility != nil,
            sharedForm: lead.sharedResponsibility == nil && lead.rush && lead.status.isOpen
                && Policy.allows(principal, .recordSharedResponsibility)
                ? sharedForm(path, signedIn, words, forms) : nil,
            shortlistForm: canShortlist && Policy.allows(principal, .makeShortlist)
                ? shortlistForm(lead, path, studios.filter { $0.status == .active }, words, forms) : nil,
            shortlistNote: lead.status == .new ? words.text("console.requests.shortlist.needsReframing") : nil,
            shortlist: shortlist.map { shortlistView($0, name: name, scorecards: scorecards, studios: studios, words, zone: signedIn.zone) },
            offerForm: offerForm(lead, shortlist, path, principal, name: name, words, forms),
            referrals: referralRows(referrals, lead, shortlist, engagements, path, principal, name: name, words, signedIn.zone, forms),
            hasReferrals: !referrals.isEmpty,
            engagements: engagements.map { engagement in
                EngagementLink(
                    href: "/engagements/" + engagement.id,
                    text: words.text(
                        "console.requests.engagement",
                        [
                            "studio": name(engagement.studioId),
                            "scope": engagement.scope.map { Self.competence($0, words) }.joined(separator: ", "),
                        ]
                    )
                )
            },
            hasEngagements: !engagements.isEmpty,
            closeForm: lead.status.isOpen && Policy.allows(principal, .closeRequest) ? closeForm(lead, path, words, forms) : nil,
            closing: lead.status.isOpen
                ? nil
                : words.text(
                    "console.requests.closedWith",
                    ["state": words.text("console.requests.state." + lead.status.rawValue), "reason": lead.closingReason ?? ""]
                ),
            live: true
        )
        view.content = page
        return ("request-page", view, .ok)
    }

    private func facts(of lead: Lead, _ words: Localizer, zone: TimeZone) -> [RequestFact] {
        var facts = [
            RequestFact(label: words.text("console.requests.field.budget"), value: Self.amount(lead.budget, words)),
            RequestFact(label: words.text("console.requests.field.deadline"), value: words.format(lead.deadline)),
            RequestFact(label: words.text("console.requests.field.region"), value: lead.region ?? "—"),
            RequestFact(
                label: words.text("console.requests.field.referralReason"),
                value: lead.referralReason.map { words.text("console.requests.reason." + $0.rawValue) } ?? "—"
            ),
            RequestFact(label: words.text("console.requests.field.created"), value: words.format(lead.createdAt, zone: zone)),
        ]
        if let note = lead.internalNote { facts.append(RequestFact(label: words.text("console.requests.field.internalNote"), value: note)) }
        return facts
    }

    private func reframingFacts(_ lead: Lead, _ words: Localizer) -> [RequestFact] {
        [
            RequestFact(
                label: words.text("console.requests.field.requiredCompetences"),
                value: lead.requiredCompetences.isEmpty ? "—" : lead.requiredCompetences.map { Self.competence($0, words) }.joined(separator: ", ")
            ),
            RequestFact(label: words.text("console.requests.field.proposedApproach"), value: lead.proposedApproach ?? "—"),
            RequestFact(label: words.text("console.requests.field.rationale"), value: lead.rationale ?? "—"),
        ]
    }

    private func reframeForm(_ lead: Lead, _ path: String, _ rules: ClubRules, _ words: Localizer, _ forms: FormContext) -> FormView {
        // The configured vocabulary, plus any competence the request keeps from an older one.
        let vocabulary = Set(rules.competences).union(lead.requiredCompetences)
        let options = vocabulary.map { (value: $0, label: Self.competence($0, words)) }
            .sorted { $0.label.localizedCaseInsensitiveCompare($1.label) == .orderedAscending }
        return forms.form(
            action: path,
            submit: "console.requests.reframe.button",
            fields: [
                InputField(
                    .checkboxes,
                    name: "requiredCompetences",
                    label: words.text("console.requests.field.requiredCompetences"),
                    hint: words.text("console.requests.hint.requiredCompetences"),
                    options: options,
                    selected: lead.requiredCompetences
                ),
                InputField(
                    .textarea,
                    name: "proposedApproach",
                    label: words.text("console.requests.field.proposedApproach"),
                    value: lead.proposedApproach ?? ""
                ),
                InputField(
                    .textarea,
                    name: "rationale",
                    label: words.text("console.requests.field.rationale"),
                    value: lead.rationale ?? "",
                    hint: words.text("console.requests.hint.rationale")
                ),
            ],
            hidden: [HiddenField(name: "version", value: String(lead.version))],
            labelledBy: "reframe-title"
        )
    }

    private func sharedForm(_ path: String, _ signedIn: SignedIn, _ words: Localizer, _ forms: FormContext) -> FormView {
        forms.form(
            action: path + "/shared-responsibility",
            submit: "console.requests.shared.button",
            fields: [
                InputField(
                    .text,
                    name: "acceptedBy",
                    label: words.text("console.requests.field.acceptedBy"),
                    hint: words.text("console.requests.hint.acceptedBy")
                ),
                InputField(
                    .dateTime,
                    name: "acceptedAt",
                    label: words.text("console.requests.field.acceptedAt"),
                    value: FormReader.localTimeValue(database.clock.now(), zone: signedIn.zone)
                ),
                InputField(
                    .textarea,
                    name: "note",
                    label: words.text("console.requests.field.note"),
                    hint: words.text("console.requests.hint.sharedNote")
                ),
            ],
            labelledBy: "shared-title"
        )
    }

    private func shortlistForm(_ lead: Lead, _ path: String, _ active: [Studio], _ words: Localizer, _ forms: FormContext) -> FormView {
        forms.form(
            action: path + "/shortlist",
            submit: "console.requests.shortlist.button",
            fields: [
                InputField(
                    .number,
                    name: "size",
                    label: words.text("console.requests.field.size"),
                    value: "3",
                    hint: words.text("console.requests.hint.size")
                ),
                InputField(
                    .checkboxes,
                    name: "scope",
                    label: words.text("console.requests.field.scope"),
                    hint: words.text("console.requests.hint.scope"),
                    options: lead.requiredCompetences.map { ($0, Self.competence($0, words)) },
                    selected: lead.requiredCompetences
                ),
                InputField(
                    .checkboxes,
                    name: "exclude",
                    label: words.text("console.requests.field.exclude"),
                    hint: words.text("console.requests.hint.exclude"),
                    options: active.sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }.map { ($0.id, $0.name) }
                ),
            ],
            labelledBy: "shortlist-form-title"
        )
    }

    private func shortlistView(
        _ shortlist: Shortlist,
        name: (String) -> String,
        scorecards: [String: Scorecard],
        studios: [Studio],
        _ words: Localizer,
        zone: TimeZone
    ) -> ShortlistView {
        let weights = database.rules.weights
        let total = MatchWeights.parts.reduce(0) { $0 + weights[keyPath: $1.weight] }
        let capacities = Dictionary(studios.map { ($0.id, $0.capacity) }, uniquingKeysWith: { first, _ in first })
        let candidates = shortlist.candidates.enumerated().map { index, candidate in
            let parts = Self.parts(of: candidate.breakdown).map { part, value -> ScorePart in
                let weight: Double = MatchWeights.parts.first { $0.name == part }.map { weights[keyPath: $0.weight] } ?? 0
                return ScorePart(
                    id: "score-\(index + 1)-\(part)",
                    label: words.text("console.requests.score." + part),
                    value: String(format: "%.3f", value),
                    shown: Self.percent(value, words),
                    weight: words.text("console.requests.score.weight", ["weight": Self.percent(total > 0 ? weight / total : 0, words)])
                )
            }
            let capacity = capacities[candidate.studioId] ?? 0
            let free = Int((candidate.breakdown.freeCapacity * Double(capacity)).rounded())
            return CandidateView(
                rank: index + 1,
                id: candidate.studioId,
                name: name(candidate.studioId),
                score: Self.percent(candidate.score, words),
                scoreValue: String(format: "%.3f", candidate.score),
                covers: candidate.covers.map { Self.competence($0, words) }.joined(separator: ", "),
                parts: parts,
                capacity: words.text("console.requests.candidate.capacity", ["free": String(free), "capacity": String(capacity)]),
                scorecard: scorecardFacts(scorecards[candidate.studioId], words)
            )
        }
        return ShortlistView(
            made: words.text("console.requests.shortlist.made", ["date": words.format(shortlist.createdAt, zone: zone), "by": shortlist.createdBy]),
            scope: shortlist.scope.map { Self.competence($0, words) }.joined(separator: ", "),
            excluded: shortlist.excluded.isEmpty ? nil : shortlist.excluded.map(name).joined(separator: ", "),
            candidates: candidates,
            hasCandidates: !candidates.isEmpty
        )
    }

    /// The parts of a score in the order the configuration names them.
    static func parts(of breakdown: ScoreBreakdown) -> [(String, Double)] {
        [
            ("coverage", breakdown.coverage), ("singleStudio", breakdown.singleStudio), ("budgetFit", breakdown.budgetFit),
            ("freeCapacity", breakdown.freeCapacity), ("rating", breakdown.rating), ("upheldComplaints", breakdown.upheldComplaints),
            ("region", breakdown.region),
        ]
    }

    private func scorecardFacts(_ card: Scorecard?, _ words: Localizer) -> [RequestFact] {
        guard let card else { return [] }
        func optional(_ value: Double?, _ show: (Double) -> String) -> String { value.map(show) ?? "—" }
        return [
            RequestFact(label: words.text("console.requests.scorecard.rating"), value: Self.percent(card.rating, words)),
            RequestFact(
                label: words.text("console.requests.scorecard.feedback"),
                value: optional(card.averageFeedback) { words.text("console.requests.scorecard.outOfFive", ["value": String(format: "%.1f", $0)]) }
            ),
            RequestFact(label: words.text("console.requests.scorecard.acceptance"), value: optional(card.acceptanceRate) { Self.percent($0, words) }),
            RequestFact(
                label: words.text("console.requests.scorecard.answerHours"),
                value: optional(card.medianAnswerHours) { words.text("console.requests.scorecard.hours", ["hours": String(format: "%.1f", $0)]) }
            ),
            RequestFact(
                label: words.text("console.requests.scorecard.fixesOnTime"),
                value: optional(card.fixesOnTimeShare) { Self.percent($0, words) }
            ),
            RequestFact(label: words.text("console.requests.scorecard.upheld"), value: String(card.upheldComplaints)),
        ]
    }

    private func offerForm(
        _ lead: Lead,
        _ shortlist: Shortlist?,
        _ path: String,
        _ principal: Principal,
        name: (String) -> String,
        _ words: Localizer,
        _ forms: FormContext
    ) -> FormView? {
        guard let shortlist, !shortlist.candidates.isEmpty, [.shortlisted, .matched].contains(lead.status),
            Policy.allows(principal, .offerReferrals)
        else { return nil }
        return forms.form(
            action: path + "/referrals",
            submit: "console.requests.offer.button",
            fields: [
                InputField(
                    .checkboxes,
                    name: "studioIds",
                    label: words.text("console.requests.field.studioIds"),
                    hint: words.text("console.requests.hint.studioIds", ["hours": String(database.rules.referralAnswerHours)]),
                    options: shortlist.candidates.map { ($0.studioId, name($0.studioId)) }
                )
            ],
            labelledBy: "offer-title"
        )
    }

    private func referralRows(
        _ referrals: [Referral],
        _ lead: Lead,
        _ shortlist: Shortlist?,
        _ engagements: [Engagement],
        _ path: String,
        _ principal: Principal,
        name: (String) -> String,
        _ words: Localizer,
        _ zone: TimeZone,
        _ forms: FormContext
    ) -> [ReferralRow] {
        let now = database.clock.now()
        let byId = Dictionary(referrals.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var handedTo: [String: String] = [:]
        for referral in referrals { if let from = referral.handedOverFrom { handedTo[from] = name(referral.studioId) } }
        let started = Set(engagements.map(\.referralId))
        let leftTemplate = words.template("console.requests.referral.left")
        let overdueText = words.text("console.requests.referral.overdue")
        let canStart = Policy.allows(principal, .startEngagement) && [.shortlisted, .matched].contains(lead.status)
        let canRecommend = Policy.allows(principal, .recommendCandidate) && lead.status.isOpen
        return referrals.sorted { $0.offeredAt > $1.offeredAt }.map { referral in
            let seconds = max(0, Int(referral.dueAt.timeIntervalSince(now)))
            let reason: String? =
                switch referral.status {
                case .declined:
                    words.text("console.requests.referral.declinedWith", ["note": referral.note ?? words.text("console.requests.referral.noReason")])
                case .expired: words.text("console.requests.referral.expiredWith", ["hours": String(database.rules.referralAnswerHours)])
                case .notChosen: words.text("console.requests.referral.notChosenWith")
                case .offered, .accepted: nil
                }
            var scope = lead.requiredCompetences
            if let covers = shortlist?.candidates.first(where: { $0.studioId == referral.studioId })?.covers, !covers.isEmpty { scope = covers }
            let heading = words.text("console.requests.engagement.heading", ["studio": name(referral.studioId)])
            let open = [.offered, .accepted].contains(referral.status) && !started.contains(referral.id)
            let recommendForm: FormView? =
                canRecommend && open
                ? forms.form(
                    action: path + "/recommendation",
                    submit: "console.requests.recommend.button",
                    fields: [
                        InputField(
                            .textarea,
                            name: "recommendation",
                            label: words.text("console.requests.field.recommendation"),
                            value: referral.recommendation ?? "",
                            hint: words.text("console.requests.hint.recommendation")
                        )
                    ],
                    hidden: [HiddenField(name: "referralId", value: referral.id)],
                    secondary: true,
                    labelledBy: "recommend-" + referral.id,
                    idPrefix: "recommend-" + referral.id
                ) : nil
            let form: FormView? =
                canStart && referral.status == .accepted && !started.contains(referral.id)
                ? forms.form(
                    action: path + "/engagements",
                    submit: "console.requests.engagement.button",
                    fields: [
                        // Named per studio: the page has a scope group per accepted referral and one for the shortlist.
                        InputField(
                            .checkboxes,
                            name: Self.engagementScopeField(referral.studioId),
                            label: words.text("console.requests.field.engagementScope"),
                            options: lead.requiredCompetences.map { ($0, Self.competence($0, words)) },
                            selected: scope
                        ),
                        // With a note the coordinator records the client's own choice (`POST …/choice`);
                        // without one it starts the engagement as the club's choice (docs/design.md §3.4).
                        InputField(
                            .textarea,
                            name: "note",
                            label: words.text("console.requests.field.choiceNote"),
                            hint: words.text("console.requests.hint.choiceNote")
                        ),
                    ],
                    hidden: [HiddenField(name: "studioId", value: referral.studioId)],
                    labelledBy: "engagement-" + referral.id,
                    idPrefix: "start-" + referral.id
                ) : nil
            return ReferralRow(
                id: referral.id,
                studio: name(referral.studioId),
                state: words.text("console.requests.referral.state." + referral.status.rawValue),
                offered: words.text(
                    "console.requests.referral.offered",
                    ["date": words.format(referral.offeredAt, zone: zone), "by": referral.offeredBy]
                ),
                isOpen: referral.status == .offered,
                due: ISO8601DateFormatter().string(from: referral.dueAt),
                dueText: words.text("console.requests.referral.due", ["date": words.format(referral.dueAt, zone: zone)]),
                left: seconds == 0
                    ? overdueText : Localizer.fill(leftTemplate, ["hours": String(seconds / 3600), "minutes": String(seconds % 3600 / 60)]),
                leftTemplate: leftTemplate,
                overdueText: overdueText,
                note: referral.status.wasAccepted ? referral.note : nil,
                reason: reason,
                handedTo: handedTo[referral.id].map { words.text("console.requests.referral.handedTo", ["studio": $0]) },
                handedFrom: referral.handedOverFrom.flatMap { byId[$0] }.map {
                    words.text("console.requests.referral.handedFrom", ["studio": name($0.studioId)])
                },
                recommendation: referral.recommendation,
                recommendForm: recommendForm,
                engagementForm: form,
                engagementHeading: heading
            )
        }
    }

    static func engagementScopeField(_ studioId: String) -> String { "scope." + studioId }

    private func closeForm(_ lead: Lead, _ path: String, _ words: Localizer, _ forms: FormContext) -> FormView {
        let outcomes: [LeadOutcome] = lead.status == .matched ? [.closed, .lost, .withdrawn] : [.lost, .withdrawn]
        return forms.form(
            action: path + "/close",
            submit: "console.requests.close.button",
            fields: [
                InputField(
                    .radios,
                    name: "outcome",
                    label: words.text("console.requests.field.outcome"),
                    options: outcomes.map { ($0.rawValue, words.text("console.requests.outcome." + $0.rawValue)) }
                ),
                InputField(.textarea, name: "reason", label: words.text("console.requests.field.reason")),
            ],
            destructive: true,
            labelledBy: "close-title"
        )
    }
}
