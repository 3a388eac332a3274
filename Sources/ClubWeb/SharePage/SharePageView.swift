import ClubCore
import ClubStore
import Foundation

/// What the page template shows, prepared from a fix list: only display values, all of them
/// plain strings and flags for Mustache.
struct SharePageView {
    let nonce: String
    let clientName: String
    let studioName: String
    let expiresAt: String
    let revision: Int
    let statusLabel: String
    let isDone: Bool
    let struck: Int
    let total: Int
    let percent: Int
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
        let struckBy: String
        let struckAt: String
        let strikeNote: String?
        let reopenedBy: String
        let reopenedAt: String
        let reopenReason: String?
    }

    init(record: FixListRecord, context: ShareContext, link: ShareLink, nonce: String, now: Date) {
        self.nonce = nonce
        clientName = context.clientName
        studioName = context.studioName
        expiresAt = Self.format(link.expiresAt)
        revision = record.list.revision
        isDone = record.list.status == .done
        statusLabel =
            switch record.list.status {
            case .draft: "draft — awaiting agreement"
            case .agreed: "agreed"
            case .amending: "amendment awaiting confirmation"
            case .done: "done"
            }
        struck = record.progress.struck
        total = record.progress.total
        percent = record.progress.total == 0 ? 0 : record.progress.struck * 100 / record.progress.total
        items = record.items.filter { !$0.isRemoved }.map { item in
            Item(
                position: item.position,
                statement: item.statement,
                acceptance: item.acceptance,
                due: item.due.description,
                state: item.state.rawValue,
                isStruck: item.state == .struck,
                isReopened: item.state == .reopened,
                isLate: item.state == .struck && item.isLate,
                isOverdue: item.isOverdue(at: now),
                isPending: item.pending != nil,
                struckBy: item.struckBy ?? "",
                struckAt: item.struckAt.map(Self.format) ?? "",
                strikeNote: item.strikeNote,
                reopenedBy: item.reopenedBy ?? "",
                reopenedAt: item.reopenedAt.map(Self.format) ?? "",
                reopenReason: item.reopenReason
            )
        }
    }

    /// Times for people: "22 Nov 2026, 14:05 UTC" (fixed English month names: the page must read
    /// the same whatever the server's locale).
    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let month = months[max(0, min(11, (parts.month ?? 1) - 1))]
        return String(format: "%d %@ %d, %02d:%02d UTC", parts.day ?? 1, month, parts.year ?? 1970, parts.hour ?? 0, parts.minute ?? 0)
    }
}

/// A page that says a link does not work, and nothing else.
struct ShareNoticeView {
    let nonce: String
    let title: String
    let message: String
}
