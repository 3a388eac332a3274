import ClubCore
import ClubStore
import Foundation
import Hummingbird

extension ConsoleController {
    /// The audits area of the console (docs/console.md): audits logged finding by finding, the
    /// club's position on each, the answer, and the response letter previewed and downloaded.
    func addAuditPages(to router: Router<Context>) {
        router.get("/audits") { request, _ in
            try await withSession(request, current: "/audits") { signedIn, language in
                try await auditsPage(request, signedIn, language)
            }
        }
        // The list's "log an audit" form names an engagement; its form lives under it.
        router.get("/audits/new") { request, _ in
            let engagement = request.uri.queryParameters["engagement"].map(String.init) ?? ""
            let safe = !engagement.isEmpty && engagement.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            return PageSecurity.redirect(to: safe ? "/engagements/\(engagement)/audits/new" : "/audits")
        }
        router.get("/engagements/:id/audits/new") { request, context in
            let id = try context.parameters.require("id")
            return try await withSession(request, current: "/audits") { signedIn, language in
                try await newAuditPage(id, signedIn, language, forms(signedIn, language))
            }
        }
        router.post("/engagements/:id/audits") { request, context in
            let id = try context.parameters.require("id")
            if let refused = try await refusedUnlessCoordinator(request) { return refused }
            return try await submit(
                request,
                context,
                current: "/audits",
                render: { signedIn, language, forms in try await newAuditPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in "/audits/" + (try await logAudit(id, signedIn, &reader)) }
            )
        }
        router.get("/audits/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await withSession(request, current: "/audits/" + id) { signedIn, language in
                try await auditPage(id, signedIn, language, forms(signedIn, language))
            }
        }
        // The club's position (coordinators) or the audited studio's argument; a client is told
        // "not found" by the store's refusal.
        router.post("/audit-findings/:id/rebuttal") { request, context in
            let findingId = try context.parameters.require("id")
            return try await submit(
                request,
                context,
                current: "/audits",
                render: { signedIn, language, forms in
                    try await auditPage(forms.typed?.text("audit") ?? "", signedIn, language, forms)
                },
                perform: { signedIn, reader in
                    signedIn.person.role == .coordinator
                        ? try await recordPosition(findingId, signedIn, &reader) : try await proposeArgument(findingId, signedIn, &reader)
                }
            )
        }
        router.post("/audits/:id/answer") { request, context in
            let id = try context.parameters.require("id")
            if let refused = try await refusedUnlessCoordinator(request) { return refused }
            return try await submit(
                request,
                context,
                current: "/audits/" + id,
                render: { signedIn, language, forms in try await auditPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in
                    try reader.finish()
                    _ = try await database.answerAudit(id, by: signedIn.principal)
                    return "/audits/" + id
                }
            )
        }
        router.post("/audits/:id/close") { request, context in
            let id = try context.parameters.require("id")
            if let refused = try await refusedUnlessCoordinator(request) { return refused }
            return try await submit(
                request,
                context,
                current: "/audits/" + id,
                confirm: ConfirmStep(
                    question: "console.audits.close.question",
                    consequence: "console.audits.close.consequence",
                    button: "console.audits.close.button"
                ),
                render: { signedIn, language, forms in try await auditPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in
                    try reader.finish()
                    _ = try await database.closeAudit(id, AuditClosing(outcome: reader.form.text("outcome")), by: signedIn.principal)
                    return "/audits/" + id
                }
            )
        }
        addLetterPages(to: router)
    }

    // MARK: - The list

    private func auditsPage(_ request: Request, _ signedIn: SignedIn, _ language: PageLanguage) async throws -> RenderedPage {
        try requireCoordinator(signedIn)
        let words = language.localizer
        let cursor = request.uri.queryParameters["cursor"].map(String.init)
        let page = try PageRequest.parse(limit: nil, cursor: cursor)
        let audits = try await database.audits(page: page, for: signedIn.principal)
        let names = try await partyNames(signedIn)
        let studios = names.studios
        let engagements = try await database.engagements(EngagementFilter(), page: PageRequest(limit: PageRequest.maxLimit), for: signedIn.principal)
        var view = view(language, title: "console.audits.title")
        let rows = audits.items.map { audit in
            AuditRow(
                href: "/audits/" + audit.id,
                subject: audit.subject,
                auditor: audit.auditor,
                studio: studios[audit.studioId] ?? audit.studioId,
                received: words.format(audit.receivedAt, zone: signedIn.zone, style: .date),
                status: words.text("console.audits.state." + audit.status.rawValue),
                findings: words.plural("console.audits.findingCount", count: audit.findings.count)
            )
        }
        let options = engagements.items.enumerated().map { index, engagement in
            ChoiceOption(
                value: engagement.id,
                label: names.engagement(engagement.id, studio: engagement.studioId, client: engagement.clientId, words),
                selected: index == 0,
                id: "engagement-\(index)"
            )
        }
        view.content = AuditsListView(
            rows: rows,
            hasRows: !rows.isEmpty,
            next: audits.nextCursor.map { AuditLink(href: "/audits?cursor=" + $0, label: words.text("console.audits.next")) },
            engagements: options,
            hasEngagements: !options.isEmpty
        )
        return ("audits", view, .ok)
    }

    /// The names of the club's studios and clients by id, for labels.
    func partyNames(_ signedIn: SignedIn) async throws -> PartyNames {
        let all = PageRequest(limit: PageRequest.maxLimit)
        let studios = try await database.studios(StudioFilter(), page: all, for: signedIn.principal).items
        let clients = try await database.clients(page: all, for: signedIn.principal).items
        return PartyNames(
            studios: Dictionary(studios.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }),
            clients: Dictionary(clients.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        )
    }

    // MARK: - Logging an audit

    private func newAuditPage(
        _ engagementId: String,
        _ signedIn: SignedIn,
        _ language: PageLanguage,
        _ forms: FormContext
    ) async throws -> RenderedPage {
        try requireCoordinator(signedIn)
        let words = language.localizer
        let engagement = try await database.engagementRecord(engagementId, for: signedIn.principal).engagement
        let names = try await partyNames(signedIn)
        let studios = names.studios
        let action = "/engagements/\(engagementId)/audits"
        let typedRows = forms.postedAction == action ? forms.typed.map { AuditForms.indices($0, prefix: "findings") } ?? [] : []
        let rowCount = max(AuditForms.rows, (typedRows.last ?? -1) + 1)
        var fields = [
            InputField(.text, name: "auditor", label: words.text("console.audits.field.auditor"), required: true),
            InputField(
                .dateTime,
                name: "receivedAt",
                label: words.text("console.audits.field.receivedAt"),
                value: FormReader.localTimeValue(database.clock.now(), zone: signedIn.zone),
                hint: words.text("console.audits.field.receivedAtHint", ["zone": signedIn.person.timeZone]),
                required: true
            ),
            InputField(.text, name: "subject", label: words.text("console.audits.field.subject"), required: true),
        ]
        for row in 0..<rowCount {
            let number = String(row + 1)
            let prefix = "findings[\(row)]."
            fields += [
                InputField(
                    .textarea,
                    name: prefix + "statement",
                    label: words.text("console.audits.field.statement", ["number": number]),
                    hint: row == 0 ? words.text("console.audits.field.rowsHint") : nil
                ),
                InputField(
                    .text,
                    name: prefix + "severity",
                    label: words.text("console.audits.field.severity", ["number": number]),
                    hint: row == 0 ? words.text("console.audits.field.severityHint") : nil
                ),
                InputField(.text, name: prefix + "category", label: words.text("console.audits.field.category", ["number": number])),
                InputField(
                    .textarea,
                    name: prefix + "proposal",
                    label: words.text("console.audits.field.proposal", ["number": number]),
                    hint: row == 0 ? words.text("console.audits.field.proposalHint") : nil
                ),
            ]
        }
        fields.append(InputField(.textarea, name: "internalNote", label: words.text("console.audits.field.internalNote")))
        let studio = studios[engagement.studioId] ?? engagement.studioId
        var view = view(language, title: "console.audits.new.title", args: ["studio": studio])
        let form = forms.form(action: action, submit: "console.audits.new.button", fields: fields)
        let filled: [InputField] = form.fields
        var groups: [FieldGroup] = []
        for row in 0..<rowCount {
            let start: Int = 3 + row * 4
            let legend: String = words.text("console.audits.findingRow", ["number": String(row + 1)])
            groups.append(FieldGroup(legend: legend, fields: Array(filled[start..<(start + 4)])))
        }
        let link = AuditLink(
            href: "/engagements/" + engagement.id,
            label: names.engagement(engagement.id, studio: engagement.studioId, client: engagement.clientId, words)
        )
        view.content = NewAuditView(engagement: link, form: form, head: Array(filled.prefix(3)), rows: groups, tail: Array(filled.suffix(1)))
        return ("audit-new", view, .ok)
    }

    private func logAudit(_ engagementId: String, _ signedIn: SignedIn, _ reader: inout FormReader) async throws -> String {
        let receivedAt = reader.requiredTime("receivedAt")
        let form = reader.form
        var rows: [Int] = []
        var findings: [AuditInput.Finding] = []
        for index in AuditForms.indices(form, prefix: "findings") {
            let prefix = "findings[\(index)]."
            let values = ["statement", "severity", "category", "proposal"].map { form.text(prefix + $0) }
            if values.allSatisfy(\.isEmpty) { continue }
            rows.append(index)
            findings.append(
                AuditInput.Finding(statement: values[0], severity: values[1], category: values[2], proposal: values[3].isEmpty ? nil : values[3])
            )
        }
        if findings.isEmpty { reader.fail("findings[0].statement", "console.audits.problem.noFindings") }
        try reader.finish()
        let input = AuditInput(
            auditor: form.text("auditor"),
            receivedAt: receivedAt,
            subject: form.text("subject"),
            findings: findings,
            internalNote: form.optionalText("internalNote")
        )
        let principal = signedIn.principal
        let rename: (String) -> String = { AuditForms.renamed($0, prefix: "findings", rows: rows) }
        return try await AuditForms.relabeled(rename) { try await database.createAudit(engagementId, input, by: principal).id }
    }

    // MARK: - One audit

    /// The audit as the reader may read it (the store's `readAudit`: the club, the audited studio,
    /// the engagement's client); the club's own notes are never on it. The club takes positions;
    /// the audited studio proposes arguments per finding while the audit is open.
    func auditPage(_ id: String, _ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        let words = language.localizer
        let audit = try await database.audit(id, for: signedIn.principal)
        let corrections = try await database.corrections(of: audit)
        let club = signedIn.person.role == .coordinator
        let names = try await auditNames(audit, signedIn)
        let studios = names.studios
        let open = audit.status == .received || audit.status == .underReview
        func when(_ date: Date) -> String { words.format(date, zone: signedIn.zone) }
        func links(_ evidence: [String]) -> [AuditLink] { evidence.map { AuditLink(href: $0, label: $0) } }
        var findingFiles: [String: FilesSectionView] = [:]
        for finding in audit.findings {
            findingFiles[finding.id] = try await filesSection(.auditFinding, finding.id, signedIn, words, forms).nested(at: 3)
        }
        let findings = audit.findings.map { finding in
            let row = finding.position - 1
            let position = finding.rebuttal.map { rebuttal in
                PositionView(
                    position: words.text("console.audits.position." + rebuttal.position.rawValue),
                    argument: rebuttal.argument,
                    evidence: links(rebuttal.evidence),
                    hasEvidence: !rebuttal.evidence.isEmpty,
                    byline: words.text("console.audits.byline", ["name": rebuttal.by, "date": when(rebuttal.at)])
                )
            }
            let arguments = finding.studioArguments.map {
                StudioArgumentView(
                    argument: $0.argument,
                    evidence: links($0.evidence),
                    byline: words.text("console.audits.byline", ["name": $0.by, "date": when($0.at)])
                )
            }
            let headingId = "finding-\(finding.position)"
            // The fix item the finding's acceptance led to, as it reads on the list now.
            let correction = corrections[finding.id].map { item in
                CorrectionView(
                    text: words.text(
                        "console.audits.correction.item",
                        ["position": String(item.position), "statement": item.statement, "due": words.format(item.due)]
                    ),
                    href: "/fix-lists/" + item.fixListId,
                    removed: item.isRemoved
                )
            }
            let form: FormView? =
                open && club && Policy.allows(signedIn.principal, .rebutFinding)
                ? forms.form(
                    action: "/audit-findings/\(finding.id)/rebuttal",
                    submit: finding.rebuttal == nil ? "console.audits.position.button" : "console.audits.position.change",
                    fields: positionFields(row, finding.rebuttal, words, asksCorrection: finding.fixItemId == nil),
                    hidden: [HiddenField(name: "audit", value: audit.id)],
                    labelledBy: headingId
                ) : argumentForm(finding, of: audit.id, row: row, open: open, signedIn, forms, words)
            var view = FindingView(
                headingId: headingId,
                heading: words.text("console.audits.finding", ["number": String(finding.position)]),
                statement: finding.statement,
                severity: finding.severity,
                category: finding.category,
                proposal: finding.proposal,
                constructive: finding.constructive,
                arguments: arguments,
                hasArguments: !arguments.isEmpty,
                position: position,
                correction: correction,
                form: form
            )
            view.files = findingFiles[finding.id]
            return view
        }
        let missing = audit.findings.filter { $0.rebuttal == nil }.map { String($0.position) }
        let canAnswer = open && missing.isEmpty && Policy.allows(signedIn.principal, .answerAudit)
        let canClose = audit.status == .answered && Policy.allows(signedIn.principal, .closeAudit)
        var view = view(language, title: "console.audits.audit.title", args: ["subject": audit.subject])
        let studio = studios[audit.studioId] ?? audit.studioId
        let files = try await filesSection(.audit, audit.id, signedIn, words, forms)
        view.content = AuditPageView(
            subject: audit.subject,
            auditor: audit.auditor,
            received: when(audit.receivedAt),
            status: words.text("console.audits.state." + audit.status.rawValue),
            engagement: AuditLink(
                href: "/engagements/" + audit.engagementId,
                label: names.engagement(audit.engagementId, studio: audit.studioId, client: audit.clientId, words)
            ),
            studio: studio,
            summary: words.plural(
                "console.audits.summary",
                count: audit.findings.count,
                [
                    "accepted": String(audit.accepted), "partly": String(audit.partlyAccepted), "disputed": String(audit.disputed),
                    "notConstructive": String(audit.notConstructive),
                ]
            ),
            findings: findings,
            missing: club && open && !missing.isEmpty
                ? words.plural("console.audits.missing", count: missing.count, ["numbers": missing.joined(separator: ", ")]) : nil,
            answerForm: canAnswer ? forms.form(action: "/audits/\(audit.id)/answer", submit: "console.audits.answer.button") : nil,
            closeForm: canClose
                ? forms.form(
                    action: "/audits/\(audit.id)/close",
                    submit: "console.audits.close.button",
                    fields: [InputField(.textarea, name: "outcome", label: words.text("console.audits.field.outcome"), required: true)],
                    secondary: true
                ) : nil,
            outcome: audit.outcome,
            letterHref: open ? nil : "/audits/\(audit.id)/letter",
            showsAnswer: club || audit.outcome != nil || !open,
            files: files
        )
        return ("audit", view, .ok)
    }

    /// The club's position on finding `row`: named `findings[row].…` so that each finding's
    /// form has its own ids on a page of many. Until the finding has its correction, the form
    /// asks for one (`correction.…`, as the API names it), used when the club accepts it.
    private func positionFields(_ row: Int, _ rebuttal: Rebuttal?, _ words: Localizer, asksCorrection: Bool) -> [InputField] {
        let prefix = "findings[\(row)]."
        let positions = RebuttalPosition.allCases.map { ($0.rawValue, words.text("console.audits.position." + $0.rawValue)) }
        let correction =
            asksCorrection
            ? [
                InputField(
                    .textarea,
                    name: prefix + "correction.statement",
                    label: words.text("console.audits.field.correctionStatement"),
                    hint: words.text("console.audits.field.correctionStatementHint")
                ),
                InputField(
                    .textarea,
                    name: prefix + "correction.acceptance",
                    label: words.text("console.audits.field.correctionAcceptance"),
                    hint: words.text("console.audits.field.correctionAcceptanceHint")
                ),
                InputField(.date, name: prefix + "correction.due", label: words.text("console.audits.field.correctionDue")),
            ] : []
        return [
            InputField(
                .radios,
                name: prefix + "position",
                label: words.text("console.audits.field.position"),
                value: rebuttal?.position.rawValue ?? "",
                options: positions,
                required: true
            ),
            InputField(
                .textarea,
                name: prefix + "argument",
                label: words.text("console.audits.field.argument"),
                value: rebuttal?.argument ?? "",
                required: true
            ),
            InputField(
                .textarea,
                name: prefix + "evidence",
                label: words.text("console.audits.field.evidence"),
                value: rebuttal?.evidence.joined(separator: "\n") ?? "",
                hint: words.text("console.audits.field.evidenceHint")
            ),
        ] + correction
    }

    /// The audited studio's form for a finding while the audit is open: its argument and links,
    /// named `findings[row].…` as the club's position form is.
    private func argumentForm(
        _ finding: AuditFinding,
        of auditId: String,
        row: Int,
        open: Bool,
        _ signedIn: SignedIn,
        _ forms: FormContext,
        _ words: Localizer
    ) -> FormView? {
        guard open, signedIn.person.role == .studio, Policy.allows(signedIn.principal, .rebutFinding) else { return nil }
        let prefix = "findings[\(row)]."
        return forms.form(
            action: "/audit-findings/\(finding.id)/rebuttal",
            submit: "console.audits.argument.button",
            fields: [
                InputField(
                    .textarea,
                    name: prefix + "argument",
                    label: words.text("console.audits.field.studioArgument"),
                    hint: words.text("console.audits.field.studioArgumentHint"),
                    required: true
                ),
                InputField(
                    .textarea,
                    name: prefix + "evidence",
                    label: words.text("console.audits.field.evidence"),
                    hint: words.text("console.audits.field.evidenceHint")
                ),
            ],
            hidden: [HiddenField(name: "audit", value: auditId)],
            labelledBy: "finding-\(finding.position)"
        )
    }

    /// The studio's argument for a finding, through the store's `rebut` as the API takes it from
    /// a studio's token (no position, no correction).
    private func proposeArgument(_ findingId: String, _ signedIn: SignedIn, _ reader: inout FormReader) async throws -> String {
        let row = AuditForms.indices(reader.form, prefix: "findings").first ?? 0
        let prefix = "findings[\(row)]."
        try reader.finish()
        let input = RebuttalInput(argument: reader.form.text(prefix + "argument"), evidence: reader.form.lines(prefix + "evidence"))
        let principal = signedIn.principal
        let rename: (String) -> String = { field in field.hasPrefix("evidence") ? prefix + "evidence" : prefix + field }
        let audit = try await AuditForms.relabeled(rename) { try await database.rebut(findingId: findingId, input, by: principal) }
        return "/audits/" + audit.id + "#finding-\(row + 1)"
    }

    /// Studio and client names for the page: the club's lists for a coordinator, the audit's own
    /// two parties as the reader may read them otherwise.
    private func auditNames(_ audit: Audit, _ signedIn: SignedIn) async throws -> PartyNames {
        if signedIn.person.role == .coordinator { return try await partyNames(signedIn) }
        let names = ObjectNames(database: database, principal: signedIn.principal)
        let studio = await names.studio(audit.studioId)
        let client = await names.client(audit.clientId)
        return PartyNames(studios: [audit.studioId: studio], clients: [audit.clientId: client])
    }

    private func recordPosition(_ findingId: String, _ signedIn: SignedIn, _ reader: inout FormReader) async throws -> String {
        let row = AuditForms.indices(reader.form, prefix: "findings").first ?? 0
        let prefix = "findings[\(row)]."
        let position = reader.requiredChoice(prefix + "position", as: RebuttalPosition.self)
        // Accepting a finding that has no correction yet needs one: its inputs are on the form
        // only then; a dispute ignores them.
        let asked = reader.form.pairs.contains { $0.name == prefix + "correction.acceptance" }
        var correction: CorrectionInput?
        if asked, position == .accept || position == .partial {
            let due = reader.requiredDay(prefix + "correction.due")
            correction = CorrectionInput(
                statement: reader.form.optionalText(prefix + "correction.statement"),
                acceptance: reader.form.text(prefix + "correction.acceptance"),
                due: due
            )
        }
        try reader.finish()
        let input = RebuttalInput(
            position: position,
            argument: reader.form.text(prefix + "argument"),
            evidence: reader.form.lines(prefix + "evidence"),
            correction: correction
        )
        let principal = signedIn.principal
        // The store names `argument` and `evidence[2]`; the form has one input for each.
        let rename: (String) -> String = { field in field.hasPrefix("evidence") ? prefix + "evidence" : prefix + field }
        let audit = try await AuditForms.relabeled(rename) { try await database.rebut(findingId: findingId, input, by: principal) }
        return "/audits/" + audit.id + "#finding-\(row + 1)"
    }
}

/// Studio and client names by id.
struct PartyNames {
    let studios: [String: String]
    let clients: [String: String]

    /// "Pixel Hands for Yacht Charter (eng_…)".
    func engagement(_ id: String, studio: String, client: String, _ words: Localizer) -> String {
        words.text("console.audits.engagementOption", ["studio": studios[studio] ?? studio, "client": clients[client] ?? client, "id": id])
    }
}
