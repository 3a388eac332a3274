import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// People of the console (DESIGN §9), coordinators only: invite (create), list, read, change,
/// deactivate, and invite anew; a person's notification choices are their own (`patchPerson`).
/// The invitation's link is answered once, never cached or replayed.
struct PeopleController<Context: APIRequestContext> {
    let database: AppDatabase
    let publicAddress: PublicAddress

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("people") { request, context in
            let input = try await request.decodeJSON(PersonInput.self, context: context)
            let invited = try await database.createPerson(input, by: context.caller())
            return try invitation(invited, for: context.caller())
        }
        group.get("people") { request, context in
            let page = try await database.people(page: request.pageRequest(), for: context.caller())
            var items: [PersonWithChoices] = []
            for person in page.items { items.append(try await withChoices(person)) }
            return try JSONCoding.listResponse(Page(items: items, nextCursor: page.nextCursor), itemShape: "Person", for: context.caller())
        }
        group.get("people/:id") { _, context in
            let person = try await database.person(context.parameters.require("id"), for: context.caller())
            return try JSONCoding.response(try await withChoices(person), shape: "Person", for: context.caller(), etag: person.version)
        }
        group.patch("people/:id") { request, context in
            let body = try await request.decodeJSON(PersonPatchBody.self, context: context)
            return try await patchPerson(context.parameters.require("id"), body, ifVersion: ETag.ifMatch(request), by: context.caller())
        }
        group.post("people/:id/deactivate") { request, context in
            _ = try await request.decodeJSON(EmptyBody.self, context: context)
            let person = try await database.deactivatePerson(context.parameters.require("id"), by: context.caller())
            return try JSONCoding.response(person, shape: "Person", for: context.caller())
        }
        group.post("people/:id/invitations") { request, context in
            _ = try await request.decodeJSON(EmptyBody.self, context: context)
            let invited = try await database.invitePerson(context.parameters.require("id"), by: context.caller())
            return try invitation(invited, for: context.caller())
        }
    }

    /// The person with their new invitation, 201 with the person's `ETag`; the link is built on
    /// the configured public address, as share links are.
    private func invitation(_ invited: InvitedPerson, for principal: Principal) throws -> Response {
        let url = publicAddress.link(Invitation.path(token: invited.token))
        var response = try JSONCoding.secretResponse(PersonAnswer(invited, url: url), shape: "Person", for: principal, status: .created)
        response.headers[.eTag] = ETag.format(invited.person.version)
        return response
    }
}

/// A person as answered when invited: the record and, this once, the invitation's link.
struct PersonAnswer: FlattenedAnswer {
    struct InvitationLink: Encodable {
        let url: String
        let expiresAt: Date
    }

    struct Extras: Encodable {
        let invitation: InvitationLink
    }

    let base: Person
    let extras: Extras

    init(_ invited: InvitedPerson, url: String) {
        base = invited.person
        extras = Extras(invitation: InvitationLink(url: url, expiresAt: invited.expiresAt))
    }
}
