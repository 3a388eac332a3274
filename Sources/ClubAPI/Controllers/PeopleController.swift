import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// People of the console (DESIGN §9), coordinators only: invite (create), list, read, change,
/// deactivate, and invite anew. The invitation's link is answered once, never cached or replayed.
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
            try JSONCoding.listResponse(
                try await database.people(page: request.pageRequest(), for: context.caller()),
                itemShape: "Person",
                for: context.caller()
            )
        }
        group.get("people/:id") { _, context in
            try JSONCoding.response(
                try await database.person(context.parameters.require("id"), for: context.caller()),
                shape: "Person",
                for: context.caller()
            )
        }
        group.patch("people/:id") { request, context in
            let patch = try await request.decodeJSON(PersonPatch.self, context: context)
            let person = try await database.updatePerson(
                context.parameters.require("id"),
                patch,
                ifVersion: ETag.ifMatch(request),
                by: context.caller()
            )
            return try JSONCoding.response(person, shape: "Person", for: context.caller())
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
