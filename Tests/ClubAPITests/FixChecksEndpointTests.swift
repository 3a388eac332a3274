import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The client checks each fix over HTTP (docs/design.md §3.7): accept, reopen with a new due day,
/// the rounds on the list, and the thread of comments readable by the list's parties only.
@Suite("Fix items: the client's check over the API")
struct FixChecksEndpointTests {
    @Test func theClientAcceptsOrReopensWithANewDueDayAndThePartiesComment() async throws {
        try await withClub { client, club in
            let scene = try await FixListEndpointTests.scene(client, club)
            let head = club.headToken
            let created = try await client.call(.post, "/v1/engagements/\(scene.engagement)/fix-lists", token: head, json: FixListEndpointTests.items)
            let list = try ReferenceCaseTests.id(created)
            let items = FixListEndpointTests.itemIds(try created.json())
            try await client.call(.post, "/v1/fix-lists/\(list)/confirm", token: scene.clientToken, json: "{}")
            try await client.call(.post, "/v1/fix-lists/\(list)/confirm", token: scene.studioToken, json: "{}")

            // Nothing to check before the studio strikes.
            let early = try await client.call(.post, "/v1/fix-items/\(items[0])/accept", token: scene.clientToken, json: "{}")
            let earlyType = try early.json()["type"] as? String
            #expect(early.status == .conflict && earlyType == "/problems/fix-item-not-awaiting-check")
            for id in items {
                try await client.call(.post, "/v1/fix-items/\(id)/strike", token: scene.studioToken, json: #"{"note":"deployed"}"#)
            }

            // The studio never accepts its own work; another client does not see the item; the club accepts only with a note.
            #expect(try await client.call(.post, "/v1/fix-items/\(items[0])/accept", token: scene.studioToken, json: "{}").status == .forbidden)
            #expect(try await client.call(.post, "/v1/fix-items/\(items[0])/accept", token: scene.otherClientToken, json: "{}").status == .notFound)
            let unsaid = try await client.call(.post, "/v1/fix-items/\(items[0])/accept", token: head, json: "{}")
            #expect(try unsaid.problemFields() == ["note"])
            let accepted = try await client.call(
                .post,
                "/v1/fix-items/\(items[0])/accept",
                token: scene.clientToken,
                json: #"{"note":"a lead arrived"}"#
            )
            #expect(accepted.status == .ok)
            let first = try #require((try accepted.json()["items"] as? [[String: Any]])?.first)
            #expect(
                first["state"] as? String == "accepted" && first["acceptNote"] as? String == "a lead arrived"
                    && first["autoAccepted"] as? Bool == false
            )
            #expect(try accepted.json()["status"] as? String == "agreed")

            // Reopening: a due day in the past is refused, naming `due`; the new one is agreed with it.
            let past = try await client.call(
                .post,
                "/v1/fix-items/\(items[1])/reopen",
                token: scene.clientToken,
                json: #"{"reason":"slow","due":"2020-01-01"}"#
            )
            #expect(try past.problemFields() == ["due"])
            let reopened = try await client.call(
                .post,
                "/v1/fix-items/\(items[1])/reopen",
                token: scene.clientToken,
                json: #"{"reason":"slow on 3G","due":"2030-02-01"}"#
            ).json()
            let second = try #require((reopened["items"] as? [[String: Any]])?.last)
            #expect(second["state"] as? String == "reopened" && second["due"] as? String == "2030-02-01")
            let rounds = try #require(second["rounds"] as? [[String: Any]])
            #expect(rounds.count == 1 && rounds[0]["onTime"] as? Bool == true && rounds[0]["reopenReason"] as? String == "slow on 3G")
            #expect(rounds[0]["due"] as? String == "2030-01-22" && rounds[0]["newDue"] as? String == "2030-02-01")

            // Comments: the client, the studio and the club write; the parties read; others get 404.
            let said = try await client.call(.post, "/v1/fix-items/\(items[1])/comments", token: scene.clientToken, json: #"{"text":"try it on 3G"}"#)
            let side = try said.json()["side"] as? String
            #expect(said.status == .created && side == "client")
            try await client.call(.post, "/v1/fix-items/\(items[1])/comments", token: scene.studioToken, json: #"{"text":"images compressed"}"#)
            try await client.call(.post, "/v1/fix-items/\(items[1])/comments", token: head, json: #"{"text":"call on Friday"}"#)
            let blank = try await client.call(.post, "/v1/fix-items/\(items[1])/comments", token: scene.clientToken, json: #"{"text":""}"#)
            #expect(try blank.problemFields() == ["text"])
            for token in [scene.clientToken, scene.studioToken, head] {
                let thread = try await client.call(.get, "/v1/fix-items/\(items[1])/comments", token: token).json()
                let sides = (thread["items"] as? [[String: Any]] ?? []).compactMap { $0["side"] as? String }
                #expect(sides == ["client", "studio", "club"])
            }
            for token in [scene.otherClientToken, scene.otherStudioToken] {
                #expect(try await client.call(.get, "/v1/fix-items/\(items[1])/comments", token: token).status == .notFound)
                #expect(
                    try await client.call(.post, "/v1/fix-items/\(items[1])/comments", token: token, json: #"{"text":"hi"}"#).status == .notFound
                )
            }
            let history = try await client.call(.get, "/v1/fix-lists/\(list)/history?limit=200", token: scene.studioToken).json()
            let comments = (history["items"] as? [[String: Any]] ?? []).filter { $0["entityType"] as? String == "fix-item-comment" }
            #expect(comments.count == 3)

            // Struck again and accepted: the list is done.
            try await client.call(.post, "/v1/fix-items/\(items[1])/strike", token: scene.studioToken, json: #"{"note":"compressed"}"#)
            let done = try await client.call(.post, "/v1/fix-items/\(items[1])/accept", token: scene.clientToken, json: "{}").json()
            #expect(done["status"] as? String == "done")
            #expect((done["progress"] as? [String: Any])?["accepted"] as? Int == 2)
        }
    }
}
