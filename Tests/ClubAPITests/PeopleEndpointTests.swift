import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `POST/GET /v1/people`, `GET/PATCH /v1/people/{id}`, `POST /v1/people/{id}/deactivate` and
/// `POST /v1/people/{id}/invitations` (DESIGN §9).
@Suite("People endpoints")
struct PeopleEndpointTests {
    static let anna = #"{"email":"Anna@Example.org","name":"Anna Petrova","role":"coordinator","language":"en","timeZone":"Asia/Yekaterinburg"}"#

    /// The token at the end of an invitation link.
    static func token(_ body: [String: Any]) throws -> String {
        let invitation = try #require(body["invitation"] as? [String: Any], "\(body)")
        let url = try #require(invitation["url"] as? String)
        return String(try #require(url.components(separatedBy: "/invitations/").last))
    }

    @Test func aCoordinatorInvitesAPersonAndTheLinkIsShownOnce() async throws {
        try await withClub { client, club in
            let coordinator = try await club.token(.coordinator)
            let created = try await client.call(.post, "/v1/people", token: coordinator, json: Self.anna)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[.cacheControl] == "no-store")
            #expect(created.headers[.eTag] == "\"1\"")
            let body = try created.json()
            let id = try #require(body["id"] as? String)
            #expect(id.hasPrefix("per_"))
            #expect(body["email"] as? String == "anna@example.org")
            #expect(body["language"] as? String == "en" && body["timeZone"] as? String == "Asia/Yekaterinburg")
            #expect(body["status"] as? String == "active" && body["passwordSet"] as? Bool == false && body["head"] as? Bool == false)
            #expect(body["fieldVisibility"] == nil, "nothing on a person is kept from anyone who reaches it")
            let invitation = try #require(body["invitation"] as? [String: Any])
            let url = try #require(invitation["url"] as? String)
            #expect(url.range(of: #"^https://[^/]+/invitations/inv_[A-Za-z0-9_-]{43}$"#, options: .regularExpression) != nil, "\(url)")
            let expiresAt = try #require(RFC3339.date(from: invitation["expiresAt"] as? String ?? ""))
            #expect(abs(expiresAt.timeIntervalSinceNow - 7 * 24 * 3600) < 60)
            #expect(invitation["expiresAt"] as? String == body["invitationExpiresAt"] as? String)

            // Read again, listed: never the link.
            let read = try await client.call(.get, "/v1/people/\(id)", token: coordinator)
            #expect(read.status == .ok && read.headers[.eTag] == "\"1\"")
            #expect(try read.json()["invitation"] == nil && !read.text.contains(try Self.token(body)))
            let list = try await client.call(.get, "/v1/people", token: coordinator)
            #expect(list.status == .ok)
            #expect((try list.json()["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            #expect(!list.text.contains("invitation\""))

            // The link opens the invitation, which sets a password once.
            let token = try Self.token(body)
            guard case .open(let person, _) = try await club.database.invitation(token: token) else {
                Issue.record("the link does not open the invitation")
                return
            }
            #expect(person.id == id)
            _ = try await club.database.acceptInvitation(token: token, password: "a long walk by the Neva")
            #expect(try await client.call(.get, "/v1/people/\(id)", token: coordinator).json()["passwordSet"] as? Bool == true)
        }
    }

