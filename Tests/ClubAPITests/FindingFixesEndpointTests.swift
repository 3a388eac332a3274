import ClubCore
import Foundation
import HTTPTypes
import Testing

/// `POST /v1/audit-findings/{id}/rebuttal` with a correction: the finding becomes a fix item,
/// linked both ways and read alike by the client and the studio (docs/design.md §3.8).
@Suite("Findings become fixes over HTTP")
struct FindingFixesEndpointTests {
    @Test(arguments: Transport.allCases)
    func anAcceptedFindingBecomesAFixItem(over transport: Transport) async throws {
        try await withClub(transport) { client, club in
            let scene = try await FixListEndpointTests.scene(client, club)
            let head = club.headToken
            let created = try await client.call(
                .post,
                "/v1/engagements/\(scene.engagement)/audits",
                token: head,
                json: """
                    {"auditor":"Northwind Audit Bureau","receivedAt":"2026-11-01T09:00:00Z","subject":"advertising campaign",
                     "findings":[{"statement":"no call tracking","severity":"high","category":"analytics","proposal":"add a call goal",
                                  "internalNote":"the auditor sells call tracking"}]}
                    """
            )
            let audit = try ReferenceCaseTests.id(created)
            let finding = try #require((try created.json()["findings"] as? [[String: Any]])?.first?["id"] as? String)
            let rebuttal = "/v1/audit-findings/\(finding)/rebuttal"

            let bare = try await client.call(.post, rebuttal, token: head, json: #"{"position":"accept","argument":"added"}"#)
            #expect(bare.status == .unprocessableContent)
            #expect(try bare.json()["type"] as? String == "/problems/finding-needs-correction")
            let noDue = try await client.call(
                .post,
                rebuttal,
                token: head,
                json: #"{"position":"accept","argument":"added","correction":{"acceptance":"a call shows"}}"#
            )
            #expect(noDue.status == .badRequest || noDue.status == .unprocessableContent)
            #expect(noDue.text.contains("due"))
            let disputed = try await client.call(
                .post,
                rebuttal,
                token: head,
                json: #"{"position":"dispute","argument":"no","correction":{"acceptance":"a call shows","due":"2030-03-01"}}"#
            )
            #expect(disputed.status == .unprocessableContent && disputed.text.contains("correction"))
            let fromStudio = try await client.call(
                .post,
                rebuttal,
                token: scene.studioToken,
                json: #"{"argument":"we can add it","correction":{"acceptance":"a call shows","due":"2030-03-01"}}"#
            )
            #expect(fromStudio.status == .unprocessableContent)

            let accepted = try await client.call(
                .post,
                rebuttal,
                token: head,
                json: #"{"position":"accept","argument":"added as proposed","#
                    + #""correction":{"acceptance":"a test call shows as a goal","due":"2030-03-01"}}"#
            )
            #expect(accepted.status == .ok)
            let answered = try #require((try accepted.json()["findings"] as? [[String: Any]])?.first)
            let itemId = try #require(answered["fixItemId"] as? String)
            let listId = try #require(answered["fixListId"] as? String)

            for token in [scene.clientToken, scene.studioToken] {
                let list = try await client.call(.get, "/v1/fix-lists/\(listId)", token: token).json()
                let item = try #require((list["items"] as? [[String: Any]])?.first { $0["id"] as? String == itemId })
                #expect(item["findingId"] as? String == finding && item["statement"] as? String == "add a call goal")
                #expect(item["due"] as? String == "2030-03-01")
                let seen = try await client.call(.get, "/v1/audits/\(audit)", token: token).json()
                let shown = try #require((seen["findings"] as? [[String: Any]])?.first)
                #expect(shown["fixItemId"] as? String == itemId && shown["internalNote"] == nil)
            }

            let again = try await client.call(.post, rebuttal, token: head, json: #"{"position":"dispute","argument":"on second thought"}"#)
            #expect(again.status == .conflict)
            #expect(try again.json()["type"] as? String == "/problems/finding-correction-exists")

            #expect(try await client.call(.post, "/v1/audits/\(audit)/answer", token: head, json: "{}").json()["answeredBy"] != nil)
            let letter = try await client.call(.get, "/v1/audits/\(audit)/letter", token: scene.clientToken)
            #expect(letter.text.contains("Correction: add a call goal, due "))
            #expect(letter.text.contains("To: ") && !letter.text.contains("To: Northwind"))
            #expect(letter.text.contains("Auditor: Northwind Audit Bureau") && !letter.text.contains("sells call tracking"))
        }
    }
}
