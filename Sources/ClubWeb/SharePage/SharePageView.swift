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
    /// "2 of 3 accepted by the client": the list is done when all are.
    let acceptedCount: String
    let remaining: String
    let items: [Item]

    /// One strike of an item judged against its own round's due day, and its reopening.
    struct Round {
        /// HTML: "Struck by <b>name</b> on date", in the page's language.
        let struckLine: String
        let strikeNote: String
        let isLate: Bool
        /// HTML: "Reopened by <b>name</b> on date: reason", in the page's language. Named apart
        /// from the item's `reopenLine`: Mustache looks a missing name up in the enclosing item.
        let roundReopenLine: String?
        let roundNewDue: String?
    }

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
        /// Every strike and reopening, oldest first; when present it replaces the two lines above.
        let rounds: [Round]
        let hasRounds: Bool
        let isAccepted: Bool
        let isAwaitingCheck: Bool
        /// HTML: "Accepted by <b>name</b> on date" (or automatically), in the page's language.
        let acceptedLine: String?
        let acceptNote: String?
        /// The item's screenshots and photos, each a thumbnail linking to the whole image.
        let images: [Image]
        let hasImages: Bool
    }

    /// One image of an item, served through the page's own link (docs/design.md §11.5). Names differ from the
    /// item's, since Mustache looks a missing name up in the enclosing item.
    struct Image {
        let imageURL: String
        let thumbnailURL: String
        /// The caption, else the display name: what the picture shows, for whoever cannot see it.
        let imageAlt: String
        /// The thumbnail's size when known, so that the list does not jump as thumbnails arrive.
        let thumbnailWidth: Int?
        let thumbnailHeight: Int?

        init(_ file: EvidenceFile, token: String) {
            let base = "/share/\(token)/files/\(file.id)"
            imageURL = base
            thumbnailURL = base + "/thumbnail"
            let caption = file.caption?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            imageAlt = caption.isEmpty ? file.name : caption
            let size = Self.thumbnailSize(width: file.width, height: file.height)
            thumbnailWidth = size?.width
            thumbnailHeight = size?.height
        }

        /// The image scaled to fit `Thumbnailer.side`, never enlarged, as vips scales it.
        static func thumbnailSize(width: Int?, height: Int?) -> (width: Int, height: Int)? {
            guard let width, let height, width > 0, height > 0 else { return nil }
            let scale = min(1, Double(Thumbnailer.side) / Double(max(width, height)))
            return (max(1, Int((Double(width) * scale).rounded())), max(1, Int((Double(height) * scale).rounded())))
        }
    }

    init(
        record: FixListRecord,
        context: ShareContext,
        link: ShareLink,
        token: String = "",
        images: [String: [EvidenceFile]] = [:],
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
        acceptedCount = words.text("share.progress.accepted", ["accepted": String(record.progress.accepted), "total": String(total)])
        remaining = words.text("share.remaining", ["items": words.plural("plural.items", count: max(0, total - struck))])
        items = record.items.filter { !$0.isRemoved }.map { item in
            Item(
                position: item.position,
                statement: item.statement,
                acceptance: item.acceptance,
                due: words.format(item.due),
                state: item.state.rawValue,
                isStruck: item.state == .struck || item.state == .accepted,
                isReopened: item.state == .reopened,
                // With rounds, each strike carries its own lateness (docs/design.md §3.7).
                isLate: item.rounds.isEmpty && item.state == .struck && item.isLate(in: timeZone),
                isOverdue: item.isOverdue(at: now, in: timeZone),
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
                },
                rounds: item.rounds.map { Self.round($0, words: words, timeZone: timeZone) },
                hasRounds: !item.rounds.isEmpty,
                isAccepted: item.state == .accepted,
                isAwaitingCheck: item.awaitsCheck,
                acceptedLine: item.acceptedAt.flatMap { at in
                    guard item.state == .accepted else { return nil }
                    let date = HTMLText.escape(words.format(at, zone: timeZone))
                    if item.autoAccepted { return HTMLText.text(words, "share.item.autoAccepted", ["date": date]) }
                    return HTMLText.text(words, "share.item.acceptedBy", ["name": HTMLText.bold(item.acceptedBy ?? ""), "date": date])
                },
                acceptNote: item.state == .accepted && !item.autoAccepted ? item.acceptNote : nil,
                images: images[item.id, default: []].map { Image($0, token: token) },
                hasImages: !images[item.id, default: []].isEmpty
            )
        }
    }

    static func round(_ round: FixRound, words: Localizer, timeZone: TimeZone) -> Round {
        Round(
            struckLine: HTMLText.text(
                words,
                "share.item.struckBy",
                ["name": HTMLText.bold(round.struckBy), "date": HTMLText.escape(words.format(round.struckAt, zone: timeZone))]
            ),
            strikeNote: round.strikeNote,
            isLate: !round.onTime,
            roundReopenLine: round.reopenReason.map { reason in
                HTMLText.text(
                    words,
                    "share.item.reopenedBy",
                    [
                        "name": HTMLText.bold(round.reopenedBy ?? ""),
                        "date": HTMLText.escape(round.reopenedAt.map { words.format($0, zone: timeZone) } ?? ""),
                        "reason": HTMLText.escape(reason),
                    ]
                )
            },
            roundNewDue: round.newDue.map { words.text("share.item.newDue", ["due": words.format($0)]) }
        )
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