    @Test func theLinkIsNeverReplayedForAnIdempotencyKey() async throws {
        try await withClub { client, club in
            let headers: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "invite-anna"]
            let first = try await client.call(.post, "/v1/people", token: club.headToken, json: Self.anna, headers: headers)
            #expect(first.status == .created)
            let again = try await client.call(.post, "/v1/people", token: club.headToken, json: Self.anna, headers: headers)
            #expect(again.status == .conflict)
            #expect(try again.json()["type"] as? String == "/problems/idempotent-secret-not-replayed")
            #expect(!again.text.contains("/invitations/"))
            #expect((try await client.call(.get, "/v1/people", token: club.headToken).json()["items"] as? [Any])?.count == 1)
        }
    }

    @Test func onlyTheHeadMakesOrChangesAHeadCoordinator() async throws {
        try await withClub { client, club in
            let coordinator = try await club.token(.coordinator)
            let maria = #"{"email":"maria@example.org","name":"Maria","role":"coordinator","head":true}"#
            let refused = try await client.call(.post, "/v1/people", token: coordinator, json: maria)
            #expect(refused.status == .forbidden && refused.isProblem)
            #expect(try refused.json()["detail"] as? String == "only the head coordinator may create or change a head coordinator")
            let created = try await client.call(.post, "/v1/people", token: club.headToken, json: maria)
            #expect(created.status == .created)
            let headId = try #require(try created.json()["id"] as? String)
            for (method, path, body) in [
                (HTTPRequest.Method.patch, "/v1/people/\(headId)", #"{"name":"Maria I."}"#),
                (.post, "/v1/people/\(headId)/invitations", "{}"),
                (.post, "/v1/people/\(headId)/deactivate", "{}"),
            ] {
                #expect(try await client.call(method, path, token: coordinator, json: body).status == .forbidden, "\(method) \(path)")
            }
            let anna = try #require(try await client.call(.post, "/v1/people", token: coordinator, json: Self.anna).json()["id"] as? String)
            #expect(try await client.call(.patch, "/v1/people/\(anna)", token: coordinator, json: #"{"head":true}"#).status == .forbidden)
            let promoted = try await client.call(.patch, "/v1/people/\(anna)", token: club.headToken, json: #"{"head":true}"#)
            #expect(promoted.status == .ok)
            #expect(try promoted.json()["head"] as? Bool == true)
        }
    }

    @Test func unknownPeopleAre404AndPartiesAre403() async throws {
        try await withClub { client, club in
            let studio = try await client.createStudio(club)
            let studioToken = try await club.token(.studio, studioId: studio)
            for (method, path, body) in [
                (HTTPRequest.Method.get, "/v1/people/per_nope", nil),
                (.patch, "/v1/people/per_nope", #"{"name":"X"}"#),
                (.post, "/v1/people/per_nope/deactivate", "{}"),
                (.post, "/v1/people/per_nope/invitations", "{}"),
            ] {
                let response = try await client.call(method, path, token: club.headToken, json: body)
                #expect(response.status == .notFound && response.isProblem, "\(method) \(path)")
                #expect(try await client.call(method, path, token: studioToken, json: body).status == .forbidden, "\(method) \(path) as a studio")
            }
            #expect(try await client.call(.post, "/v1/people", token: studioToken, json: Self.anna).status == .forbidden)
            #expect(try await client.call(.get, "/v1/people", token: studioToken).status == .forbidden)
        }
    }

    @Test func badFieldsAreNamed() async throws {
        try await withClub { client, club in
            let cases: [(String, HTTPResponse.Status, [String])] = [
                (#"{"email":"anna at example","name":"Anna","role":"coordinator"}"#, .unprocessableContent, ["email"]),
                (#"{"email":"anna@example.org","name":"Anna","role":"coordinator","timeZone":"MSK"}"#, .unprocessableContent, ["timeZone"]),
                (#"{"email":"anna@example.org","name":"Anna","role":"coordinator","language":"de"}"#, .unprocessableContent, ["language"]),
                (#"{"email":"anna@example.org","name":"Anna","role":"studio"}"#, .unprocessableContent, ["studioId"]),
                (#"{"email":"anna@example.org","name":"Anna","role":"client","clientId":"cli_nope"}"#, .unprocessableContent, ["clientId"]),
                (#"{"email":"x","name":"","role":"coordinator","timeZone":"Moscow"}"#, .unprocessableContent, ["email", "name", "timeZone"]),
                (#"{"email":"anna@example.org","name":"Anna","role":"coordinator","password":"x"}"#, .badRequest, ["password"]),
            ]
            for (body, status, fields) in cases {
                let response = try await client.call(.post, "/v1/people", token: club.headToken, json: body)
                #expect(response.status == status, "\(body): \(response.text)")
                #expect(response.isProblem)
                #expect(try response.problemFields() == fields, "\(body)")
            }
            #expect(try await client.call(.post, "/v1/people", token: club.headToken, json: Self.anna).status == .created)
            let taken = try await client.call(
                .post,
                "/v1/people",
                token: club.headToken,
                json: Self.anna.replacingOccurrences(of: "Anna@", with: "ANNA@")
            )
            #expect(taken.status == .unprocessableContent)
            #expect(try taken.problemFields() == ["email"])
        }
    }

    @Test func aPersonIsChangedDeactivatedAndInvitedAnew() async throws {
        try await withClub { client, club in
            let coordinator = try await club.token(.coordinator)
            let created = try await client.call(.post, "/v1/people", token: coordinator, json: Self.anna).json()
            let id = try #require(created["id"] as? String)
            let first = try Self.token(created)

            let stale = try await client.call(.patch, "/v1/people/\(id)", token: coordinator, json: #"{"name":"A"}"#, headers: [.ifMatch: "\"7\""])
            #expect(stale.status == .preconditionFailed)
            let changed = try await client.call(
                .patch,
                "/v1/people/\(id)",
                token: coordinator,
                json: #"{"language":"ru"}"#,
                headers: [.ifMatch: "\"1\""]
            )
            #expect(changed.status == .ok && changed.headers[.eTag] == "\"2\"")
            #expect(try changed.json()["language"] as? String == "ru")

            let reinvited = try await client.call(.post, "/v1/people/\(id)/invitations", token: coordinator)
            #expect(reinvited.status == .created && reinvited.headers[.cacheControl] == "no-store")
            let second = try Self.token(try reinvited.json())
            #expect(second != first)
            #expect(try await club.database.invitation(token: first) == .gone(.withdrawn))

            let deactivated = try await client.call(.post, "/v1/people/\(id)/deactivate", token: coordinator, json: "{}")
            #expect(deactivated.status == .ok)
            #expect(try deactivated.json()["status"] as? String == "deactivated")
            #expect(try await club.database.invitation(token: second) == .gone(.withdrawn))
            let twice = try await client.call(.post, "/v1/people/\(id)/deactivate", token: coordinator)
            #expect(twice.status == .conflict)
            #expect(try twice.json()["type"] as? String == "/problems/illegal-transition")
            #expect(try await client.call(.post, "/v1/people/\(id)/invitations", token: coordinator).status == .conflict)
            #expect(try await client.call(.patch, "/v1/people/\(id)", token: coordinator, json: #"{"name":"B"}"#).status == .conflict)
            #expect(try await client.call(.post, "/v1/people/\(id)/deactivate", token: coordinator, json: #"{"why":"x"}"#).status == .badRequest)
        }
    }
}
