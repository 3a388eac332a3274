import ClubCore
import ClubStore
import Foundation
import Hummingbird

extension ConsoleController {
    /// Parting with the client (exit, consulting offer, sessions) and the retrospective.
    func addPartingForms(to router: Router<Context>) {
        router.post("/engagements/:id/exit") { request, context in
            let id = try context.parameters.require("id")
            return try await engagementOrNotFound(request) {
                try await submit(
                    request,
                    context,
                    current: "/engagements/" + id,
                    confirm: ConfirmStep(
                        question: "console.engagements.exit.question",
                        consequence: "console.engagements.exit.consequence",
                        button: "console.engagements.exit.confirm"
                    ),
                    render: { signedIn, language, forms in try await engagementPage(id, signedIn, language, forms) },
                    perform: { signedIn, reader in
                        let input = ExitInput(reason: reader.form.text("reason"), decidedBy: reader.form.optionalText("decidedBy"))
                        _ = try await database.exitEngagement(id, input, by: signedIn.principal)
                        return "/engagements/" + id + "#exit-heading"
                    }
                )
            }
        }
        router.post("/engagements/:id/consulting-offer") { request, context in
            let id = try context.parameters.require("id")
            return try await engagementOrNotFound(request) {
                try await submit(
                    request,
                    context,
                    current: "/engagements/" + id,
                    render: { signedIn, language, forms in try await engagementPage(id, signedIn, language, forms) },
                    perform: { signedIn, reader in
                        let sessions = reader.requiredInt("sessions")
                        let validUntil = reader.requiredDay("validUntil")
                        try reader.finish()
                        let exit = try await partingExtras(id, signedIn).exit
                        guard let exit else { throw DomainError.illegalTransition(entity: "engagement", from: "open", action: "offer consulting") }
                        let input = ConsultingOfferInput(sessions: sessions, validUntil: Self.endOfDay(validUntil, zone: signedIn.zone))
                        _ = try await database.offerConsulting(exit.id, input, by: signedIn.principal)
                        return "/engagements/" + id + "#exit-heading"
                    }
                )
            }
        }
        router.post("/engagements/:id/consulting-offer/answer") { request, context in
            let id = try context.parameters.require("id")
            return try await engagementOrNotFound(request) {
                try await submit(
                    request,
                    context,
                    current: "/engagements/" + id,
                    render: { signedIn, language, forms in try await engagementPage(id, signedIn, language, forms) },
                    perform: { signedIn, reader in
                        let accept = reader.form.text("accept")
                        if accept != "true" && accept != "false" { reader.fail("accept", "console.problem.required") }
                        try reader.finish()
                        guard let offer = try await partingExtras(id, signedIn).offer else {
                            throw DomainError.notFound(entity: "consulting offer", id: id)
                        }
                        _ = try await database.answerConsultingOffer(offer.id, ConsultingAnswer(accept: accept == "true"), by: signedIn.principal)
                        return "/engagements/" + id + "#exit-heading"
                    }
                )
            }
        }
        router.post("/engagements/:id/sessions") { request, context in
            let id = try context.parameters.require("id")
            return try await engagementOrNotFound(request) {
                try await submit(
                    request,
                    context,
                    current: "/engagements/" + id,
                    render: { signedIn, language, forms in try await engagementPage(id, signedIn, language, forms) },
                    perform: { signedIn, reader in
                        let scheduledAt = reader.requiredTime("scheduledAt")
                        try reader.finish()
                        guard let offer = try await partingExtras(id, signedIn).offer else {
                            throw DomainError.notFound(entity: "consulting offer", id: id)
                        }
                        let input = ConsultingSessionInput(scheduledAt: scheduledAt, topic: reader.form.optionalText("topic"))
                        _ = try await database.scheduleSession(offer.id, input, by: signedIn.principal)
                        return "/engagements/" + id + "#exit-heading"
                    }
                )
            }
        }
        router.post("/engagements/:id/sessions/:session") { request, context in
            let id = try context.parameters.require("id")
            let session = try context.parameters.require("session")
            return try await engagementOrNotFound(request) {
                try await submit(
                    request,
                    context,
                    current: "/engagements/" + id,
                    render: { signedIn, language, forms in try await engagementPage(id, signedIn, language, forms) },
                    perform: { signedIn, reader in
                        let status = reader.requiredChoice("status", as: ConsultingSessionStatus.self)
                        try reader.finish()
                        guard let status else { throw FormProblems(problems: []) }
                        // Only a session of this engagement's offer is changed from its page.
                        guard try await partingExtras(id, signedIn).sessions.contains(where: { $0.id == session }) else {
                            throw DomainError.notFound(entity: "consulting session", id: session)
                        }
                        _ = try await database.updateSession(
                            session,
                            ConsultingSessionPatch(status: status, notes: reader.form.optionalText("notes")),
                            by: signedIn.principal
                        )
                        return "/engagements/" + id + "#exit-heading"
                    }
                )
            }
        }
        router.post("/engagements/:id/retrospective") { request, context in
            let id = try context.parameters.require("id")
            return try await engagementOrNotFound(request) {
                try await submit(
                    request,
                    context,
                    current: "/engagements/" + id,
                    render: { signedIn, language, forms in try await engagementPage(id, signedIn, language, forms) },
                    perform: { signedIn, reader in
                        let form = EngagementRetrospectiveForm(reader: &reader)
                        try reader.finish()
                        do {
                            _ = try await database.createRetrospective(id, form.input, by: signedIn.principal)
                        } catch DomainError.invalid(let errors) {
                            throw DomainError.invalid(errors.map(form.problemOfRow))
                        }
                        return "/engagements/" + id + "#retrospective-heading"
                    }
                )
            }
        }
    }

