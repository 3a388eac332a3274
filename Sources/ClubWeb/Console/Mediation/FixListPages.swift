import ClubCore
import ClubStore
import Foundation
import Hummingbird

extension ConsoleController {
    /// Fix lists: drafting with item rows, the list with its confirmations and history, one
    /// page per item for its changes, and the live stream that tells an open list it changed.
    func addFixListPages(to router: Router<Context>) {
        router.get("/engagements/:id/fix-lists/new") { request, context in
            let id = try context.parameters.require("id")
            return try await withSession(request, current: "/engagements/" + id) { signedIn, language in
                try await composeFixListPage(id, signedIn, language, forms(signedIn, language))
            }
        }
        router.post("/engagements/:id/fix-lists") { request, context in
            let id = try context.parameters.require("id")
            return try await submit(
                request,
                context,
                current: "/engagements/" + id,
                render: { signedIn, language, forms in try await composeFixListPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in try await composeFixList(id, signedIn, &reader) }
            )
        }
        router.get("/fix-lists/:id") { request, context in
            let id = try context.parameters.require("id")
            // `?part=live`: the live part alone, which the page's script swaps in when the list changes.
            let part = request.uri.queryParameters["part"] == "live"
            return try await withSession(request, current: "/fix-lists/" + id) { signedIn, language in
                var page = try await fixListPage(id, signedIn, language, forms(signedIn, language))
                if part { page.template = "mediation-fix-list-part" }
                return page
            }
        }
        router.get("/fix-lists/:id/events") { request, context in
            let id = try context.parameters.require("id")
            guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
            do {
                _ = try await database.fixList(id, for: signedIn.principal)
            } catch DomainError.notFound, DomainError.forbidden {
                throw HTTPError(.notFound)
            }
            return fixListEvents(id, claim: streamClaim(signedIn, request, context), logger: context.logger)
        }
        router.post("/fix-lists/:id/items") { request, context in
            let id = try context.parameters.require("id")
            return try await submit(
                request,
                context,
                current: "/fix-lists/" + id,
                render: { signedIn, language, forms in try await fixListPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in
                    let due = reader.requiredDay("due")
                    try reader.finish()
                    let input = FixItemInput(
                        statement: reader.form.text("statement"),
                        acceptance: reader.form.text("acceptance"),
                        due: due,
                        internalNote: reader.form.optionalText("internalNote")
                    )
                    _ = try await database.addFixItem(id, input, by: signedIn.principal)
                    return "/fix-lists/" + id
                }
            )
        }
        router.post("/fix-lists/:id/confirm") { request, context in
            let id = try context.parameters.require("id")
            return try await submit(
                request,
                context,
                current: "/fix-lists/" + id,
                render: { signedIn, language, forms in try await fixListPage(id, signedIn, language, forms) },
                perform: { signedIn, _ in
                    _ = try await database.confirmFixList(id, by: signedIn.principal)
                    return "/fix-lists/" + id
                }
            )
        }
        addFixItemPages(to: router)
        addShareLinkForms(to: router)
    }

