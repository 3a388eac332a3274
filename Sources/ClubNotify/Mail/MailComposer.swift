import ClubCore
import ClubStore
import Foundation

/// Writes a notification's e-mail in its person's language (DESIGN §9–10, docs/design.md §10.3):
/// every word from the catalogs, a plain text part and an HTML part saying the same, a link to
/// the object in the console, a link to stop this kind of mail, and one to the person's settings.
public struct MailComposer: Sendable {
    /// The relay's envelope sender and the messages' `From`.
    public let from: MailAddress
    /// The club's public address (`https://club.example`), before every link: asked at each
    /// message, because with port 0 the listener's port is known only once it is bound.
    public let linkBase: @Sendable () -> String
    public let catalogs: Catalogs

    public init(from: MailAddress, catalogs: Catalogs = .bundled, linkBase: @escaping @Sendable () -> String) {
        self.from = from
        self.linkBase = linkBase
        self.catalogs = catalogs
    }

    /// The e-mail of one notification. `unsubscribeToken` is the person's link secret for the kind.
    public func message(for mail: OutgoingMail, unsubscribeToken: String, digest: DigestMail? = nil) throws -> MailMessage {
        let base = linkBase()
        let words = catalogs.localizer(for: mail.recipient.language.rawValue)
        let kind = mail.notification.kind
        let body: Body
        let subject: String
        if let digest {
            body = digestBody(digest, words: words, base: base)
            let key = digest.followUps == nil ? "notify.digest.subjectKept" : "notify.digest.subject"
            subject = words.text(key, ["day": digest.day])
        } else {
            let text = words.text("notify.body." + kind.rawValue, ["hours": String(NotificationRules.referralDueSoonHours)])
            body = Body(paragraphs: [text], list: [], link: (words.text("notify.button"), base + mail.notification.path))
            subject = words.text("notify.subject." + kind.rawValue)
        }
        let unsubscribe = base + "/unsubscribe/" + unsubscribeToken
        let settings = base + "/settings"
        let footer = Footer(
            why: words.text("notify.why"),
            unsubscribe: (
                words.text("notify.unsubscribe", ["kind": words.text("notify.kind." + kind.rawValue), "link": unsubscribe]),
                words.text("notify.unsubscribeShort"), unsubscribe
            ),
            settings: (words.text("notify.choices", ["link": settings]), words.text("notify.choicesShort"), settings)
        )
        let greeting = words.text("notify.greeting", ["name": mail.recipient.name])
        let signoff = words.text("notify.signoff")
        return try MailMessage(
            from: from,
            to: try MailAddress(mail.recipient.email, displayName: mail.recipient.name),
            subject: subject,
            text: plain(greeting: greeting, body: body, signoff: signoff, footer: footer, words: words),
            html: html(greeting: greeting, body: body, signoff: signoff, footer: footer, language: words.language),
            messageID: "\(mail.notification.id)@\(URL(string: base)?.host ?? "localhost")",
            date: mail.notification.createdAt,
            language: words.language,
            unsubscribeURL: unsubscribe
        )
    }

    /// What sits between the greeting and the sign-off.
    struct Body {
        var paragraphs: [String]
        /// Lines, each with a link when it names an object.
        var list: [(text: String, link: String?)]
        /// The button: its words and where it goes.
        var link: (label: String, url: String)
    }

    struct Footer {
        let why: String
        /// The plain text sentence, the HTML link's words, the address.
        let unsubscribe: (String, String, String)
        let settings: (String, String, String)
    }

    private func digestBody(_ digest: DigestMail, words: Localizer, base: String) -> Body {
        var paragraphs: [String] = []
        var list: [(String, String?)] = []
        if let followUps = digest.followUps {
            let counts: [(String, Int)] = [
                ("notify.digest.referrals", followUps.unansweredReferrals.count),
                ("notify.digest.agreements", followUps.overdueAgreements.count),
                ("notify.digest.fixItems", followUps.overdueFixItems.count),
                ("notify.digest.planSteps", followUps.overduePlanSteps.count),
                ("notify.digest.complaints", followUps.unacknowledgedComplaints.count),
                ("notify.digest.updates", followUps.missedComplaintUpdates.count),
                ("notify.digest.feedback", followUps.stagesWithoutFeedback.count),
            ].filter { $0.1 > 0 }
            paragraphs.append(words.text(counts.isEmpty ? "notify.digest.nothing" : "notify.digest.intro"))
            list += counts.map { (words.plural($0.0, count: $0.1), nil) }
        }
        if !digest.notifications.isEmpty {
            paragraphs.append(words.text("notify.digest.kept"))
            list += digest.notifications.map { (words.text("notify.kind." + $0.kind.rawValue), base + $0.path) }
        }
        return Body(paragraphs: paragraphs, list: list, link: (words.text("notify.button"), base + "/"))
    }

    private func plain(greeting: String, body: Body, signoff: String, footer: Footer, words: Localizer) -> String {
        var lines = [greeting, ""]
        for paragraph in body.paragraphs { lines += [paragraph, ""] }
        if !body.list.isEmpty {
            lines += body.list.map { item in "- " + item.text + (item.link.map { " — " + $0 } ?? "") }
            lines.append("")
        }
        lines += [words.text("notify.open", ["link": body.link.url]), "", signoff, "", "--", footer.why, footer.unsubscribe.0, footer.settings.0]
        return lines.joined(separator: "\n") + "\n"
    }

    private func html(greeting: String, body: Body, signoff: String, footer: Footer, language: String) -> String {
        let escape = Self.escape
        var parts = ["<!DOCTYPE html>", "<html lang=\"\(escape(language))\"><head><meta charset=\"utf-8\"></head>", "<body>"]
        parts.append("<p>\(escape(greeting))</p>")
        parts += body.paragraphs.map { "<p>\(escape($0))</p>" }
        if !body.list.isEmpty {
            parts.append("<ul>")
            parts += body.list.map { item in
                "<li>" + (item.link.map { "<a href=\"\(escape($0))\">\(escape(item.text))</a>" } ?? escape(item.text)) + "</li>"
            }
            parts.append("</ul>")
        }
        parts.append("<p><a href=\"\(escape(body.link.url))\">\(escape(body.link.label))</a></p>")
        parts.append("<p>\(escape(signoff))</p>")
        parts.append(
            "<hr><p><small>\(escape(footer.why)) <a href=\"\(escape(footer.unsubscribe.2))\">\(escape(footer.unsubscribe.1))</a> · "
                + "<a href=\"\(escape(footer.settings.2))\">\(escape(footer.settings.1))</a></small></p>"
        )
        parts.append("</body></html>")
        return parts.joined(separator: "\n") + "\n"
    }

    static func escape(_ text: String) -> String { text.htmlEscaped }
}
