import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird

extension ConsoleController {
    /// People and their invitations: invite a person (the link shown once), invite anew, deactivate.
    func addPeoplePages(to router: Router<Context>) {
        router.get("/people/new") { request, _ in
            try await withSession(request, current: "/people") { signedIn, language in
                try await newPersonPage(signedIn, language, forms(signedIn, language))
            }
        }
        router.post("/people") { request, context in
            let shown = InvitationBox()
            return try await guardedSubmit(request) {
                let response = try await submit(
                    request,
                    context,
                    current: "/people",
                    render: { signedIn, language, forms in try await newPersonPage(signedIn, language, forms) },
                    perform: { signedIn, reader in
                        let input = PersonForm.input(&reader)
                        try reader.finish()
                        guard let input else { throw FormProblems(problems: []) }
                        shown.invited = try await database.createPerson(input, by: signedIn.principal)
                        // A second submission of the form lands on the list: the link is not shown twice.
                        return "/people"
                    }
                )
                return try await invitationShown(shown, request, otherwise: response, message: "console.peoplePages.invited")
            }
        }
        router.post("/people/:id/invite") { request, context in
            let id = try context.parameters.require("id")
            let shown = InvitationBox()
            return try await guardedSubmit(request) {
                let name = try await personName(id, request)
                let response = try await submit(
                    request,
                    context,
                    current: "/people",
                    confirm: ConfirmStep(
                        question: "console.peoplePages.reinvite.question",
                        consequence: "console.peoplePages.reinvite.consequence",
                        button: "console.peoplePages.reinvite.button",
                        args: ["name": name]
                    ),
                    render: { signedIn, language, forms in try await peoplePage(signedIn, language, forms) },
                    perform: { signedIn, _ in
                        shown.invited = try await database.invitePerson(id, by: signedIn.principal)
                        return "/people"
                    }
                )
                return try await invitationShown(shown, request, otherwise: response, message: "console.peoplePages.reinvited")
            }
        }
        router.post("/people/:id/deactivate") { request, context in
            let id = try context.parameters.require("id")
            return try await guardedSubmit(request) {
                let name = try await personName(id, request)
                return try await submit(
                    request,
                    context,
                    current: "/people",
                    confirm: ConfirmStep(
                        question: "console.peoplePages.deactivate.question",
                        consequence: "console.peoplePages.deactivate.consequence",
                        button: "console.peoplePages.deactivate.button",
                        args: ["name": name]
                    ),
                    render: { signedIn, language, forms in try await peoplePage(signedIn, language, forms) },
                    perform: { signedIn, _ in
                        _ = try await database.deactivatePerson(id, by: signedIn.principal)
                        return "/people"
                    }
                )
            }
        }
    }

    /// The person's name for the question asked before acting on them (404 for whoever may not).
    private func personName(_ id: String, _ request: Request) async throws -> String {
        guard let viewer = try await signedIn(request) else { return id }
        return try await database.person(id, for: viewer.principal).name
    }

    /// The page with the invitation's link when `shown` has one; the form's own answer otherwise
    /// (a confirmation, a problem, or a repeated submission's 303).
    private func invitationShown(_ shown: InvitationBox, _ request: Request, otherwise: Response, message: String) async throws -> Response {
        guard let invited = shown.invited else { return otherwise }
        return try await withSession(request, current: "/people") { signedIn, language in
            let words = language.localizer
            var view = view(language, title: "console.peoplePages.shown.title")
            view.content = InvitationShownView(
                message: words.text(message, ["name": invited.person.name, "email": invited.person.email]),
                link: publicAddress.link(Invitation.path(token: invited.token)),
                expires: words.text("console.peoplePages.shown.expires", ["date": words.format(invited.expiresAt, zone: signedIn.zone)])
            )
            return ("invitation-shown", view, .created)
        }
    }

    /// `GET /people`: everyone, their invitation, and what the viewer may do about each.
    func peoplePage(_ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        let principal = signedIn.principal
        let words = language.localizer
        let people = try await everyPage { try await database.people(page: $0, for: principal) }
        let now = database.clock.now()
        var view = view(language, title: "console.people.title")
        view.content = PeoplePageView(
            rows: people.map { person in
                // Nobody is offered to lock themselves out; the head coordinator is the head's alone.
                let reachable =
                    person.isActive && person.id != signedIn.person.id && (!person.head || Policy.allows(principal, .manageHeadCoordinator))
                var actions: [PersonAction] = []
                if reachable && Policy.allows(principal, .invitePerson) {
                    actions.append(
                        PersonAction(
                            action: "/people/\(person.id)/invite",
                            csrf: forms.csrf,
                            formKey: FormContext.newFormKey(),
                            label: words.text("console.peoplePages.reinvite.action"),
                            accessibleLabel: words.text("console.peoplePages.reinvite.named", ["name": person.name]),
                            destructive: false
                        )
                    )
                }
                if reachable && Policy.allows(principal, .deactivatePerson) {
                    actions.append(
                        PersonAction(
                            action: "/people/\(person.id)/deactivate",
                            csrf: forms.csrf,
                            formKey: FormContext.newFormKey(),
                            label: words.text("console.peoplePages.deactivate.action"),
                            accessibleLabel: words.text("console.peoplePages.deactivate.named", ["name": person.name]),
                            destructive: true
                        )
                    )
                }
                return PersonRow(
                    id: person.id,
                    name: person.name,
                    email: person.email,
                    role: words.text("console.role." + (person.head ? "head" : person.role.rawValue)),
                    status: words.text("console.status." + person.status.rawValue),
                    invitation: PersonForm.invitation(person, now: now, words, zone: signedIn.zone),
                    actions: actions,
                    hasActions: !actions.isEmpty
                )
            },
            canInvite: Policy.allows(principal, .createPerson)
        )
        return ("people", view, .ok)
    }

