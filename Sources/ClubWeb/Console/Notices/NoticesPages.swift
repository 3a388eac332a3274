import ClubCore
import ClubStore
import Foundation
import Hummingbird

/// One change on the notices page: what happened in words, the object's page, who and when.
struct NoticeLine {
    let text: String
    let href: String?
    let who: String
    let when: String
    let at: String
}

/// The notices page (`/notices`, docs/design.md §9.6): what waits for the person (filled by the
/// home's builders) above what changed since their last visit.
struct NoticesPageView {
    /// "Waiting for you": sections of lines, shown above the changes when there are any.
    var awaiting: [PageSection] = [] { didSet { hasAwaiting = !awaiting.isEmpty } }
    private(set) var hasAwaiting = false
    let changes: [NoticeLine]
    let hasChanges: Bool
    let count: String
    let seenNote: String
    let newestNote: String?
    let markForm: FormView?
}

extension ConsoleController {
    /// `GET /notices` for every role, and `POST /notices/seen`, which marks every change up to
    /// now as seen (the page itself marks nothing: reloading it shows the same list).
    func addNoticePages(to router: Router<Context>) {
        router.get("/notices") { request, _ in
            try await withSession(request, current: "/notices") { signedIn, language in
                try await noticesPage(signedIn, language, forms(signedIn, language))
            }
        }
        router.post("/notices/seen") { request, context in
            try await submit(
                request,
                context,
                current: "/notices",
                render: { signedIn, language, forms in try await noticesPage(signedIn, language, forms) },
                perform: { signedIn, reader in
                    try reader.finish()
                    try await database.markNoticesSeen(signedIn.person)
                    return "/notices"
                }
            )
        }
    }

    func noticesPage(_ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        let words = language.localizer
        let changes = try await database.changes(for: signedIn.person)
        let total = try await database.unseenNoticeCount(for: signedIn.person)
        let seenAt = try await database.noticesSeenAt(of: signedIn.person)
        let lines = changes.map { notice in
            NoticeLine(
                text: Self.noticeText(notice, words),
                href: notice.path,
                who: notice.actorName,
                when: words.format(notice.at, zone: signedIn.zone),
                at: ISO8601DateFormatter().string(from: notice.at)
            )
        }
        var view = view(language, title: "console.notices.title")
        var page = NoticesPageView(
            changes: lines,
            hasChanges: !lines.isEmpty,
            count: words.plural("console.notices.count", count: total),
            seenNote: seenAt.map { words.text("console.notices.seenAt", ["date": words.format($0, zone: signedIn.zone)]) }
                ?? words.text("console.notices.neverSeen"),
            newestNote: total > lines.count ? words.text("console.notices.newest", ["shown": String(lines.count)]) : nil,
            markForm: lines.isEmpty ? nil : forms.form(action: "/notices/seen", submit: "console.notices.markSeen", labelledBy: "changes-title")
        )
        if let waiting = try await awaitingSection(signedIn, words) { page.awaiting = [waiting] }
        view.content = page
        return ("notices", view, .ok)
    }

    /// "Fix item struck": the event's own words when the catalog has them, else "Changed: fix item".
    static func noticeText(_ notice: Notice, _ words: Localizer) -> String {
        let key = "console.notices.event." + notice.entityType + "." + notice.action
        let text = words.text(key)
        if text != key { return text }
        let entityKey = "console.records.entity." + notice.entityType
        let entity = words.text(entityKey)
        return words.text("console.notices.generic", ["entity": entity == entityKey ? notice.entityType : entity])
    }
}
