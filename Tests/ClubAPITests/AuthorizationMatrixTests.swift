import ClubAPI
import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every endpoint × every kind of caller: 401 without a token, 403 for a role that never may,
/// 404 for an object outside the caller's reach (DESIGN §2).
@Suite("Authorisation matrix")
struct AuthorizationMatrixTests {
    enum Caller: CaseIterable { case anonymous, studio, client, coordinator, head }

    struct Row {
        let method: HTTPRequest.Method
        let path: String
        let body: String?
        let expected: [Caller: HTTPResponse.Status]
    }

    /// Statuses in the order anonymous, studio, client, coordinator, head.
    static func expect(_ statuses: [Int]) -> [Caller: HTTPResponse.Status] {
        Dictionary(uniqueKeysWithValues: zip(Caller.allCases, statuses.map { HTTPResponse.Status(code: $0) }))
    }

    @Test func everyEndpointAnswersEachCallerAsTheDesignSays() async throws {
        try await withClub { client, club in
            let ownStudio = try await client.createStudio(club)
            let otherStudio = try await client.createStudio(club, name: "Other Studio")
            let ownClient = try await client.createClient(club)
            let otherClient = try await client.createClient(club, name: "Other Client")
            let tokens: [Caller: String] = [
                .studio: try await club.token(.studio, studioId: ownStudio),
                .client: try await club.token(.client, clientId: ownClient),
                .coordinator: try await club.token(.coordinator),
                .head: club.headToken,
            ]
            let studioBody = #"{"name":"New","competences":["web"],"budgetMin":0,"budgetMax":10,"capacity":1}"#
            let rows: [Row] = [
                Row(method: .get, path: "/v1/health", body: nil, expected: Self.expect([200, 200, 200, 200, 200])),
                Row(method: .get, path: "/v1/me", body: nil, expected: Self.expect([401, 200, 200, 200, 200])),
                Row(method: .post, path: "/v1/tokens", body: #"{"role":"coordinator","name":"x"}"#, expected: Self.expect([401, 403, 403, 403, 201])),
                Row(method: .get, path: "/v1/tokens", body: nil, expected: Self.expect([401, 403, 403, 403, 200])),
                Row(method: .post, path: "/v1/studios", body: studioBody, expected: Self.expect([401, 403, 403, 201, 201])),
                Row(method: .get, path: "/v1/studios", body: nil, expected: Self.expect([401, 403, 403, 200, 200])),
                Row(method: .get, path: "/v1/studios/\(ownStudio)", body: nil, expected: Self.expect([401, 200, 404, 200, 200])),
                Row(method: .get, path: "/v1/studios/\(otherStudio)", body: nil, expected: Self.expect([401, 404, 404, 200, 200])),
                Row(method: .patch, path: "/v1/studios/\(ownStudio)", body: #"{"capacity":4}"#, expected: Self.expect([401, 403, 403, 200, 200])),
                Row(method: .post, path: "/v1/studios/\(ownStudio)/vetting-checks", body: #"{"kind":"portfolio","passed":true}"#, expected: Self.expect([401, 403, 403, 201, 201])),
                Row(method: .post, path: "/v1/studios/\(ownStudio)/decisions", body: #"{"decision":"suspend","reason":"x"}"#, expected: Self.expect([401, 403, 403, 409, 409])),
                Row(method: .post, path: "/v1/studios/\(ownStudio)/conduct-notes", body: #"{"note":"late"}"#, expected: Self.expect([401, 403, 403, 201, 201])),
                Row(method: .post, path: "/v1/clients", body: #"{"name":"New Client"}"#, expected: Self.expect([401, 403, 403, 201, 201])),
                Row(method: .get, path: "/v1/clients", body: nil, expected: Self.expect([401, 403, 403, 200, 200])),
                Row(method: .get, path: "/v1/clients/\(ownClient)", body: nil, expected: Self.expect([401, 404, 200, 200, 200])),
                Row(method: .get, path: "/v1/clients/\(otherClient)", body: nil, expected: Self.expect([401, 404, 404, 200, 200])),
                Row(method: .patch, path: "/v1/clients/\(ownClient)", body: #"{"name":"Renamed"}"#, expected: Self.expect([401, 403, 403, 200, 200])),
                Row(method: .get, path: "/v1/journal", body: nil, expected: Self.expect([401, 403, 403, 200, 200])),
            ]
            for row in rows {
                for caller in Caller.allCases {
                    let response = try await client.call(row.method, row.path, token: tokens[caller], json: row.body)
                    #expect(response.status == row.expected[caller], "\(row.method) \(row.path) as \(caller): \(response.text)")
                    if response.status.code >= 400 { #expect(response.isProblem, "\(row.method) \(row.path) as \(caller)") }
                }
            }
            // Revoking: only the head, and a spare token so that the head keeps its own.
            let spare = try await club.database.issueToken(TokenGrant(role: .coordinator, name: "spare"), by: .system).token.id
            for caller in [Caller.anonymous, .studio, .client, .coordinator] {
                let status = try await client.call(.delete, "/v1/tokens/\(spare)", token: tokens[caller]).status
                #expect(status == (caller == .anonymous ? .unauthorized : .forbidden), "DELETE /v1/tokens as \(caller)")
            }
            #expect(try await client.call(.delete, "/v1/tokens/\(spare)", token: club.headToken).status == .noContent)
            #expect(try await client.call(.delete, "/v1/tokens/tok_unknown", token: club.headToken).status == .notFound)
        }
    }
}
