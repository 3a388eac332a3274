import ClubCore
import Foundation
import HTTPTypes
import Testing

/// The club's own score over HTTP (docs/design.md §3.12): the client is asked about the club when
/// its engagement ends and when a complaint is resolved; the club reads the score and the words.
@Suite("The club's own score over the API")
struct ClubRatingEndpointTests {
    struct Scene {
        let studio: String
        let client: String
        let studioToken: String
        let clientToken: String
        let otherClientToken: String
        let engagement: String
    }

    static func scene(_ client: any APIClient, _ club: TestClub) async throws -> Scene {
        let studio = try await ReferenceCaseTests.activeStudio(client, club, name: "Pixel Hands", competences: #"["landing","context_ads"]"#)
        let clientId = try await client.createClient(club)
        let other = try await client.createClient(club, name: "Other Ltd")
        let studioToken = try await club.token(.studio, studioId: studio)
        let engaged = try await AuthorizationMatrixTests.engage(client, club, clientId: clientId, studioId: studio, studioToken: studioToken)
        return Scene(
            studio: studio,
            client: clientId,
            studioToken: studioToken,
            clientToken: try await club.token(.client, clientId: clientId),
            otherClientToken: try await club.token(.client, clientId: other),
            engagement: engaged.engagement
        )
    }

    @Test func theClientIsAskedOnceTheEngagementEndedAndRatesTheClubOnce() async throws {
        try await withClub { client, club in
            let scene = try await Self.scene(client, club)
            let path = "/v1/engagements/\(scene.engagement)/club-rating"
            let body = #"{"score":9,"comment":"the club kept us informed"}"#

            let running = try await client.call(.get, path, token: scene.clientToken)
            #expect(running.status == .ok, "\(running.text)")
            #expect(try (running.json()["awaited"] as? [Any])?.isEmpty == true)
            let early = try await client.call(.post, path, token: scene.clientToken, json: body)
            #expect(early.status == .conflict && early.isProblem)
            #expect(try early.json()["type"] as? String == "/problems/club-rating-not-due")

            let parted = try await client.call(
                .post,
                "/v1/engagements/\(scene.engagement)/exit",
                token: club.headToken,
                json: #"{"reason":"parting"}"#
            )
            #expect(parted.status == .created, "\(parted.text)")
            let asked = try await client.call(.get, path, token: scene.clientToken).json()
            let awaited = try #require(asked["awaited"] as? [[String: Any]])
            #expect(awaited.count == 1 && awaited.first?["occasion"] as? String == "engagement_ended" && awaited.first?["since"] != nil)

            // A studio never rates the club, nor reads the client's rating; another client finds nothing.
            #expect(try await client.call(.post, path, token: scene.studioToken, json: body).status == .forbidden)
            #expect(try await client.call(.get, path, token: scene.studioToken).status == .forbidden)
            #expect(try await client.call(.post, path, token: scene.otherClientToken, json: body).status == .notFound)
            #expect(try await client.call(.get, path, token: scene.otherClientToken).status == .notFound)

            let rated = try await client.call(.post, path, token: scene.clientToken, json: body)
            #expect(rated.status == .created, "\(rated.text)")
            let rating = try rated.json()
            #expect(rating["score"] as? Int == 9 && rating["occasion"] as? String == "engagement_ended" && rating["onBehalf"] as? Bool == false)
            #expect(rating["clientId"] as? String == scene.client && rating["fieldVisibility"] == nil, "a client is not told what others do not see")

            let again = try await client.call(.post, path, token: club.headToken, json: #"{"score":2}"#)
            #expect(again.status == .conflict)
            #expect(try again.json()["type"] as? String == "/problems/club-rating-already-given")
            let answered = try await client.call(.get, path, token: club.headToken).json()
            #expect((answered["awaited"] as? [Any])?.isEmpty == true && (answered["ratings"] as? [Any])?.count == 1)

            let journal = try await client.call(.get, "/v1/journal?entityType=club-rating", token: club.headToken).json()
            let events = try #require(journal["items"] as? [[String: Any]])
            #expect(events.count == 1 && events.first?["action"] as? String == "created")
        }
    }

    @Test func badInputNamesTheField() async throws {
        try await withClub { client, club in
            let scene = try await Self.scene(client, club)
            let path = "/v1/engagements/\(scene.engagement)/club-rating"
            try await client.call(.post, "/v1/engagements/\(scene.engagement)/exit", token: club.headToken, json: #"{"reason":"parting"}"#)
            let cases: [(String, Int, String)] = [
                (#"{"score":11}"#, 422, "score"),
                (#"{"score":-1}"#, 422, "score"),
                (#"{"score":"ten"}"#, 400, "score"),
                (#"{"score":5,"occasion":"someday"}"#, 400, "occasion"),
                (#"{"score":5,"occasion":"complaint_resolved"}"#, 422, "complaintId"),
                (#"{"score":5,"complaintId":"cmp_nope"}"#, 422, "complaintId"),
                (#"{"score":5,"stars":3}"#, 400, "stars"),
            ]
            for (body, status, field) in cases {
                let response = try await client.call(.post, path, token: scene.clientToken, json: body)
                #expect(response.status.code == status && response.isProblem, "\(body): \(response.text)")
                #expect(try response.problemFields().contains(field), "\(body): \(response.text)")
            }
        }
    }

    @Test func aResolvedComplaintIsRatedOnItsOwnAndACoordinatorMayTakeItDown() async throws {
        try await withClub { client, club in
            let scene = try await Self.scene(client, club)
            let head = club.headToken
            let path = "/v1/engagements/\(scene.engagement)/club-rating"
            let complaintBody = #"{"channel":"email","summary":"the form loses leads","demand":{"kind":"refund","amount":300000}}"#
            let filed = try await client.call(.post, "/v1/engagements/\(scene.engagement)/complaints", token: scene.clientToken, json: complaintBody)
            let complaint = try ReferenceCaseTests.id(filed)
            let onIt = #"{"score":8,"complaintId":"\#(complaint)"}"#
            let unresolved = try await client.call(.post, path, token: scene.clientToken, json: onIt)
            #expect(unresolved.status == .conflict)
            #expect(try unresolved.json()["type"] as? String == "/problems/club-rating-not-due")

            let meetingBody = #"{"heldAt":"2026-11-01T10:00:00Z","studiosPresent":false,"facts":["release late"],"emotions":["feels ignored"]}"#
            let planBody = #"{"goals":["release"],"steps":[{"action":"agree the correction list","owner":"club","due":"2030-01-01"}]}"#
            let resolveBody = #"{"outcome":"retained","notes":"released","upheld":"partly","upheldReason":"late, but the brief changed"}"#
            for (step, body) in [("meeting", meetingBody), ("plan", planBody), ("approve", "{}"), ("resolve", resolveBody)] {
                let response = try await client.call(.post, "/v1/complaints/\(complaint)/\(step)", token: head, json: body)
                #expect(response.status.code < 300, "\(step): \(response.text)")
            }
            let asked = try await client.call(.get, path, token: scene.clientToken).json()
            let awaited = try #require(asked["awaited"] as? [[String: Any]])
            #expect(awaited.map { $0["occasion"] as? String } == ["complaint_resolved"] && awaited.first?["complaintId"] as? String == complaint)

            // Taken down on a call: the coordinator records the client's words on its behalf.
            let taken = try await client.call(
                .post,
                path,
                token: head,
                json: #"{"score":6,"comment":"fixed, but slowly","complaintId":"\#(complaint)"}"#
            )
            #expect(taken.status == .created, "\(taken.text)")
            let rating = try taken.json()
            #expect(rating["onBehalf"] as? Bool == true && rating["occasion"] as? String == "complaint_resolved")
            #expect(rating["complaintId"] as? String == complaint)
            #expect(try await client.call(.post, path, token: scene.clientToken, json: onIt).status == .conflict, "once per complaint")
            // The engagement itself has not ended: its own occasion is still to come.
            #expect(try await client.call(.post, path, token: scene.clientToken, json: #"{"score":8}"#).status == .conflict)
        }
    }

    @Test func theReportShowsTheScoreAndTheWordsToTheClubAlone() async throws {
        try await withClub { client, club in
            let scene = try await Self.scene(client, club)
            let head = club.headToken
            let before = try await client.call(.get, "/v1/reports/studios", token: head).json()["items"] as? [[String: Any]]
            try await client.call(.post, "/v1/engagements/\(scene.engagement)/exit", token: head, json: #"{"reason":"parting"}"#)
            let rated = try await client.call(
                .post,
                "/v1/engagements/\(scene.engagement)/club-rating",
                token: scene.clientToken,
                json: #"{"score":3,"comment":"nobody called us back"}"#
            )
            #expect(rated.status == .created, "\(rated.text)")
            let after = try await client.call(.get, "/v1/reports/studios", token: head).json()["items"] as? [[String: Any]]
            #expect(
                NSArray(array: before ?? []).isEqual(to: after ?? []),
                "a rating of the club never moves a studio's scorecard"
            )

            let report = try await client.call(.get, "/v1/reports/club", token: head)
            #expect(report.status == .ok, "\(report.text)")
            let score = try report.json()
            #expect(score["count"] as? Int == 1 && score["detractors"] as? Int == 1 && score["promoters"] as? Int == 0)
            #expect(score["score"] as? Int == -100 && score["timeZone"] as? String != nil)
            let comment = try #require((score["comments"] as? [[String: Any]])?.first)
            #expect(comment["comment"] as? String == "nobody called us back" && comment["score"] as? Int == 3)
            #expect(comment["clientName"] as? String == "Yacht Charter Ltd" && comment["studioName"] as? String == "Pixel Hands")
            #expect(comment["engagementId"] as? String == scene.engagement)

            let past = try await client.call(.get, "/v1/reports/club?from=2020-01-01&to=2020-12-31", token: head).json()
            #expect(past["count"] as? Int == 0 && past["score"] is NSNull && past["from"] as? String == "2020-01-01")
            for query in ["from=yesterday", "to=2020-02-30", "from=2021-01-02&to=2021-01-01"] {
                let bad = try await client.call(.get, "/v1/reports/club?\(query)", token: head)
                #expect(bad.status == .badRequest && bad.isProblem, "\(query): \(bad.text)")
            }
            #expect(try await client.call(.get, "/v1/reports/club", token: scene.clientToken).status == .forbidden)
            #expect(try await client.call(.get, "/v1/reports/club", token: scene.studioToken).status == .forbidden)
        }
    }
}
