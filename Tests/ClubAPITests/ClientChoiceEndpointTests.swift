import ClubCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `GET /v1/requests/{id}/candidates`, `POST /v1/requests/{id}/choice` and `PATCH /v1/referrals/{id}`
/// over real HTTP: who reads and chooses, what a client reads of a candidate (docs/design.md §3.4).
@Suite("The client's choice over the API")
struct ClientChoiceEndpointTests {
    @Test func theClientReadsTheCandidatesAndChoosesBetweenTwo() async throws {
        try await withClub { client, club in
            let head = club.headToken
            let pixelHands = try await ReferenceCaseTests.activeStudio(client, club, name: "Pixel Hands", competences: #"["landing","context_ads"]"#)
            let adMinds = try await ReferenceCaseTests.activeStudio(client, club, name: "Ad Minds", competences: #"["landing","context_ads"]"#)
            let customer = try await client.createClient(club)
            let stranger = try await client.createClient(club, name: "Other Ltd")
            let clientToken = try await club.token(.client, clientId: customer)
            let strangerToken = try await club.token(.client, clientId: stranger)
            let pixelToken = try await club.token(.studio, studioId: pixelHands)
            let adsToken = try await club.token(.studio, studioId: adMinds)
            let asked = """
                {"clientId":"\(customer)","statedAsk":"Instagram promotion","businessGoal":"leads from the internet",
                 "budget":600000,"deadline":"2030-02-01"}
                """
            let request = try ReferenceCaseTests.id(try await client.call(.post, "/v1/requests", token: head, json: asked))
            let qualified = #"{"requiredCompetences":["landing","context_ads"],"rationale":"goal is leads"}"#
            try await client.call(.patch, "/v1/requests/\(request)", token: head, json: qualified)
            try await client.call(.post, "/v1/requests/\(request)/shortlist", token: head, json: "{}")
            let offered = try await client.call(
                .post,
                "/v1/requests/\(request)/referrals",
                token: head,
                json: #"{"studioIds":["\#(pixelHands)","\#(adMinds)"]}"#
            )
            let referrals = try #require(try offered.json()["items"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            try #require(referrals.count == 2, "\(offered.text)")
            try await client.call(.post, "/v1/referrals/\(referrals[0])/answer", token: pixelToken, json: #"{"accept":true,"note":"both parts"}"#)
            try await client.call(.post, "/v1/referrals/\(referrals[1])/answer", token: adsToken, json: #"{"accept":true}"#)

            // The coordinator recommends; the studio never reads the recommendation, nor the candidates.
            let recommended = try await client.call(
                .patch,
                "/v1/referrals/\(referrals[0])",
                token: head,
                json: #"{"recommendation":"one pair of hands for both parts"}"#
            )
            #expect(recommended.status == .ok, "\(recommended.text)")
            #expect(try await client.call(.patch, "/v1/referrals/\(referrals[0])", token: clientToken, json: "not json").status == .forbidden)
            let own = try await client.call(.get, "/v1/referrals?requestId=\(request)", token: pixelToken).json()
            #expect((own["items"] as? [[String: Any]])?.first?["recommendation"] == nil)
            #expect(try await client.call(.get, "/v1/requests/\(request)/candidates", token: pixelToken).status == .forbidden)
            #expect(try await client.call(.get, "/v1/requests/\(request)/candidates", token: strangerToken).status == .notFound)

            let read = try await client.call(.get, "/v1/requests/\(request)/candidates", token: clientToken)
            #expect(read.status == .ok, "\(read.text)")
            let candidates = try #require(try read.json()["items"] as? [[String: Any]])
            #expect(candidates.count == 2)
            let pixel = try #require(candidates.first { $0["studioId"] as? String == pixelHands })
            #expect(pixel["recommendation"] as? String == "one pair of hands for both parts")
            #expect(pixel["answerNote"] as? String == "both parts")
            #expect((pixel["studio"] as? [String: Any])?["name"] as? String == "Pixel Hands")
            #expect((pixel["figures"] as? [String: Any])?["feedbackCount"] as? Int == 0)
            #expect(pixel["fieldVisibility"] == nil, "a client is never told what it does not read")
            for hidden in ["score", "breakdown", "rating", "budgetMin", "capacity"] {
                #expect(!read.text.contains("\"\(hidden)\""), "a client never reads \(hidden)")
            }

            // A studio may not choose; a coordinator must say how the client chose; the client chooses.
            let choice = #"{"studioId":"\#(pixelHands)","scope":["landing","context_ads"],"note":"one studio for both"}"#
            #expect(try await client.call(.post, "/v1/requests/\(request)/choice", token: pixelToken, json: choice).status == .forbidden)
            #expect(try await client.call(.post, "/v1/requests/\(request)/choice", token: strangerToken, json: choice).status == .notFound)
            let unsaid = try await client.call(.post, "/v1/requests/\(request)/choice", token: head, json: #"{"studioId":"\#(pixelHands)"}"#)
            #expect(unsaid.status == .unprocessableContent)
            #expect(try unsaid.problemFields() == ["note"])
            let chosen = try await client.call(.post, "/v1/requests/\(request)/choice", token: clientToken, json: choice)
            #expect(chosen.status == .created, "\(chosen.text)")
            let engagement = try ReferenceCaseTests.id(chosen)
            #expect(try chosen.json()["chosenBy"] as? String == "client")
            let read2 = try await client.call(.get, "/v1/engagements/\(engagement)", token: pixelToken).json()
            #expect(read2["chosenBy"] as? String == "client")
            #expect(read2["choiceNote"] as? String == "one studio for both")

            // The other candidate was told, politely, and cannot be chosen any more.
            let theirs = try await client.call(.get, "/v1/referrals?requestId=\(request)", token: adsToken).json()
            #expect((theirs["items"] as? [[String: Any]])?.first?["status"] as? String == "not_chosen")
            let late = try await client.call(.post, "/v1/requests/\(request)/choice", token: clientToken, json: #"{"studioId":"\#(adMinds)"}"#)
            #expect(late.status == .unprocessableContent)
            #expect(try late.json()["type"] as? String == "/problems/choice-needs-accepted-referral")
            let after = try #require(
                try await client.call(.get, "/v1/requests/\(request)/candidates", token: clientToken).json()["items"] as? [[String: Any]]
            )
            #expect(after.first { $0["studioId"] as? String == pixelHands }?["engagementId"] as? String == engagement)
            #expect(after.first { $0["studioId"] as? String == adMinds }?["status"] as? String == "not_chosen")

            // The case file carries the choice, as the client reads it.
            let file = try await client.call(.get, "/v1/engagements/\(engagement)/case-file", token: clientToken)
            #expect(file.status == .ok)
            #expect(file.text.contains("\"chosen\""), "the journal event of the choice")
            #expect(file.text.contains("one studio for both"))
        }
    }

    @Test func completionFeedbackBeforeCompletionIsAConflictNamingTheRule() async throws {
        try await withClub { client, club in
            let head = club.headToken
            let studio = try await ReferenceCaseTests.activeStudio(client, club, name: "Pixel Hands", competences: #"["landing","context_ads"]"#)
            let customer = try await client.createClient(club)
            let studioToken = try await club.token(.studio, studioId: studio)
            let clientToken = try await club.token(.client, clientId: customer)
            let engaged = try await AuthorizationMatrixTests.engage(client, club, clientId: customer, studioId: studio, studioToken: studioToken)
            let path = "/v1/engagements/\(engaged.engagement)"
            #expect(try await client.call(.get, path, token: head).json()["chosenBy"] as? String == "coordinator")
            try await client.call(.patch, path, token: head, json: #"{"status":"released"}"#)
            let early = try await client.call(.post, "\(path)/feedback", token: clientToken, json: #"{"stage":"completion","score":5}"#)
            #expect(early.status == .conflict)
            #expect(try early.json()["type"] as? String == "/problems/completion-feedback-needs-completion")
            try await client.call(.patch, path, token: head, json: #"{"status":"completed"}"#)
            #expect(
                try await client.call(.post, "\(path)/feedback", token: clientToken, json: #"{"stage":"completion","score":5}"#).status == .created
            )
            #expect(try await client.call(.get, "/v1/requests/\(engaged.request)", token: clientToken).json()["rush"] as? Bool == false)
        }
    }
}
