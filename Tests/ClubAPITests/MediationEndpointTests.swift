import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Steps 4, 6, 7 and 8 of the reference case through the API, with their refusals.
@Suite("Reference case, steps 4, 6, 7, 8: mediation")
struct MediationEndpointTests {
    @Test(arguments: Transport.allCases)
    func complaintPlanApprovalRecoveryAndRelease(over transport: Transport) async throws {
        try await withClub(transport) { client, club in
            let scene = try await FixListEndpointTests.scene(client, club)
            let head = club.headToken
            let coordinator = try await club.token(.coordinator)

            // Step 4: a complaint demanding part of the money back.
            let tooMuch = try await client.call(
                .post,
                "/v1/engagements/\(scene.engagement)/complaints",
                token: head,
                json: #"{"channel":"email","summary":"late","demand":{"kind":"refund","amount":900000}}"#
            )
            #expect(tooMuch.status == .unprocessableContent)
            #expect(try tooMuch.problemFields() == ["demand.amount"])
            #expect(
                try await client.call(
                    .post,
                    "/v1/engagements/\(scene.engagement)/complaints",
                    token: scene.studioToken,
                    json: #"{"channel":"email","summary":"x","demand":{"kind":"redo"}}"#
                ).status == .forbidden
            )
            let filed = try await client.call(
                .post,
                "/v1/engagements/\(scene.engagement)/complaints",
                token: scene.clientToken,
                json: #"{"channel":"email","summary":"the form loses leads","demand":{"kind":"refund","amount":300000}}"#
            )
            #expect(filed.status == .created)
            let complaint = try ReferenceCaseTests.id(filed)
            #expect(
                try await client.call(.get, "/v1/complaints/\(complaint)", token: scene.studioToken).status == .ok,
                "the studio reads the complaint about its work"
            )
            #expect(try await client.call(.get, "/v1/complaints/\(complaint)", token: scene.otherStudioToken).status == .notFound)
            #expect(try await client.call(.get, "/v1/complaints/\(complaint)", token: scene.otherClientToken).status == .notFound)
            let clientsNote = try await client.call(
                .post,
                "/v1/engagements/\(scene.engagement)/complaints",
                token: scene.clientToken,
                json: #"{"channel":"email","summary":"x","demand":{"kind":"redo"},"internalNote":"mine"}"#
            )
            #expect(clientsNote.status == .unprocessableContent, "the internal note is the club's")
            #expect(try clientsNote.problemFields() == ["internalNote"])

            // The studio gives its account, and may give it again; nobody gives it for the studio.
            let accountPath = "/v1/complaints/\(complaint)/studio-account"
            let first = try await client.call(.post, accountPath, token: scene.studioToken, json: #"{"account":"the CRM refused two fields"}"#)
            #expect(first.status == .ok, "\(first.text)")
            #expect((try first.json()["studioAccount"] as? [String: Any])?["account"] as? String == "the CRM refused two fields")
            let second = try await client.call(
                .post,
                accountPath,
                token: scene.studioToken,
                json: #"{"account":"the CRM refused two fields; we fixed the mapping"}"#
            )
            #expect(
                (try second.json()["studioAccount"] as? [String: Any])?["account"] as? String == "the CRM refused two fields; we fixed the mapping"
            )
            #expect(try await client.call(.post, accountPath, token: scene.otherStudioToken, json: #"{"account":"x"}"#).status == .notFound)
            #expect(try await client.call(.post, accountPath, token: scene.clientToken, json: #"{"account":"x"}"#).status == .forbidden)
            #expect(try await client.call(.post, accountPath, token: head, json: #"{"account":"x"}"#).status == .forbidden)
            #expect(try await client.call(.post, accountPath, token: scene.studioToken, json: #"{"account":" "}"#).status == .unprocessableContent)
            let noted = try await client.call(
                .patch,
                "/v1/complaints/\(complaint)",
                token: head,
                json: #"{"internalNote":"the studio was late before"}"#
            )
            #expect(try noted.json()["internalNote"] as? String == "the studio was late before")

