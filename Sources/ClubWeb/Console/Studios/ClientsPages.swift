import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird

extension ConsoleController {
    /// The clients: a list, registration, and each client's page with its requests and engagements.
    func addClientPages(to router: Router<Context>) {
        router.get("/clients") { request, _ in
            try await withSession(request, current: "/clients") { signedIn, language in
                let cursor = request.uri.queryParameters["cursor"].flatMap { Int64(String($0)) }
                return try await clientList(cursor, signedIn, language)
            }
        }
        router.get("/clients/new") { request, _ in
            try await withSession(request, current: "/clients") { signedIn, language in
                try newClientPage(signedIn, language, forms(signedIn, language))
            }
        }
        router.post("/clients") { request, context in
            try await guardedSubmit(request) {
                try await submit(
                    request,
                    context,
                    current: "/clients",
                    render: { signedIn, language, forms in try newClientPage(signedIn, language, forms) },
                    perform: { signedIn, reader in
                        let contacts = ClientForm.contacts(&reader, atLeastOne: true)
                        try reader.finish()
                        let input = ClientInput(
                            name: reader.form.text("name"),
                            contacts: contacts.map(\.contact),
                            internalNote: reader.form.optionalText("internalNote")
                        )
                        let client = try await ClientForm.keepingRows(contacts) { try await database.createClient(input, by: signedIn.principal) }
                        return "/clients/" + client.id
                    }
                )
            }
        }
        router.get("/clients/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await withSession(request, current: "/clients/" + id) { signedIn, language in
                try await clientPage(id, signedIn, language, forms(signedIn, language))
            }
        }
        router.post("/clients/:id") { request, context in
            let id = try context.parameters.require("id")
            return try await guardedSubmit(request) {
                try await submit(
                    request,
                    context,
                    current: "/clients/" + id,
                    render: { signedIn, language, forms in try await clientPage(id, signedIn, language, forms) },
                    perform: { signedIn, reader in
                        let contacts = ClientForm.contacts(&reader, atLeastOne: false)
                        let version = reader.int("version")
                        try reader.finish()
                        let patch = ClientPatch(
                            name: reader.form.text("name"),
                            contacts: contacts.map(\.contact),
                            internalNote: reader.form.text("internalNote")
                        )
                        _ = try await ClientForm.keepingRows(contacts) {
                            try await database.updateClient(id, patch, ifVersion: version, by: signedIn.principal)
                        }
                        return "/clients/" + id
                    }
                )
            }
        }
    }

    func clientList(_ cursor: Int64?, _ signedIn: SignedIn, _ language: PageLanguage) async throws -> RenderedPage {
        let words = language.localizer
        let page = try await database.clients(page: PageRequest(after: cursor), for: signedIn.principal)
        var view = view(language, title: "console.clients.title")
        view.content = ClientListView(
            rows: page.items.map { client in
                ClientRow(
                    id: client.id,
                    name: client.name,
                    contacts: client.contacts.map { [$0.name, $0.email].compactMap { $0 }.joined(separator: " · ") }.joined(separator: "; "),
                    created: words.format(client.createdAt, zone: signedIn.zone, style: .date)
                )
            },
            hasRows: !page.items.isEmpty,
            nextPage: page.nextCursor.map { "/clients?cursor=" + $0 },
            canRegister: Policy.allows(signedIn.principal, .registerClient)
        )
        return ("clients", view, .ok)
    }

    func newClientPage(_ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) throws -> RenderedPage {
        try requireClub(signedIn, .registerClient)
        var view = view(language, title: "console.clients.new.title")
        view.content = RegisterFormView(
            intro: language.localizer.text("console.clients.new.intro"),
            form: forms.form(action: "/clients", submit: "console.clients.new.button", fields: ClientForm.fields(nil, language.localizer)),
            back: "/clients",
            backLabel: language.localizer.text("console.clients.back")
        )
        return ("studios-form", view, .ok)
    }

    func clientPage(_ id: String, _ signedIn: SignedIn, _ language: PageLanguage, _ forms: FormContext) async throws -> RenderedPage {
        try requireClub(signedIn, .editClient)
        let principal = signedIn.principal
        let words = language.localizer
        let client = try await database.client(id, for: principal)
        let requests = try await everyPage { try await database.leads(LeadFilter(clientId: id), page: $0, for: principal) }
        let engagements = try await everyPage { try await database.engagements(EngagementFilter(), page: $0, for: principal) }
            .filter { $0.clientId == id }
        var studios: [String: String] = [:]
        for studioId in Set(engagements.map(\.studioId)) {
            studios[studioId] = (try? await database.studio(studioId, for: principal))?.name
        }
        var view = view(language, title: "console.clients.page.title", args: ["name": client.name])
        view.content = ClientPageView(
            id: client.id,
            name: client.name,
            profile: [
                StudioFact(label: words.text("console.clients.field.internalNote"), value: client.internalNote ?? "—"),
                StudioFact(label: words.text("console.clients.field.created"), value: words.format(client.createdAt, zone: signedIn.zone)),
                StudioFact(label: words.text("console.clients.field.version"), value: String(client.version)),
            ],
            contacts: client.contacts.map { contact in
                StudioFact(label: contact.name, value: [contact.email, contact.phone].compactMap { $0 }.joined(separator: " · "))
            },
            hasContacts: !client.contacts.isEmpty,
            editForm: Policy.allows(principal, .editClient)
                ? forms.form(
                    action: "/clients/" + id,
                    submit: "console.clients.edit.button",
                    fields: ClientForm.fields(client, words),
                    hidden: [HiddenField(name: "version", value: String(client.version))],
                    labelledBy: "edit-heading"
                ) : nil,
            requests: requests.map { lead in
                ClientRequestRow(
                    href: "/requests/" + lead.id,
                    ask: lead.statedAsk,
                    status: StudioWords.request(lead.status, words),
                    created: words.format(lead.createdAt, zone: signedIn.zone, style: .date)
                )
            },
            hasRequests: !requests.isEmpty,
            engagements: engagements.map { engagement in
                PartyEngagementRow(
                    href: "/engagements/" + engagement.id,
                    id: engagement.id,
                    party: studios[engagement.studioId] ?? engagement.studioId,
                    status: StudioWords.engagement(engagement.status, words),
                    started: words.format(engagement.startedAt, zone: signedIn.zone, style: .date)
                )
            },
            hasEngagements: !engagements.isEmpty
        )
        return ("client", view, .ok)
    }
}

