import ClubCore
import ClubStore
import Foundation
import Hummingbird

extension ConsoleController {
    /// The studio's own desk (issue 11): the referrals offered to it, answered here, and its own
    /// scorecard as the club computes it. What lies outside the studio's reach answers 404.
    func addStudioDeskPages(to router: Router<Context>) {
        router.get("/referrals") { request, _ in
            try await withSession(request, current: "/referrals") { signedIn, language in
                try await referralListPage(signedIn, language)
            }
        }
        router.get("/referrals/:id") { request, context in
            let id = try context.parameters.require("id")
            // The club follows a referral on its request's page.
            if let signedIn = try await signedIn(request), signedIn.person.role == .coordinator,
                let referral = try? await database.referral(id, for: signedIn.principal)
            {
                return PageSecurity.redirect(to: "/requests/" + referral.requestId)
            }
            return try await withSession(request, current: "/referrals") { signedIn, language in
                try await referralPage(id, signedIn, language, forms(signedIn, language))
            }
        }
        for accept in [true, false] {
            router.post(RouterPath(stringLiteral: "/referrals/:id/" + (accept ? "accept" : "decline"))) { request, context in
                let id = try context.parameters.require("id")
                return try await submit(
                    request,
                    context,
                    current: "/referrals",
                    render: { signedIn, language, forms in try await referralPage(id, signedIn, language, forms) },
                    perform: { signedIn, reader in try await answerReferral(id, accept: accept, signedIn, &reader) }
                )
            }
        }
        router.get("/scorecard") { request, _ in
            try await withSession(request, current: "/scorecard") { signedIn, language in
                try await scorecardPage(signedIn, language)
            }
        }
    }

    // MARK: - Referrals

    private func requireStudio(_ signedIn: SignedIn) throws -> String {
        guard signedIn.person.role == .studio, let studioId = signedIn.principal.studioId else {
            throw DomainError.notFound(entity: "page", id: "studio")
        }
        return studioId
    }

    private func referralPage(_ id: String, _ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        _ = try requireStudio(signedIn)
        let words = language.localizer
        let principal = signedIn.principal
        let referral = try await database.referral(id, for: principal)
        let lead = try await database.lead(referral.requestId, for: principal)
        let now = database.clock.now()
        func when(_ date: Date) -> String { words.format(date, zone: signedIn.zone) }
        let open = referral.status == .offered && now < referral.dueAt && lead.status.isOpen
        var deadline: String?
        let overdue = referral.isOverdue(at: now)
        if referral.status == .offered {
            deadline = ReferralDeadlineText(due: referral.dueAt, now: now, words: words, zone: signedIn.zone).sentence
        }
        let competences = lead.requiredCompetences.map { Self.competence($0, words) }.joined(separator: ", ")
        let facts = [
            DeskFact(label: words.text("studio.referral.competences"), value: competences.isEmpty ? "—" : competences),
            DeskFact(label: words.text("studio.referral.approach"), value: lead.proposedApproach ?? "—"),
            DeskFact(label: words.text("studio.referral.region"), value: lead.region ?? "—"),
            DeskFact(label: words.text("studio.referral.budget"), value: Self.amount(lead.budget, words)),
            DeskFact(label: words.text("studio.referral.deadline"), value: words.format(lead.deadline)),
        ]
        let canAnswer = open && Policy.allows(principal, .answerReferral)
        let path = "/referrals/" + id
        var view = view(language, title: "studio.referral.title", args: ["ask": lead.statedAsk])
        view.content = ReferralDeskView(
            statedAsk: lead.statedAsk,
            businessGoal: lead.businessGoal,
            facts: facts,
            state: words.text("studio.referral.state." + referral.status.rawValue),
            offered: words.text("studio.referral.offeredAt", ["date": when(referral.offeredAt)]),
            deadline: deadline,
            overdue: overdue,
            answer: referral.answeredAt.map { words.text("studio.referral.answeredAt", ["date": when($0)]) },
            answerNote: referral.answeredAt == nil ? nil : referral.note,
            canAnswer: canAnswer,
            acceptForm: canAnswer
                ? forms.form(
                    action: path + "/accept",
                    submit: "studio.referral.accept.button",
                    fields: [
                        InputField(
                            .textarea,
                            name: "note",
                            label: words.text("studio.referral.accept.note"),
                            hint: words.text("studio.referral.accept.hint")
                        )
                    ],
                    labelledBy: "accept-title",
                    idPrefix: "accept"
                ) : nil,
            declineForm: canAnswer
                ? forms.form(
                    action: path + "/decline",
                    submit: "studio.referral.decline.button",
                    fields: [
                        InputField(
                            .textarea,
                            name: "note",
                            label: words.text("studio.referral.decline.reason"),
                            hint: words.text("studio.referral.decline.hint"),
                            required: true
                        )
                    ],
                    secondary: true,
                    labelledBy: "decline-title",
                    idPrefix: "decline"
                ) : nil,
            backHref: "/referrals"
        )
        return ("studio-referral", view, .ok)
    }

