import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What every console page shows around its content: the navigation of the person's role, their
/// name and the sign-out form with the session's CSRF token. Absent before sign-in.
struct Shell {
    struct Link {
        let href: String
        let label: String
        let isCurrent: Bool
        /// How many things wait behind the link ("3"), and the same said in words for screen readers.
        var badge: String?
        var badgeLabel: String?
    }

    /// What the navigation counts: the duties waiting on the person (Today's or Home's first
    /// section) and the changes since their last look at the notices (docs/design.md §9.6).
    struct Counts {
        var awaiting = 0
        var unseen = 0
    }

    let links: [Link]
    /// The person's own pages (API tokens, the authenticator), beside their name.
    let accountLinks: [Link]
    let personName: String
    let csrf: String

    init(person: Person, sessionSecret: String, current: String, localizer: Localizer, counts: Counts = Counts()) {
        let items: [(String, String)] =
            switch person.role {
            case .coordinator:
                [
                    ("/", "console.nav.today"), ("/notices", "console.nav.notices"), ("/requests", "console.nav.requests"),
                    ("/studios", "console.nav.studios"),
                    ("/clients", "console.nav.clients"), ("/engagements", "console.nav.engagements"), ("/audits", "console.nav.audits"),
                    ("/lessons", "console.nav.lessons"), ("/reports", "console.nav.reports"), ("/journal", "console.nav.journal"),
                    ("/people", "console.nav.people"),
                ]
            case .studio: [("/", "console.nav.home"), ("/notices", "console.nav.notices"), ("/scorecard", "console.nav.scorecard")]
            case .client: [("/", "console.nav.home"), ("/notices", "console.nav.notices")]
            }
        let account: [(String, String)] =
            person.role == .coordinator
            ? [("/settings", "settings.nav"), ("/account/tokens", "console.nav.tokens"), ("/account/authenticator", "console.nav.authenticator")]
            : [("/settings", "settings.nav"), ("/account/tokens", "console.nav.tokens")]
        // The current area is marked on its list and on every page below it (`/requests/req_…`).
        func link(_ href: String, _ key: String) -> Link {
            let isCurrent = href == current || (href != "/" && current.hasPrefix(href + "/"))
            return Link(href: href, label: localizer.text(key), isCurrent: isCurrent)
        }
        func counted(_ link: Link, _ count: Int, _ key: String) -> Link {
            guard count > 0 else { return link }
            var link = link
            link.badge = String(count)
            link.badgeLabel = localizer.plural(key, count: count)
            return link
        }
        links = items.map(link).map { link in
            switch link.href {
            case "/": counted(link, counts.awaiting, "console.nav.awaitingCount")
            case "/notices": counted(link, counts.unseen, "console.nav.unseenCount")
            default: link
            }
        }
        accountLinks = account.map(link)
        personName = person.name
        csrf = SessionSecret.csrfToken(for: sessionSecret)
    }
}

/// One line of a section: a text, the object's page when there is one, and a note.
struct SectionLine {
    let text: String
    let href: String?
    let note: String?
}

/// A section of Today or of a home page: a heading with a count and its lines.
struct PageSection {
    let id: String
    let title: String
    let count: String
    let lines: [SectionLine]
    /// Stored, not computed: Mustache reads stored properties only.
    let hasLines: Bool

    init(id: String, title: String, count: String, lines: [SectionLine]) {
        self.id = id
        self.title = title
        self.count = count
        self.lines = lines
        hasLines = !lines.isEmpty
    }
}

/// One of the person's API tokens.
struct TokenRow {
    let id: String
    let name: String
    let created: String
    let status: String
    let active: Bool
    let revokeLabel: String
}

/// A field the person must fix, linked from the error summary (GOV.UK's pattern).
struct FieldProblem {
    let field: String
    let message: String
}

/// The values every console template reads; each page fills what it shows. A struct of plain
/// values, flags and lists for Mustache.
struct ConsoleView {
    let t: TextLookup
    let lang: String
    let languages: [LanguageOption]
    let nonce: String
    let title: String
    var shell: Shell?
    /// Stored, not computed: Mustache reads stored properties only.
    var errors: [FieldProblem] = [] { didSet { hasErrors = !errors.isEmpty } }
    private(set) var hasErrors = false
    // Sign-in and invitation
    var welcome = false
    var email = ""
    var emailError: String?
    var passwordError: String?
    var repeatError: String?
    // Authenticator
    var askToEnrol = false
    var secret = ""
    var typedSecret = ""
    var authenticatorURL = ""
    var csrf = ""
    var codeError: String?
    // API tokens
    var tokenRows: [TokenRow] = [] { didSet { hasTokens = !tokenRows.isEmpty } }
    private(set) var hasTokens = false
    var newSecret: String?
    var nameError: String?
    var greeting = ""
    var action = ""
    // Today and home
    var asOf = ""
    var sections: [PageSection] = []
    var live = false
    // Notices
    var message = ""
    var link: [String: String]?
    // Pages of the areas (requests, studios, engagements, audits, records): each area's own view
    // value, which its templates read inside `{{#content}}…{{/content}}`.
    var content: Any?
    /// A problem of the form that was sent (a broken rule, a state, a conflict), for the top of the page.
    var formProblem: String?
    /// The question a destructive form asks before it acts.
    var confirmation: ConfirmationView?

    init(localizer: Localizer, languages: [LanguageOption], nonce: String, title: String) {
        t = TextLookup(localizer)
        lang = localizer.language
        self.languages = languages
        self.nonce = nonce
        self.title = title
    }
}

/// The headers of every console page (DESIGN §9): a Content-Security-Policy that runs only this
/// response's own style and script (nonce) and loads nothing from elsewhere, forms posting only
/// here, no framing; no referrer; no sniffing; nothing cached, for pages carry personal data.
/// The share page uses it too, with no form at all (`formAction: "'none'"`).
enum PageSecurity {
    static func html(
        _ text: String,
        status: HTTPResponse.Status,
        nonce: String,
        language: String,
        formAction: String = "'self'"
    ) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-store",
                .contentSecurityPolicy: [
                    "default-src 'none'", "style-src 'nonce-\(nonce)'", "script-src 'nonce-\(nonce)'", "connect-src 'self'",
                    "img-src 'self' data:", "base-uri 'none'", "form-action \(formAction)", "frame-ancestors 'none'",
                ].joined(separator: "; "),
                .referrerPolicy: "no-referrer",
                .contentTypeOptions: "nosniff",
                .contentLanguage: language,
            ],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// 303 See Other to `location`, with the same headers as a page.
    static func redirect(to location: String) -> Response {
        Response(
            status: .seeOther,
            headers: [.location: location, .cacheControl: "no-store", .referrerPolicy: "no-referrer", .contentTypeOptions: "nosniff"]
        )
    }

    /// Forms posted before sign-in (sign-in itself, the invitation) have no session to derive a
    /// CSRF token from. A browser says where a form came from: `Sec-Fetch-Site` (every current
    /// browser) must be `same-origin` (or `none`, typed by the person), else `Origin`, when
    /// sent, must be this host. A request with neither comes from no browser, so it carries no
    /// cookies of a victim and can forge nothing.
    static func isSameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[.secFetchSite] { return site == "same-origin" || site == "none" }
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority ?? request.headers[.host] else { return false }
        return origin == "https://" + host
    }
}