/// The client's form: a name, rows of contacts (`contacts[0].name`, `.email`, `.phone`), a note.
enum ClientForm {
    /// A contact read from its row; `row` is the row's index on the page.
    struct Row {
        let row: Int
        let contact: Contact
    }

    static let blankRows = 2

    static func fields(_ client: Client?, _ words: Localizer) -> [InputField] {
        let contacts = client?.contacts ?? []
        var fields = [InputField(.text, name: "name", label: words.text("console.clients.field.name"), value: client?.name ?? "", required: true)]
        for row in 0..<(contacts.count + (client == nil ? blankRows : 1)) {
            let contact = row < contacts.count ? contacts[row] : nil
            let number = String(row + 1)
            fields += [
                InputField(
                    .text,
                    name: "contacts[\(row)].name",
                    label: words.text("console.clients.field.contactName", ["number": number]),
                    value: contact?.name ?? ""
                ),
                InputField(
                    .email,
                    name: "contacts[\(row)].email",
                    label: words.text("console.clients.field.contactEmail", ["number": number]),
                    value: contact?.email ?? ""
                ),
                InputField(
                    .text,
                    name: "contacts[\(row)].phone",
                    label: words.text("console.clients.field.contactPhone", ["number": number]),
                    value: contact?.phone ?? ""
                ),
            ]
        }
        fields.append(
            InputField(
                .textarea,
                name: "internalNote",
                label: words.text("console.clients.field.internalNote"),
                value: client?.internalNote ?? "",
                hint: words.text("console.studios.field.internalNoteHint")
            )
        )
        return fields
    }

    /// The rows with anything typed in them, in order; an empty row is no contact.
    static func contacts(_ reader: inout FormReader, atLeastOne: Bool) -> [Row] {
        let rows = Set(
            reader.form.pairs.compactMap { pair -> Int? in
                guard pair.name.hasPrefix("contacts["), let close = pair.name.firstIndex(of: "]") else { return nil }
                return Int(pair.name[pair.name.index(pair.name.startIndex, offsetBy: 9)..<close])
            }
        )
        let filled = rows.sorted().compactMap { row -> Row? in
            let name = reader.form.text("contacts[\(row)].name")
            let email = reader.form.optionalText("contacts[\(row)].email")
            let phone = reader.form.optionalText("contacts[\(row)].phone")
            if name.isEmpty && email == nil && phone == nil { return nil }
            return Row(row: row, contact: Contact(name: name, email: email, phone: phone))
        }
        if atLeastOne && filled.isEmpty {
            reader.fail("contacts[0].name", "console.clients.field.contactRequired")
        }
        return filled
    }

    /// The store numbers the contacts it was given; its problems go back to the rows they came from.
    static func keepingRows<Value>(_ rows: [Row], _ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch DomainError.invalid(let errors) {
            throw DomainError.invalid(
                errors.map { error in
                    for (index, row) in rows.enumerated() where error.field.hasPrefix("contacts[\(index)].") {
                        let rest = error.field.dropFirst("contacts[\(index)]".count)
                        return FieldError(field: "contacts[\(row.row)]" + rest, message: error.message)
                    }
                    return error
                }
            )
        }
    }
}
