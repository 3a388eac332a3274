import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every kind of bad input is a 4xx problem naming the field, never a 5xx, and changes nothing.
@Suite("Bad input")
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let path: String
        let body: String
        var contentType = "application/json"
        let status: Int
        let field: String?
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "malformed JSON", path: "/v1/studios", body: #"{"name":"#, status: 400, field: nil),
        Case(label: "an array instead of an object", path: "/v1/studios", body: "[1,2]", status: 400, field: nil),
        Case(
            label: "a wrong type",
            path: "/v1/studios",
            body: #"{"name":"X","competences":["web"],"budgetMin":0,"budgetMax":1,"capacity":"three"}"#,
            status: 400,
            field: "capacity"
        ),
        Case(
            label: "a missing field",
            path: "/v1/studios",
            body: #"{"competences":["web"],"budgetMin":0,"budgetMax":1,"capacity":1}"#,
            status: 400,
            field: "name"
        ),
        Case(label: "a null for a required field", path: "/v1/clients", body: #"{"name":null}"#, status: 400, field: "name"),
        Case(
            label: "a wrong type deep inside",
            path: "/v1/clients",
            body: #"{"name":"X","contacts":[{"name":7}]}"#,
            status: 400,
            field: "contacts[0].name"
        ),
        Case(label: "an unknown enum value", path: "/v1/tokens", body: #"{"role":"janitor","name":"x"}"#, status: 400, field: "role"),
        Case(
            label: "an over-long string",
            path: "/v1/studios",
            body: #"{"name":"\#(String(repeating: "x", count: 201))","competences":["web"],"budgetMin":0,"budgetMax":1,"capacity":1}"#,
            status: 422,
            field: "name"
        ),
        Case(
            label: "an unknown competence",
            path: "/v1/studios",
            body: #"{"name":"X","competences":["instagram"],"budgetMin":0,"budgetMax":1,"capacity":1}"#,
            status: 422,
            field: "competences[0]"
        ),
        Case(
            label: "a body that is not JSON",
            path: "/v1/clients",
            body: "name=X",
            contentType: "application/x-www-form-urlencoded",
            status: 415,
            field: nil
        ),
        Case(label: "an unknown field", path: "/v1/clients", body: #"{"name":"X","status":"vip"}"#, status: 400, field: "status"),
        Case(
            label: "a body over 1 MiB",
            path: "/v1/clients",
            body: #"{"name":"\#(String(repeating: "x", count: 1 << 20))"}"#,
            status: 413,
            field: nil
        ),
    ]

    @Test(arguments: cases)
    func isRefusedWithAProblemAndChangesNothing(_ badCase: Case) async throws {
        try await withClub { client, club in
            let headBefore = try await club.database.journalHead()
            let response = try await client.call(
                .post,
                badCase.path,
                token: club.headToken,
                json: badCase.body,
                headers: [.contentType: badCase.contentType]
            )
            #expect(response.status.code == badCase.status, "\(response.text)")
            #expect(response.isProblem)
            let problem = try response.json()
            #expect(problem["status"] as? Int == badCase.status)
            #expect((problem["detail"] as? String)?.isEmpty == false)
            if let field = badCase.field {
                #expect(try response.problemFields() == [field])
            }
            #expect(try await club.database.journalHead() == headBefore, "a refused request changes nothing")
        }
    }

    @Test func anEmptyBodyIsMissingFieldsNotAServerError() async throws {
        try await withClub { client, club in
            let response = try await client.call(.post, "/v1/studios", token: club.headToken)
            #expect(response.status == .badRequest)
            #expect(try response.problemFields() == ["name"])
        }
    }
}

@Suite("Idempotency-Key")
struct IdempotencyTests {
    @Test func aRepeatedKeyReplaysTheFirstAnswer() async throws {
        try await withClub { client, club in
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "create-yacht-1"]
            let first = try await client.call(.post, "/v1/clients", token: club.headToken, json: #"{"name":"Yacht Charter Ltd"}"#, headers: key)
            let second = try await client.call(.post, "/v1/clients", token: club.headToken, json: #"{"name":"Yacht Charter Ltd"}"#, headers: key)
            #expect(first.status == .created && second.status == .created)
            #expect(try first.json()["id"] as? String == second.json()["id"] as? String)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(second.headers[.eTag] == "\"1\"")
            let list = try await client.call(.get, "/v1/clients", token: club.headToken).json()
            #expect((list["items"] as? [Any])?.count == 1)

            let elsewhere = try await client.call(.post, "/v1/studios", token: club.headToken, json: "{}", headers: key)
            #expect(elsewhere.status == .unprocessableContent)
            #expect(try elsewhere.json()["type"] as? String == "/problems/idempotency-key-reused")
            let otherBody = try await client.call(.post, "/v1/clients", token: club.headToken, json: #"{"name":"Another Client"}"#, headers: key)
            #expect(otherBody.status == .unprocessableContent, "the same key with another body is not a retry")
        }
    }

    @Test func keysBelongToTheirToken() async throws {
        try await withClub { client, club in
            let other = try await club.token(.coordinator)
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "same-key"]
            let first = try await client.call(.post, "/v1/clients", token: club.headToken, json: #"{"name":"A"}"#, headers: key)
            let second = try await client.call(.post, "/v1/clients", token: other, json: #"{"name":"B"}"#, headers: key)
            #expect(try first.json()["id"] as? String != second.json()["id"] as? String)
        }
    }

    @Test func aFailedCreateIsNotRemembered() async throws {
        try await withClub { client, club in
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "retry-me"]
            let refused = try await client.call(.post, "/v1/clients", token: club.headToken, json: #"{"name":""}"#, headers: key)
            #expect(refused.status == .unprocessableContent)
            let fixed = try await client.call(.post, "/v1/clients", token: club.headToken, json: #"{"name":"Fixed"}"#, headers: key)
            #expect(fixed.status == .created)
        }
    }

    @Test func anAnswerCarryingASecretIsNeverReplayed() async throws {
        try await withClub { client, club in
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "issue-anna"]
            let first = try await client.call(
                .post,
                "/v1/tokens",
                token: club.headToken,
                json: #"{"role":"coordinator","name":"Anna"}"#,
                headers: key
            )
            #expect(first.status == .created)
            #expect(first.headers[.cacheControl] == "no-store")
            let again = try await client.call(
                .post,
                "/v1/tokens",
                token: club.headToken,
                json: #"{"role":"coordinator","name":"Anna"}"#,
                headers: key
            )
            #expect(again.status == .conflict)
            #expect(try again.json()["type"] as? String == "/problems/idempotent-secret-not-replayed")
            let stored = try await club.database.writer.read { db in try Data.fetchAll(db, sql: "SELECT body FROM idempotentResponse") }
            #expect(stored.allSatisfy { $0.isEmpty }, "no secret is kept for replay")
        }
    }
}