    /// The exit, offer and sessions of an engagement as the signed-in person may read them.
    private func partingExtras(_ id: String, _ signedIn: SignedIn) async throws -> EngagementExtras {
        _ = try await database.engagementRecord(id, for: signedIn.principal)
        let words = catalogs.localizer(for: signedIn.person.language.rawValue)
        guard let extras = await EngagementExtras.read(id, database: database, principal: signedIn.principal, words: words) else {
            throw DomainError.notFound(entity: "engagement", id: id)
        }
        return extras
    }

    /// The last minute of `day` in `zone`: an offer valid until a day is valid all that day.
    static func endOfDay(_ day: Day, zone: TimeZone) -> Date {
        FormReader.localTime(day.description + "T23:59", zone: zone) ?? day.end(in: zone)
    }

    // MARK: - Views

    func engagementExitForm(_ base: String, _ forms: FormContext, _ words: Localizer) -> FormView {
        forms.form(
            action: base + "/exit",
            submit: "console.engagements.exit.button",
            fields: [
                InputField(.textarea, name: "reason", label: words.text("console.engagements.field.reason"), required: true),
                InputField(
                    .text,
                    name: "decidedBy",
                    label: words.text("console.engagements.field.decidedBy"),
                    hint: words.text("console.engagements.field.decidedByHint")
                ),
            ],
            destructive: true,
            labelledBy: "exit-form-heading"
        )
    }

    func engagementExitView(
        _ extras: EngagementExtras,
        _ base: String,
        _ forms: FormContext,
        _ words: Localizer,
        _ zone: TimeZone,
        _ allows: (Action) -> Bool
    ) -> EngagementExitView? {
        guard let exit = extras.exit else { return nil }
        let now = database.clock.now()
        let offer = extras.offer.map { offer in
            let status = offer.currentStatus(at: now)
            let sessions = extras.sessions.map { session in
                ConsultingSessionLine(
                    id: session.id,
                    scheduledAt: words.format(session.scheduledAt, zone: zone),
                    topic: session.topic ?? words.text("console.engagements.session.noTopic"),
                    status: words.text("console.engagements.session." + session.status.rawValue),
                    notes: session.notes,
                    headingId: "session-" + session.id,
                    markForm: session.status == .scheduled && allows(.markSession) ? markForm(base, session, forms, words) : nil
                )
            }
            return ConsultingOfferView(
                sessions: words.plural("console.engagements.offer.sessions", count: offer.sessions),
                validUntil: words.format(offer.validUntil, zone: zone),
                status: words.text("console.engagements.offer." + status.rawValue),
                answered: offer.answeredAt.map { words.format($0, zone: zone) },
                sessionLines: sessions,
                hasSessions: !sessions.isEmpty,
                scheduleForm: status == .accepted && allows(.scheduleSession) ? scheduleForm(base, forms, words, zone) : nil,
                answerForm: status == .offered && allows(.answerConsultingOffer)
                    ? forms.form(
                        action: base + "/consulting-offer/answer",
                        submit: "console.engagements.offer.answerButton",
                        fields: [
                            InputField(
                                .radios,
                                name: "accept",
                                label: words.text("console.engagements.offer.answerTitle"),
                                options: [
                                    ("true", words.text("console.engagements.offer.accept")),
                                    ("false", words.text("console.engagements.offer.decline")),
                                ]
                            )
                        ],
                        labelledBy: "answer-form-heading"
                    ) : nil
            )
        }
        return EngagementExitView(
            reason: exit.reason,
            decidedBy: exit.decidedBy,
            decidedAt: words.format(exit.decidedAt, zone: zone),
            offer: offer,
            offerForm: extras.offer == nil && allows(.offerConsulting)
                ? forms.form(
                    action: base + "/consulting-offer",
                    submit: "console.engagements.offer.button",
                    fields: [
                        InputField(.number, name: "sessions", label: words.text("console.engagements.field.sessions"), value: "2", required: true),
                        InputField(
                            .date,
                            name: "validUntil",
                            label: words.text("console.engagements.field.validUntil"),
                            value: Day(containing: now.addingTimeInterval(90 * 24 * 3600), in: zone).description,
                            required: true
                        ),
                    ],
                    labelledBy: "offer-form-heading"
                ) : nil
        )
    }

