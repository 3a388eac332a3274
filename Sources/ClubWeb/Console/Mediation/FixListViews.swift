import ClubCore
import ClubStore
import Foundation

/// The page that drafts a fix list: a form with empty item rows.
struct FixListComposeView {
    let engagementHref: String
    let engagementLabel: String
    let form: FormView
}

/// One round of an item in words: its strike judged against its own due day, and its reopening.
struct FixRoundRow {
    let struckLine: String
    let strikeNote: String
    let late: Bool
    /// Not `reopenLine`: a round without one must not show its item's (Mustache looks a missing
    /// name up in the enclosing item).
    let roundReopenLine: String?
}

/// One comment of an item's thread: who (side and name), when, and what.
struct FixCommentRow {
    let heading: String
    let text: String
}

/// One item of a fix list as the page shows it: wording, state in words, every round of strikes
/// and reopenings, the client's check and the comments (docs/design.md §3.7).
struct FixItemRow {
    let id: String
    let anchor: String
    let position: Int
    let statement: String
    let acceptance: String
    let due: String
    let state: String
    let isStruck: Bool
    let isAccepted: Bool
    let isRemoved: Bool
    let isOverdue: Bool
    let pending: String?
    /// Before rounds were kept, the latest strike and reopening; empty when `rounds` says it.
    let struckLine: String?
    let strikeNote: String?
    let reopenLine: String?
    let rounds: [FixRoundRow]
    let hasRounds: Bool
    /// The audit finding the item came from, as a link back (docs/design.md §3.8).
    var source: SourceLink?
    /// "Awaiting the client's check (accepted automatically on …)", while struck.
    let awaitingLine: String?
    let acceptedLine: String?
    let acceptNote: String?
    let comments: [FixCommentRow]
    let hasComments: Bool
    let internalNote: String?
    /// The item's own page; none on that page itself.
    var href: String?
    let linkLabel: String
    /// Forms on the list itself (issue 11): the assigned studio strikes, the client checks. Named
    /// apart from the item page's forms: Mustache looks a nil name up in the enclosing view.
    var rowStrike: FormView?
    var rowAccept: FormView?
    var rowReopen: FormView?
    var strikeHeading = ""
    var strikeTitle = ""
    var acceptHeading = ""
    var acceptTitle = ""
    var reopenHeading = ""
    var reopenTitle = ""
}

/// A reopened item at the top of the list: the client's reason and the new due day, linking to its row.
struct ReopenedRow {
    let href: String
    let title: String
    let reason: String
    let due: String
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
    /// Reopened items with the client's reason, above the items (issue 11).
    var reopened: [ReopenedRow] = []
    var hasReopened = false
    let history: [HistoryRow]
    let hasHistory: Bool
    let addForm: FormView?
    let addNote: String?
    let confirmForm: FormView?
    /// Share links, for the engagement's client and coordinators (issue 11).
    var shareLinks: ShareLinksView?
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
    let acceptForm: FormView?
    let commentForm: FormView?
    let hasForms: Bool
    var files: FilesSectionView?
}

