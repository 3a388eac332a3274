import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension ConsoleController {
    /// The engagements area of the console: board, engagement page, agreements, check-ins, exit (docs/console.md).
    func addEngagementPages(to router: Router<Context>) {
        router.get("/engagements") { request, _ in
            try await withSession(request, current: "/engagements") { signedIn, language in
                try await engagementBoard(request, signedIn, language)
            }
        }
        router.get("/engagements/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await withSession(request, current: "/engagements/" + id) { signedIn, language in
                try await engagementPage(id, signedIn, language, forms(signedIn, language))
            }
        }
        router.get("/engagements/:id/case-file") { request, context in
            try await caseFileDownload(request, id: try context.parameters.require("id"))
        }
        addEngagementForms(to: router)
        addPartingForms(to: router)
        addClientEngagementForms(to: router)
    }

    // MARK: - The board

    /// The columns of the board and the states each gathers.
    static var engagementBoardColumns: [(id: String, states: [EngagementStatus])] {
        [
            ("active", [.active]), ("atRisk", [.atRisk]), ("inRecovery", [.inRecovery]), ("exiting", [.released]),
            ("closed", [.completed, .terminated]),
        ]
    }

    /// Every engagement the viewer may list, by state; `?status=` shows one state, paged, and
    /// `?request=` those of one request.
    func engagementBoard(_ request: Request, _ signedIn: SignedIn, _ language: PageLanguage) async throws -> RenderedPage {
        let words = language.localizer
        let query = request.uri.queryParameters
        let status = query["status"].flatMap { EngagementStatus(rawValue: String($0)) }
        let requestId = query["request"].map(String.init).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        let cursor = query["cursor"].map(String.init)
        var names = EngagementNames(database: database, principal: signedIn.principal)
        var columns: [EngagementBoardColumn] = []
        var nextHref: String?
        func filterQuery(_ status: EngagementStatus) -> String {
            "/engagements?status=" + status.rawValue
                + (requestId.map { "&request=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? "")
        }
        for column in Self.engagementBoardColumns {
            let states = status.map { chosen in column.states.filter { $0 == chosen } } ?? column.states
            if states.isEmpty { continue }
            var cards: [EngagementBoardCard] = []
            var more: String?
            for state in states {
                let page = (status != nil ? (try? PageRequest.parse(limit: nil, cursor: cursor)) : nil) ?? PageRequest(limit: status == nil ? 20 : 50)
                let found = try await database.engagements(EngagementFilter(status: state, requestId: requestId), page: page, for: signedIn.principal)
                for engagement in found.items {
                    cards.append(try await card(engagement, &names, words, signedIn.zone))
                }
                if let next = found.nextCursor {
                    if status == nil { more = filterQuery(state) } else { nextHref = filterQuery(state) + "&cursor=" + next }
                }
            }
            columns.append(
                EngagementBoardColumn(
                    id: column.id,
                    title: words.text("console.engagements.column." + column.id),
                    count: words.plural("console.engagements.count", count: cards.count),
                    cards: cards,
                    hasCards: !cards.isEmpty,
                    moreHref: more
                )
            )
        }
        var view = view(language, title: "console.engagements.board.title")
        let options =
            [ChoiceOption(value: "", label: words.text("console.engagements.board.allStates"), selected: status == nil, id: "status-all")]
            + EngagementStatus.allCases.map {
                ChoiceOption(
                    value: $0.rawValue,
                    label: words.text("console.engagements.state." + $0.rawValue),
                    selected: $0 == status,
                    id: "status-" + $0.rawValue
                )
            }
        view.content = EngagementBoardView(
            statusOptions: options,
            requestFilter: requestId ?? "",
            columns: columns,
            nextHref: nextHref,
            filtered: status != nil || requestId != nil
        )
        return ("engagement-board", view, .ok)
    }

    private func card(
        _ engagement: Engagement,
        _ names: inout EngagementNames,
        _ words: Localizer,
        _ zone: TimeZone
    ) async throws -> EngagementBoardCard {
        let studio = await names.studio(engagement.studioId)
        let client = await names.client(engagement.clientId)
        return EngagementBoardCard(
            href: "/engagements/" + engagement.id,
            title: words.text("console.engagements.card", ["studio": studio, "client": client]),
            state: words.text("console.engagements.state." + engagement.status.rawValue),
            scope: engagement.scope.map { Self.competence($0, words) }.joined(separator: ", "),
            started: words.text("console.engagements.startedOn", ["date": words.format(engagement.startedAt, zone: zone, style: .date)])
        )
    }

    // MARK: - The engagement page

    /// The engagement with everything written on it, and the forms its viewer may use.
    func engagementPage(_ id: String, _ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        let words = language.localizer
        let principal = signedIn.principal
        let zone = signedIn.zone
        let record = try await database.engagementRecord(id, for: principal)
        let engagement = record.engagement
        var names = EngagementNames(database: database, principal: principal)
        let studioName = await names.studio(engagement.studioId)
        let clientName = await names.client(engagement.clientId)
        let extras = await EngagementExtras.read(id, database: database, principal: principal, words: words)
        // A studio reads no case file, but it finds the fix lists, complaints and audits of its work from here.
        let related: EngagementRelated
        if let extras {
            related = EngagementRelated(fixLists: extras.fixLists, complaints: extras.complaints, audits: extras.audits)
        } else {
            related = await EngagementRelated.read(of: id, database: database, principal: principal, words: words)
        }
        let retrospective = try? await database.retrospective(of: id, for: principal)
        // The club's own score from this client; a studio never reads it (docs/design.md §3.12).
        let ratingStatus = try? await database.clubRatingStatus(id, for: principal)
        let ratings = ratingStatus?.ratings ?? []
        func allows(_ action: Action) -> Bool { Policy.allows(principal, action) }
        func date(_ value: Date) -> String { words.format(value, zone: zone) }
        let base = "/engagements/" + id
        var checkInFiles: [String: FilesSectionView] = [:]
        for checkIn in record.checkIns {
            checkInFiles[checkIn.id] = try await filesSection(.checkIn, checkIn.id, signedIn, words, forms, engagementId: id).nested(at: 4)
        }
        var view = view(language, title: "console.engagements.page.title", args: ["studio": studioName, "client": clientName])
        var page = EngagementPageView(
            id: id,
            heading: words.text("console.engagements.page.title", ["studio": studioName, "client": clientName]),
            studioName: studioName,
            clientName: clientName,
            requestHref: "/requests/" + engagement.requestId,
            requestId: await ObjectNames(database: database, principal: principal).request(engagement.requestId),
            scope: engagement.scope.map { Self.competence($0, words) }.joined(separator: ", "),
            state: words.text("console.engagements.state." + engagement.status.rawValue),
            keyStages: engagement.keyStages.joined(separator: ", "),
            stagesReached: engagement.stagesReached.isEmpty ? words.text("console.none") : engagement.stagesReached.joined(separator: ", "),
            started: date(engagement.startedAt),
            ended: engagement.endedAt.map(date),
            updateForm: allows(.editEngagement) && engagement.status.isOpen ? updateForm(engagement, forms, words) : nil,
            agreements: record.agreements.map { agreementLine($0, record, forms, words, zone, principal) },
            hasAgreements: !record.agreements.isEmpty,
            agreementForm: allows(.writeAgreement) && engagement.status.isOpen ? agreementForm(base, forms, words) : nil,
            checkIns: record.checkIns.reversed().map {
                var line = checkInLine($0, words, zone, club: principal.role == .coordinator)
                line.files = checkInFiles[$0.id]
                return line
            },
            hasCheckIns: !record.checkIns.isEmpty,
            checkInForm: allows(.recordCheckIn) && engagement.status.isOpen ? checkInForm(base, forms, words, zone) : nil,
            feedback: record.feedback.map {
                EngagementFeedbackLine(
                    stage: $0.stage,
                    score: words.text("console.engagements.feedback.score", ["score": String($0.score)]),
                    comment: $0.comment,
                    given: words.text("console.engagements.feedback.given", ["name": $0.givenBy, "date": date($0.givenAt)])
                )
            },
            hasFeedback: !record.feedback.isEmpty,
            awaitingFeedback: record.stagesAwaitingFeedback.joined(separator: ", "),
            hasAwaitingFeedback: !record.stagesAwaitingFeedback.isEmpty,
            clubRatings: ratings.map {
                EngagementFeedbackLine(
                    stage: words.text("console.records.club.occasion." + $0.occasion.rawValue),
                    score: words.text("console.records.club.rated", ["score": String($0.score)]),
                    comment: $0.comment,
                    given: words.text("console.engagements.feedback.given", ["name": $0.recordedBy, "date": date($0.givenAt)])
                )
            },
            hasClubRatings: !ratings.isEmpty,
            showRelated: extras != nil || !related.isEmpty || allows(.composeFixList) || allows(.fileComplaint) || allows(.logAudit),
            fixLists: related.fixLists,
            hasFixLists: !related.fixLists.isEmpty,
            complaints: related.complaints,
            hasComplaints: !related.complaints.isEmpty,
            audits: related.audits,
            hasAudits: !related.audits.isEmpty,
            composeFixListHref: allows(.composeFixList) ? base + "/fix-lists/new" : nil,
            recordComplaintHref: allows(.fileComplaint) && principal.role == .coordinator ? base + "/complaints/new" : nil,
            logAuditHref: allows(.logAudit) ? base + "/audits/new" : nil,
            showExit: extras?.exit != nil || (allows(.exitEngagement) && engagement.status.isOpen),
            exit: extras.flatMap { engagementExitView($0, base, forms, words, zone, allows) },
            exitForm: allows(.exitEngagement) && engagement.status.isOpen && extras?.exit == nil ? engagementExitForm(base, forms, words) : nil,
            retrospective: retrospective.map { engagementRetrospectiveView($0, words, zone, role: principal.role) },
            retrospectiveForm: retrospective == nil && allows(.writeRetrospective) ? engagementRetrospectiveForm(base, forms, words) : nil,
            showRetrospective: retrospective != nil || allows(.writeRetrospective),
            caseFileHref: allows(.exportCaseFile) ? base + "/case-file" : nil,
            openForms: EngagementOpenForms(forms, base: base)
        )
        addClientForms(to: &page, record, ratingStatus, principal, words, zone, forms)
        view.content = page
        return ("engagement", view, .ok)
    }

    private func updateForm(_ engagement: Engagement, _ forms: FormContext, _ words: Localizer) -> FormView {
        let moves = [engagement.status] + EngagementStatus.allCases.filter { engagement.status.allowsManualMove(to: $0) }
        return forms.form(
            action: "/engagements/" + engagement.id,
            submit: "console.engagements.update.button",
            fields: [
                InputField(
                    .select,
                    name: "status",
                    label: words.text("console.engagements.field.status"),
                    value: engagement.status.rawValue,
                    hint: words.text("console.engagements.field.statusHint"),
                    options: moves.map { ($0.rawValue, words.text("console.engagements.state." + $0.rawValue)) }
                ),
                InputField(
                    .checkboxes,
                    name: "stagesReached",
                    label: words.text("console.engagements.field.stagesReached"),
                    options: engagement.keyStages.map { ($0, $0) },
                    selected: engagement.stagesReached
                ),
            ],
            hidden: [HiddenField(name: "version", value: String(engagement.version))],
            labelledBy: "update-heading"
        )
    }

    private func agreementLine(
        _ agreement: Agreement,
        _ record: EngagementRecord,
        _ forms: FormContext,
        _ words: Localizer,
        _ zone: TimeZone,
        _ principal: Principal
    ) -> EngagementAgreementLine {
        let mayFulfil = Policy.allows(principal, .fulfilAgreement)
        let ownConfirmation = principal.role == .client ? agreement.clientConfirmation : agreement.studioConfirmation
        let mayConfirm = Policy.allows(principal, .confirmAgreement) && principal.role != .coordinator && ownConfirmation == nil
        func confirmation(_ confirmation: Confirmation?) -> String {
            confirmation.map { words.text("console.engagements.agreement.confirmedBy", ["name": $0.by, "date": words.format($0.at, zone: zone)]) }
                ?? words.text("console.engagements.agreement.notConfirmed")
        }
        return EngagementAgreementLine(
            id: agreement.id,
            what: agreement.what,
            owner: words.text("console.engagements.owner." + agreement.owner.rawValue),
            due: words.format(agreement.due),
            consequence: agreement.consequence,
            clientConfirmed: confirmation(agreement.clientConfirmation),
            studioConfirmed: confirmation(agreement.studioConfirmation),
            fulfilled: agreement.fulfilledAt.map { words.format($0, zone: zone) },
            overdue: record.overdueAgreements.contains(agreement.id),
            fulfilLabel: words.text("console.engagements.agreement.fulfilNamed", ["what": agreement.what]),
            fulfilForm: mayFulfil && agreement.fulfilledAt == nil
                ? forms.form(
                    action: "/agreements/\(agreement.id)/fulfil",
                    submit: "console.engagements.agreement.fulfil",
                    hidden: [HiddenField(name: "engagementId", value: agreement.engagementId)],
                    secondary: true
                ) : nil,
            confirmLabel: words.text("console.engagements.agreement.confirmNamed", ["what": agreement.what]),
            confirmForm: mayConfirm
                ? forms.form(
                    action: "/agreements/\(agreement.id)/confirm",
                    submit: "console.engagements.agreement.confirm",
                    hidden: [HiddenField(name: "engagementId", value: agreement.engagementId)]
                ) : nil
        )
    }

    private func agreementForm(_ base: String, _ forms: FormContext, _ words: Localizer) -> FormView {
        forms.form(
            action: base + "/agreements",
            submit: "console.engagements.agreement.add",
            fields: [
                InputField(.text, name: "what", label: words.text("console.engagements.field.what"), required: true),
                InputField(
                    .select,
                    name: "owner",
                    label: words.text("console.engagements.field.owner"),
                    options: [("", words.text("console.engagements.choose"))]
                        + AgreementOwner.allCases.map { ($0.rawValue, words.text("console.engagements.owner." + $0.rawValue)) },
                    required: true
                ),
                InputField(.date, name: "due", label: words.text("console.engagements.field.due"), required: true),
                InputField(
                    .textarea,
                    name: "consequence",
                    label: words.text("console.engagements.field.consequence"),
                    hint: words.text("console.engagements.field.consequenceHint"),
                    required: true
                ),
            ],
            labelledBy: "agreement-form-heading"
        )
    }

    private func checkInLine(_ checkIn: CheckIn, _ words: Localizer, _ zone: TimeZone, club: Bool) -> EngagementCheckInLine {
        EngagementCheckInLine(
            heldAt: words.format(checkIn.heldAt, zone: zone),
            attendees: checkIn.attendees.joined(separator: ", "),
            report: checkIn.studioReport,
            sentiment: club ? words.text("console.engagements.checkIn.sentimentValue", ["score": String(checkIn.clientSentiment)]) : "",
            sentimentValue: club ? checkIn.clientSentiment : 0,
            risks: checkIn.risks.joined(separator: "; "),
            hasRisks: !checkIn.risks.isEmpty,
            recordedBy: checkIn.recordedBy,
            clubReads: club
        )
    }

    private func checkInForm(_ base: String, _ forms: FormContext, _ words: Localizer, _ zone: TimeZone) -> FormView {
        forms.form(
            action: base + "/check-ins",
            submit: "console.engagements.checkIn.add",
            fields: [
                InputField(
                    .dateTime,
                    name: "heldAt",
                    label: words.text("console.engagements.field.heldAt"),
                    value: FormReader.localTimeValue(database.clock.now(), zone: zone),
                    required: true
                ),
                InputField(
                    .textarea,
                    name: "attendees",
                    label: words.text("console.engagements.field.attendees"),
                    hint: words.text("console.engagements.onePerLine"),
                    required: true
                ),
                InputField(.textarea, name: "studioReport", label: words.text("console.engagements.field.studioReport"), required: true),
                InputField(
                    .number,
                    name: "clientSentiment",
                    label: words.text("console.engagements.field.clientSentiment"),
                    hint: words.text("console.engagements.field.clientSentimentHint"),
                    required: true
                ),
                InputField(
                    .textarea,
                    name: "risks",
                    label: words.text("console.engagements.field.risks"),
                    hint: words.text("console.engagements.onePerLine")
                ),
            ],
            labelledBy: "check-in-form-heading"
        )
    }

    /// A form's answer, or the 404 page when the store says the object is not there for this
    /// person (another studio's engagement), as a page would.
    func engagementOrNotFound(_ request: Request, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch DomainError.notFound, DomainError.forbidden {
            guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
            return notice(
                language(request, signedIn),
                signedIn,
                status: .notFound,
                title: "console.notFound.title",
                message: "console.notFound.message"
            )
        }
    }

    // MARK: - Case file

    /// The case file as the API gives it to this person: the same bytes, as an attachment.
    private func caseFileDownload(_ request: Request, id: String) async throws -> Response {
        guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
        do {
            let file = try await database.caseFile(id, for: signedIn.principal)
            let headers: HTTPFields = [
                .contentType: "application/json",
                .contentDisposition: "attachment; filename=\"case-file-\(file.engagementId).json\"",
                .cacheControl: "no-store",
                .contentTypeOptions: "nosniff",
                .referrerPolicy: "no-referrer",
            ]
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try file.jsonData())))
        } catch DomainError.notFound, DomainError.forbidden {
            return notice(
                language(request, signedIn),
                signedIn,
                status: .notFound,
                title: "console.notFound.title",
                message: "console.notFound.message"
            )
        }
    }
}

/// Studio and client names, each read once per page, as the viewer may read them (the id otherwise).
struct EngagementNames {
    let database: AppDatabase
    let principal: Principal
    private var studios: [String: String] = [:]
    private var clients: [String: String] = [:]

    init(database: AppDatabase, principal: Principal) {
        self.database = database
        self.principal = principal
    }

    mutating func studio(_ id: String) async -> String {
        if let name = studios[id] { return name }
        let name = (try? await database.studio(id, for: principal).name) ?? id
        studios[id] = name
        return name
    }

    mutating func client(_ id: String) async -> String {
        if let name = clients[id] { return name }
        let name = (try? await database.client(id, for: principal).name) ?? id
        clients[id] = name
        return name
    }
}
