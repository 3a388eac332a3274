import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Tokens over the API")
struct TokenEndpointTests {
    @Test func theHeadIssuesAStudioTokenThatWorksAndCanBeRevoked() async throws {
        try await withClub { client, club in
            let studio = try await client.createStudio(club)
            let issued = try await client.call(
                .post,
                "/v1/tokens",
                token: club.headToken,
                json: #"{"role":"studio","studioId":"\#(studio)","name":"Pixel Hands bot"}"#
            )
            #expect(issued.status == .created)
            let body = try issued.json()
            let secret = try #require(body["token"] as? String)
            let id = try #require(body["id"] as? String)
            // Its first use keeps it in the daemon's token cache: the revocation below must empty it at once.
            let me = try await client.call(.get, "/v1/me", token: secret).json()
            #expect(me["studioId"] as? String == studio)

            let list = try await client.call(.get, "/v1/tokens", token: club.headToken)
            #expect(!list.text.contains(secret), "a listed token never shows its secret")
            #expect(!list.text.contains("secretHash"))

            #expect(try await client.call(.delete, "/v1/tokens/\(id)", token: club.headToken).status == .noContent)
            #expect(try await client.call(.get, "/v1/me", token: secret).status == .unauthorized)
            #expect(try await client.call(.delete, "/v1/tokens/\(id)", token: club.headToken).status == .conflict)
        }
    }

    @Test func theLastHeadTokenCannotBeRevoked() async throws {
        try await withClub { client, club in
            let me = try await client.call(.get, "/v1/me", token: club.headToken).json()
            let id = try #require(me["tokenId"] as? String)
            let response = try await client.call(.delete, "/v1/tokens/\(id)", token: club.headToken)
            #expect(response.status == .conflict)
            #expect(try response.json()["type"] as? String == "/problems/last-head-token")
        }
    }

    @Test func bindingRulesAreNamed() async throws {
        try await withClub { client, club in
            let unbound = try await client.call(.post, "/v1/tokens", token: club.headToken, json: #"{"role":"studio","name":"bot"}"#)
            #expect(unbound.status == .unprocessableContent)
            #expect(try unbound.problemFields() == ["studioId"])
            let missing = try await client.call(
                .post,
                "/v1/tokens",
                token: club.headToken,
                json: #"{"role":"client","clientId":"cli_nope","name":"Oleg"}"#
            )
            #expect(try missing.problemFields() == ["clientId"])
        }
    }

    @Test func missingAndBadTokensAre401() async throws {
        try await withClub { client, _ in
            let none = try await client.call(.get, "/v1/me")
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(none.isProblem)
            #expect(try await client.call(.get, "/v1/me", token: "clb_forged").status == .unauthorized)
            #expect(try await client.call(.get, "/v1/me", headers: [.authorization: "Basic YWxhZGRpbjpvcGVuc2VzYW1l"]).status == .unauthorized)
        }
    }

    @Test func healthNeedsNoTokenAndReportsTheJournalHead() async throws {
        try await withClub { client, club in
            let health = try await client.call(.get, "/v1/health").json()
            #expect(health["status"] as? String == "ok")
            let journal = try #require(health["journal"] as? [String: Any])
            #expect(journal["events"] as? Int == 1)
            #expect(journal["head"] as? String == (try await club.database.journalHead().hash))
        }
    }

    @Test func theJournalShowsChangesAsObjectsAndFiltersByEntity() async throws {
        try await withClub { client, club in
            let id = try await client.createStudio(club)
            try await client.call(.patch, "/v1/studios/\(id)", token: club.headToken, json: #"{"capacity":4}"#)
            let page = try await client.call(.get, "/v1/journal?entityType=studio&entityId=\(id)", token: club.headToken).json()
            let items = try #require(page["items"] as? [[String: Any]])
            #expect(items.map { $0["action"] as? String } == ["created", "updated"])
            #expect((items[1]["after"] as? [String: Any])?["capacity"] as? Int == 4)
            #expect((items[1]["before"] as? [String: Any])?["capacity"] as? Int == 3)
            #expect((items[1]["actor"] as? [String: Any])?["role"] as? String == "head-coordinator")
        }
    }
}
