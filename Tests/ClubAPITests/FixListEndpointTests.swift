import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Step 5 of the reference case: the final correction list, agreed by both sides, struck off by
/// the studio, watched by the client — with every refusal on the way.
@Suite("Reference case, step 5: the final correction list")
struct FixListEndpointTests {
    /// An engagement between Yacht Charter and Pixel Hands, with tokens for everyone involved.
    struct Scene: Sendable {
        let engagement: String
        let studio: String
        let studioToken: String
        let clientToken: String
        let otherStudioToken: String
        let otherClientToken: String
    }

    static func scene(_ client: any APIClient, _ club: TestClub) async throws -> Scene {
        let head = club.headToken
        let studio = try await ReferenceCaseTests.activeStudio(client, club, name: "Pixel Hands", competences: #"["landing","context_ads"]"#)
        let other = try await ReferenceCaseTests.activeStudio(client, club, name: "Ad Minds", competences: #"["context_ads"]"#)
        let yacht = try await client.createClient(club)
        let otherClient = try await client.createClient(club, name: "Other Ltd")
        let request = try ReferenceCaseTests.id(
            try await client.call(
                .post,
                "/v1/requests",
                token: head,
                json: """
                    {"clientId":"\(yacht)","statedAsk":"Instagram promotion","businessGoal":"leads from the internet",
                     "budget":600000,"deadline":"2030-02-01"}
                    """
            )
        )
        try await client.call(
            .patch,
            "/v1/requests/\(request)",
            token: head,
            json: #"{"requiredCompetences":["landing","context_ads"],"rationale":"goal is leads"}"#
        )
        try await client.call(.post, "/v1/requests/\(request)/shortlist", token: head, json: "{}")
        let studioToken = try await club.token(.studio, studioId: studio)
        let referral = try #require(
            (try await client.call(.post, "/v1/requests/\(request)/referrals", token: head, json: #"{"studioIds":["\#(studio)"]}"#).json()["items"]
                as? [[String: Any]])?.first?["id"] as? String
        )
        try await client.call(.post, "/v1/referrals/\(referral)/answer", token: studioToken, json: #"{"accept":true}"#)
        let engagement = try ReferenceCaseTests.id(
            try await client.call(.post, "/v1/requests/\(request)/engagements", token: head, json: #"{"studioId":"\#(studio)"}"#)
        )
        return Scene(
            engagement: engagement,
            studio: studio,
            studioToken: studioToken,
            clientToken: try await club.token(.client, clientId: yacht),
            otherStudioToken: try await club.token(.studio, studioId: other),
            otherClientToken: try await club.token(.client, clientId: otherClient)
        )
    }

    static let items = #"""
        {"items":[
          {"statement":"The contact form sends leads to the CRM","acceptance":"a test lead appears in the CRM within a minute","due":"2030-01-20"},
          {"statement":"The landing page loads fast on mobile","acceptance":"PageSpeed mobile score of 80 or more","due":"2030-01-22"}]}
        """#

    static func itemIds(_ record: [String: Any]) -> [String] {
        (record["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test(arguments: Transport.allCases)
    func composeAgreeStrikeReopenAndWatch(over transport: Transport) async throws {
        try await withClub(transport) { client, club in
            let scene = try await Self.scene(client, club)
            let head = club.headToken

            // Drafting: statements and criteria required, duplicates refused, only coordinators.
            #expect(
                try await client.call(.post, "/v1/engagements/\(scene.engagement)/fix-lists", token: scene.clientToken, json: Self.items).status
                    == .forbidden
            )
            let duplicate = try await client.call(
                .post,
                "/v1/engagements/\(scene.engagement)/fix-lists",
                token: head,
                json: #"{"items":[{"statement":"A","acceptance":"x","due":"2030-01-01"},{"statement":"a","acceptance":"y","due":"2030-01-01"}]}"#
            )
            #expect(duplicate.status == .unprocessableContent)
            #expect(try duplicate.problemFields() == ["items[1].statement"])
            let blank = try await client.call(
                .post,
                "/v1/engagements/\(scene.engagement)/fix-lists",
                token: head,
                json: #"{"items":[{"statement":"","acceptance":" ","due":"2030-01-01"}]}"#
            )
            #expect(try blank.problemFields() == ["items[0].statement", "items[0].acceptance"])
            let created = try await client.call(.post, "/v1/engagements/\(scene.engagement)/fix-lists", token: head, json: Self.items)
            #expect(created.status == .created)
            let list = try ReferenceCaseTests.id(created)
            let items = Self.itemIds(try created.json())
            #expect(try created.json()["status"] as? String == "draft")

            // Who sees it.
            #expect(try await client.call(.get, "/v1/fix-lists/\(list)", token: scene.clientToken).status == .ok)
            #expect(try await client.call(.get, "/v1/fix-lists/\(list)", token: scene.studioToken).status == .ok)
            #expect(try await client.call(.get, "/v1/fix-lists/\(list)", token: scene.otherStudioToken).status == .notFound)
            #expect(try await client.call(.get, "/v1/fix-lists/\(list)", token: scene.otherClientToken).status == .notFound)

            // No striking before agreement.
            let early = try await client.call(.post, "/v1/fix-items/\(items[0])/strike", token: scene.studioToken, json: #"{"note":"done"}"#)
            #expect(early.status == .conflict)
            #expect(try early.json()["type"] as? String == "/problems/fix-item-not-strikable")

            // Agreement by both sides; a coordinator does not confirm for them.
            #expect(try await client.call(.post, "/v1/fix-lists/\(list)/confirm", token: head, json: "{}").status == .forbidden)
            #expect(try await client.call(.post, "/v1/fix-lists/\(list)/confirm", token: scene.otherStudioToken, json: "{}").status == .notFound)
            #expect(
                try await client.call(.post, "/v1/fix-lists/\(list)/confirm", token: scene.clientToken, json: "{}").json()["status"] as? String
                    == "draft"
            )
            let agreed = try await client.call(.post, "/v1/fix-lists/\(list)/confirm", token: scene.studioToken, json: "{}").json()
            #expect(agreed["status"] as? String == "agreed")

            // Striking: only the assigned studio; a client may not (403), another studio cannot see it (404).
            #expect(
                try await client.call(.post, "/v1/fix-items/\(items[0])/strike", token: scene.clientToken, json: #"{"note":"looks done"}"#).status
                    == .forbidden
            )
            #expect(
                try await client.call(.post, "/v1/fix-items/\(items[0])/strike", token: head, json: #"{"note":"looks done"}"#).status == .forbidden
            )
            #expect(
                try await client.call(.post, "/v1/fix-items/\(items[0])/strike", token: scene.otherStudioToken, json: #"{"note":"done"}"#).status
                    == .notFound
            )
            let noNote = try await client.call(.post, "/v1/fix-items/\(items[0])/strike", token: scene.studioToken, json: #"{"note":""}"#)
            #expect(try noNote.problemFields() == ["note"])
            let struck = try await client.call(
                .post,
                "/v1/fix-items/\(items[0])/strike",
                token: scene.studioToken,
                json: #"{"note":"deployed to production"}"#
            ).json()
            let first = try #require((struck["items"] as? [[String: Any]])?.first)
            #expect(first["state"] as? String == "struck" && first["strikeNote"] as? String == "deployed to production" && first["struckAt"] != nil)
            #expect((struck["progress"] as? [String: Any])?["struck"] as? Int == 1)

            // Reopening: the client with a reason; never the studio.
            #expect(
                try await client.call(.post, "/v1/fix-items/\(items[0])/reopen", token: scene.studioToken, json: #"{"reason":"x"}"#).status
                    == .forbidden
            )
            #expect(
                try await client.call(.post, "/v1/fix-items/\(items[0])/reopen", token: scene.clientToken, json: #"{"reason":" "}"#).status
                    == .unprocessableContent
            )
            let reopened = try await client.call(
                .post,
                "/v1/fix-items/\(items[0])/reopen",
                token: scene.clientToken,
                json: #"{"reason":"still broken on mobile"}"#
            ).json()
            #expect((reopened["items"] as? [[String: Any]])?.first?["state"] as? String == "reopened")

            // An amendment: the new item waits for both sides, the agreed ones stay strikable.
            let amended = try await client.call(
                .post,
                "/v1/fix-lists/\(list)/items",
                token: head,
                json: #"{"statement":"Ads exclude job seekers","acceptance":"negative keywords in the account","due":"2030-01-25"}"#
            )
            #expect(amended.status == .created)
            #expect(try amended.json()["status"] as? String == "amending")
            let newItem = try #require(Self.itemIds(try amended.json()).last)
            #expect(
                try await client.call(.post, "/v1/fix-items/\(newItem)/strike", token: scene.studioToken, json: #"{"note":"done"}"#).status
                    == .conflict
            )
            for id in items {
                #expect(try await client.call(.post, "/v1/fix-items/\(id)/strike", token: scene.studioToken, json: #"{"note":"done"}"#).status == .ok)
            }
            try await client.call(.post, "/v1/fix-lists/\(list)/confirm", token: scene.clientToken, json: "{}")
            #expect(
                try await client.call(.post, "/v1/fix-lists/\(list)/confirm", token: scene.studioToken, json: "{}").json()["status"] as? String
                    == "agreed"
            )
            let allStruck = try await client.call(
                .post,
                "/v1/fix-items/\(newItem)/strike",
                token: scene.studioToken,
                json: #"{"note":"negative keywords added"}"#
            ).json()
            #expect(allStruck["status"] as? String == "agreed", "every item struck, none yet checked by the client")
            // The client checks each struck item; the list is done when every item is accepted.
            var done: [String: Any] = [:]
            for id in items + [newItem] {
                done = try await client.call(.post, "/v1/fix-items/\(id)/accept", token: scene.clientToken, json: "{}").json()
            }
            #expect(done["status"] as? String == "done")

            // History: the same events as the journal, oldest first.
            let history = try await client.call(.get, "/v1/fix-lists/\(list)/history?limit=200", token: scene.clientToken).json()
            let actions = (history["items"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions.first == "created")
            #expect(actions.filter { $0 == "struck" }.count == 4)
            #expect(actions.contains("reopened") && actions.contains("agreed") && actions.contains("amendment-opened") && actions.contains("done"))
            let seqs = (history["items"] as? [[String: Any]] ?? []).compactMap { $0["seq"] as? Int }
            #expect(seqs == seqs.sorted())
            #expect(try await client.call(.get, "/v1/fix-lists/\(list)/history", token: scene.otherClientToken).status == .notFound)
        }
    }

    @Test func theSharePageShowsTheListEscapedAndExpiringLinksStopWorking() async throws {
        let clock = ManualClock(Date())
        try await withClub(clock: clock) { client, club in
            let scene = try await Self.scene(client, club)
            let list = try ReferenceCaseTests.id(
                try await client.call(
                    .post,
                    "/v1/engagements/\(scene.engagement)/fix-lists",
                    token: club.headToken,
                    json: #"""
                        {"items":[{"statement":"Remove <script>alert(1)</script> from the footer","acceptance":"no script tag","due":"2030-01-20"}]}
                        """#
                )
            )
            #expect(try await client.call(.post, "/v1/fix-lists/\(list)/share-links", token: scene.studioToken, json: "{}").status == .forbidden)
            let expiresAt = RFC3339.string(from: clock.now().addingTimeInterval(3600))
            let link = try await client.call(
                .post,
                "/v1/fix-lists/\(list)/share-links",
                token: scene.clientToken,
                json: #"{"expiresAt":"\#(expiresAt)"}"#
            )
            #expect(link.status == .created)
            let token = try #require(try link.json()["token"] as? String)
            #expect((try link.json()["url"] as? String)?.hasSuffix("/share/\(token)") == true)

            let page = try await client.call(.get, "/share/\(token)")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            #expect(page.text.contains("Remove &lt;script&gt;alert(1)&lt;/script&gt; from the footer"))
            #expect(!page.text.contains("<script>alert(1)"))
            #expect(page.text.contains("0 of 1 struck"))
            #expect(!page.text.contains("http://") && !page.text.contains("https://"), "no external assets")

            let unknown = try await client.call(.get, "/share/shr_nothing")
            #expect(unknown.status == .notFound)
            #expect(!unknown.text.contains("Remove"))
            clock.advance(by: 2 * 3600)
            let expired = try await client.call(.get, "/share/\(token)")
            #expect(expired.status == .gone)
            #expect(!expired.text.contains("Remove"), "an expired link reveals nothing")
            #expect(try await client.call(.get, "/share/\(token)/events").status == .gone)
        }
    }

    @Test func aRevokedLinkIsGone() async throws {
        try await withClub { client, club in
            let scene = try await Self.scene(client, club)
            let list = try ReferenceCaseTests.id(
                try await client.call(.post, "/v1/engagements/\(scene.engagement)/fix-lists", token: club.headToken, json: Self.items)
            )
            let link = try await client.call(.post, "/v1/fix-lists/\(list)/share-links", token: club.headToken, json: "{}").json()
            let id = try #require(link["id"] as? String)
            let token = try #require(link["token"] as? String)
            #expect(try await client.call(.delete, "/v1/share-links/\(id)", token: scene.otherClientToken).status == .notFound)
            #expect(try await client.call(.delete, "/v1/share-links/\(id)", token: scene.clientToken).status == .noContent)
            #expect(try await client.call(.get, "/share/\(token)").status == .gone)
        }
    }
}
