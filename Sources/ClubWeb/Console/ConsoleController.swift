import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mustache
import NIOCore
import ServiceLifecycle

/// The console's door (DESIGN §9): the invitation page that sets a password, `/sign-in`,
/// `/sign-out`, and the pages behind a session — Today for coordinators, a home page for studios
/// and clients, people, and read-only object pages. A session is the `clubd_session` cookie,
/// checked by the store on every request; every changing form carries the session's CSRF token.
struct ConsoleController<Context: RequestContext> {
    static var sessionCookie: String { ConsoleSessionCookie.name }
    /// The language a signed-in person chose with the switch, for this browser session.
    static var languageCookie: String { "clubd_lang" }

    let database: AppDatabase
    let library: MustacheLibrary
    let catalogs: Catalogs
    let throttle: SignInThrottle
    /// Bounds the live streams per person, per address and in total (docs/design.md §6.1).
    let streams: StreamGate
    let peerAddress: @Sendable (Request, Context) -> String?
    let heartbeat: Duration
    /// The base of the links pages show (share links, invitations).
    let publicAddress: PublicAddress
    /// Form keys being answered now (one submission of a key at a time).
    let formOnce = FormOnce()

    /// The signed-in person of a request, with the session's secret (for the CSRF token).
    struct SignedIn {
        let person: Person
        let secret: String
        var principal: Principal { person.principal }
        var zone: TimeZone { TimeZone(identifier: person.timeZone) ?? .gmt }
    }

    struct SignInForm: Decodable {
        var email: String?
        var password: String?
        var code: String?
    }

    struct TokenForm: Decodable {
        var csrf: String?
        var name: String?
    }

    struct AuthenticatorForm: Decodable {
        var csrf: String?
        var secret: String?
        var code: String?
    }

    struct PasswordForm: Decodable {
        var password: String?
        var `repeat`: String?
    }

