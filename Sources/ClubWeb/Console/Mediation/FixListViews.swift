import ClubCore
import ClubStore
import Foundation

/// The page that drafts a fix list: a form with empty item rows.
struct FixListComposeView {
    let engagementHref: String
    let engagementLabel: String
    let form: FormView
}

/// One item of a fix list as the page shows it: wording, state in words, strike and reopening.
struct FixItemRow {
    let id: String
    let anchor: String
    let position: Int
    let statement: String
    let acceptance: String
    let due: String
    let state: String
    let isStruck: Bool
    let isRemoved: Bool
    let isOverdue: Bool
    let pending: String?
    let struckLine: String?
    let strikeNote: String?
    let reopenLine: String?
    let internalNote: String?
    /// The item's own page; none on that page itself.
    var href: String?
    let linkLabel: String
}

/// One side's confirmation of the current revision.
struct ConfirmationRow {
    let side: String
    let text: String
    let confirmed: Bool
}

/// One journal event of the list, in words.
struct HistoryRow {
    let when: String
    let who: String
    let what: String
}

/// The fix list page: its state, confirmations, items, history and the forms its viewer may use.
struct FixListPageView {
    let id: String
    let eventsPath: String
    let engagementHref: String
    let engagementLabel: String
    let state: String
    let revision: String
    let progress: String
    let agreed: String?
    let amending: String?
    let internalNote: String?
    let confirmations: [ConfirmationRow]
    let items: [FixItemRow]
    let hasItems: Bool
    let history: [HistoryRow]
    let hasHistory: Bool
    let addForm: FormView?
    let addNote: String?
    let confirmForm: FormView?
}

/// The page of one item: its wording and the forms its viewer may use on it.
struct FixItemPageView {
    let listHref: String
    let item: FixItemRow
    let editForm: FormView?
    let editNote: String?
    let removeForm: FormView?
    let strikeForm: FormView?
    let reopenForm: FormView?
    let hasForms: Bool
}

extension FixItemRow {
    init(_ item: FixItem, now: Date, words: Localizer, zone: TimeZone, club: Bool) {
        id = item.id
        anchor = "item-" + item.id
        position = item.position
        statement = item.statement
        acceptance = item.acceptance
        due = words.text("console.due", ["date": words.format(item.due)])
        state = words.text(Self.stateKey(item))
        isStruck = item.state == .struck && !item.isRemoved
        isRemoved = item.isRemoved
        isOverdue = item.isOverdue(at: now)
        pending =
            switch item.pending {
            case .wording: words.text("console.fixLists.pending.wording")
            case .removal: words.text("console.fixLists.pending.removal")
            case nil: nil
            }
        struckLine = item.struckAt.map { at in
            let key = item.isLate ? "console.fixLists.item.struckLate" : "console.fixLists.item.struck"
            return words.text(key, ["name": item.struckBy ?? "", "date": words.format(at, zone: zone)])
        }
        strikeNote = item.strikeNote
        reopenLine = item.reopenReason.map { reason in
            words.text(
                "console.fixLists.item.reopened",
                ["name": item.reopenedBy ?? "", "date": item.reopenedAt.map { words.format($0, zone: zone) } ?? "", "reason": reason]
            )
        }
        internalNote = club ? item.internalNote : nil
        href = "/fix-items/" + item.id
        linkLabel = words.text("console.fixLists.item.open", ["position": String(item.position)])
    }

    static func stateKey(_ item: FixItem) -> String {
        if item.isRemoved { return "console.fixLists.itemState.removed" }
        switch item.state {
        case .open: return "console.fixLists.itemState.open"
        case .struck: return "console.fixLists.itemState.struck"
        case .reopened: return "console.fixLists.itemState.reopened"
        }
    }
}

/// The journal's actions on lists and items, in words.
enum FixListHistoryWords {
    static func key(_ event: JournalEvent) -> String {
        switch (event.entityType, event.action) {
        case ("fix-list", "created"): "console.fixLists.history.listCreated"
        case ("fix-list", "confirmed-by-client"): "console.fixLists.history.confirmedByClient"
        case ("fix-list", "confirmed-by-studio"): "console.fixLists.history.confirmedByStudio"
        case ("fix-list", "agreed"): "console.fixLists.history.agreed"
        case ("fix-list", "amendment-opened"): "console.fixLists.history.amendmentOpened"
        case ("fix-list", "done"): "console.fixLists.history.done"
        case ("fix-list", _): "console.fixLists.history.listChanged"
        case (_, "created"): "console.fixLists.history.itemAdded"
        case (_, "reworded"): "console.fixLists.history.itemReworded"
        case (_, "removed"): "console.fixLists.history.itemRemoved"
        case (_, "removal-proposed"): "console.fixLists.history.itemRemovalProposed"
        case (_, "struck"): "console.fixLists.history.itemStruck"
        case (_, "reopened"): "console.fixLists.history.itemReopened"
        case (_, "agreed"): "console.fixLists.history.itemAgreed"
        default: "console.fixLists.history.itemChanged"
        }
    }

    static func row(_ event: JournalEvent, positions: [String: Int], words: Localizer, zone: TimeZone) -> HistoryRow {
        HistoryRow(
            when: words.format(event.at, zone: zone),
            who: event.actor.name,
            what: words.text(key(event), ["position": positions[event.entityId].map(String.init) ?? "?"])
        )
    }
}
