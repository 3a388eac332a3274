import ClubCore
import Foundation
import HTTPTypes
import Hummingbird

/// The language of a page shown before sign-in (and of the share page, which has no sign-in):
/// `?lang=` when it names a catalog's language (and then remembered in the `lang` cookie), else
/// the `lang` cookie, else the best match of `Accept-Language`, else English. DESIGN §9.
struct PageLanguage {
    static let cookieName = "lang"
    static let queryName = "lang"

    let localizer: Localizer
    /// The switch every such page shows: each language by its own name, the current one marked.
    let options: [LanguageOption]
    /// Set when the request chose the language by `?lang=`: the page remembers it.
    let cookie: Cookie?

    var code: String { localizer.language }

    init(request: Request, catalogs: Catalogs) {
        let asked = request.uri.queryParameters[Substring(Self.queryName)].flatMap { catalogs.language(matching: String($0)) }
        let language = catalogs.choose(asked, request.cookies[Self.cookieName]?.value, acceptLanguage: request.headers[.acceptLanguage])
        self.init(language: language, catalogs: catalogs, cookie: asked.map(Self.cookie(remembering:)))
    }

    /// A page in `language` (the default language when it is not one of the catalogs').
    init(language: String, catalogs: Catalogs, cookie: Cookie? = nil) {
        localizer = catalogs.localizer(for: language)
        let current = localizer.language
        options = catalogs.languages.map { code in
            LanguageOption(code: code, name: catalogs.localizer(for: code).text("language.name"), isCurrent: code == current)
        }
        self.cookie = cookie
    }

    /// `lang=ru; Max-Age=31536000; Path=/; Secure; HttpOnly; SameSite=Lax`: the daemon serves
    /// only TLS, and no script needs to read it.
    static func cookie(remembering language: String) -> Cookie {
        Cookie(name: cookieName, value: language, maxAge: 365 * 24 * 3600, path: "/", secure: true, httpOnly: true, sameSite: .lax)
    }
}

/// One link of the language switch (`?lang=ru`).
struct LanguageOption {
    let code: String
    let name: String
    let isCurrent: Bool
}