    struct CSRFForm: Decodable {
        var csrf: String?
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/sign-in") { request, _ in
            let language = PageLanguage(request: request, catalogs: catalogs)
            var view = view(language, title: "console.signIn.title")
            view.welcome = request.uri.queryParameters["welcome"] == "1"
            return page("sign-in", view, language: language)
        }
        router.post("/sign-in") { request, context in try await signIn(request, context) }
        router.post("/sign-out") { request, context in
            guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
            let form = try await decode(CSRFForm.self, request, context)
            guard SessionSecret.isValid(csrfToken: form.csrf ?? "", for: signedIn.secret) else { return forbidden(request, signedIn) }
            try await database.endSession(signedIn.secret)
            var response = PageSecurity.redirect(to: "/sign-in")
            response.setCookie(Self.cookie(Self.sessionCookie, value: "", maxAge: 0))
            response.setCookie(Self.cookie(Self.languageCookie, value: "", maxAge: 0))
            return response
        }
        router.get("/invitations/:token") { request, context in
            try await invitationPage(request, token: context.parameters.require("token"), form: nil)
        }
        router.post("/invitations/:token") { request, context in
            let token = try context.parameters.require("token")
            guard PageSecurity.isSameOrigin(request) else { return forbidden(request, nil) }
            return try await invitationPage(request, token: token, form: try await decode(PasswordForm.self, request, context))
        }
        router.get("/") { request, _ in
            // `?part=sections`: the sections alone, for the live script.
            let part = request.uri.queryParameters["part"] == "sections"
            return try await withSession(request, current: "/") { signedIn, language in
                var (template, view, status) =
                    signedIn.person.role == .coordinator ? try await today(signedIn, language) : try await home(signedIn, language)
                if part, status == .ok { template = "sections-part" }
                return (template, view, status)
            }
        }
        router.get("/today/events") { request, context in
            guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
            guard signedIn.person.role == .coordinator else { throw HTTPError(.notFound) }
            return events(claim: streamClaim(signedIn, request, context), logger: context.logger)
        }
        router.get("/account/authenticator") { request, _ in
            try await withSession(request, current: "/account/authenticator") { signedIn, language in
                try await authenticator(signedIn, language, secret: OneTimeCode.newSecret(), wrongCode: false)
            }
        }
        router.post("/account/authenticator") { request, context in
            guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
            let form = try await decode(AuthenticatorForm.self, request, context)
            guard SessionSecret.isValid(csrfToken: form.csrf ?? "", for: signedIn.secret) else { return forbidden(request, signedIn) }
            // An enrolled authenticator is not replaced from a session alone (a new invitation removes it).
            if try await database.hasAuthenticator(signedIn.person.id) { return PageSecurity.redirect(to: "/account/authenticator") }
            let secret = form.secret ?? ""
            if signedIn.person.role == .coordinator, secret.count == 32,
                try await database.enrolAuthenticator(signedIn.person.id, secret: secret, code: form.code ?? "")
            {
                return PageSecurity.redirect(to: "/account/authenticator")
            }
            return try await withSession(request, current: "/account/authenticator") { signedIn, language in
                var (template, view, _) = try await authenticator(
                    signedIn,
                    language,
                    secret: secret.count == 32 ? secret : OneTimeCode.newSecret(),
                    wrongCode: true
                )
                view.errors = [FieldProblem(field: "code", message: view.codeError ?? "")]
                return (template, view, .unprocessableContent)
            }
        }
        router.get("/account/tokens") { request, _ in
            try await withSession(request, current: "/account/tokens") { signedIn, language in
                try await tokens(signedIn, language)
            }
        }
        router.post("/account/tokens") { request, context in
            guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
            let form = try await decode(TokenForm.self, request, context)
            guard SessionSecret.isValid(csrfToken: form.csrf ?? "", for: signedIn.secret) else { return forbidden(request, signedIn) }
            return try await withSession(request, current: "/account/tokens") { signedIn, language in
                do {
                    let issued = try await database.mintPersonalToken(for: signedIn.person, name: form.name ?? "")
                    var (template, view, _) = try await tokens(signedIn, language)
                    view.newSecret = issued.secret
                    return (template, view, .created)
                } catch DomainError.invalid {
                    var (template, view, _) = try await tokens(signedIn, language)
                    let message = language.localizer.text("console.tokens.nameError")
                    view.nameError = message
                    view.errors = [FieldProblem(field: "name", message: message)]
                    return (template, view, .unprocessableContent)
                }
            }
        }
        router.post("/account/tokens/:id/revoke") { request, context in
            guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
            let form = try await decode(CSRFForm.self, request, context)
            guard SessionSecret.isValid(csrfToken: form.csrf ?? "", for: signedIn.secret) else { return forbidden(request, signedIn) }
            do {
                _ = try await database.revokePersonalToken(try context.parameters.require("id"), of: signedIn.person)
            } catch DomainError.notFound {
                return notice(
                    language(request, signedIn),
                    signedIn,
                    status: .notFound,
                    title: "console.notFound.title",
                    message: "console.notFound.message"
                )
            }
            return PageSecurity.redirect(to: "/account/tokens")
        }
        router.get("/people") { request, _ in
            try await withSession(request, current: "/people") { signedIn, language in try await people(signedIn, language) }
        }
        addRequestPages(to: router)
        addStudioPages(to: router)
        addEngagementPages(to: router)
        addMediationPages(to: router)
        addAuditPages(to: router)
        addStudioDeskPages(to: router)
        addRecordPages(to: router)
        addNoticePages(to: router)
        addSettingsPages(to: router)
        addFilePages(to: router)
    }

    // MARK: - Signing in and out

    private func signIn(_ request: Request, _ context: Context) async throws -> Response {
        let language = PageLanguage(request: request, catalogs: catalogs)
        guard PageSecurity.isSameOrigin(request) else { return forbidden(request, nil) }
        let form = try await decode(SignInForm.self, request, context)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces)
        let address = peerAddress(request, context) ?? "unknown"
        let words = language.localizer
        func refused(_ status: HTTPResponse.Status, _ message: String) -> Response {
            var view = view(language, title: "console.signIn.title")
            view.email = email
            view.emailError = message
            view.errors = [FieldProblem(field: "email", message: message)]
            return page("sign-in", view, language: language, status: status)
        }
        if let wait = await throttle.wait(address: address, account: email) {
            return refused(.tooManyRequests, words.plural("console.signIn.tooMany", count: (wait + 59) / 60))
        }
        guard let person = try await database.verifyPassword(email: email, password: form.password ?? "") else {
            await throttle.recordFailure(address: address, account: email)
            return refused(.unauthorized, words.text("console.signIn.wrong"))
        }
        // A coordinator with an authenticator gives its code too (DESIGN §9.3).
        guard try await database.checkAuthenticatorCode(person.id, code: form.code ?? "") else {
            await throttle.recordFailure(address: address, account: email)
            return refused(.unauthorized, words.text("console.signIn.wrongCode"))
        }
        let secret = try await database.startSession(for: person.id)
        var response = PageSecurity.redirect(to: "/")
        response.setCookie(Self.cookie(Self.sessionCookie, value: secret))
        response.setCookie(Self.cookie(Self.languageCookie, value: "", maxAge: 0))
        return response
    }

    /// `name=value; Path=/; Secure; HttpOnly; SameSite=Lax`, for the browser session unless
    /// `maxAge` says otherwise (0 clears the cookie).
    static func cookie(_ name: String, value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: true, httpOnly: true, sameSite: .lax)
    }

    private func invitationPage(_ request: Request, token: String, form: PasswordForm?) async throws -> Response {
        let language = PageLanguage(request: request, catalogs: catalogs)
        let words = language.localizer
        let person: Person
        switch try await database.invitation(token: token) {
        case .unknown:
            return notice(language, nil, status: .notFound, title: "console.invitation.unknown.title", message: "console.invitation.unknown.message")
        case .gone:
            return notice(language, nil, status: .gone, title: "console.invitation.gone.title", message: "console.invitation.gone.message")
        case .open(let invited, _):
            person = invited
        }
        var view = view(language, title: "console.invitation.title")
        view.greeting = words.text("console.invitation.greeting", ["name": person.name, "email": person.email])
        view.action = "/invitations/" + token
        guard let form else { return page("invitation", view, language: language) }
        let password = form.password ?? ""
        let problems = AppDatabase.passwordPolicy.reasons(password, email: person.email, name: person.name)
        if !problems.isEmpty {
            view.passwordError = problems.map { words.text("console.password." + $0.rawValue) }.joined(separator: " ")
        } else if password != (form.repeat ?? "") {
            view.repeatError = words.text("console.invitation.mismatch")
        }
        if view.passwordError == nil && view.repeatError == nil {
            do {
                _ = try await database.acceptInvitation(token: token, password: password)
                return PageSecurity.redirect(to: "/sign-in?welcome=1")
            } catch DomainError.illegalTransition, DomainError.notFound {
                return notice(language, nil, status: .gone, title: "console.invitation.gone.title", message: "console.invitation.gone.message")
            }
        }
        view.errors =
            [
                view.passwordError.map { FieldProblem(field: "password", message: $0) },
                view.repeatError.map { FieldProblem(field: "repeat", message: $0) },
            ]
            .compactMap { $0 }
        return page("invitation", view, language: language, status: .unprocessableContent)
    }

    // MARK: - Sessions

    func signedIn(_ request: Request) async throws -> SignedIn? {
        guard let secret = request.cookies[Self.sessionCookie]?.value, !secret.isEmpty,
            let person = try await database.session(secret)
        else { return nil }
        return SignedIn(person: person, secret: secret)
    }

    /// The language of a signed-in page: `?lang=` (remembered for the browser session), else
    /// what was chosen so in this session, else the person's own.
    func language(_ request: Request, _ signedIn: SignedIn) -> PageLanguage {
        let asked = request.uri.queryParameters["lang"].flatMap { catalogs.language(matching: String($0)) }
        let chosen = asked ?? (request.cookies[Self.languageCookie]?.value).flatMap { catalogs.language(matching: $0) }
        return PageLanguage(
            language: chosen ?? signedIn.person.language.rawValue,
            catalogs: catalogs,
            cookie: asked.map { Self.cookie(Self.languageCookie, value: $0) }
        )
    }

    /// A page behind a session: without a live one, 303 to `/sign-in` (and the dead cookie
    /// cleared).
    func withSession(
        _ request: Request,
        current: String,
        _ body: (SignedIn, PageLanguage) async throws -> (String, ConsoleView, HTTPResponse.Status)
    ) async throws -> Response {
        guard let signedIn = try await signedIn(request) else {
            var response = PageSecurity.redirect(to: "/sign-in")
            if request.cookies[Self.sessionCookie] != nil { response.setCookie(Self.cookie(Self.sessionCookie, value: "", maxAge: 0)) }
            return response
        }
        let language = language(request, signedIn)
        var template: String
        var view: ConsoleView
        var status: HTTPResponse.Status
        do {
            (template, view, status) = try await body(signedIn, language)
        } catch DomainError.forbidden, DomainError.notFound {
            // What the role may never see is not told apart from what does not exist (DESIGN §2).
            (template, view, status) = ("notice", self.view(language, title: "console.notFound.title"), .notFound)
            view.message = language.localizer.text("console.notFound.message")
        }
        view.shell = Shell(
            person: signedIn.person,
            sessionSecret: signedIn.secret,
            current: current,
            localizer: language.localizer,
            counts: await navigationCounts(signedIn)
        )
        return page(template, view, language: language, status: status)
    }

    /// The navigation's badges. A count that cannot be read leaves its badge off rather than
    /// failing the page.
    private func navigationCounts(_ signedIn: SignedIn) async -> Shell.Counts {
        var counts = Shell.Counts()
        let principal = signedIn.principal
        if principal.role == .coordinator {
            if let due = try? await database.followUps(for: principal) {
                counts.awaiting =
                    due.unansweredReferrals.count + due.overdueAgreements.count + due.overduePlanSteps.count
                    + due.unacknowledgedComplaints.count + due.missedComplaintUpdates.count + due.overdueFixItems.count
                    + due.stagesWithoutFeedback.count
            }
        } else {
            counts.awaiting = (try? await database.awaiting(for: principal).count) ?? 0
        }
        counts.unseen = (try? await database.unseenNoticeCount(for: signedIn.person)) ?? 0
        return counts
    }

    // MARK: - Pages

    private func today(_ signedIn: SignedIn, _ language: PageLanguage) async throws -> (String, ConsoleView, HTTPResponse.Status) {
        let words = language.localizer
        let now = database.clock.now()
        let followUps = try await database.followUps(for: signedIn.principal)
        let atRisk = try await database.engagements(
            EngagementFilter(status: .atRisk),
            page: PageRequest(limit: PageRequest.maxLimit),
            for: signedIn.principal
        )
        func date(_ date: Date) -> String { words.format(date, zone: signedIn.zone) }
        func section(_ id: String, _ key: String, _ lines: [SectionLine]) -> PageSection {
            PageSection(id: id, title: words.text(key), count: words.plural("plural.items", count: lines.count), lines: lines)
        }
        // Requests, studios and clients by the names people know them by.
        let names = ObjectNames(database: database, principal: signedIn.principal)
        var referralLines: [SectionLine] = []
        for referral in followUps.unansweredReferrals {
            let left = ReferralDeadlineText(due: referral.dueAt, now: now, words: words, zone: signedIn.zone).short
            let text = words.text(
                "console.today.referral",
                ["request": await names.request(referral.requestId), "studio": await names.studio(referral.studioId)]
            )
            referralLines.append(SectionLine(text: text, href: "/requests/" + referral.requestId, note: left))
        }
        var atRiskLines: [SectionLine] = []
        for engagement in atRisk.items {
            let text = words.text(
                "console.engagement",
                ["studio": await names.studio(engagement.studioId), "client": await names.client(engagement.clientId)]
            )
            atRiskLines.append(SectionLine(text: text, href: "/engagements/" + engagement.id, note: nil))
        }
        var feedbackLines: [SectionLine] = []
        for missing in followUps.stagesWithoutFeedback {
            let engagement = try? await database.engagementRecord(missing.engagementId, for: signedIn.principal).engagement
            let text = await engagement.asyncMap { engagement in
                let parties = ["studio": await names.studio(engagement.studioId), "client": await names.client(engagement.clientId)]
                return words.text("console.engagement", parties)
            }
            let href = "/engagements/" + missing.engagementId
            feedbackLines.append(SectionLine(text: text ?? missing.engagementId, href: href, note: missing.stages.joined(separator: ", ")))
        }
        // A complaint waiting on the club is named by its engagement's parties (docs/design.md §3.6).
        func parties(_ engagementId: String) async -> String {
            let engagement = try? await database.engagementRecord(engagementId, for: signedIn.principal).engagement
            let named = await engagement.asyncMap { engagement in
                let parties = ["studio": await names.studio(engagement.studioId), "client": await names.client(engagement.clientId)]
                return words.text("console.engagement", parties)
            }
            return named ?? engagementId
        }
        var unacknowledgedLines: [SectionLine] = []
        for waiting in followUps.unacknowledgedComplaints {
            let note = words.text("console.today.complaintReceived", ["date": date(waiting.receivedAt)])
            unacknowledgedLines.append(SectionLine(text: await parties(waiting.engagementId), href: "/complaints/" + waiting.complaintId, note: note))
        }
        var missedUpdateLines: [SectionLine] = []
        for missed in followUps.missedComplaintUpdates {
            let note =
                words.plural("console.today.updateEvery", count: missed.updateEveryDays) + ", "
                + words.plural("console.today.daysLate", count: missed.daysLate)
            missedUpdateLines.append(SectionLine(text: await parties(missed.engagementId), href: "/complaints/" + missed.complaintId, note: note))
        }
        var view = view(language, title: "console.today.title")
        view.askToEnrol = try await !database.hasAuthenticator(signedIn.person.id)
        view.asOf = words.text("console.asOf", ["date": date(now), "zone": signedIn.person.timeZone])
        view.live = true
        view.sections = [
            section(
                "referrals",
                "console.today.referrals",
                referralLines
            ),
            section(
                "agreements",
                "console.today.agreements",
                followUps.overdueAgreements.map {
                    SectionLine(
                        text: $0.what,
                        href: "/engagements/" + $0.engagementId,
                        note: words.text("console.due", ["date": words.format($0.due)])
                    )
                }
            ),
            section(
                "plan-steps",
                "console.today.planSteps",
                followUps.overduePlanSteps.map {
                    SectionLine(
                        text: $0.action,
                        href: "/complaints/" + $0.complaintId,
                        note: words.text("console.due", ["date": words.format($0.due)])
                    )
                }
            ),
            section(
                "acknowledgements",
                "console.today.unacknowledged",
                unacknowledgedLines
            ),
            section(
                "complaint-updates",
                "console.today.missedUpdates",
                missedUpdateLines
            ),
            section(
                "fix-items",
                "console.today.fixItems",
                followUps.overdueFixItems.map {
                    SectionLine(
                        text: "\($0.position). \($0.statement)",
                        href: "/fix-lists/" + $0.fixListId,
                        note: words.text("console.due", ["date": words.format($0.due)])
                    )
                }
            ),
            section(
                "feedback",
                "console.today.feedback",
                feedbackLines
            ),
            section(
                "at-risk",
                "console.today.atRisk",
                atRiskLines
            ),
        ]
        return ("home", view, .ok)
    }

    /// The person's API tokens, a form to mint one, and a button to revoke each active one.
    private func tokens(_ signedIn: SignedIn, _ language: PageLanguage) async throws -> (String, ConsoleView, HTTPResponse.Status) {
        let words = language.localizer
        var view = view(language, title: "console.tokens.title")
        view.csrf = SessionSecret.csrfToken(for: signedIn.secret)
        view.tokenRows = try await database.personalTokens(of: signedIn.person.id).map { token in
            TokenRow(
                id: token.id,
                name: token.name,
                created: words.format(token.createdAt, zone: signedIn.zone),
                status: words.text(token.isActive ? "console.tokens.active" : "console.tokens.revoked"),
                active: token.isActive,
                revokeLabel: words.text("console.tokens.revokeNamed", ["name": token.name])
            )
        }
        return ("tokens", view, .ok)
    }

    /// Enrolment of an authenticator (coordinators): the key as text and as an `otpauth://` link,
    /// and a field for the code that proves the app has it; once enrolled, only a notice.
    private func authenticator(
        _ signedIn: SignedIn,
        _ language: PageLanguage,
        secret: String,
        wrongCode: Bool
    ) async throws -> (
        String, ConsoleView, HTTPResponse.Status
    ) {
        guard signedIn.person.role == .coordinator else { throw DomainError.notFound(entity: "page", id: "authenticator") }
        var view = view(language, title: "console.totp.title")
        if try await database.hasAuthenticator(signedIn.person.id) {
            view.message = language.localizer.text("console.totp.enrolled")
            return ("notice", view, .ok)
        }
        view.secret = secret
        view.typedSecret = OneTimeCode.typedSecret(secret)
        view.authenticatorURL = OneTimeCode.authenticatorURL(secret: secret, account: signedIn.person.email)
        view.csrf = SessionSecret.csrfToken(for: signedIn.secret)
        if wrongCode { view.codeError = language.localizer.text("console.totp.wrongCode") }
        return ("authenticator", view, .ok)
    }

    /// People and their invitations (the studios area builds the page: `peoplePage`).
    private func people(_ signedIn: SignedIn, _ language: PageLanguage) async throws -> (String, ConsoleView, HTTPResponse.Status) {
        try await peoplePage(signedIn, language, forms(signedIn, language))
    }

    // MARK: - Live updates

    /// `refresh` whenever a change is committed (Today's sections may have changed), a comment
    /// on every heartbeat; the stream ends when the page goes away or the daemon stops. Past a
    /// limit of `streams`, 429 or 503 instead, and the page says live updates stopped.
    private func events(claim: StreamClaim, logger: Logger) -> Response {
        let changes = database.changes
        let heartbeat = heartbeat
        return EventStreamAnswer.admitted(by: streams, claim) { writer in
            let stream = changes.subscribe(buffer: 16)
            let (signals, continuation) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .bufferingNewest(4))
            do {
                try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
                try await withGracefulShutdownHandler {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await _ in stream { continuation.yield(true) }
                            continuation.finish()
                        }
                        group.addTask {
                            while !Task.isCancelled {
                                try await Task.sleep(for: heartbeat)
                                continuation.yield(false)
                            }
                        }
                        for await changed in signals {
                            try await writer.write(ByteBuffer(string: changed ? "event: refresh\ndata: refresh\n\n" : ": heartbeat\n\n"))
                        }
                        group.cancelAll()
                    }
                } onGracefulShutdown: {
                    continuation.finish()
                }
            } catch {
                logger.debug("today stream ended", metadata: ["reason": "\(error)"])
            }
            continuation.finish()
            try? await writer.finish(nil)
        }
    }

    /// What a console stream counts against: the signed-in person (every session and tab of
    /// theirs together) and the caller's address.
    func streamClaim(_ signedIn: SignedIn, _ request: Request, _ context: Context) -> StreamClaim {
        StreamClaim(session: signedIn.person.id, address: peerAddress(request, context))
    }

    // MARK: - Rendering

    func view(_ language: PageLanguage, title key: String, args: [String: String] = [:]) -> ConsoleView {
        ConsoleView(
            localizer: language.localizer,
            languages: language.options,
            nonce: SharePageController<Context>.nonce(),
            title: language.localizer.text(key, args)
        )
    }

    func page(_ template: String, _ view: ConsoleView, language: PageLanguage, status: HTTPResponse.Status = .ok) -> Response {
        var response = PageSecurity.html(
            library.render(view, withTemplate: template) ?? "",
            status: status,
            nonce: view.nonce,
            language: language.code
        )
        if let cookie = language.cookie { response.setCookie(cookie) }
        return response
    }

    func notice(_ language: PageLanguage, _ signedIn: SignedIn?, status: HTTPResponse.Status, title: String, message: String) -> Response {
        var view = view(language, title: title)
        view.message = language.localizer.text(message)
        if let signedIn {
            view.shell = Shell(person: signedIn.person, sessionSecret: signedIn.secret, current: "", localizer: language.localizer)
        }
        return page("notice", view, language: language, status: status)
    }

    /// 403: a form without its CSRF token (or posted from another site). Nothing was changed.
    func forbidden(_ request: Request, _ signedIn: SignedIn?) -> Response {
        let pageLanguage = signedIn.map { language(request, $0) } ?? PageLanguage(request: request, catalogs: catalogs)
        return notice(pageLanguage, signedIn, status: .forbidden, title: "console.forbidden.title", message: "console.forbidden.message")
    }

    private func decode<Form: Decodable>(_ type: Form.Type, _ request: Request, _ context: Context) async throws -> Form {
        let body = try await request.body.collect(upTo: 64 * 1024)
        // A malformed body is an empty form: the page then names what is missing.
        let decoder = URLEncodedFormDecoder()
        return try (try? decoder.decode(Form.self, from: String(buffer: body))) ?? decoder.decode(Form.self, from: "")
    }
}

extension Optional {
    /// The wrapped value transformed by an async function, or nil.
    func asyncMap<Result>(_ transform: (Wrapped) async throws -> Result) async rethrows -> Result? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