            let early = try await client.call(
                .post,
                "/v1/complaints/\(complaint)/plan",
                token: head,
                json: #"{"goals":["release"],"steps":[{"action":"fix","owner":"studio","due":"2030-01-01"}]}"#
            )
            #expect(early.status == .conflict, "the meeting comes before the plan")
            let met = try await client.call(
                .post,
                "/v1/complaints/\(complaint)/meeting",
                token: head,
                json: """
                    {"heldAt":"2026-11-01T10:00:00Z","studiosPresent":false,"facts":["release three weeks late"],"emotions":["feels ignored"]}
                    """
            ).json()
            #expect(met["status"] as? String == "meeting_held")
            let planned = try await client.call(
                .post,
                "/v1/complaints/\(complaint)/plan",
                token: head,
                json: """
                    {"goals":["deliver what was promised and release",{"text":"win back loyalty","visibility":"internal"}],
                     "steps":[{"action":"agree the correction list","owner":"club","due":"2020-01-01"}],"upsell":"a CRM"}
                    """
            ).json()
            #expect(planned["status"] as? String == "plan_proposed")
            let goals = (planned["plan"] as? [String: Any])?["goals"] as? [[String: Any]]
            #expect(goals?.map { $0["text"] as? String } == ["deliver what was promised and release", "win back loyalty"])
            #expect(goals?.map { $0["visibility"] as? String } == ["shared", "internal"])
            #expect(((planned["plan"] as? [String: Any])?["steps"] as? [[String: Any]])?.first?["visibility"] as? String == "shared")
            let refused = try await client.call(.post, "/v1/complaints/\(complaint)/approve", token: coordinator, json: "{}")
            #expect(refused.status == .forbidden, "only the head approves")
            #expect(
                try await client.call(.post, "/v1/complaints/\(complaint)/approve", token: head, json: "{}").json()["status"] as? String
                    == "plan_approved"
            )
            #expect(try await client.call(.get, "/v1/engagements/\(scene.engagement)", token: head).json()["status"] as? String == "in_recovery")

            // The overdue plan step is on the coordinator's follow-up list.
            let followUps = try await client.call(.get, "/v1/follow-ups", token: coordinator).json()
            #expect((followUps["overduePlanSteps"] as? [[String: Any]])?.first?["complaintId"] as? String == complaint)
            #expect(try await client.call(.get, "/v1/follow-ups", token: scene.clientToken).status == .forbidden)

            // Released only once the agreed correction list is done.
            let list = try ReferenceCaseTests.id(
                try await client.call(
                    .post,
                    "/v1/engagements/\(scene.engagement)/fix-lists",
                    token: head,
                    json: #"{"items":[{"statement":"The form sends leads","acceptance":"a test lead arrives","due":"2030-01-20"}]}"#
                )
            )
            let item = try #require(FixListEndpointTests.itemIds(try await client.call(.get, "/v1/fix-lists/\(list)", token: head).json()).first)
            try await client.call(.post, "/v1/fix-lists/\(list)/confirm", token: scene.clientToken, json: "{}")
            try await client.call(.post, "/v1/fix-lists/\(list)/confirm", token: scene.studioToken, json: "{}")
            let tooSoon = try await client.call(.patch, "/v1/engagements/\(scene.engagement)", token: head, json: #"{"status":"released"}"#)
            #expect(tooSoon.status == .conflict)
            #expect(try tooSoon.json()["type"] as? String == "/problems/release-needs-done-fix-list")
            try await client.call(.post, "/v1/fix-items/\(item)/strike", token: scene.studioToken, json: #"{"note":"deployed"}"#)
            // Done means accepted by the client (docs/design.md §3.7).
            try await client.call(.post, "/v1/fix-items/\(item)/accept", token: scene.clientToken, json: "{}")
            #expect(
                try await client.call(.patch, "/v1/engagements/\(scene.engagement)", token: head, json: #"{"status":"released"}"#).json()["status"]
                    as? String == "released"
            )

            let resolved = try await client.call(
                .post,
                "/v1/complaints/\(complaint)/resolve",
                token: head,
                json: #"{"outcome":"retained","notes":"released on the corrected list","upsell":"CRM set-up","upheld":true,"upheldReason":"late"}"#
            ).json()
            #expect(resolved["status"] as? String == "resolved")
            let card = try await client.call(.get, "/v1/reports/studios", token: head).json()
            let studioCard = (card["items"] as? [[String: Any]])?.first { $0["studioId"] as? String == scene.studio }
            #expect(studioCard?["upheldComplaints"] as? Int == 1)
        }
    }

    @Test(arguments: Transport.allCases)
    func auditAnsweredPointByPoint(over transport: Transport) async throws {
        try await withClub(transport) { client, club in
            let scene = try await FixListEndpointTests.scene(client, club)
            let head = club.headToken
            let created = try await client.call(
                .post,
                "/v1/engagements/\(scene.engagement)/audits",
                token: head,
                json: """
                    {"auditor":"Northwind Audit Bureau","receivedAt":"2026-11-01T09:00:00Z","subject":"advertising campaign",
                     "findings":[{"statement":"too few negative keywords","severity":"critical","category":"keywords","proposal":null},
                                 {"statement":"no call tracking","severity":"high","category":"analytics","proposal":"add a call goal"}]}
                    """
            )
            #expect(created.status == .created)
            let audit = try ReferenceCaseTests.id(created)
            let findings = (try created.json()["findings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect((try created.json()["findings"] as? [[String: Any]])?.map { $0["constructive"] as? Bool } == [false, true])

            // Who sees it: the audited studio and the engagement's client; nobody else.
            #expect(try await client.call(.get, "/v1/audits/\(audit)", token: scene.studioToken).status == .ok)
            #expect(try await client.call(.get, "/v1/audits/\(audit)", token: scene.clientToken).status == .ok)
            #expect(try await client.call(.get, "/v1/audits/\(audit)", token: scene.otherStudioToken).status == .notFound)
            #expect(try await client.call(.get, "/v1/audits/\(audit)", token: scene.otherClientToken).status == .notFound)

            // The studio may propose arguments; the club takes the positions.
            #expect(
                try await client.call(
                    .post,
                    "/v1/audit-findings/\(findings[0])/rebuttal",
                    token: scene.studioToken,
                    json: #"{"argument":"the search-term report shows no irrelevant clicks"}"#
                ).status == .ok
            )
            #expect(
                try await client.call(.post, "/v1/audit-findings/\(findings[0])/rebuttal", token: scene.otherStudioToken, json: #"{"argument":"x"}"#)
                    .status == .notFound
            )
            #expect(
                try await client.call(
                    .post,
                    "/v1/audit-findings/\(findings[0])/rebuttal",
                    token: scene.clientToken,
                    json: #"{"position":"accept","argument":"x"}"#
                ).status == .forbidden
            )
            #expect(
                try await client.call(.post, "/v1/audit-findings/\(findings[0])/rebuttal", token: head, json: #"{"position":"maybe","argument":"x"}"#)
                    .status == .badRequest
            )
            try await client.call(
                .post,
                "/v1/audit-findings/\(findings[0])/rebuttal",
                token: head,
                json:
                    #"{"position":"dispute","argument":"quality of negative keywords is not their count","evidence":["https://example.org/report"]}"#
            )
            let unanswerable = try await client.call(.post, "/v1/audits/\(audit)/answer", token: head, json: "{}")
            #expect(unanswerable.status == .unprocessableContent)
            #expect(try unanswerable.json()["type"] as? String == "/problems/audit-needs-every-position")
            #expect(try await client.call(.get, "/v1/audits/\(audit)/letter", token: head).status == .conflict, "no letter before the answer")
            try await client.call(
                .post,
                "/v1/audit-findings/\(findings[1])/rebuttal",
                token: head,
                json: #"{"position":"accept","argument":"added as proposed","correction":{"acceptance":"a call goal shows","due":"2027-06-01"}}"#
            )
            #expect(try await client.call(.post, "/v1/audits/\(audit)/answer", token: head, json: "{}").json()["status"] as? String == "answered")

            let plain = try await client.call(.get, "/v1/audits/\(audit)/letter", token: head)
            #expect(plain.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(plain.text.contains("Finding 1: too few negative keywords") && plain.text.contains("Our position: disputed"))
            #expect(plain.text.contains("we accept 1, accept 0 in part and dispute 1. 1 of them came without a proposal"))
            let markdown = try await client.call(.get, "/v1/audits/\(audit)/letter", token: scene.clientToken, headers: [.accept: "text/markdown"])
            #expect(markdown.headers[.contentType] == "text/markdown; charset=utf-8")
            #expect(markdown.text.hasPrefix("# Response to the audit"))
            #expect(
                try await client.call(.post, "/v1/audits/\(audit)/close", token: head, json: #"{"outcome":"the client accepted our answer"}"#).json()[
                    "status"
                ] as? String == "closed"
            )
            let card = try await client.call(.get, "/v1/reports/studios", token: head).json()
            #expect((card["items"] as? [[String: Any]])?.first { $0["studioId"] as? String == scene.studio }?["auditFindingsAccepted"] as? Int == 1)
        }
    }

    @Test(arguments: Transport.allCases)
    func exitConsultingRetrospectiveAndCaseFile(over transport: Transport) async throws {
        try await withClub(transport) { client, club in
            let scene = try await FixListEndpointTests.scene(client, club)
            let head = club.headToken

            // Step 7: parting, with free consulting.
            let exit = try await client.call(
                .post,
                "/v1/engagements/\(scene.engagement)/exit",
                token: head,
                json: #"{"reason":"all resources used; parting while keeping loyalty"}"#
            )
            #expect(exit.status == .created)
            #expect(try await client.call(.get, "/v1/engagements/\(scene.engagement)", token: head).json()["status"] as? String == "terminated")
            #expect(
                try await client.call(.post, "/v1/engagements/\(scene.engagement)/exit", token: head, json: #"{"reason":"again"}"#).status
                    == .conflict
            )
            let validUntil = RFC3339.string(from: Date().addingTimeInterval(30 * 24 * 3600))
            let offer = try ReferenceCaseTests.id(
                try await client.call(
                    .post,
                    "/v1/exits/\(ReferenceCaseTests.id(exit))/offer",
                    token: head,
                    json: #"{"sessions":2,"validUntil":"\#(validUntil)"}"#
                )
            )
            let soon = RFC3339.string(from: Date().addingTimeInterval(24 * 3600))
            #expect(
                try await client.call(.post, "/v1/consulting-offers/\(offer)/sessions", token: head, json: #"{"scheduledAt":"\#(soon)"}"#).status
                    == .conflict,
                "not before the client accepts"
            )
            #expect(
                try await client.call(.post, "/v1/consulting-offers/\(offer)/answer", token: head, json: #"{"accept":true}"#).status == .forbidden
            )
            #expect(
                try await client.call(.post, "/v1/consulting-offers/\(offer)/answer", token: scene.otherClientToken, json: #"{"accept":true}"#).status
                    == .notFound
            )
            #expect(
                try await client.call(.post, "/v1/consulting-offers/\(offer)/answer", token: scene.clientToken, json: #"{"accept":true}"#).json()[
                    "status"
                ] as? String == "accepted"
            )
            for _ in 0..<2 {
                #expect(
                    try await client.call(
                        .post,
                        "/v1/consulting-offers/\(offer)/sessions",
                        token: head,
                        json: #"{"scheduledAt":"\#(soon)","topic":"handover"}"#
                    ).status == .created
                )
            }
            let third = try await client.call(.post, "/v1/consulting-offers/\(offer)/sessions", token: head, json: #"{"scheduledAt":"\#(soon)"}"#)
            #expect(try third.json()["type"] as? String == "/problems/consulting-sessions-exhausted")
            let afterExpiry = RFC3339.string(from: Date().addingTimeInterval(40 * 24 * 3600))
            #expect(
                try await client.call(.post, "/v1/consulting-offers/\(offer)/sessions", token: head, json: #"{"scheduledAt":"\#(afterExpiry)"}"#)
                    .status == .conflict
            )
            let sessions = try await client.call(.get, "/v1/consulting-offers/\(offer)/sessions", token: scene.clientToken).json()
            let session = try #require((sessions["items"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(
                try await client.call(
                    .patch,
                    "/v1/consulting-sessions/\(session)",
                    token: head,
                    json: #"{"status":"cancelled","notes":"client travelling"}"#
                ).json()["status"] as? String == "cancelled"
            )
            #expect(
                try await client.call(.post, "/v1/consulting-offers/\(offer)/sessions", token: head, json: #"{"scheduledAt":"\#(soon)"}"#).status
                    == .created,
                "a cancelled session frees its place"
            )

            // Step 8: the retrospective and the club's lessons.
            let retro = try await client.call(
                .post,
                "/v1/engagements/\(scene.engagement)/retrospective",
                token: head,
                json: """
                    {"facts":["released three weeks late"],"emotions":["the client felt ignored"],
                     "mistakes":[{"side":"club","statement":"I was wrong to accept the deadline without shared responsibility",
                                  "counterfactual":"had I not, the delay would have been agreed"}],
                     "positives":["the list was struck on time"],"differently":[{"side":"client","statement":"send texts before design"}],
                     "lessons":["Ask for feedback at the end of every stage","criticism counts only with a proposal"]}
                    """
            )
            #expect(retro.status == .created)
            #expect(
                try await client.call(
                    .post,
                    "/v1/engagements/\(scene.engagement)/retrospective",
                    token: head,
                    json: #"{"facts":["x"],"lessons":["y"]}"#
                ).status == .conflict
            )
            #expect(try await client.call(.get, "/v1/engagements/\(scene.engagement)/retrospective", token: scene.studioToken).status == .ok)
            let lessons = try await client.call(.get, "/v1/lessons?q=FEEDBACK", token: head).json()
            #expect((lessons["items"] as? [[String: Any]])?.map { $0["lesson"] as? String } == ["Ask for feedback at the end of every stage"])
            let wildcard = try await client.call(.get, "/v1/lessons?q=%25", token: head).json()
            #expect((wildcard["items"] as? [Any])?.isEmpty == true, "a % in the query is a character, not a wildcard")
            #expect(try await client.call(.get, "/v1/lessons?q=feedback", token: scene.clientToken).status == .forbidden)

            // The case file: the client may export its own; the chain verifies offline.
            #expect(try await client.call(.get, "/v1/engagements/\(scene.engagement)/case-file", token: scene.otherClientToken).status == .notFound)
            #expect(try await client.call(.get, "/v1/engagements/\(scene.engagement)/case-file", token: scene.studioToken).status == .forbidden)
            let file = try await client.call(.get, "/v1/engagements/\(scene.engagement)/case-file", token: scene.clientToken)
            #expect(file.status == .ok)
            let document = try file.json()
            #expect(document["format"] as? String == "clubd-case-file/2")
            #expect((document["request"] as? [String: Any])?["statedAsk"] as? String == "Instagram promotion")
            #expect((document["retrospective"] as? [String: Any]) != nil && (document["exit"] as? [String: Any]) != nil)
            #expect(((document["journal"] as? [String: Any])?["events"] as? [Any])?.isEmpty == false)
        }
    }
}