extension FixItemRow {
    /// `zone` is the reader's, for the times shown; `clubZone` the club's, which judges due days.
    init(
        _ item: FixItem,
        now: Date,
        words: Localizer,
        zone: TimeZone,
        clubZone: TimeZone,
        club: Bool,
        comments: [FixItemComment] = [],
        checkDays: Int = ClubRules().fixItemAutoAcceptDays
    ) {
        id = item.id
        anchor = "item-" + item.id
        position = item.position
        statement = item.statement
        acceptance = item.acceptance
        due = words.text("console.due", ["date": words.format(item.due)])
        state = words.text(Self.stateKey(item))
        isStruck = (item.state == .struck || item.state == .accepted) && !item.isRemoved
        isAccepted = item.state == .accepted && !item.isRemoved
        isRemoved = item.isRemoved
        isOverdue = item.isOverdue(at: now, in: clubZone)
        pending =
            switch item.pending {
            case .wording: words.text("console.fixLists.pending.wording")
            case .removal: words.text("console.fixLists.pending.removal")
            case nil: nil
            }
        let legacy = item.rounds.isEmpty
        struckLine = item.struckAt.flatMap { at in
            guard legacy else { return nil }
            let key = item.isLate(in: clubZone) ? "console.fixLists.item.struckLate" : "console.fixLists.item.struck"
            return words.text(key, ["name": item.struckBy ?? "", "date": words.format(at, zone: zone)])
        }
        strikeNote = legacy ? item.strikeNote : nil
        reopenLine = item.reopenReason.flatMap { reason in
            guard legacy else { return nil }
            return words.text(
                "console.fixLists.item.reopened",
                ["name": item.reopenedBy ?? "", "date": item.reopenedAt.map { words.format($0, zone: zone) } ?? "", "reason": reason]
            )
        }
        rounds = item.rounds.map { round in
            FixRoundRow(
                struckLine: words.text(
                    round.onTime ? "console.fixLists.round.struck" : "console.fixLists.round.struckLate",
                    [
                        "number": String(round.number), "name": round.struckBy, "date": words.format(round.struckAt, zone: zone),
                        "due": words.format(round.due),
                    ]
                ),
                strikeNote: round.strikeNote,
                late: !round.onTime,
                roundReopenLine: round.reopenReason.map { reason in
                    words.text(
                        "console.fixLists.round.reopened",
                        [
                            "name": round.reopenedBy ?? "", "date": round.reopenedAt.map { words.format($0, zone: zone) } ?? "",
                            "reason": reason, "due": round.newDue.map { words.format($0) } ?? "",
                        ]
                    )
                }
            )
        }
        hasRounds = !rounds.isEmpty
        awaitingLine = item.checkDeadline(days: checkDays).map {
            words.text("console.fixLists.item.awaitingCheck", ["date": words.format($0, zone: zone)])
        }
        acceptedLine = item.acceptedAt.flatMap { at in
            guard item.state == .accepted else { return nil }
            let key = item.autoAccepted ? "console.fixLists.item.autoAccepted" : "console.fixLists.item.accepted"
            return words.text(key, ["name": item.acceptedBy ?? "", "date": words.format(at, zone: zone)])
        }
        acceptNote = item.state == .accepted && !item.autoAccepted ? item.acceptNote : nil
        self.comments = comments.filter { $0.fixItemId == item.id }.map { comment in
            FixCommentRow(
                heading: words.text(
                    "console.fixLists.comment.heading",
                    [
                        "side": words.text("console.fixLists.comment.side." + comment.side.rawValue), "name": comment.authorName,
                        "date": words.format(comment.createdAt, zone: zone),
                    ]
                ),
                text: comment.text
            )
        }
        hasComments = !self.comments.isEmpty
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
        case .accepted: return "console.fixLists.itemState.accepted"
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
        case ("fix-item-comment", _): "console.fixLists.history.itemCommented"
        case (_, "created"): "console.fixLists.history.itemAdded"
        case (_, "reworded"): "console.fixLists.history.itemReworded"
        case (_, "removed"): "console.fixLists.history.itemRemoved"
        case (_, "removal-proposed"): "console.fixLists.history.itemRemovalProposed"
        case (_, "struck"): "console.fixLists.history.itemStruck"
        case (_, "reopened"): "console.fixLists.history.itemReopened"
        case (_, "accepted"): "console.fixLists.history.itemAccepted"
        case (_, "auto-accepted"): "console.fixLists.history.itemAutoAccepted"
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

/// A link from a correction back to the audit finding it came from.
struct SourceLink {
    let href: String
    let text: String

    init?(_ item: FixItem, places: [String: FindingPlace], words: Localizer) {
        guard let findingId = item.findingId, let place = places[findingId] else { return nil }
        href = "/audits/\(place.auditId)#finding-\(place.position)"
        text = words.text("console.fixLists.item.fromFinding", ["number": String(place.position), "auditor": place.auditor])
    }
}
