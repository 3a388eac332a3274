import ClubCore
import ClubStore
import Foundation

/// The parties' forms on the fix list itself (issue 11, docs/design.md §9.6): the assigned studio
/// strikes an item in one step beside its acceptance criterion, the client accepts or reopens a
/// struck item without leaving the list. They post to the item's routes with `from=list`, so a
/// refusal shows the list again with the problem next to that item's field, and success comes
/// back to the item's row.
extension ConsoleController {
    /// The hidden field that sends a refusal back to the list rather than to the item's page.
    static var fromList: HiddenField { HiddenField(name: "from", value: "list") }

    /// The list an item belongs to (404 for an unknown item).
    func fixListId(ofItem id: String) async throws -> String {
        let change = Change(seq: 0, entityType: "fix-item", entityId: id, action: "read")
        guard let listId = try await database.fixListId(touchedBy: change) else { throw DomainError.notFound(entity: "fix item", id: id) }
        return listId
    }

    /// The reopening's inputs, on the list and on the item's page: why, and the new due day.
    static func reopenFields(_ words: Localizer) -> [InputField] {
        [
            InputField(
                .textarea,
                name: "reason",
                label: words.text("console.fixLists.field.reason"),
                hint: words.text("console.parties.reopen.reasonHint")
            ),
            InputField(.date, name: "due", label: words.text("console.fixLists.field.newDue"), hint: words.text("console.fixLists.newDueHint")),
        ]
    }

    /// Where an item's form goes after it acted: its row on the list when sent from there.
    static func afterItemForm(_ form: FormFields, listId: String, itemId: String) -> String {
        form["from"] == "list" ? "/fix-lists/\(listId)#item-\(itemId)" : "/fix-lists/" + listId
    }

    /// The item's row with the forms its viewer may use on the list.
    func withRowForms(_ row: FixItemRow, _ item: FixItem, _ principal: Principal, _ words: Localizer, _ forms: FormContext) -> FixItemRow {
        var row = row
        let number = ["position": String(item.position)]
        let path = "/fix-items/" + item.id
        // One page, many forms with the same names: each keeps its own ids, except the one that
        // was just refused, whose ids the error summary links to by the field's name.
        func prefix(_ action: String, _ kind: String) -> String? {
            forms.postedAction == action ? nil : kind + "-" + item.id
        }
        if item.isStrikable, principal.role == .studio, principal.studioId == item.assignedStudioId {
            let action = path + "/strike"
            row.strikeHeading = "strike-" + item.id
            row.strikeTitle = words.text("console.parties.strike.title", number)
            let form = forms.form(
                action: action,
                submit: "console.fixLists.strike.button",
                fields: [
                    InputField(
                        .textarea,
                        name: "note",
                        label: words.text("console.parties.strike.note", number),
                        hint: words.text("console.parties.strike.hint", ["acceptance": item.acceptance])
                    )
                ],
                hidden: [Self.fromList],
                labelledBy: row.strikeHeading,
                idPrefix: prefix(action, "strike")
            )
            row.rowStrike = Self.relabeled(form, words.text("console.parties.strike.button", number))
        }
        if item.awaitsCheck, principal.role == .client {
            if Policy.allows(principal, .acceptFixItem) {
                row.acceptHeading = "accept-" + item.id
                row.acceptTitle = words.text("console.parties.accept.title", number)
                let action = path + "/accept"
                let form = forms.form(
                    action: action,
                    submit: "console.fixLists.accept.button",
                    fields: [
                        InputField(
                            .textarea,
                            name: "note",
                            label: words.text("console.fixLists.field.acceptNote"),
                            hint: words.text("console.fixLists.accept.hint")
                        )
                    ],
                    hidden: [Self.fromList],
                    labelledBy: row.acceptHeading,
                    idPrefix: prefix(action, "accept")
                )
                row.rowAccept = Self.relabeled(form, words.text("console.parties.accept.button", number))
            }
            if Policy.allows(principal, .reopenFixItem) {
                row.reopenHeading = "reopen-" + item.id
                row.reopenTitle = words.text("console.parties.reopen.title", number)
                let action = path + "/reopen"
                let form = forms.form(
                    action: action,
                    submit: "console.fixLists.reopen.button",
                    fields: Self.reopenFields(words),
                    hidden: [Self.fromList],
                    secondary: true,
                    labelledBy: row.reopenHeading,
                    idPrefix: prefix(action, "reopen")
                )
                row.rowReopen = Self.relabeled(form, words.text("console.parties.reopen.button", number))
            }
        }
        return row
    }

    /// The reopened items, for the section at the top of the list: the reason and the new due day.
    static func reopenedRows(_ items: [FixItem], _ words: Localizer) -> [ReopenedRow] {
        items.filter { $0.state == .reopened && !$0.isRemoved }.map { item in
            ReopenedRow(
                href: "#item-" + item.id,
                title: words.text("console.parties.reopened.item", ["position": String(item.position), "statement": item.statement]),
                reason: item.rounds.last?.reopenReason ?? item.reopenReason ?? "",
                due: words.text("console.parties.reopened.due", ["date": words.format(item.due)])
            )
        }
    }

    /// The same form with a button that names its item ("Strike item 2").
    static func relabeled(_ form: FormView, _ label: String) -> FormView {
        FormView(
            action: form.action,
            csrf: form.csrf,
            formKey: form.formKey,
            submitLabel: label,
            fields: form.fields,
            hidden: form.hidden,
            problem: form.problem,
            secondary: form.secondary,
            destructive: form.destructive,
            labelledBy: form.labelledBy
        )
    }
}
