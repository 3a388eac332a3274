import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `/v1/webhooks` and the delivery log through the router (docs/design.md §10): coordinators
/// only, the secret shown once, rotation with an overlap, and the URL rules.
@Suite("Webhook endpoints")
struct WebhookEndpointTests {
    static let body = #"{"url":"https://crm.example.org/hooks/club","events":["referral.offered","complaint.filed"],"description":"CRM"}"#

    @Test func aCoordinatorRegistersReadsEditsAndDeletesAnEndpointAndSeesTheSecretOnce() async throws {
        try await withClub { client, club in
            let coordinator = try await club.token(.coordinator)
            let created = try await client.call(.post, "/v1/webhooks", token: coordinator, json: Self.body)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[.cacheControl] == "no-store" && created.headers[.eTag] == "\"1\"")
            let answer = try created.json()
            let id = try #require(answer["id"] as? String)
            let secret = try #require(answer["secret"] as? String)
            #expect(id.hasPrefix("whk_") && secret.hasPrefix("whsec_") && Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
            #expect(answer["status"] as? String == "active" && answer["events"] as? [String] == ["referral.offered", "complaint.filed"])

            let read = try await client.call(.get, "/v1/webhooks/\(id)", token: coordinator)
            #expect(read.status == .ok)
            #expect(try read.json()["url"] as? String == "https://crm.example.org/hooks/club")
            let listed = try await client.call(.get, "/v1/webhooks", token: club.headToken)
            #expect((try listed.json()["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            let journal = try await client.call(.get, "/v1/journal?limit=200", token: club.headToken)
            for text in [read.text, listed.text, journal.text] {
                #expect(!text.contains(secret.dropFirst(6)) && !text.contains("\"secret\""), "the secret is never shown again")
            }
            #expect(journal.text.contains(#""entityType":"webhook""#), "registering is journaled")

            let stale = try await client.call(.patch, "/v1/webhooks/\(id)", token: coordinator, json: "{}", headers: [.ifMatch: "\"7\""])
            #expect(stale.status == .preconditionFailed)
            let edited = try await client.call(
                .patch,
                "/v1/webhooks/\(id)",
                token: coordinator,
                json: #"{"events":["fix-item.struck"],"status":"disabled"}"#,
                headers: [.ifMatch: "\"1\""]
            )
            #expect(edited.status == .ok, "\(edited.text)")
            let now = try edited.json()
            #expect(now["events"] as? [String] == ["fix-item.struck"] && now["status"] as? String == "disabled" && now["version"] as? Int == 2)
            #expect(now["disabledReason"] as? String == "disabled by a coordinator")

            #expect(try await client.call(.delete, "/v1/webhooks/\(id)", token: coordinator).status == .noContent)
            #expect(try await client.call(.get, "/v1/webhooks/\(id)", token: coordinator).status == .notFound)
        }
    }

    @Test func rotatingGivesANewSecretOnceAndTheOldSignsForADayMore() async throws {
        try await withClub { client, club in
            let created = try await client.call(.post, "/v1/webhooks", token: club.headToken, json: Self.body)
            let id = try ReferenceCaseTests.id(created)
            let old = try #require(try created.json()["secret"] as? String)
            let rotated = try await client.call(.post, "/v1/webhooks/\(id)/rotate-secret", token: club.headToken)
            #expect(rotated.status == .ok && rotated.headers[.cacheControl] == "no-store", "\(rotated.text)")
            let answer = try rotated.json()
            let new = try #require(answer["secret"] as? String)
            #expect(new != old && new.hasPrefix("whsec_"))
            let until = try #require((answer["previousSecretUntil"] as? String).flatMap(RFC3339.date(from:)))
            #expect(abs(until.timeIntervalSinceNow - 24 * 3600) < 60)
            #expect(answer["secretRotatedAt"] != nil && answer["version"] as? Int == 2)
            let read = try await client.call(.get, "/v1/webhooks/\(id)", token: club.headToken)
            #expect(!read.text.contains(new.dropFirst(6)) && !read.text.contains(old.dropFirst(6)))
        }
    }

    @Test func onlyACoordinatorManagesWebhooks() async throws {
        try await withClub { client, club in
            let studio = try await club.token(.studio, studioId: try await client.createStudio(club))
            let customer = try await club.token(.client, clientId: try await client.createClient(club))
            let id = try ReferenceCaseTests.id(try await client.call(.post, "/v1/webhooks", token: club.headToken, json: Self.body))
            let calls: [(HTTPRequest.Method, String, String?)] = [
                (.post, "/v1/webhooks", Self.body), (.get, "/v1/webhooks", nil), (.get, "/v1/webhooks/\(id)", nil),
                (.patch, "/v1/webhooks/\(id)", #"{"description":"mine now"}"#), (.delete, "/v1/webhooks/\(id)", nil),
                (.post, "/v1/webhooks/\(id)/rotate-secret", nil), (.get, "/v1/webhooks/\(id)/deliveries", nil),
                (.post, "/v1/webhook-deliveries/whd_any/redeliver", nil),
            ]
            for (method, path, body) in calls {
                for token in [studio, customer] {
                    let response = try await client.call(method, path, token: token, json: body)
                    #expect(response.status == .forbidden && response.isProblem, "\(method) \(path): \(response.text)")
                    #expect(try response.json()["detail"] as? String == "only a coordinator may manage webhooks")
                }
                #expect(try await client.call(method, path, json: body).status == .unauthorized)
            }
            #expect(try await client.call(.get, "/v1/webhooks/\(id)", token: club.headToken).status == .ok, "still there")
        }
    }

    @Test func anUnknownIdIsNotFound() async throws {
        try await withClub { client, club in
            let calls: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/v1/webhooks/whk_nope", nil), (.patch, "/v1/webhooks/whk_nope", #"{"description":"x"}"#),
                (.delete, "/v1/webhooks/whk_nope", nil), (.post, "/v1/webhooks/whk_nope/rotate-secret", nil),
                (.get, "/v1/webhooks/whk_nope/deliveries", nil), (.post, "/v1/webhook-deliveries/whd_nope/redeliver", nil),
            ]
            for (method, path, body) in calls {
                let response = try await client.call(method, path, token: club.headToken, json: body)
                #expect(response.status == .notFound && response.isProblem, "\(method) \(path): \(response.text)")
            }
        }
    }

    @Test(
        arguments: [
            (#"{"url":"http://crm.example.org/hook","events":["complaint.filed"]}"#, 422, ["url"], "https://"),
            (#"{"url":"https://user:pw@crm.example.org/hook","events":["complaint.filed"]}"#, 422, ["url"], "password"),
            (#"{"url":"https://127.0.0.1:9000/hook","events":["complaint.filed"]}"#, 422, ["url"], "loopback"),
            (#"{"url":"https://10.0.0.8/hook","events":["complaint.filed"]}"#, 422, ["url"], "private"),
            (#"{"url":"https://[fd00::1]/hook","events":["complaint.filed"]}"#, 422, ["url"], "unique-local"),
            (#"{"url":"https://169.254.169.254/latest","events":["complaint.filed"]}"#, 422, ["url"], "link-local"),
            (#"{"url":"https://crm.example.org/hook","events":["complaint.eaten"]}"#, 422, ["events[0]"], "complaint.eaten"),
            (#"{"url":"https://crm.example.org/hook","events":[]}"#, 422, ["events"], "at least one"),
            (#"{"url":"https://crm.example.org/hook","events":"complaint.filed"}"#, 400, ["events"], "array"),
            (#"{"events":["complaint.filed"]}"#, 400, ["url"], "required"),
            (#"{"url":"https://crm.example.org/hook","events":["complaint.filed"],"secret":"mine"}"#, 400, ["secret"], "not a field"),
        ]
    )
    func badInputIsRefusedNamingTheField(_ body: String, _ status: Int, _ fields: [String], _ words: String) async throws {
        try await withClub { client, club in
            let response = try await client.call(.post, "/v1/webhooks", token: club.headToken, json: body)
            #expect(response.status.code == status && response.isProblem, "\(body): \(response.text)")
            #expect(try response.problemFields() == fields, "\(body): \(response.text)")
            #expect(response.text.contains(words), "\(body): \(response.text)")
            let listed = try await client.call(.get, "/v1/webhooks", token: club.headToken)
            #expect((try listed.json()["items"] as? [Any])?.isEmpty == true, "nothing registered")
        }
    }

    @Test func anEditMeetsTheSameURLRules() async throws {
        try await withClub { client, club in
            let id = try ReferenceCaseTests.id(try await client.call(.post, "/v1/webhooks", token: club.headToken, json: Self.body))
            let response = try await client.call(.patch, "/v1/webhooks/\(id)", token: club.headToken, json: #"{"url":"https://192.168.0.1/"}"#)
            #expect(response.status.code == 422, "\(response.text)")
            #expect(try response.problemFields() == ["url"], "\(response.text)")
        }
    }

    @Test func anEventIsQueuedForEachSubscribedEndpointAndCanBeRedelivered() async throws {
        try await withClub { client, club in
            let subscribed = try ReferenceCaseTests.id(try await client.call(.post, "/v1/webhooks", token: club.headToken, json: Self.body))
            let other = #"{"url":"https://other.example.org/hook","events":["complaint.filed"]}"#
            let unsubscribed = try ReferenceCaseTests.id(try await client.call(.post, "/v1/webhooks", token: club.headToken, json: other))
            let studio = try await ReferenceCaseTests.activeStudio(client, club, name: "Pixel Hands", competences: #"["landing","context_ads"]"#)
            let customer = try await client.createClient(club)
            let studioToken = try await club.token(.studio, studioId: studio)
            let engaged = try await AuthorizationMatrixTests.engage(client, club, clientId: customer, studioId: studio, studioToken: studioToken)

            let log = try await client.call(.get, "/v1/webhooks/\(subscribed)/deliveries", token: club.headToken)
            #expect(log.status == .ok, "\(log.text)")
            let items = try #require(try log.json()["items"] as? [[String: Any]])
            #expect(items.map { $0["eventType"] as? String } == ["referral.offered"], "\(log.text)")
            let delivery = try #require(items.first)
            #expect(delivery["entityId"] as? String == engaged.referral && delivery["status"] as? String == "pending")
            #expect((delivery["messageId"] as? String)?.isEmpty == false && (delivery["attempts"] as? [Any])?.isEmpty == true)
            let none = try await client.call(.get, "/v1/webhooks/\(unsubscribed)/deliveries", token: club.headToken)
            #expect((try none.json()["items"] as? [Any])?.isEmpty == true, "not subscribed to referrals")

            let deliveryId = try #require(delivery["id"] as? String)
            let again = try await client.call(.post, "/v1/webhook-deliveries/\(deliveryId)/redeliver", token: club.headToken)
            #expect(again.status == .accepted)
            let messageId = try again.json()["messageId"] as? String
            #expect(messageId == delivery["messageId"] as? String)
            try await client.call(.patch, "/v1/webhooks/\(subscribed)", token: club.headToken, json: #"{"status":"disabled"}"#)
            let refused = try await client.call(.post, "/v1/webhook-deliveries/\(deliveryId)/redeliver", token: club.headToken)
            #expect(refused.status == .conflict, "a disabled endpoint gets nothing: \(refused.text)")
        }
    }
}