    /// The studio's answer, through the store's use case as the API calls it. A decline needs its
    /// reason here: the club hands the request on, and the coordinators read why.
    private func answerReferral(_ id: String, accept: Bool, _ signedIn: SignedIn, _ reader: inout FormReader) async throws -> String {
        let note = reader.form.optionalText("note")
        if !accept, note == nil { reader.fail("note", "studio.referral.problem.reason") }
        try reader.finish()
        _ = try await database.answerReferral(id, ReferralAnswer(accept: accept, note: note), by: signedIn.principal)
        return "/referrals/" + id
    }

    private func referralListPage(_ signedIn: SignedIn, _ language: PageLanguage) async throws -> RenderedPage {
        _ = try requireStudio(signedIn)
        let words = language.localizer
        let principal = signedIn.principal
        let now = database.clock.now()
        let names = ObjectNames(database: database, principal: principal)
        var referrals: [Referral] = []
        var after: Int64?
        repeat {
            let page = try await database.referrals(ReferralFilter(), page: PageRequest(limit: PageRequest.maxLimit, after: after), for: principal)
            referrals += page.items
            after = page.nextCursor.flatMap { try? PageRequest.parse(limit: nil, cursor: $0).after }
        } while after != nil
        var open: [ReferralLine] = []
        var answered: [ReferralLine] = []
        for referral in referrals.sorted(by: { $0.offeredAt > $1.offeredAt }) {
            let waiting = referral.status == .offered
            let note: String
            if waiting {
                note = ReferralDeadlineText(due: referral.dueAt, now: now, words: words, zone: signedIn.zone).sentence
            } else {
                note = words.text("studio.referral.offeredAt", ["date": words.format(referral.offeredAt, zone: signedIn.zone)])
            }
            let line = ReferralLine(
                href: "/referrals/" + referral.id,
                text: await names.request(referral.requestId),
                state: words.text("studio.referral.state." + referral.status.rawValue),
                note: note
            )
            if waiting { open.append(line) } else { answered.append(line) }
        }
        // The nearest deadline first.
        let dueOrder = Dictionary(uniqueKeysWithValues: referrals.map { ("/referrals/" + $0.id, $0.dueAt) })
        open.sort { (dueOrder[$0.href] ?? .distantFuture) < (dueOrder[$1.href] ?? .distantFuture) }
        var view = view(language, title: "studio.referrals.title")
        view.content = ReferralListView(open: open, hasOpen: !open.isEmpty, answered: answered, hasAnswered: !answered.isEmpty)
        return ("studio-referrals", view, .ok)
    }

    // MARK: - The scorecard

    private func scorecardPage(_ signedIn: SignedIn, _ language: PageLanguage) async throws -> RenderedPage {
        let studioId = try requireStudio(signedIn)
        let words = language.localizer
        let card = try await database.scorecard(studioId: studioId, for: signedIn.principal)
        var view = view(language, title: "studio.scorecard.title")
        view.content = ScorecardDeskView(
            studio: card.name,
            asOf: words.text("console.asOf", ["date": words.format(database.clock.now(), zone: signedIn.zone), "zone": signedIn.person.timeZone]),
            lines: Self.scoreLines(card, answerWindowHours: database.rules.referralAnswerHours, words)
        )
        return ("studio-scorecard", view, .ok)
    }

