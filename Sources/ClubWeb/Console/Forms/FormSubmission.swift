import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird

/// Problems the console found in a form before asking the store (a number that is not one).
struct FormProblems: Error {
    let problems: [FieldProblem]
}

extension FormReader {
    /// Stops here when a value could not be read: the store is not asked with half an input.
    func finish() throws {
        if !problems.isEmpty { throw FormProblems(problems: problems) }
    }
}

/// One submission of a form key at a time: a double click sends the same key twice at once, and
/// the second must wait for the first's answer rather than act beside it.
actor FormOnce {
    private var running: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    func acquire(_ key: String) async {
        while running.contains(key) {
            await withCheckedContinuation { waiting[key, default: []].append($0) }
        }
        running.insert(key)
    }

    func release(_ key: String) {
        running.remove(key)
        for continuation in waiting.removeValue(forKey: key) ?? [] { continuation.resume() }
    }
}

/// What a destructive form asks before it acts (DESIGN §9: every destructive action asks).
struct ConfirmStep {
    /// Catalog keys of the question and of what will happen, and of the confirming button.
    let question: String
    let consequence: String
    let button: String
    var args: [String: String] = [:]
}

/// What a page builder returns: its template, its values and its status.
typealias RenderedPage = (template: String, view: ConsoleView, status: HTTPResponse.Status)

extension ConsoleController {
    static var formFields: Set<String> { ["csrf", "formKey", "confirmed"] }

    /// Handles a posted console form the same way everywhere: a session is required, the CSRF
    /// token must match, a destructive form is confirmed first, a form key already answered is
    /// answered again the same way (nothing is done twice), then `perform` reads the form and
    /// calls the store, returning where to go next (303). When the store or the reader refuses,
    /// the page is rendered again by `render` with what was typed and each problem next to its
    /// field (422), a broken rule at the top of the form (409/422), or, when someone else
    /// changed the object meanwhile, both versions (409).
    func submit(
        _ request: Request,
        _ context: Context,
        current: String,
        confirm: ConfirmStep? = nil,
        render: @escaping (SignedIn, PageLanguage, FormContext) async throws -> RenderedPage,
        perform: @escaping (SignedIn, inout FormReader) async throws -> String
    ) async throws -> Response {
        guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
        let body = try await request.body.collect(upTo: 512 * 1024)
        let form = FormFields(body: String(buffer: body))
        guard SessionSecret.isValid(csrfToken: form["csrf"] ?? "", for: signedIn.secret) else { return forbidden(request, signedIn) }
        let language = language(request, signedIn)
        let path = request.uri.path
        if let confirm, form["confirmed"] != "1" {
            return confirmation(confirm, form: form, path: path, back: current, signedIn, language)
        }
        let key = form.text("formKey")
        let once = key.isEmpty ? nil : IdempotentRequest(tokenId: "person:" + signedIn.person.id, key: key, method: "POST", path: path, body: Data())
        if once != nil {
            await formOnce.acquire(key)
        }
        defer { if let once { Task { await formOnce.release(once.key) } } }
        if let once, let answered = try? await database.storedResponse(for: once), let location = answered.headers["location"] {
            return PageSecurity.redirect(to: location)
        }
        var forms = FormContext(words: language.localizer, csrf: SessionSecret.csrfToken(for: signedIn.secret))
        forms.typed = form
        forms.postedAction = path
        var status = HTTPResponse.Status.unprocessableContent
        do {
            var reader = FormReader(form: form, words: language.localizer, zone: signedIn.zone)
            let location = try await perform(signedIn, &reader)
            if let once {
                try await database.storeResponse(StoredResponse(status: 303, headers: ["location": location], body: Data()), for: once)
            }
            return PageSecurity.redirect(to: location)
        } catch let problems as FormProblems {
            forms.problems = problems.problems
        } catch DomainError.invalid(let errors) {
            forms.problems = errors.map { FieldProblem(field: $0.field, message: ProblemText.message($0, language.localizer)) }
        } catch DomainError.ruleBroken(let rule, let detail) {
            forms.formProblem = ProblemText.rule(rule, detail: detail, language.localizer)
            status = .conflict
        } catch DomainError.illegalTransition(_, let from, _) {
            forms.formProblem = language.localizer.text("console.problem.state", ["state": ProblemText.state(from, language.localizer)])
            status = .conflict
        } catch StoreError.versionMismatch {
            forms.conflict = true
            status = .conflict
        } catch DomainError.forbidden, DomainError.notFound {
            // What the person may never do is not told apart from what does not exist (DESIGN §2).
            return notice(language, signedIn, status: .notFound, title: "console.notFound.title", message: "console.notFound.message")
        }
        let failed = forms
        return try await withSession(request, current: current) { signedIn, language in
            var (template, view, _) = try await render(signedIn, language, failed)
            view.errors = failed.problems
            view.formProblem = failed.formProblem ?? (failed.conflict ? language.localizer.text("console.problem.conflict") : nil)
            return (template, view, status)
        }
    }