    private func addFixItemPages(to router: Router<Context>) {
        router.get("/fix-items/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await withSession(request, current: "/fix-items/" + id) { signedIn, language in
                try await fixItemPage(id, signedIn, language, forms(signedIn, language))
            }
        }
        router.post("/fix-items/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await submit(
                request,
                context,
                current: "/fix-items/" + id,
                render: { signedIn, language, forms in try await fixItemPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in
                    let due = reader.requiredDay("due")
                    let version = reader.int("version")
                    try reader.finish()
                    let patch = FixItemPatch(
                        statement: reader.form.text("statement"),
                        acceptance: reader.form.text("acceptance"),
                        due: due,
                        internalNote: reader.form.text("internalNote")
                    )
                    let record = try await database.updateFixItem(id, patch, ifVersion: version, by: signedIn.principal)
                    return "/fix-lists/" + record.list.id
                }
            )
        }
        router.post("/fix-items/:id/remove") { request, context in
            let id = try context.parameters.require("id")
            return try await submit(
                request,
                context,
                current: "/fix-items/" + id,
                confirm: ConfirmStep(
                    question: "console.fixLists.remove.question",
                    consequence: "console.fixLists.remove.consequence",
                    button: "console.fixLists.remove.button"
                ),
                render: { signedIn, language, forms in try await fixItemPage(id, signedIn, language, forms) },
                perform: { signedIn, _ in
                    let record = try await database.removeFixItem(id, by: signedIn.principal)
                    return "/fix-lists/" + record.list.id
                }
            )
        }
        router.post("/fix-items/:id/strike") { request, context in
            let id = try context.parameters.require("id")
            return try await submit(
                request,
                context,
                current: "/fix-items/" + id,
                render: { signedIn, language, forms in try await itemOrListPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in
                    let record = try await database.strikeFixItem(id, StrikeInput(note: reader.form.text("note")), by: signedIn.principal)
                    return Self.afterItemForm(reader.form, listId: record.list.id, itemId: id)
                }
            )
        }
        router.post("/fix-items/:id/reopen") { request, context in
            let id = try context.parameters.require("id")
            return try await submit(
                request,
                context,
                current: "/fix-items/" + id,
                render: { signedIn, language, forms in try await itemOrListPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in
                    let due = reader.day("due")
                    try reader.finish()
                    let record = try await database.reopenFixItem(
                        id,
                        ReopenInput(reason: reader.form.text("reason"), due: due),
                        by: signedIn.principal
                    )
                    return Self.afterItemForm(reader.form, listId: record.list.id, itemId: id)
                }
            )
        }
        router.post("/fix-items/:id/accept") { request, context in
            let id = try context.parameters.require("id")
            return try await submit(
                request,
                context,
                current: "/fix-items/" + id,
                render: { signedIn, language, forms in try await itemOrListPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in
                    let record = try await database.acceptFixItem(id, AcceptInput(note: reader.form.optionalText("note")), by: signedIn.principal)
                    return Self.afterItemForm(reader.form, listId: record.list.id, itemId: id)
                }
            )
        }
        router.post("/fix-items/:id/comments") { request, context in
            let id = try context.parameters.require("id")
            return try await submit(
                request,
                context,
                current: "/fix-items/" + id,
                render: { signedIn, language, forms in try await fixItemPage(id, signedIn, language, forms) },
                perform: { signedIn, reader in
                    _ = try await database.commentOnFixItem(id, FixItemCommentInput(text: reader.form.text("text")), by: signedIn.principal)
                    return "/fix-items/" + id
                }
            )
        }
    }

    /// The page a refused item form shows again: the list when it was sent from there.
    private func itemOrListPage(_ id: String, _ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        guard forms.typed?["from"] == "list" else { return try await fixItemPage(id, signedIn, language, forms) }
        return try await fixListPage(try await fixListId(ofItem: id), signedIn, language, forms)
    }

    // MARK: - Drafting

    private func composeFixList(_ engagementId: String, _ signedIn: SignedIn, _ reader: inout FormReader) async throws -> String {
        let form = reader.form
        var rows: [Int] = []
        var items: [FixItemInput] = []
        for index in MediationForms.indices(form, prefix: "items") {
            let name = "items[\(index)]."
            let parts = ["statement", "acceptance", "due"].map { form.text(name + $0) }
            if parts.allSatisfy(\.isEmpty) { continue }
            let due = reader.requiredDay(name + "due")
            rows.append(index)
            items.append(FixItemInput(statement: parts[0], acceptance: parts[1], due: due))
        }
        try reader.finish()
        let input = FixListInput(items: items, internalNote: form.optionalText("internalNote"))
        let record = try await MediationForms.relabeled(MediationForms.rowRenamer("items", rows: rows)) {
            try await database.createFixList(engagementId, input, by: signedIn.principal)
        }
        return "/fix-lists/" + record.list.id
    }

    private func composeFixListPage(
        _ engagementId: String,
        _ signedIn: SignedIn,
        _ language: PageLanguage,
        _ forms: FormContext
    ) async throws
        -> RenderedPage
    {
        let principal = signedIn.principal
        guard Policy.allows(principal, .composeFixList) else { throw DomainError.notFound(entity: "page", id: "fix-lists/new") }
        _ = try await database.engagementRecord(engagementId, for: principal)
        let words = language.localizer
        var fields: [InputField] = []
        let typed = forms.postedAction == "/engagements/\(engagementId)/fix-lists" ? forms.typed : nil
        let sent = typed.map { MediationForms.indices($0, prefix: "items") } ?? []
        for index in 0..<max(MediationForms.rows, (sent.last ?? -1) + 1) {
            let number = ["number": String(index + 1)]
            fields += [
                InputField(.text, name: "items[\(index)].statement", label: words.text("console.fixLists.row.statement", number)),
                InputField(.text, name: "items[\(index)].acceptance", label: words.text("console.fixLists.row.acceptance", number)),
                InputField(.date, name: "items[\(index)].due", label: words.text("console.fixLists.row.due", number)),
            ]
        }
        fields.append(
            InputField(
                .textarea,
                name: "internalNote",
                label: words.text("console.fixLists.internalNote"),
                hint: words.text("console.fixLists.internalNoteHint")
            )
        )
        var view = view(language, title: "console.fixLists.new.title")
        view.content = FixListComposeView(
            engagementHref: "/engagements/" + engagementId,
            engagementLabel: words.text("console.fixLists.engagement", ["engagement": await engagementName(signedIn, engagementId)]),
            form: forms.form(action: "/engagements/\(engagementId)/fix-lists", submit: "console.fixLists.new.button", fields: fields)
        )
        return ("mediation-fix-list-new", view, .ok)
    }

    // MARK: - The list

    func fixListPage(_ id: String, _ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        let principal = signedIn.principal
        let words = language.localizer
        let zone = signedIn.zone
        let record = try await database.fixList(id, for: principal)
        let list = record.list
        let history = try await database.fixListHistory(id, page: PageRequest(limit: PageRequest.maxLimit), for: principal)
        let club = principal.role == .coordinator
        let now = database.clock.now()
        let comments = try await database.fixListComments(id, for: principal)
        var positions = Dictionary(record.items.map { ($0.id, $0.position) }, uniquingKeysWith: { first, _ in first })
        for comment in comments { positions[comment.id] = positions[comment.fixItemId] }
        let rules = database.rules
        let places = try await database.findingPlaces(record.items.compactMap(\.findingId), for: principal)
        let items = record.items.map {
            var row = FixItemRow(
                $0,
                now: now,
                words: words,
                zone: zone,
                clubZone: rules.timeZone,
                club: club,
                comments: comments,
                checkDays: rules.fixItemAutoAcceptDays
            )
            row.source = SourceLink($0, places: places, words: words)
            return withRowForms(row, $0, principal, words, forms)
        }
        let open = list.status == .draft || list.status == .amending
        let reopened = Self.reopenedRows(record.items, words)
        var view = view(language, title: "console.fixLists.title")
        var page = FixListPageView(
            id: id,
            eventsPath: "/fix-lists/\(id)/events",
            engagementHref: "/engagements/" + list.engagementId,
            engagementLabel: words.text("console.fixLists.engagement", ["engagement": await engagementName(signedIn, list.engagementId)]),
            state: words.text(Self.fixListStateKey(list.status)),
            revision: words.text("console.fixLists.revision", ["revision": String(list.revision)]),
            progress: words.text(
                "console.fixLists.progressChecked",
                ["struck": String(record.progress.struck), "accepted": String(record.progress.accepted), "total": String(record.progress.total)]
            ),
            agreed: list.agreedAt.map { words.text("console.fixLists.agreedAt", ["date": words.format($0, zone: zone)]) },
            amending: list.status == .amending ? words.text("console.fixLists.amendingNote", ["revision": String(list.revision)]) : nil,
            internalNote: club ? list.internalNote : nil,
            confirmations: [
                confirmationRow(words.text("console.fixLists.side.client"), list.clientConfirmation, words, zone),
                confirmationRow(words.text("console.fixLists.side.studio"), list.studioConfirmation, words, zone),
            ],
            items: items,
            hasItems: !items.isEmpty,
            reopened: reopened,
            hasReopened: !reopened.isEmpty,
            history: history.items.map { FixListHistoryWords.row($0, positions: positions, words: words, zone: zone) },
            hasHistory: !history.items.isEmpty,
            addForm: Policy.allows(principal, .addFixItem) ? addItemForm(id, list, words, forms) : nil,
            addNote: list.isFinal && Policy.allows(principal, .addFixItem) ? words.text("console.fixLists.amendmentHint") : nil,
            confirmForm: open && mayConfirm(list, principal)
                ? forms.form(action: "/fix-lists/\(id)/confirm", submit: "console.fixLists.confirm.button") : nil
        )
        page.shareLinks = try await shareLinksView(id, signedIn, words, forms)
        view.content = page
        return ("mediation-fix-list", view, .ok)
    }

    private func addItemForm(_ id: String, _ list: FixList, _ words: Localizer, _ forms: FormContext) -> FormView {
        forms.form(
            action: "/fix-lists/\(id)/items",
            submit: list.isFinal ? "console.fixLists.add.amendButton" : "console.fixLists.add.button",
            fields: [
                InputField(.text, name: "statement", label: words.text("console.fixLists.field.statement")),
                InputField(.text, name: "acceptance", label: words.text("console.fixLists.field.acceptance")),
                InputField(.date, name: "due", label: words.text("console.fixLists.field.due")),
                InputField(.textarea, name: "internalNote", label: words.text("console.fixLists.internalNote")),
            ],
            labelledBy: "add-item"
        )
    }

    /// The engagement's client or studio, while its side has not confirmed this revision.
    private func mayConfirm(_ list: FixList, _ principal: Principal) -> Bool {
        guard Policy.allows(principal, .confirmFixList) else { return false }
        switch principal.role {
        case .client: return list.clientConfirmation == nil
        case .studio: return list.studioConfirmation == nil
        case .coordinator: return false
        }
    }

    private func confirmationRow(_ side: String, _ confirmation: Confirmation?, _ words: Localizer, _ zone: TimeZone) -> ConfirmationRow {
        guard let confirmation else { return ConfirmationRow(side: side, text: words.text("console.fixLists.notConfirmed"), confirmed: false) }
        return ConfirmationRow(
            side: side,
            text: words.text("console.fixLists.confirmedBy", ["name": confirmation.by, "date": words.format(confirmation.at, zone: zone)]),
            confirmed: true
        )
    }

    static func fixListStateKey(_ status: FixListStatus) -> String {
        switch status {
        case .draft: "console.fixLists.state.draft"
        case .agreed: "console.fixLists.state.agreed"
        case .amending: "console.fixLists.state.amending"
        case .done: "console.fixLists.state.done"
        }
    }

    // MARK: - One item

    func fixItemPage(_ id: String, _ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        let principal = signedIn.principal
        let words = language.localizer
        let change = Change(seq: 0, entityType: "fix-item", entityId: id, action: "read")
        guard let listId = try await database.fixListId(touchedBy: change) else { throw DomainError.notFound(entity: "fix item", id: id) }
        let record = try await database.fixList(listId, for: principal)
        guard let item = record.items.first(where: { $0.id == id }) else { throw DomainError.notFound(entity: "fix item", id: id) }
        let club = principal.role == .coordinator
        let changeable = !item.isRemoved && item.pending != .removal
        let comments = try await database.fixItemComments(id, for: principal)
        var row = FixItemRow(
            item,
            now: database.clock.now(),
            words: words,
            zone: signedIn.zone,
            clubZone: database.rules.timeZone,
            club: club,
            comments: comments,
            checkDays: database.rules.fixItemAutoAcceptDays
        )
        row.source = SourceLink(item, places: try await database.findingPlaces([item.findingId].compactMap { $0 }, for: principal), words: words)
        row.href = nil
        let editForm =
            changeable && Policy.allows(principal, .editFixItem)
            ? forms.form(
                action: "/fix-items/" + id,
                submit: "console.fixLists.edit.button",
                fields: [
                    InputField(.text, name: "statement", label: words.text("console.fixLists.field.statement"), value: item.statement),
                    InputField(.text, name: "acceptance", label: words.text("console.fixLists.field.acceptance"), value: item.acceptance),
                    InputField(.date, name: "due", label: words.text("console.fixLists.field.due"), value: item.due.description),
                    InputField(.textarea, name: "internalNote", label: words.text("console.fixLists.internalNote"), value: item.internalNote ?? ""),
                ],
                hidden: [HiddenField(name: "version", value: String(item.version))],
                labelledBy: "edit-item"
            ) : nil
        let removeForm =
            changeable && Policy.allows(principal, .removeFixItem)
            ? forms.form(action: "/fix-items/\(id)/remove", submit: "console.fixLists.remove.open", destructive: true, labelledBy: "remove-item")
            : nil
        let strikeForm =
            item.isStrikable && principal.role == .studio && principal.studioId == item.assignedStudioId
            ? forms.form(
                action: "/fix-items/\(id)/strike",
                submit: "console.fixLists.strike.button",
                fields: [InputField(.textarea, name: "note", label: words.text("console.fixLists.field.strikeNote"))],
                labelledBy: "strike-item"
            ) : nil
        let reopenForm =
            item.awaitsCheck && Policy.allows(principal, .reopenFixItem)
            ? forms.form(
                action: "/fix-items/\(id)/reopen",
                submit: "console.fixLists.reopen.button",
                fields: Self.reopenFields(words),
                secondary: true,
                labelledBy: "reopen-item"
            ) : nil
        // The client checks its own item; a coordinator accepts on its behalf and says how it agreed.
        let acceptForm =
            item.awaitsCheck && Policy.allows(principal, .acceptFixItem)
            ? forms.form(
                action: "/fix-items/\(id)/accept",
                submit: club ? "console.fixLists.accept.onBehalfButton" : "console.fixLists.accept.button",
                fields: [
                    InputField(
                        .textarea,
                        name: "note",
                        label: words.text("console.fixLists.field.acceptNote"),
                        hint: words.text(club ? "console.fixLists.accept.onBehalfHint" : "console.fixLists.accept.hint")
                    )
                ],
                labelledBy: "accept-item"
            ) : nil
        let commentForm =
            Policy.allows(principal, .commentOnFixItem)
            ? forms.form(
                action: "/fix-items/\(id)/comments",
                submit: "console.fixLists.comment.button",
                fields: [InputField(.textarea, name: "text", label: words.text("console.fixLists.comment.field"))],
                labelledBy: "comment-item"
            ) : nil
        var view = view(language, title: "console.fixLists.item.title", args: ["position": String(item.position)])
        let files = try await filesSection(.fixItem, id, signedIn, words, forms)
        view.content = FixItemPageView(
            listHref: "/fix-lists/" + listId,
            item: row,
            editForm: editForm,
            editNote: record.list.isFinal && editForm != nil ? words.text("console.fixLists.amendmentHint") : nil,
            removeForm: removeForm,
            strikeForm: strikeForm,
            reopenForm: reopenForm,
            acceptForm: acceptForm,
            commentForm: commentForm,
            hasForms: editForm != nil || removeForm != nil || strikeForm != nil || reopenForm != nil || acceptForm != nil || commentForm != nil,
            files: files
        )
        return ("mediation-fix-item", view, .ok)
    }
}