    private func scheduleForm(_ base: String, _ forms: FormContext, _ words: Localizer, _ zone: TimeZone) -> FormView {
        forms.form(
            action: base + "/sessions",
            submit: "console.engagements.session.schedule",
            fields: [
                InputField(.dateTime, name: "scheduledAt", label: words.text("console.engagements.field.scheduledAt"), required: true),
                InputField(.text, name: "topic", label: words.text("console.engagements.field.topic")),
            ],
            labelledBy: "schedule-form-heading"
        )
    }

    private func markForm(_ base: String, _ session: ConsultingSession, _ forms: FormContext, _ words: Localizer) -> FormView {
        forms.form(
            action: base + "/sessions/" + session.id,
            submit: "console.engagements.session.mark",
            fields: [
                InputField(
                    .radios,
                    name: "status",
                    label: words.text("console.engagements.field.sessionStatus"),
                    options: [ConsultingSessionStatus.held, .cancelled].map {
                        ($0.rawValue, words.text("console.engagements.session." + $0.rawValue))
                    }
                ),
                InputField(.textarea, name: "notes", label: words.text("console.engagements.field.notes")),
            ],
            secondary: true,
            labelledBy: "session-" + session.id
        )
    }

    /// The retrospective as `role` reads it: a party reads the rows meant for it, the facts and
    /// what went well; emotions, lessons and club-only rows stay with the club (docs/design.md §3.10).
    func engagementRetrospectiveView(
        _ retrospective: Retrospective,
        _ words: Localizer,
        _ zone: TimeZone,
        role: Role = .coordinator
    ) -> EngagementRetrospectiveView {
        func side(_ owner: AgreementOwner) -> String { words.text("console.engagements.owner." + owner.rawValue) }
        let club = role == .coordinator
        let mistakes = retrospective.mistakes.filter { $0.visibility.isReadable(by: role) }.map {
            RetrospectiveSideLine(side: side($0.side), statement: $0.statement, counterfactual: $0.counterfactual)
        }
        let differently = retrospective.differently.filter { $0.visibility.isReadable(by: role) }.map {
            RetrospectiveSideLine(side: side($0.side), statement: $0.statement, counterfactual: nil)
        }
        let emotions = club ? retrospective.emotions : []
        let lessons = club ? retrospective.lessons : []
        return EngagementRetrospectiveView(
            facts: retrospective.facts,
            emotions: emotions,
            hasEmotions: !emotions.isEmpty,
            mistakes: mistakes,
            hasMistakes: !mistakes.isEmpty,
            positives: retrospective.positives,
            hasPositives: !retrospective.positives.isEmpty,
            differently: differently,
            hasDifferently: !differently.isEmpty,
            lessons: lessons,
            hasLessons: club,
            recorded: words.text(
                "console.engagements.retro.recorded",
                ["name": retrospective.recordedBy, "date": words.format(retrospective.recordedAt, zone: zone)]
            )
        )
    }

