import ClubCore
import ClubStore
import Foundation
import Hummingbird

extension ConsoleController {
    /// Complaints: logging one, the acknowledgement to the client, the meeting without the studio,
    /// the recovery plan with its rhythm of updates, the head's approval, steps done, the updates
    /// given, the studio's account, the resolution with its upheld decision and the client's
    /// answer to it (docs/design.md §3.6).
    func addComplaintPages(to router: Router<Context>) {
        router.get("/engagements/:id/complaints/new") { request, context in
            let id = try context.parameters.require("id")
            return try await withSession(request, current: "/engagements/" + id) { signedIn, language in
                try await newComplaintPage(id, signedIn, language, forms(signedIn, language))
            }
        }
        router.post("/engagements/:id/complaints") { request, context in
            let id = try context.parameters.require("id")
            return try await submit(
                request,
                context,
                current: "/engagements/" + id,
                render: { signedIn, language, forms in try await newComplaintPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in try await fileComplaint(id, signedIn, &reader) }
            )
        }
        router.get("/complaints/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await withSession(request, current: "/complaints/" + id) { signedIn, language in
                try await complaintPage(id, signedIn, language, forms(signedIn, language))
            }
        }
        complaintForm(router, "", confirm: nil) { id, signedIn, reader in
            let version = reader.int("version")
            try reader.finish()
            let patch = ComplaintPatch(completedSteps: reader.form.checked("completedSteps"))
            _ = try await database.updateComplaint(id, patch, ifVersion: version, by: signedIn.principal)
        }
        complaintForm(router, "/meeting", confirm: nil) { id, signedIn, reader in
            let heldAt = reader.requiredTime("heldAt")
            let mode = reader.choice("mode", as: MeetingMode.self)
            try reader.finish()
            let form = reader.form
            let input = MeetingInput(
                heldAt: heldAt,
                mode: mode,
                attendees: form.lines("attendees"),
                studiosPresent: form.flag("studiosPresent"),
                facts: form.lines("facts"),
                emotions: form.lines("emotions"),
                notes: form.optionalText("notes")
            )
            _ = try await MediationForms.relabeled(MediationForms.listRenamer(["facts", "emotions", "attendees"])) {
                try await database.recordMeeting(id, input, by: signedIn.principal)
            }
        }
        complaintForm(router, "/plan", confirm: nil) { id, signedIn, reader in try await proposePlan(id, signedIn, &reader) }
        complaintForm(router, "/approve", confirm: nil) { id, signedIn, _ in
            _ = try await database.approvePlan(id, by: signedIn.principal)
        }
        complaintForm(router, "/acknowledgement", confirm: nil) { id, signedIn, reader in
            let sentAt = reader.time("sentAt")
            try reader.finish()
            let form = reader.form
            let input = AcknowledgementInput(
                sentAt: sentAt,
                channel: form.text("channel"),
                message: form.text("message"),
                apology: form.flag("apology")
            )
            _ = try await database.acknowledgeComplaint(id, input, by: signedIn.principal)
        }
        complaintForm(router, "/updates", confirm: nil) { id, signedIn, reader in
            let sentAt = reader.time("sentAt")
            try reader.finish()
            let input = ComplaintUpdateInput(sentAt: sentAt, channel: reader.form.text("channel"), summary: reader.form.text("summary"))
            _ = try await database.recordComplaintUpdate(id, input, by: signedIn.principal)
        }
        complaintForm(router, "/resolution-answer", confirm: nil) { id, signedIn, reader in
            let answer = reader.requiredChoice("satisfied", as: AnswerChoice.self)
            try reader.finish()
            guard let answer else { throw FormProblems(problems: []) }
            let input = ResolutionAnswerInput(satisfied: answer == .satisfied, comment: reader.form.optionalText("comment"))
            _ = try await database.answerResolution(id, input, by: signedIn.principal)
        }
        complaintForm(router, "/studio-account", confirm: nil) { id, signedIn, reader in
            _ = try await database.recordStudioAccount(id, StudioAccountInput(account: reader.form.text("account")), by: signedIn.principal)
        }
        let resolve = ConfirmStep(
            question: "console.complaints.resolve.question",
            consequence: "console.complaints.resolve.consequence",
            button: "console.complaints.resolve.button"
        )
        complaintForm(router, "/resolve", confirm: resolve) { id, signedIn, reader in
            let outcome = reader.requiredChoice("outcome", as: ComplaintResolution.Outcome.self)
            let amount = reader.int("amount")
            let form = reader.form
            // No default: an empty choice goes to the store, which names `upheld` (docs/design.md §3.6).
            let upheld = UpheldDecision(wireValue: form.text("upheld"))
            if upheld == nil && !form.text("upheld").isEmpty { reader.fail("upheld", "console.problem.notChoice") }
            try reader.finish()
            guard let outcome else { throw FormProblems(problems: []) }
            let input = ResolutionInput(
                outcome: outcome,
                amount: amount,
                notes: form.optionalText("notes"),
                upsell: form.optionalText("upsell"),
                upheld: upheld,
                upheldReason: form.text("upheldReason")
            )
            _ = try await database.resolveComplaint(id, input, by: signedIn.principal)
        }
    }

    /// A form of the complaint page posting to `/complaints/{id}<suffix>`; back to the page after.
    private func complaintForm(
        _ router: Router<Context>,
        _ suffix: String,
        confirm: ConfirmStep?,
        perform: @escaping @Sendable (String, SignedIn, inout FormReader) async throws -> Void
    ) {
        router.post(RouterPath("/complaints/:id" + suffix)) { request, context in
            let id = try context.parameters.require("id")
            return try await submit(
                request,
                context,
                current: "/complaints/" + id,
                confirm: confirm,
                render: { signedIn, language, forms in try await complaintPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in
                    try await perform(id, signedIn, &reader)
                    return "/complaints/" + id
                }
            )
        }
    }

    // MARK: - Filing

    private func fileComplaint(_ engagementId: String, _ signedIn: SignedIn, _ reader: inout FormReader) async throws -> String {
        let kind = reader.requiredChoice("demand.kind", as: ComplaintDemand.Kind.self)
        let amount = reader.int("demand.amount")
        let receivedAt = reader.time("receivedAt")
        try reader.finish()
        guard let kind else { throw FormProblems(problems: []) }
        let form = reader.form
        let input = ComplaintInput(
            channel: form.text("channel"),
            summary: form.text("summary"),
            demand: ComplaintDemand(kind: kind, amount: amount, note: form.optionalText("demand.note")),
            receivedAt: receivedAt,
            internalNote: signedIn.principal.role == .coordinator ? form.optionalText("internalNote") : nil
        )
        let complaint = try await database.createComplaint(engagementId, input, by: signedIn.principal)
        return "/complaints/" + complaint.id
    }

    private func newComplaintPage(
        _ engagementId: String,
        _ signedIn: SignedIn,
        _ language: PageLanguage,
        _ forms: FormContext
    ) async throws
        -> RenderedPage
    {
        let principal = signedIn.principal
        guard Policy.allows(principal, .fileComplaint) else { throw DomainError.notFound(entity: "page", id: "complaints/new") }
        _ = try await database.engagementRecord(engagementId, for: principal)
        let words = language.localizer
        var fields = [
            InputField(
                .text,
                name: "channel",
                label: words.text("console.complaints.field.channel"),
                hint: words.text("console.complaints.channelHint")
            ),
            InputField(.textarea, name: "summary", label: words.text("console.complaints.field.summary")),
            InputField(
                .radios,
                name: "demand.kind",
                label: words.text("console.complaints.field.demandKind"),
                options: ComplaintDemand.Kind.allCases.map { ($0.rawValue, words.text(ComplaintWords.demandKindKey($0))) }
            ),
            InputField(
                .number,
                name: "demand.amount",
                label: words.text("console.complaints.field.amount"),
                hint: words.text("console.complaints.amountHint")
            ),
            InputField(.textarea, name: "demand.note", label: words.text("console.complaints.field.demandNote")),
            InputField(
                .dateTime,
                name: "receivedAt",
                label: words.text("console.complaints.field.receivedAt"),
                hint: words.text("console.complaints.receivedAtHint")
            ),
        ]
        if principal.role == .coordinator {
            fields.append(
                InputField(
                    .textarea,
                    name: "internalNote",
                    label: words.text("console.complaints.field.internalNote"),
                    hint: words.text("console.complaints.internalHint")
                )
            )
        }
        var view = view(language, title: "console.complaints.new.title")
        view.content = ComplaintNewView(
            engagementHref: "/engagements/" + engagementId,
            engagementLabel: words.text("console.complaints.engagement", ["engagement": await engagementName(signedIn, engagementId)]),
            form: forms.form(action: "/engagements/\(engagementId)/complaints", submit: "console.complaints.new.button", fields: fields)
        )
        return ("mediation-complaint-new", view, .ok)
    }

    // MARK: - The plan

    private func proposePlan(_ id: String, _ signedIn: SignedIn, _ reader: inout FormReader) async throws {
        let form = reader.form
        var rows: [Int] = []
        var steps: [PlanInput.Step] = []
        for index in MediationForms.indices(form, prefix: "steps") {
            let name = "steps[\(index)]."
            let action = form.text(name + "action")
            if action.isEmpty && form.text(name + "due").isEmpty { continue }
            let owner = reader.requiredChoice(name + "owner", as: AgreementOwner.self)
            let due = reader.requiredDay(name + "due")
            rows.append(index)
            steps.append(PlanInput.Step(action: action, owner: owner ?? .club, due: due))
        }
        let every = reader.int("updateEveryDays")
        try reader.finish()
        let goals = form.lines("goals").map { PlanGoal($0) } + form.lines("internalGoals").map { PlanGoal($0, visibility: .internal) }
        let input = PlanInput(
            goals: goals,
            steps: steps,
            followUps: form.lines("followUps"),
            upsell: form.optionalText("upsell"),
            updateEveryDays: every
        )
        let rowNames = MediationForms.rowRenamer("steps", rows: rows)
        let listNames = MediationForms.listRenamer(["goals", "followUps"])
        let rename: (String) -> String = { $0 == "steps" ? "steps[0].action" : listNames(rowNames($0)) }
        _ = try await MediationForms.relabeled(rename) {
            try await database.proposePlan(id, input, by: signedIn.principal)
        }
    }

    private func planForm(_ id: String, _ plan: RecoveryPlan?, _ words: Localizer, _ forms: FormContext) -> FormView {
        let owners = AgreementOwner.allCases.map { ($0.rawValue, words.text(ComplaintWords.ownerKey($0))) }
        let goals = plan?.goals ?? []
        var fields = [
            InputField(
                .textarea,
                name: "goals",
                label: words.text("console.complaints.field.goals"),
                value: goals.filter { $0.visibility != .internal }.map(\.text).joined(separator: "\n"),
                hint: words.text("console.complaints.onePerLine")
            ),
            InputField(
                .textarea,
                name: "internalGoals",
                label: words.text("console.complaints.field.internalGoals"),
                value: goals.filter { $0.visibility == .internal }.map(\.text).joined(separator: "\n"),
                hint: words.text("console.complaints.internalGoalsHint")
            ),
        ]
        let steps = plan?.steps ?? []
        let sent = forms.postedAction == "/complaints/\(id)/plan" ? forms.typed.map { MediationForms.indices($0, prefix: "steps") } ?? [] : []
        for index in 0..<max(MediationForms.rows, steps.count + 2, (sent.last ?? -1) + 1) {
            let step = steps.indices.contains(index) ? steps[index] : nil
            let number = ["number": String(index + 1)]
            fields += [
                InputField(
                    .text,
                    name: "steps[\(index)].action",
                    label: words.text("console.complaints.row.action", number),
                    value: step?.action ?? ""
                ),
                InputField(
                    .select,
                    name: "steps[\(index)].owner",
                    label: words.text("console.complaints.row.owner", number),
                    value: step?.owner.rawValue ?? AgreementOwner.club.rawValue,
                    options: owners
                ),
                InputField(
                    .date,
                    name: "steps[\(index)].due",
                    label: words.text("console.complaints.row.due", number),
                    value: step?.due.description ?? ""
                ),
            ]
        }
        fields += [
            InputField(
                .textarea,
                name: "followUps",
                label: words.text("console.complaints.field.followUps"),
                value: (plan?.followUps ?? []).joined(separator: "\n"),
                hint: words.text("console.complaints.onePerLine")
            ),
            InputField(.text, name: "upsell", label: words.text("console.complaints.field.upsell"), value: plan?.upsell ?? ""),
            InputField(
                .number,
                name: "updateEveryDays",
                label: words.text("console.complaints.field.updateEveryDays"),
                value: plan?.updateEveryDays.map(String.init) ?? "",
                hint: words.text("console.complaints.updateEveryHint")
            ),
        ]
        return forms.form(
            action: "/complaints/\(id)/plan",
            submit: plan == nil ? "console.complaints.plan.button" : "console.complaints.plan.again",
            fields: fields,
            labelledBy: "plan-form"
        )
    }

    // MARK: - The page

    func complaintPage(_ id: String, _ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        let principal = signedIn.principal
        let words = language.localizer
        let complaint = try await database.complaint(id, for: principal)
        let club = principal.role == .coordinator
        let status = complaint.status
        let page = ComplaintReading(
            complaint: complaint,
            role: principal.role,
            words: words,
            zone: signedIn.zone,
            clubZone: database.rules.timeZone,
            now: database.clock.now()
        )
        let meetingForm: FormView? =
            (status == .received || status == .meetingHeld) && Policy.allows(principal, .recordMeeting)
            ? meetingForm(id, complaint.meeting, words, signedIn.zone, forms) : nil
        let planForm: FormView? =
            (status == .meetingHeld || status == .planProposed) && Policy.allows(principal, .proposePlan)
            ? planForm(id, complaint.plan, words, forms) : nil
        let approve = status == .planProposed && Policy.allows(principal, .approvePlan)
        let openSteps = (complaint.plan?.steps ?? []).filter { $0.doneAt == nil }
        let stepsForm: FormView? =
            status != .resolved && !openSteps.isEmpty && Policy.allows(principal, .editComplaint)
            ? forms.form(
                action: "/complaints/" + id,
                submit: "console.complaints.steps.button",
                fields: [
                    InputField(
                        .checkboxes,
                        name: "completedSteps",
                        label: words.text("console.complaints.field.completedSteps"),
                        options: openSteps.map { ($0.id, $0.action) }
                    )
                ],
                hidden: [HiddenField(name: "version", value: String(complaint.version))],
                secondary: true,
                labelledBy: "steps-form"
            ) : nil
        let resolveForm: FormView? =
            status == .planApproved && Policy.allows(principal, .resolveComplaint) ? resolveForm(id, words, forms) : nil
        let acknowledgementForm: FormView? =
            status != .resolved && Policy.allows(principal, .acknowledgeComplaint)
            ? acknowledgementForm(id, complaint.acknowledgement, words, signedIn.zone, forms) : nil
        let updateForm: FormView? =
            status != .resolved && Policy.allows(principal, .recordComplaintUpdate) ? updateForm(id, words, signedIn.zone, forms) : nil
        // The client answers its own resolution; a coordinator takes the answer down on its behalf.
        let answerForm: FormView? =
            status == .resolved && complaint.resolutionAnswers.last?.resolution != complaint.resolution
                && (club || principal.clientId == complaint.clientId) && Policy.allows(principal, .answerResolution)
            ? answerForm(id, words, forms) : nil
        let accountForm: FormView? =
            principal.role == .studio && principal.studioId == complaint.studioId && Policy.allows(principal, .recordStudioAccount)
            ? forms.form(
                action: "/complaints/\(id)/studio-account",
                submit: "console.complaints.account.button",
                fields: [
                    InputField(
                        .textarea,
                        name: "account",
                        label: words.text("console.complaints.field.account"),
                        value: complaint.studioAccount?.account ?? ""
                    )
                ],
                labelledBy: "account-form"
            ) : nil
        var view = view(language, title: "console.complaints.title")
        let files = try await filesSection(.complaint, id, signedIn, words, forms)
        view.content = ComplaintPageView(
            engagementHref: "/engagements/" + complaint.engagementId,
            engagementLabel: words.text("console.complaints.engagement", ["engagement": await engagementName(signedIn, complaint.engagementId)]),
            state: words.text("console.complaints.stateLine", ["state": words.text(ComplaintWords.stateKey(status))]),
            next: club ? words.text(ComplaintWords.nextKey(status)) : nil,
            details: page.details,
            acknowledgement: page.acknowledgement,
            hasAcknowledgement: !page.acknowledgement.isEmpty,
            acknowledgementForm: acknowledgementForm,
            acknowledgementFolded: complaint.acknowledgement != nil && !Self.failed(forms, "/complaints/\(id)/acknowledgement"),
            updates: page.updates,
            hasUpdates: !page.updates.isEmpty,
            rhythm: page.rhythm,
            updateForm: updateForm,
            answers: page.answers,
            hasAnswers: !page.answers.isEmpty,
            answerForm: answerForm,
            meeting: page.meeting,
            plan: page.plan,
            studioAccount: page.studioAccount,
            hasStudioAccount: !page.studioAccount.isEmpty,
            resolution: page.resolution,
            hasResolution: !page.resolution.isEmpty,
            meetingForm: meetingForm,
            meetingFolded: complaint.meeting != nil && !Self.failed(forms, "/complaints/\(id)/meeting"),
            planForm: planForm,
            planFolded: complaint.plan != nil && !Self.failed(forms, "/complaints/\(id)/plan"),
            approveForm: approve ? forms.form(action: "/complaints/\(id)/approve", submit: "console.complaints.approve.button") : nil,
            awaitingHead: status == .planProposed && club && !approve ? words.text("console.complaints.awaitingHead") : nil,
            stepsForm: stepsForm,
            resolveForm: resolveForm,
            accountForm: accountForm,
            files: files
        )
        return ("mediation-complaint", view, .ok)
    }

    /// Whether the page shows the form posted to `action` again with its problems (never folded).
    static func failed(_ forms: FormContext, _ action: String) -> Bool {
        forms.postedAction == action
    }

    private func meetingForm(_ id: String, _ meeting: ComplaintMeeting?, _ words: Localizer, _ zone: TimeZone, _ forms: FormContext) -> FormView {
        forms.form(
            action: "/complaints/\(id)/meeting",
            submit: meeting == nil ? "console.complaints.meeting.button" : "console.complaints.meeting.again",
            fields: [
                InputField(
                    .dateTime,
                    name: "heldAt",
                    label: words.text("console.complaints.field.heldAt"),
                    value: FormReader.localTimeValue(meeting?.heldAt ?? database.clock.now(), zone: zone)
                ),
                InputField(
                    .radios,
                    name: "mode",
                    label: words.text("console.complaints.field.mode"),
                    value: meeting.map { $0.mode?.rawValue ?? "" } ?? MeetingMode.inPerson.rawValue,
                    hint: words.text("console.complaints.modeHint"),
                    options: MeetingMode.allCases.map { ($0.rawValue, words.text(ComplaintWords.modeKey($0))) }
                ),
                InputField(
                    .textarea,
                    name: "attendees",
                    label: words.text("console.complaints.field.attendees"),
                    value: (meeting?.attendees ?? []).joined(separator: "\n"),
                    hint: words.text("console.complaints.onePerLine")
                ),
                InputField(
                    .checkbox,
                    name: "studiosPresent",
                    label: words.text("console.complaints.field.studiosPresent"),
                    value: meeting?.studiosPresent == true ? "on" : "",
                    hint: words.text("console.complaints.studiosPresentHint")
                ),
                InputField(
                    .textarea,
                    name: "facts",
                    label: words.text("console.complaints.field.facts"),
                    value: (meeting?.facts ?? []).joined(separator: "\n"),
                    hint: words.text("console.complaints.onePerLine")
                ),
                InputField(
                    .textarea,
                    name: "emotions",
                    label: words.text("console.complaints.field.emotions"),
                    value: (meeting?.emotions ?? []).joined(separator: "\n"),
                    hint: words.text("console.complaints.onePerLine")
                ),
                InputField(.textarea, name: "notes", label: words.text("console.complaints.field.meetingNotes"), value: meeting?.notes ?? ""),
            ],
            labelledBy: "meeting-form"
        )
    }

    private func resolveForm(_ id: String, _ words: Localizer, _ forms: FormContext) -> FormView {
        forms.form(
            action: "/complaints/\(id)/resolve",
            submit: "console.complaints.resolve.open",
            fields: [
                InputField(
                    .radios,
                    name: "outcome",
                    label: words.text("console.complaints.field.outcome"),
                    options: ComplaintResolution.Outcome.allCases.map { ($0.rawValue, words.text(ComplaintWords.outcomeKey($0))) }
                ),
                InputField(
                    .number,
                    name: "amount",
                    label: words.text("console.complaints.field.refund"),
                    hint: words.text("console.complaints.refundHint")
                ),
                InputField(.textarea, name: "notes", label: words.text("console.complaints.field.resolutionNotes")),
                InputField(.text, name: "upsell", label: words.text("console.complaints.field.upsell")),
                InputField(
                    .radios,
                    name: "upheld",
                    label: words.text("console.complaints.field.upheld"),
                    hint: words.text("console.complaints.upheldHint"),
                    options: UpheldDecision.allCases.map { ($0.wireValue, words.text(ComplaintWords.upheldKey($0))) }
                ),
                InputField(.textarea, name: "upheldReason", label: words.text("console.complaints.field.upheldReason")),
            ],
            labelledBy: "resolve-form"
        )
    }

    private func acknowledgementForm(
        _ id: String,
        _ acknowledgement: ComplaintAcknowledgement?,
        _ words: Localizer,
        _ zone: TimeZone,
        _ forms: FormContext
    ) -> FormView {
        forms.form(
            action: "/complaints/\(id)/acknowledgement",
            submit: acknowledgement == nil ? "console.complaints.ack.button" : "console.complaints.ack.again",
            fields: [
                InputField(
                    .dateTime,
                    name: "sentAt",
                    label: words.text("console.complaints.field.sentAt"),
                    value: FormReader.localTimeValue(acknowledgement?.sentAt ?? database.clock.now(), zone: zone)
                ),
                InputField(
                    .text,
                    name: "channel",
                    label: words.text("console.complaints.field.channel"),
                    value: acknowledgement?.channel ?? "",
                    hint: words.text("console.complaints.toClientHint")
                ),
                InputField(.textarea, name: "message", label: words.text("console.complaints.field.message"), value: acknowledgement?.message ?? ""),
                InputField(
                    .checkbox,
                    name: "apology",
                    label: words.text("console.complaints.field.apology"),
                    value: acknowledgement?.apology == true ? "on" : ""
                ),
            ],
            labelledBy: "acknowledgement-form",
            idPrefix: "acknowledgement"
        )
    }

    private func updateForm(_ id: String, _ words: Localizer, _ zone: TimeZone, _ forms: FormContext) -> FormView {
        forms.form(
            action: "/complaints/\(id)/updates",
            submit: "console.complaints.updates.button",
            fields: [
                InputField(
                    .dateTime,
                    name: "sentAt",
                    label: words.text("console.complaints.field.sentAt"),
                    value: FormReader.localTimeValue(database.clock.now(), zone: zone)
                ),
                InputField(
                    .text,
                    name: "channel",
                    label: words.text("console.complaints.field.channel"),
                    hint: words.text("console.complaints.toClientHint")
                ),
                InputField(.textarea, name: "summary", label: words.text("console.complaints.field.updateSummary")),
            ],
            secondary: true,
            labelledBy: "update-form",
            idPrefix: "update"
        )
    }

    private func answerForm(_ id: String, _ words: Localizer, _ forms: FormContext) -> FormView {
        forms.form(
            action: "/complaints/\(id)/resolution-answer",
            submit: "console.complaints.answer.button",
            fields: [
                InputField(
                    .radios,
                    name: "satisfied",
                    label: words.text("console.complaints.field.satisfied"),
                    options: [
                        (AnswerChoice.satisfied.rawValue, words.text("console.complaints.answer.yes")),
                        (AnswerChoice.notSatisfied.rawValue, words.text("console.complaints.answer.no")),
                    ]
                ),
                InputField(
                    .textarea,
                    name: "comment",
                    label: words.text("console.complaints.field.comment"),
                    hint: words.text("console.complaints.commentHint")
                ),
            ],
            labelledBy: "answer-form"
        )
    }
}