    /// The page of a form that asks before it acts: the same values, sent again with `confirmed`.
    private func confirmation(
        _ step: ConfirmStep,
        form: FormFields,
        path: String,
        back: String,
        _ signedIn: SignedIn,
        _ language: PageLanguage
    ) -> Response {
        let words = language.localizer
        var view = view(language, title: step.question, args: step.args)
        view.confirmation = ConfirmationView(
            question: words.text(step.question, step.args),
            consequence: words.text(step.consequence, step.args),
            action: path,
            hidden: form.excluding(["confirmed", "csrf"]).map { HiddenField(name: $0.name, value: $0.value) }
                + [HiddenField(name: "csrf", value: SessionSecret.csrfToken(for: signedIn.secret)), HiddenField(name: "confirmed", value: "1")],
            confirmLabel: words.text(step.button, step.args),
            back: back,
            backLabel: words.text("console.confirm.back")
        )
        view.shell = Shell(person: signedIn.person, sessionSecret: signedIn.secret, current: "", localizer: words)
        return page("confirm", view, language: language)
    }

    /// A fresh form context for a page shown by GET.
    func forms(_ signedIn: SignedIn, _ language: PageLanguage) -> FormContext {
        FormContext(words: language.localizer, csrf: SessionSecret.csrfToken(for: signedIn.secret))
    }
}

/// The store's problems in the reader's language. The store speaks English to the API; the
/// console recognises its few message shapes and says them from the catalogs, keeping the
/// store's words only for a message it does not know.
enum ProblemText {
    private static let shapes: [(pattern: String, key: String, names: [String])] = [
        (#"^must not be empty$"#, "console.problem.empty", []),
        (#"^must be at most (\d+) characters$"#, "console.problem.tooLong", ["max"]),
        (#"^must have at most (\d+) entries$"#, "console.problem.tooMany", ["max"]),
        (#"^must not be in the future$"#, "console.problem.future", []),
        (#"^must not be in the past$"#, "console.problem.past", []),
        (#"^must be in the future$"#, "console.problem.notFuture", []),
        (#"^must be from (\d+) to (\d+)$"#, "console.problem.range", ["min", "max"]),
        (#"^must be from (\d+) to (\d+) concurrent engagements$"#, "console.problem.range", ["min", "max"]),
        (#"^must be above zero$"#, "console.problem.positive", []),
        (#"^must not be below budgetMin$"#, "console.problem.belowMin", []),
        (#"^must be a web address starting with http:// or https://$"#, "console.problem.website", []),
        (#"^must be a link \(http:// or https://\)$"#, "console.problem.website", []),
        (#"^is not an e-mail address"#, "console.problem.email", []),
        (#"^duplicates"#, "console.problem.duplicate", []),
        (#"^must be a date such as"#, "console.problem.notDate", []),
    ]

    static func message(_ error: FieldError, _ words: Localizer) -> String {
        for shape in shapes {
            guard let regex = try? Regex(shape.pattern), let match = error.message.wholeMatch(of: regex) ?? error.message.firstMatch(of: regex)
            else { continue }
            var args: [String: String] = [:]
            for (index, name) in shape.names.enumerated() where index + 1 < match.output.count {
                args[name] = match.output[index + 1].substring.map(String.init) ?? ""
            }
            return words.text(shape.key, args)
        }
        return error.message
    }

    /// A broken rule: the catalog's sentence for it (`rule.<name>`), else the store's detail.
    static func rule(_ rule: Rule, detail: String, _ words: Localizer) -> String {
        let key = "rule." + rule.rawValue
        let text = words.text(key)
        return text == key ? detail : text
    }

    /// A state name in words (`state.<name>`), else as it is.
    static func state(_ name: String, _ words: Localizer) -> String {
        let key = "state." + name
        let text = words.text(key)
        return text == key ? name : text
    }
}