    func engagementRetrospectiveForm(_ base: String, _ forms: FormContext, _ words: Localizer) -> EngagementRetrospectiveFormView {
        let action = base + "/retrospective"
        func area(_ name: String, required: Bool = false) -> InputField {
            InputField(
                .textarea,
                name: name,
                label: words.text("console.engagements.retro." + name),
                hint: words.text("console.engagements.onePerLine"),
                required: required
            ).filled(from: forms, action: action)
        }
        func sideField(_ name: String, _ label: String) -> InputField {
            InputField(
                .select,
                name: name,
                label: label,
                options: [("", words.text("console.engagements.choose"))]
                    + AgreementOwner.allCases.map { ($0.rawValue, words.text("console.engagements.owner." + $0.rawValue)) }
            ).filled(from: forms, action: action)
        }
        // A row the parties must not read (a studio's mistake written on another studio's project).
        func clubOnly(_ name: String, _ label: String) -> InputField {
            InputField(.checkbox, name: name, label: label, hint: words.text("console.engagements.retro.clubOnlyHint"))
                .filled(from: forms, action: action)
        }
        let mistakes = (0..<EngagementRetrospectiveForm.rows).map { index in
            let number = ["n": String(index + 1)]
            return EngagementFieldRow(
                legend: words.text("console.engagements.retro.mistake", number),
                fields: [
                    sideField("mistakes[\(index)].side", words.text("console.engagements.retro.mistakeSide", number)),
                    InputField(.text, name: "mistakes[\(index)].statement", label: words.text("console.engagements.retro.mistakeStatement", number))
                        .filled(from: forms, action: action),
                    InputField(
                        .text,
                        name: "mistakes[\(index)].counterfactual",
                        label: words.text("console.engagements.retro.mistakeCounterfactual", number)
                    ).filled(from: forms, action: action),
                    clubOnly("mistakes[\(index)].internal", words.text("console.engagements.retro.clubOnly", number)),
                ]
            )
        }
        let differently = (0..<EngagementRetrospectiveForm.rows).map { index in
            let number = ["n": String(index + 1)]
            return EngagementFieldRow(
                legend: words.text("console.engagements.retro.differentlyRow", number),
                fields: [
                    sideField("differently[\(index)].side", words.text("console.engagements.retro.differentlySide", number)),
                    InputField(
                        .text,
                        name: "differently[\(index)].statement",
                        label: words.text("console.engagements.retro.differentlyStatement", number)
                    ).filled(from: forms, action: action),
                    clubOnly("differently[\(index)].internal", words.text("console.engagements.retro.differentlyClubOnly", number)),
                ]
            )
        }
        return EngagementRetrospectiveFormView(
            form: forms.form(action: action, submit: "console.engagements.retro.button", labelledBy: "retrospective-form-heading"),
            lists: [area("facts", required: true), area("emotions")],
            mistakeRows: mistakes,
            differentlyRows: differently,
            closing: [area("positives"), area("lessons", required: true)]
        )
    }
}

/// The retrospective form read into the store's input: text areas one entry per line, the
/// repeated rows of mistakes and "would do differently" with empty rows left out. The store
/// names a row's problem by its place among the rows kept; `problemOfRow` puts it back on the
/// row the person filled.
struct EngagementRetrospectiveForm {
    static let rows = 3

    let input: RetrospectiveInput
    private let mistakeRows: [Int]
    private let differentlyRows: [Int]

    init(reader: inout FormReader) {
        let form = reader.form
        var mistakes: [Mistake] = []
        var mistakeRows: [Int] = []
        var differently: [DoDifferently] = []
        var differentlyRows: [Int] = []
        for index in 0..<Self.rows {
            let statement = form.text("mistakes[\(index)].statement")
            let counterfactual = form.text("mistakes[\(index)].counterfactual")
            if !statement.isEmpty || !counterfactual.isEmpty,
                let side = reader.requiredChoice("mistakes[\(index)].side", as: AgreementOwner.self)
            {
                let visibility: Visibility? = form.flag("mistakes[\(index)].internal") ? .internal : nil
                mistakes.append(Mistake(side: side, statement: statement, counterfactual: counterfactual, visibility: visibility))
                mistakeRows.append(index)
            }
            let would = form.text("differently[\(index)].statement")
            if !would.isEmpty, let side = reader.requiredChoice("differently[\(index)].side", as: AgreementOwner.self) {
                let visibility: Visibility? = form.flag("differently[\(index)].internal") ? .internal : nil
                differently.append(DoDifferently(side: side, statement: would, visibility: visibility))
                differentlyRows.append(index)
            }
        }
        input = RetrospectiveInput(
            facts: form.lines("facts"),
            emotions: form.lines("emotions"),
            mistakes: mistakes,
            positives: form.lines("positives"),
            differently: differently,
            lessons: form.lines("lessons")
        )
        self.mistakeRows = mistakeRows
        self.differentlyRows = differentlyRows
    }

    /// `mistakes[0].statement` of the store is the first row kept, which may be the form's second.
    func problemOfRow(_ error: FieldError) -> FieldError {
        for (list, rows) in [("mistakes", mistakeRows), ("differently", differentlyRows)] {
            let prefix = list + "["
            guard error.field.hasPrefix(prefix), let close = error.field.firstIndex(of: "]"),
                let kept = Int(error.field[error.field.index(error.field.startIndex, offsetBy: prefix.count)..<close]), kept < rows.count
            else { continue }
            return FieldError(field: "\(list)[\(rows[kept])]" + error.field[error.field.index(after: close)...], message: error.message)
        }
        return error
    }
}