    /// Each number as the coordinators' `/reports` shows it, with the outcomes behind it.
    static func scoreLines(_ card: Scorecard, answerWindowHours: Int, _ words: Localizer) -> [ScoreLine] {
        func shown(_ key: String) -> (label: String, value: String) {
            guard let column = ScorecardSort.columns.first(where: { $0.key == key }) else { return (key, "—") }
            return (words.text(column.label), column.display(card, words))
        }
        func line(_ key: String, _ drivers: [String]) -> ScoreLine {
            let (label, value) = shown(key)
            return ScoreLine(id: "score-" + key, label: label, value: value, drivers: drivers)
        }
        let concluded = card.referralsAccepted + card.referralsDeclined + card.referralsExpired
        let audited = card.auditFindingsAccepted + card.auditFindingsPartlyAccepted + card.auditFindingsDisputed
        let signals = [
            card.averageFeedback != nil, card.acceptanceRate != nil, card.medianAnswerHours != nil && answerWindowHours > 0,
            card.upheldComplaints > 0, card.fixesOnTimeShare != nil, audited > 0, card.fixItemsReopened > 0,
        ]
        .filter { $0 }.count
        let counts = [
            "accepted": String(card.referralsAccepted), "declined": String(card.referralsDeclined),
            "expired": String(card.referralsExpired), "concluded": String(concluded),
        ]
        let onTime = card.fixItemsStruck - card.fixItemsStruckLate
        return [
            line(
                "rating",
                [signals == 0 ? words.text("studio.scorecard.rating.neutral") : words.plural("studio.scorecard.rating.signals", count: signals)]
            ),
            line(
                "averageFeedback",
                [
                    card.feedbackCount == 0
                        ? words.text("studio.scorecard.feedback.none") : words.plural("studio.scorecard.feedback.count", count: card.feedbackCount)
                ]
            ),
            line("referralsOffered", [words.plural("studio.scorecard.offered.split", count: card.referralsOffered, counts)]),
            line(
                "acceptanceRate",
                [
                    concluded == 0
                        ? words.text("studio.scorecard.acceptance.none")
                        : words.plural("studio.scorecard.acceptance.count", count: concluded, counts)
                ]
            ),
            line(
                "medianAnswerHours",
                [
                    card.medianAnswerHours == nil
                        ? words.text("studio.scorecard.answer.none")
                        : words.plural("studio.scorecard.answer.window", count: answerWindowHours)
                ]
            ),
            line(
                "upheldComplaints",
                [
                    card.upheldComplaints == 0
                        ? words.text("studio.scorecard.complaints.none")
                        : words.plural(
                            "studio.scorecard.complaints.count",
                            count: card.upheldComplaints,
                            ["partly": String(card.partlyUpheldComplaints)]
                        )
                ]
            ),
            line(
                "fixesOnTimeShare",
                [
                    card.fixItemsStruck == 0
                        ? words.text("studio.scorecard.fixes.none")
                        : words.plural("studio.scorecard.fixes.count", count: card.fixItemsStruck, ["onTime": String(onTime)])
                ]
            ),
            line(
                "fixItemsReopened",
                [words.plural("studio.scorecard.reopened.count", count: card.fixItemsReopened, ["struck": String(card.fixItemsStruck)])]
            ),
            ScoreLine(
                id: "score-audits",
                label: words.text("studio.scorecard.audits.label"),
                value: String(audited),
                drivers: audited == 0
                    ? [words.text("studio.scorecard.audits.none")]
                    : [
                        words.text(
                            "studio.scorecard.audits.split",
                            [
                                "accepted": String(card.auditFindingsAccepted), "partly": String(card.auditFindingsPartlyAccepted),
                                "disputed": String(card.auditFindingsDisputed),
                            ]
                        )
                    ]
            ),
        ]
    }
}
