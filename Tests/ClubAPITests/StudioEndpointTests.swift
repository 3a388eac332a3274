import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Studios over the API")
struct StudioEndpointTests {
    @Test func theVettingStoryFromApplicantToActive() async throws {
        try await withClub { client, club in
            let id = try await client.createStudio(club)
            let early = try await client.call(
                .post,
                "/v1/studios/\(id)/decisions",
                token: club.headToken,
                json: #"{"decision":"admit","reason":"all checks passed"}"#
            )
            #expect(early.status == .unprocessableContent)
            #expect(try early.json()["type"] as? String == "/problems/admission-needs-passed-checks")

            for kind in ["portfolio", "references", "trial_task", "interview"] {
                let check = try await client.call(
                    .post,
                    "/v1/studios/\(id)/vetting-checks",
                    token: club.headToken,
                    json: #"{"kind":"\#(kind)","passed":true,"notes":"fine"}"#
                )
                #expect(check.status == .created)
                #expect(try check.json()["status"] as? String == "vetting")
            }
            let admitted = try await client.call(
                .post,
                "/v1/studios/\(id)/decisions",
                token: club.headToken,
                json: #"{"decision":"admit","reason":"all checks passed"}"#
            )
            #expect(admitted.status == .created)
            #expect(try admitted.json()["status"] as? String == "active")

            let illegal = try await client.call(
                .post,
                "/v1/studios/\(id)/decisions",
                token: club.headToken,
                json: #"{"decision":"reinstate","reason":"x"}"#
            )
            #expect(illegal.status == .conflict)
            #expect(try illegal.json()["detail"] as? String == "the studio is active and cannot reinstate")

            let note = try await client.call(
                .post,
                "/v1/studios/\(id)/conduct-notes",
                token: club.headToken,
                json: #"{"note":"criticised a colleague without a proposal"}"#
            )
            #expect(note.status == .created)
            #expect((try note.json()["conductNotes"] as? [Any])?.count == 1)
        }
    }

