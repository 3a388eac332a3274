import ClubCore
import ClubStore
import Foundation
import Hummingbird

extension ConsoleController {
    /// The response letter in the page's language: previewed from the same Markdown the `.md`
    /// download gives, and as a standalone page ready to print; for the club and for the
    /// audit's studio and client, as the store lets each read the audit.
    func addLetterPages(to router: Router<Context>) {
        router.get("/audits/:id/letter") { request, context in
            let id = try context.parameters.require("id")
            return try await withSession(request, current: "/audits/" + id) { signedIn, language in
                try await letterPage(id, signedIn, language)
            }
        }
        router.get("/audits/:id/letter.md") { request, context in
            let id = try context.parameters.require("id")
            return try await sessionDownload(request) { signedIn, language in
                let markdown = try await letter(id, signedIn, language)
                return Self.download(
                    markdown,
                    type: "text/markdown; charset=utf-8",
                    filename: "letter-\(id)-\(language.code).md",
                    language: language.code
                )
            }
        }
        router.get("/audits/:id/letter.html") { request, context in
            let id = try context.parameters.require("id")
            return try await sessionDownload(request) { signedIn, language in
                let markdown = try await letter(id, signedIn, language)
                let nonce = SharePageController<Context>.nonce()
                let audit = try await database.audit(id, for: signedIn.principal)
                let title = language.localizer.text("letter.title", ["subject": audit.subject])
                return Self.download(
                    LetterMarkup.standalonePage(markdown: markdown, title: title, language: language.code, nonce: nonce),
                    type: "text/html; charset=utf-8",
                    filename: "letter-\(id)-\(language.code).html",
                    language: language.code,
                    policy: LetterMarkup.policy(nonce: nonce) + "; frame-ancestors 'none'"
                )
            }
        }
    }

    /// The letter's Markdown in the page's language; a letter of an audit not answered yet is not
    /// there to download (404 rather than an empty file).
    private func letter(_ id: String, _ signedIn: SignedIn, _ language: PageLanguage) async throws -> String {
        do {
            return try await database.responseLetter(id, format: .markdown, language: language.code, for: signedIn.principal)
        } catch DomainError.illegalTransition {
            throw DomainError.notFound(entity: "response letter", id: id)
        }
    }

    private func letterPage(_ id: String, _ signedIn: SignedIn, _ language: PageLanguage) async throws -> RenderedPage {
        // The store's `readAudit` decides: the club, the audited studio, the engagement's client.
        let audit = try await database.audit(id, for: signedIn.principal)
        var view = view(language, title: "console.audits.letter.title", args: ["subject": audit.subject])
        var markup: String?
        do {
            let markdown = try await database.responseLetter(id, format: .markdown, language: language.code, for: signedIn.principal)
            markup = LetterMarkup.html(fromMarkdown: markdown, headingOffset: 1)
        } catch DomainError.illegalTransition {
            markup = nil
        }
        view.content = LetterPageView(
            auditHref: "/audits/" + id,
            subject: audit.subject,
            letterHTML: markup,
            markdownHref: "/audits/\(id)/letter.md?lang=" + language.code,
            htmlHref: "/audits/\(id)/letter.html?lang=" + language.code,
            notYet: markup == nil
        )
        return ("audit-letter", view, markup == nil ? .conflict : .ok)
    }
}
