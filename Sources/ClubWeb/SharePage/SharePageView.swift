import ClubCore
import ClubStore
import Foundation

/// What the page template shows, prepared from a fix list: only display values, all of them
/// plain strings and flags for Mustache. Words come from the catalog of the page's language (`t`
/// for fixed texts, the values below for texts with counts, names or dates); times are shown in
/// the club's time zone.
struct SharePageView {
    let t: TextLookup
    let lang: String
    let languages: [LanguageOption]
    let nonce: String
    let clientName: String
    let studioName: String
    let validUntil: String
    let timeZoneNote: String
    let revision: Int
    let statusLabel: String
    let isDone: Bool
    let struck: Int
    let total: Int
    let percent: Int
    let progressLabel: String
    let progressCount: String
    let remaining: String
    let items: [Item]

    struct Item {
        let position: Int
        let statement: String
        let acceptance: String
        let due: String
        let state: String
        let isStruck: Bool
        let isReopened: Bool
        let isLate: Bool
        let isOverdue: Bool
        let isPending: Bool
        /// HTML: "Struck by <b>name</b> on date", in the page's language.
        let struckLine: String
        let strikeNote: String?
        /// HTML: "Reopened by <b>name</b> on date: reason", in the page's language.
        let reopenLine: String?
    }

    init(
        record: FixListRecord,
        context: ShareContext,
        link: ShareLink,
        language: PageLanguage,
        timeZone: TimeZone,
        nonce: String,
        now: Date
    ) {
        let words = language.localizer
        t = TextLookup(words)
        lang = language.code
        languages = language.options
        self.nonce = nonce
        clientName = context.clientName
        studioName = context.studioName
        validUntil = words.text("share.footer.validUntil", ["date": words.format(link.expiresAt, zone: timeZone)])
        timeZoneNote = words.text("share.footer.zone", ["zone": Self.zoneName(timeZone)])
        revision = record.list.revision
        isDone = record.list.status == .done
        statusLabel = words.text(Self.statusKey(record.list.status))
        struck = record.progress.struck
        total = record.progress.total
        percent = record.progress.total == 0 ? 0 : record.progress.struck * 100 / record.progress.total
        progressLabel = words.plural("share.progress.label", count: total, ["struck": String(struck)])
        progressCount = words.text("share.progress.count", ["struck": String(struck), "total": String(total)])
        remaining = words.text("share.remaining", ["items": words.plural("plural.items", count: max(0, total - struck))])
        items = record.items.filter { !$0.isRemoved }.map { item in
            Item(
                position: item.position,
                statement: item.statement,
                acceptance: item.acceptance,
                due: words.format(item.due),
                state: item.state.rawValue,
                isStruck: item.state == .struck,
                isReopened: item.state == .reopened,
                isLate: item.state == .struck && item.isLate,
                isOverdue: item.isOverdue(at: now),
                isPending: item.pending != nil,
                struckLine: HTMLText.text(
                    words,
                    "share.item.struckBy",
                    [
                        "name": HTMLText.bold(item.struckBy ?? ""),
                        "date": HTMLText.escape(item.struckAt.map { words.format($0, zone: timeZone) } ?? ""),
                    ]
                ),
                strikeNote: item.strikeNote,
                reopenLine: item.reopenReason.map { reason in
                    HTMLText.text(
                        words,
                        "share.item.reopenedBy",
                        [
                            "name": HTMLText.bold(item.reopenedBy ?? ""),
                            "date": HTMLText.escape(item.reopenedAt.map { words.format($0, zone: timeZone) } ?? ""),
                            "reason": HTMLText.escape(reason),
                        ]
                    )
                }
            )
        }
    }

    /// The zone's IANA name; "UTC" for UTC, which Foundation calls "GMT".
    static func zoneName(_ zone: TimeZone) -> String {
        ["GMT", "UTC", "Etc/UTC", "Etc/GMT"].contains(zone.identifier) ? "UTC" : zone.identifier
    }

    static func statusKey(_ status: FixListStatus) -> String {
        switch status {
        case .draft: "share.status.draft"
        case .agreed: "share.status.agreed"
        case .amending: "share.status.amending"
        case .done: "share.status.done"
        }
    }
}

/// A page that says a link does not work, and nothing else.
struct ShareNoticeView {
    let t: TextLookup
    let lang: String
    let languages: [LanguageOption]
    let nonce: String
    let title: String
    let message: String

    init(language: PageLanguage, nonce: String, titleKey: String, messageKey: String) {
        t = TextLookup(language.localizer)
        lang = language.code
        languages = language.options
        self.nonce = nonce
        title = language.localizer.text(titleKey)
        message = language.localizer.text(messageKey)
    }
}