    @Test func expulsionNeedsTheHead() async throws {
        try await withClub { client, club in
            let id = try await client.createStudio(club)
            for kind in ["portfolio", "references", "trial_task", "interview"] {
                try await client.call(.post, "/v1/studios/\(id)/vetting-checks", token: club.headToken, json: #"{"kind":"\#(kind)","passed":true}"#)
            }
            try await client.call(.post, "/v1/studios/\(id)/decisions", token: club.headToken, json: #"{"decision":"admit","reason":"ok"}"#)
            let coordinator = try await club.token(.coordinator)
            let refused = try await client.call(
                .post,
                "/v1/studios/\(id)/decisions",
                token: coordinator,
                json: #"{"decision":"expel","reason":"ethics"}"#
            )
            #expect(refused.status == .forbidden)
            #expect(try refused.json()["detail"] as? String == "only the head coordinator may expel a studio")
            let expelled = try await client.call(
                .post,
                "/v1/studios/\(id)/decisions",
                token: club.headToken,
                json: #"{"decision":"expel","reason":"ethics"}"#
            )
            #expect(try expelled.json()["status"] as? String == "expelled")
        }
    }

    @Test func patchCarriesETagsAndRefusesStaleOnes() async throws {
        try await withClub { client, club in
            let id = try await client.createStudio(club)
            let read = try await client.call(.get, "/v1/studios/\(id)", token: club.headToken)
            #expect(read.headers[.eTag] == "\"1\"")
            let patched = try await client.call(
                .patch,
                "/v1/studios/\(id)",
                token: club.headToken,
                json: #"{"capacity":5}"#,
                headers: [.ifMatch: "\"1\""]
            )
            #expect(patched.status == .ok)
            #expect(patched.headers[.eTag] == "\"2\"")
            #expect(try patched.json()["capacity"] as? Int == 5)
            let stale = try await client.call(
                .patch,
                "/v1/studios/\(id)",
                token: club.headToken,
                json: #"{"capacity":7}"#,
                headers: [.ifMatch: "\"1\""]
            )
            #expect(stale.status == .preconditionFailed)
            #expect(stale.isProblem)
            let garbage = try await client.call(
                .patch,
                "/v1/studios/\(id)",
                token: club.headToken,
                json: #"{"capacity":7}"#,
                headers: [.ifMatch: "nonsense"]
            )
            #expect(garbage.status == .preconditionFailed)
            #expect(try await client.call(.get, "/v1/studios/\(id)", token: club.headToken).json()["capacity"] as? Int == 5)

            let statusWrite = try await client.call(.patch, "/v1/studios/\(id)", token: club.headToken, json: #"{"status":"active"}"#)
            #expect(statusWrite.status == .badRequest, "status changes only through decisions")
            #expect(try statusWrite.problemFields() == ["status"])

            let unchanged = try await client.call(
                .patch,
                "/v1/studios/\(id)",
                token: club.headToken,
                json: #"{"capacity":5}"#,
                headers: [.ifMatch: "\"2\""]
            )
            #expect(unchanged.status == .ok)
            #expect(unchanged.headers[.eTag] == "\"2\"", "a patch that changes nothing is not a new version")
        }
    }

    @Test func listsFilterAndPage() async throws {
        try await withClub { client, club in
            for index in 0..<3 { _ = try await client.createStudio(club, name: "Landing \(index)") }
            let seo = try await client.createStudio(club, name: "Search Masters", competences: #"["seo"]"#)
            let bySEO = try await client.call(.get, "/v1/studios?competence=seo", token: club.headToken).json()
            #expect((bySEO["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [seo])
            let applicants = try await client.call(.get, "/v1/studios?status=applicant&limit=3", token: club.headToken).json()
            #expect((applicants["items"] as? [Any])?.count == 3)
            let cursor = try #require(applicants["nextCursor"] as? String)
            let rest = try await client.call(.get, "/v1/studios?status=applicant&limit=3&cursor=\(cursor)", token: club.headToken).json()
            #expect((rest["items"] as? [Any])?.count == 1)
            #expect(rest["nextCursor"] == nil || rest["nextCursor"] is NSNull)
            let bad = try await client.call(.get, "/v1/studios?status=sleeping&limit=500", token: club.headToken)
            #expect(bad.status == .badRequest)
        }
    }

    @Test func anUnknownStudioIs404() async throws {
        try await withClub { client, club in
            let response = try await client.call(.get, "/v1/studios/stu_missing", token: club.headToken)
            #expect(response.status == .notFound)
            #expect(response.isProblem)
        }
    }
}

@Suite("Clients over the API")
struct ClientEndpointTests {
    @Test func createReadPatchAndList() async throws {
        try await withClub { client, club in
            let id = try await client.createClient(club)
            let read = try await client.call(.get, "/v1/clients/\(id)", token: club.headToken)
            #expect(read.status == .ok)
            #expect(read.headers[.eTag] == "\"1\"")
            let patched = try await client.call(
                .patch,
                "/v1/clients/\(id)",
                token: club.headToken,
                json: #"{"name":"Yacht Charter"}"#,
                headers: [.ifMatch: "\"1\""]
            )
            #expect(try patched.json()["name"] as? String == "Yacht Charter")
            let stale = try await client.call(
                .patch,
                "/v1/clients/\(id)",
                token: club.headToken,
                json: #"{"name":"Other"}"#,
                headers: [.ifMatch: "\"1\""]
            )
            #expect(stale.status == .preconditionFailed)
            let list = try await client.call(.get, "/v1/clients", token: club.headToken).json()
            #expect((list["items"] as? [Any])?.count == 1)
        }
    }

    @Test func aClientTokenSeesOnlyItsOwnClient() async throws {
        try await withClub { client, club in
            let own = try await client.createClient(club)
            let other = try await client.createClient(club, name: "Other Ltd")
            let token = try await club.token(.client, clientId: own)
            #expect(try await client.call(.get, "/v1/clients/\(own)", token: token).status == .ok)
            #expect(try await client.call(.get, "/v1/clients/\(other)", token: token).status == .notFound)
            let me = try await client.call(.get, "/v1/me", token: token).json()
            #expect(me["role"] as? String == "client")
            #expect(me["clientId"] as? String == own)
        }
    }
}
