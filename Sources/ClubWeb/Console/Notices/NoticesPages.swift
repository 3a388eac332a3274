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

/// One of the person's notifications (docs/design.md §10): its kind, the object's page, when,
/// and what became of its e-mail.
struct NotificationLine {
    let kind: String
    let href: String
    let when: String
    let at: String
    let mailStatus: String
}

/// A mail the relay refused (coordinators): to whom, about what, and the relay's answer.
struct FailedMailLine {
    let recipient: String
    let kind: String
    let href: String
    let when: String
    let attempts: String
    let answer: String?
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
    /// Every notification of the person, whatever their choice (docs/design.md §10).
    var notifications: [NotificationLine] = [] { didSet { hasNotifications = !notifications.isEmpty } }
    private(set) var hasNotifications = false
    var notificationCount = ""
    var notificationsNote: String?
    /// Coordinators only: mail that could not be delivered; nil hides the section.
    var failedMail: [FailedMailLine]? {
        didSet {
            showsFailedMail = failedMail != nil
            hasFailedMail = !(failedMail ?? []).isEmpty
        }
    }
    private(set) var showsFailedMail = false
    private(set) var hasFailedMail = false
    var failedCount = ""
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
        try await addNotifications(to: &page, signedIn, words)
        view.content = page
        return ("notices", view, .ok)
    }

    /// The person's notifications and, for a coordinator, the mail the relay refused.
    private func addNotifications(to page: inout NoticesPageView, _ signedIn: SignedIn, _ words: Localizer) async throws {
        let shown = 50
        let records = try await database.notifications(of: signedIn.person.id, limit: shown + 1)
        page.notifications = records.prefix(shown).map { record in
            NotificationLine(
                kind: words.text("notify.kind." + record.kind.rawValue),
                href: record.path,
                when: words.format(record.createdAt, zone: signedIn.zone),
                at: ISO8601DateFormatter().string(from: record.createdAt),
                mailStatus: words.text("notify.status." + record.mailStatus.rawValue)
            )
        }
        page.notificationCount = words.plural("settings.notices.count", count: page.notifications.count)
        if records.count > shown { page.notificationsNote = words.text("settings.notices.newest", ["shown": String(shown)]) }
        guard signedIn.person.role == .coordinator else { return }
        let failed = try await database.failedMail(limit: shown, for: signedIn.principal)
        page.failedMail = failed.map { mail in
            FailedMailLine(
                recipient: "\(mail.recipient.name) <\(mail.recipient.email)>",
                kind: words.text("notify.kind." + mail.notification.kind.rawValue),
                href: mail.notification.path,
                when: words.format(mail.notification.createdAt, zone: signedIn.zone),
                attempts: words.plural("settings.failed.attempts", count: mail.notification.attempts),
                answer: mail.notification.lastError
            )
        }
        page.failedCount = words.plural("settings.failed.count", count: failed.count)
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
