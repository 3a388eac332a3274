import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird

/// The settings page's content: the person's choice for every kind their role can receive.
struct SettingsPageView {
    /// The confirmation shown after saving.
    let saved: Bool
    let form: FormView
}

/// The unsubscribe page: what the link stops, and the button that stops it; or, once stopped,
/// what happened.
struct UnsubscribePageView {
    let done: Bool
    let kindName: String
    let personName: String
    let action: String
}

extension ConsoleController {
    /// `GET/POST /settings` for every signed-in person (docs/design.md §10): one fieldset of three
    /// radio buttons per kind; and `GET/POST /unsubscribe/{token}`, the link every notification
    /// mail carries (RFC 8058): the token in the URL is the credential, so no session or CSRF
    /// token is asked, and a mail client's one-click POST works as the page's button does.
    func addSettingsPages(to router: Router<Context>) {
        router.get("/settings") { request, _ in
            try await withSession(request, current: "/settings") { signedIn, language in
                try await settingsPage(signedIn, language, forms(signedIn, language), saved: request.uri.queryParameters["saved"] == "1")
            }
        }
        router.post("/settings") { request, context in
            try await submit(
                request,
                context,
                current: "/settings",
                render: { signedIn, language, forms in try await settingsPage(signedIn, language, forms, saved: false) },
                perform: { signedIn, reader in
                    var choices: [NotificationKind: DeliveryChoice] = [:]
                    for kind in NotificationAudienceByRole.kinds(for: signedIn.person.role) {
                        if let choice = reader.choice(kind.rawValue, as: DeliveryChoice.self) { choices[kind] = choice }
                    }
                    try reader.finish()
                    try await database.setNotificationChoices(choices, of: signedIn.person.id, by: signedIn.principal)
                    return "/settings?saved=1"
                }
            )
        }
        router.get("/unsubscribe/:token") { request, context in
            let token = try context.parameters.require("token")
            guard let target = try await database.unsubscribeTarget(token) else { return unknownUnsubscribeLink(request) }
            return unsubscribePage(request, token: token, person: target.person, kind: target.kind, done: false)
        }
        router.post("/unsubscribe/:token") { request, context in
            let token = try context.parameters.require("token")
            guard let target = try await database.unsubscribe(token) else { return unknownUnsubscribeLink(request) }
            return unsubscribePage(request, token: token, person: target.person, kind: target.kind, done: true)
        }
    }

    func settingsPage(_ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext, saved: Bool) async throws -> RenderedPage {
        let words = language.localizer
        let current = try await database.notificationChoices(of: signedIn.person.id)
        let options = DeliveryChoice.allCases.map { (value: $0.rawValue, label: words.text("notify.choice." + $0.rawValue)) }
        let fields = NotificationAudienceByRole.kinds(for: signedIn.person.role).map { kind in
            InputField(
                .radios,
                name: kind.rawValue,
                label: words.text("notify.kind." + kind.rawValue),
                value: (current[kind] ?? NotificationRules.defaultChoice).rawValue,
                options: options
            )
        }
        var view = view(language, title: "settings.title")
        view.content = SettingsPageView(
            saved: saved,
            form: forms.form(action: "/settings", submit: "settings.save", fields: fields, labelledBy: "choices-title")
        )
        return ("settings", view, .ok)
    }

    /// The page of an unsubscribe link, in the person's language unless `?lang=` asks another.
    private func unsubscribePage(_ request: Request, token: String, person: Person, kind: NotificationKind, done: Bool) -> Response {
        let asked = request.uri.queryParameters["lang"].flatMap { catalogs.language(matching: String($0)) }
        let language = PageLanguage(language: asked ?? person.language.rawValue, catalogs: catalogs)
        var view = view(language, title: done ? "settings.unsubscribe.doneTitle" : "settings.unsubscribe.title")
        view.content = UnsubscribePageView(
            done: done,
            kindName: language.localizer.text("notify.kind." + kind.rawValue),
            personName: person.name,
            action: "/unsubscribe/" + token
        )
        return page("unsubscribe", view, language: language)
    }

    /// 404: a link that is not one of ours (forged, mistyped, or of a deactivated person).
    private func unknownUnsubscribeLink(_ request: Request) -> Response {
        notice(
            PageLanguage(request: request, catalogs: catalogs),
            nil,
            status: .notFound,
            title: "settings.unsubscribe.unknown.title",
            message: "settings.unsubscribe.unknown.message"
        )
    }
}