    func newPersonPage(_ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        try requireClub(signedIn, .createPerson)
        let principal = signedIn.principal
        let studios = try await everyPage { try await database.studios(StudioFilter(), page: $0, for: principal) }
        let clients = try await everyPage { try await database.clients(page: $0, for: principal) }
        var view = view(language, title: "console.peoplePages.new.title")
        let fields = PersonForm.fields(
            language.localizer,
            head: Policy.allows(principal, .manageHeadCoordinator),
            studios: studios.map { ($0.id, $0.name) }.sorted { $0.1 < $1.1 },
            clients: clients.map { ($0.id, $0.name) }.sorted { $0.1 < $1.1 },
            languages: catalogs.languages.map { ($0, catalogs.localizer(for: $0).text("language.name")) },
            clubZone: database.rules.timeZoneName
        )
        view.content = RegisterFormView(
            intro: language.localizer.text("console.peoplePages.new.intro"),
            form: forms.form(action: "/people", submit: "console.peoplePages.new.button", fields: fields),
            back: "/people",
            backLabel: language.localizer.text("console.peoplePages.back")
        )
        return ("studios-form", view, .ok)
    }
}

/// The invitation a form's `perform` made, for the page that shows its link once.
final class InvitationBox: @unchecked Sendable {
    var invited: InvitedPerson?
}

/// The form that invites a person.
enum PersonForm {
    static func fields(
        _ words: Localizer,
        head: Bool,
        studios: [(String, String)],
        clients: [(String, String)],
        languages: [(String, String)],
        clubZone: String
    ) -> [InputField] {
        var fields = [
            InputField(.email, name: "email", label: words.text("console.field.email"), required: true),
            InputField(.text, name: "name", label: words.text("console.people.name"), required: true),
            InputField(
                .radios,
                name: "role",
                label: words.text("console.people.role"),
                options: Role.allCases.map { ($0.rawValue, words.text("console.role." + $0.rawValue)) },
                required: true
            ),
        ]
        if head {
            fields.append(InputField(.checkbox, name: "head", label: words.text("console.peoplePages.field.head")))
        }
        let none = ("", words.text("console.peoplePages.field.none"))
        fields += [
            InputField(
                .select,
                name: "studioId",
                label: words.text("console.peoplePages.field.studio"),
                hint: words.text("console.peoplePages.field.studioHint"),
                options: [none] + studios
            ),
            InputField(
                .select,
                name: "clientId",
                label: words.text("console.peoplePages.field.client"),
                hint: words.text("console.peoplePages.field.clientHint"),
                options: [none] + clients
            ),
            InputField(
                .select,
                name: "language",
                label: words.text("console.peoplePages.field.language"),
                value: Person.defaultLanguage.rawValue,
                options: languages
            ),
            InputField(
                .text,
                name: "timeZone",
                label: words.text("console.peoplePages.field.timeZone"),
                value: clubZone,
                hint: words.text("console.peoplePages.field.timeZoneHint")
            ),
        ]
        return fields
    }

    /// The input, or nil when the role is missing; the studio or client counts only for its role.
    static func input(_ reader: inout FormReader) -> PersonInput? {
        guard let role = reader.requiredChoice("role", as: Role.self) else { return nil }
        return PersonInput(
            email: reader.form.text("email"),
            name: reader.form.text("name"),
            role: role,
            head: role == .coordinator && reader.form.flag("head"),
            studioId: role == .studio ? reader.form.optionalText("studioId") : nil,
            clientId: role == .client ? reader.form.optionalText("clientId") : nil,
            language: reader.form.optionalText("language").map(Language.init(rawValue:)),
            timeZone: reader.form.optionalText("timeZone")
        )
    }

    static func invitation(_ person: Person, now: Date, _ words: Localizer, zone: TimeZone) -> String {
        if !person.isActive { return "—" }
        if person.passwordSet { return words.text("console.peoplePages.invitation.accepted") }
        guard let expires = person.invitationExpiresAt else { return "—" }
        let date = words.format(expires, zone: zone)
        return words.text(expires > now ? "console.peoplePages.invitation.open" : "console.peoplePages.invitation.expired", ["date": date])
    }
}
