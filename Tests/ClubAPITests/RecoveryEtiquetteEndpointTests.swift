import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Seed 004's recovery etiquette through the API (docs/design.md §3.6): DESIGN §8's bodies for
/// the meeting stay valid, its resolve body is refused for want of a decision, and the client's
/// answer reopens the complaint.
@Suite("Recovery etiquette through the API")
struct RecoveryEtiquetteEndpointTests {
    @Test(arguments: Transport.allCases)
    func acknowledgedUpdatedDecidedAndContested(over transport: Transport) async throws {
        try await withClub(transport) { client, club in
            let scene = try await FixListEndpointTests.scene(client, club)
            let head = club.headToken
            let filed = try await client.call(
                .post,
                "/v1/engagements/\(scene.engagement)/complaints",
                token: scene.clientToken,
                json: #"{"channel":"email","summary":"the form loses leads","demand":{"kind":"refund","amount":300000}}"#
            )
            let complaint = try ReferenceCaseTests.id(filed)
            let path = "/v1/complaints/\(complaint)"
            let waiting = try await client.call(.get, "/v1/follow-ups", token: head).json()
            let unacknowledged = (waiting["unacknowledgedComplaints"] as? [[String: Any]])?.compactMap { $0["complaintId"] as? String }
            #expect(unacknowledged == [complaint])

            // The acknowledgement: the club's alone, refused to the studio before its body is read.
            let studioAck = try await client.call(.post, "\(path)/acknowledgement", token: scene.studioToken, json: "not json")
            #expect(studioAck.status == .forbidden)
            let missing = try await client.call(
                .post,
                "\(path)/acknowledgement",
                token: head,
                json: #"{"channel":"phone","message":" ","apology":true}"#
            )
            #expect(missing.status == .unprocessableContent)
            #expect(try missing.problemFields() == ["message"])
            let ack = #"{"channel":"phone","message":"we heard you; a coordinator will meet you this week. We are sorry.","apology":true}"#
            let acknowledged = try await client.call(.post, "\(path)/acknowledgement", token: head, json: ack)
            #expect(acknowledged.status == .ok, "\(acknowledged.text)")
            // The client reads what it was told; the studio does not.
            let asClient = try await client.call(.get, path, token: scene.clientToken).json()
            #expect((asClient["acknowledgement"] as? [String: Any])?["apology"] as? Bool == true)
            let asStudio = try await client.call(.get, path, token: scene.studioToken).text
            #expect(!asStudio.contains("a coordinator will meet you"))

            // DESIGN §8's meeting body, without a mode, is still valid; a mode is kept when sent.
            let designMeeting = #"{"heldAt":"2026-11-01T10:00:00Z","studiosPresent":false,"facts":["…"],"emotions":["…"]}"#
            #expect(try await client.call(.post, "\(path)/meeting", token: head, json: designMeeting).status == .ok)
            let withMode = #"{"heldAt":"2026-11-01T10:00:00Z","mode":"in_person","attendees":["Oleg"],"studiosPresent":false,"facts":["late"]}"#
            let met = try await client.call(.post, "\(path)/meeting", token: head, json: withMode).json()
            #expect((met["meeting"] as? [String: Any])?["mode"] as? String == "in_person")
            let badMode = try await client.call(
                .post,
                "\(path)/meeting",
                token: head,
                json: withMode.replacingOccurrences(of: "in_person", with: "telepathy")
            )
            #expect(badMode.status == .badRequest)

            let plan = #"{"goals":["release"],"steps":[{"action":"fix the form","owner":"studio","due":"2030-01-01"}],"updateEveryDays":7}"#
            #expect(
                try await client.call(.post, "\(path)/plan", token: head, json: plan.replacingOccurrences(of: ":7", with: ":45")).status
                    == .unprocessableContent
            )
            #expect(try await client.call(.post, "\(path)/plan", token: head, json: plan).status == .ok)
            #expect(try await client.call(.post, "\(path)/approve", token: head, json: "{}").status == .ok)
            let update = try await client.call(.post, "\(path)/updates", token: head, json: #"{"channel":"phone","summary":"the form is fixed"}"#)
            #expect(update.status == .created, "\(update.text)")
            #expect((try update.json()["updates"] as? [[String: Any]])?.count == 1)
            #expect(try await client.call(.post, "\(path)/updates", token: scene.clientToken, json: "{}").status == .forbidden)

            // DESIGN §8's resolve body now lacks the decision on the studio.
            let designResolve = try await client.call(.post, "\(path)/resolve", token: head, json: #"{"outcome":"retained","notes":"…"}"#)
            #expect(designResolve.status == .unprocessableContent)
            #expect(try designResolve.problemFields() == ["upheld", "upheldReason"])
            let notAChoice = try await client.call(
                .post,
                "\(path)/resolve",
                token: head,
                json: #"{"outcome":"retained","upheld":"maybe","upheldReason":"x"}"#
            )
            #expect(notAChoice.status == .badRequest)
            let resolve = #"{"outcome":"retained","notes":"released","upheld":"partly","upheldReason":"late, but the texts came late too"}"#
            let resolved = try await client.call(.post, "\(path)/resolve", token: head, json: resolve).json()
            #expect((resolved["resolution"] as? [String: Any])?["upheld"] as? String == "partly")
            let clientReads = try await client.call(.get, path, token: scene.clientToken).json()
            #expect((clientReads["resolution"] as? [String: Any])?["upheld"] == nil, "the decision on the studio is not the client's to read")

            // The client answers; another client and the studio do not reach it.
            let answerPath = "\(path)/resolution-answer"
            #expect(try await client.call(.post, answerPath, token: scene.otherClientToken, json: #"{"satisfied":true}"#).status == .notFound)
            #expect(try await client.call(.post, answerPath, token: scene.studioToken, json: #"{"satisfied":true}"#).status == .forbidden)
            let wordless = try await client.call(.post, answerPath, token: scene.clientToken, json: #"{"satisfied":false}"#)
            #expect(wordless.status == .unprocessableContent)
            #expect(try wordless.problemFields() == ["comment"])
            let contested = try await client.call(
                .post,
                answerPath,
                token: scene.clientToken,
                json: #"{"satisfied":false,"comment":"nobody told me about the delay until I called"}"#
            )
            #expect(contested.status == .ok, "\(contested.text)")
            let reopened = try contested.json()
            #expect(reopened["status"] as? String == "plan_approved" && reopened["resolution"] == nil)
            #expect(
                (reopened["resolutionAnswers"] as? [[String: Any]])?.first?["comment"] as? String == "nobody told me about the delay until I called"
            )
            #expect(try await client.call(.post, answerPath, token: scene.clientToken, json: #"{"satisfied":true}"#).status == .conflict)
            let card = try await client.call(.get, "/v1/reports/studios", token: head).json()
            let studioCard = (card["items"] as? [[String: Any]])?.first { $0["studioId"] as? String == scene.studio }
            #expect(studioCard?["upheldComplaints"] as? Int == 0, "a reopened complaint counts no more")
        }
    }
}