/// The client's answer to a resolution as the console's radios send it.
enum AnswerChoice: String {
    case satisfied = "true"
    case notSatisfied = "false"
}

/// The complaint's values in words: catalog keys for states, demands, owners and outcomes.
enum ComplaintWords {

    static func stateKey(_ status: ComplaintStatus) -> String {
        switch status {
        case .received: "console.complaints.state.received"
        case .meetingHeld: "console.complaints.state.meeting_held"
        case .planProposed: "console.complaints.state.plan_proposed"
        case .planApproved: "console.complaints.state.plan_approved"
        case .resolved: "console.complaints.state.resolved"
        }
    }

    static func nextKey(_ status: ComplaintStatus) -> String {
        switch status {
        case .received: "console.complaints.next.received"
        case .meetingHeld: "console.complaints.next.meeting_held"
        case .planProposed: "console.complaints.next.plan_proposed"
        case .planApproved: "console.complaints.next.plan_approved"
        case .resolved: "console.complaints.next.resolved"
        }
    }

    static func demandKindKey(_ kind: ComplaintDemand.Kind) -> String {
        switch kind {
        case .refund: "console.complaints.demandKind.refund"
        case .redo: "console.complaints.demandKind.redo"
        case .replaceStudio: "console.complaints.demandKind.replace_studio"
        case .other: "console.complaints.demandKind.other"
        }
    }

    static func ownerKey(_ owner: AgreementOwner) -> String {
        switch owner {
        case .club: "console.complaints.owner.club"
        case .client: "console.complaints.owner.client"
        case .studio: "console.complaints.owner.studio"
        }
    }

    static func modeKey(_ mode: MeetingMode) -> String {
        switch mode {
        case .inPerson: "console.complaints.mode.in_person"
        case .video: "console.complaints.mode.video"
        case .call: "console.complaints.mode.call"
        }
    }

    static func upheldKey(_ decision: UpheldDecision) -> String {
        switch decision {
        case .upheld: "console.complaints.upheld.true"
        case .notUpheld: "console.complaints.upheld.false"
        case .partly: "console.complaints.upheld.partly"
        }
    }

    static func outcomeKey(_ outcome: ComplaintResolution.Outcome) -> String {
        switch outcome {
        case .retained: "console.complaints.outcome.retained"
        case .partialRefund: "console.complaints.outcome.partial_refund"
        case .parted: "console.complaints.outcome.parted"
        }
    }
}
