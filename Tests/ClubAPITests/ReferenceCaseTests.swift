import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Steps 1–3 of the reference case (DESIGN §1, §8) through the API, with every refusal on the
/// way: once through the router, once over real TLS to the listening server.
@Suite("Reference case, steps 1–3")
struct ReferenceCaseTests {
    /// Registers, vets and admits a studio; returns its id.
    static func activeStudio(_ client: any APIClient, _ club: TestClub, name: String, competences: String) async throws -> String {
        let id = try await client.createStudio(club, name: name, competences: competences)
        for kind in ["portfolio", "references", "trial_task", "interview"] {
            try await client.call(.post, "/v1/studios/\(id)/vetting-checks", token: club.headToken, json: #"{"kind":"\#(kind)","passed":true}"#)
        }
        let admitted = try await client.call(
            .post,
            "/v1/studios/\(id)/decisions",
            token: club.headToken,
            json: #"{"decision":"admit","reason":"all checks passed"}"#
        )
        #expect(try admitted.json()["status"] as? String == "active")
        return id
    }

    static func id(_ response: APIResponse) throws -> String {
        try #require(try response.json()["id"] as? String, "no id in \(response.text)")
    }

    @Test(arguments: Transport.allCases)
    func fromInstagramAskToTwoEngagements(over transport: Transport) async throws {
        try await withClub(transport) { client, club in
            let head = club.headToken
            let pixelHands = try await Self.activeStudio(client, club, name: "Pixel Hands", competences: #"["landing","context_ads"]"#)
            let landingOnly = try await Self.activeStudio(client, club, name: "Landing Lab", competences: #"["landing"]"#)
            let adsOnly = try await Self.activeStudio(client, club, name: "Ad Minds", competences: #"["context_ads"]"#)
            let yacht = try await client.createClient(club)
            let otherClient = try await client.createClient(club, name: "Other Ltd")
            let clientToken = try await club.token(.client, clientId: yacht)
            let otherClientToken = try await club.token(.client, clientId: otherClient)
            let pixelToken = try await club.token(.studio, studioId: pixelHands)
            let adsToken = try await club.token(.studio, studioId: adsOnly)
            let landingToken = try await club.token(.studio, studioId: landingOnly)

            // Step 1: the stated ask, then the reframing that qualifies it.
            let created = try await client.call(
                .post,
                "/v1/requests",
                token: head,
                json: """
                    {"clientId":"\(yacht)","statedAsk":"Instagram promotion","businessGoal":"leads from the internet",
                     "budget":600000,"deadline":"2027-02-01","region":"RU-MOW"}
                    """
            )
            #expect(created.status == .created)
            let request = try Self.id(created)
            #expect(try created.json()["status"] as? String == "new")
            let early = try await client.call(.post, "/v1/requests/\(request)/shortlist", token: head, json: #"{"size":3}"#)
            #expect(early.status == .conflict, "a new request is not shortlisted before it is qualified")
            let reframed = try await client.call(
                .patch,
                "/v1/requests/\(request)",
                token: head,
                json: """
                    {"requiredCompetences":["landing","context_ads"],"proposedApproach":"landing page and contextual ads",
                     "rationale":"too little content for Instagram"}
                    """
            )
            #expect(try reframed.json()["status"] as? String == "qualified")
            #expect(try await client.call(.get, "/v1/requests/\(request)", token: clientToken).status == .ok)
            #expect(try await client.call(.get, "/v1/requests/\(request)", token: otherClientToken).status == .notFound)
            #expect(
                try await client.call(.get, "/v1/requests/\(request)", token: pixelToken).status == .notFound,
                "a studio sees a request only once it is offered"
            )

            // Step 2: the shortlist puts the one pair of hands first.
            let shortlisted = try await client.call(.post, "/v1/requests/\(request)/shortlist", token: head, json: #"{"size":3}"#)
            #expect(shortlisted.status == .created)
            let candidates = try #require(try shortlisted.json()["candidates"] as? [[String: Any]])
            #expect(candidates.first?["studioId"] as? String == pixelHands)
            #expect((candidates.first?["breakdown"] as? [String: Any])?["singleStudio"] as? Double == 1)
            #expect(candidates.count == 3)

            // Offer it; only the studio answers its own referral.
            let offered = try await client.call(.post, "/v1/requests/\(request)/referrals", token: head, json: #"{"studioIds":["\#(pixelHands)"]}"#)
            #expect(offered.status == .created)
            let referral = try #require((try offered.json()["items"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(
                try await client.call(.post, "/v1/referrals/\(referral)/answer", token: adsToken, json: #"{"accept":true}"#).status == .notFound,
                "another studio's referral is out of reach"
            )
            #expect(try await client.call(.post, "/v1/referrals/\(referral)/answer", token: head, json: #"{"accept":true}"#).status == .forbidden)
            #expect(
                try await client.call(.post, "/v1/referrals/\(referral)/answer", token: clientToken, json: #"{"accept":true}"#).status == .forbidden
            )
            let ownList = try await client.call(.get, "/v1/referrals", token: adsToken).json()
            #expect((ownList["items"] as? [Any])?.isEmpty == true, "a studio lists only its own referrals")

            // An engagement without acceptance is refused.
            let premature = try await client.call(
                .post,
                "/v1/requests/\(request)/engagements",
                token: head,
                json: #"{"studioId":"\#(pixelHands)","scope":["landing","context_ads"]}"#
            )
            #expect(premature.status == .unprocessableContent)
            #expect(try premature.json()["type"] as? String == "/problems/engagement-needs-accepted-referral")

            let answered = try await client.call(
                .post,
                "/v1/referrals/\(referral)/answer",
                token: pixelToken,
                json: #"{"accept":true,"note":"two people free from Monday"}"#
            )
            #expect(try answered.json()["status"] as? String == "accepted")
            #expect(try await client.call(.get, "/v1/requests/\(request)", token: pixelToken).status == .ok)

            let started = try await client.call(
                .post,
                "/v1/requests/\(request)/engagements",
                token: head,
                json: #"{"studioId":"\#(pixelHands)","scope":["landing","context_ads"]}"#
            )
            #expect(started.status == .created)
            let engagement = try Self.id(started)
            #expect(try started.json()["status"] as? String == "active")
            #expect(try await client.call(.get, "/v1/requests/\(request)", token: head).json()["status"] as? String == "matched")

            // Who sees the engagement.
            #expect(try await client.call(.get, "/v1/engagements/\(engagement)", token: clientToken).status == .ok)
            #expect(try await client.call(.get, "/v1/engagements/\(engagement)", token: pixelToken).status == .ok)
            #expect(try await client.call(.get, "/v1/engagements/\(engagement)", token: adsToken).status == .notFound)
            #expect(try await client.call(.get, "/v1/engagements/\(engagement)", token: otherClientToken).status == .notFound)

            // Agreements in writing, confirmed by both sides.
            let agreement = try Self.id(
                try await client.call(
                    .post,
                    "/v1/engagements/\(engagement)/agreements",
                    token: head,
                    json: """
                        {"what":"client sends texts and photos","owner":"client","due":"2027-01-10",
                         "consequence":"release moves by the days of delay"}
                        """
                )
            )
            #expect(try await client.call(.post, "/v1/agreements/\(agreement)/confirm", token: head, json: "{}").status == .forbidden)
            #expect(try await client.call(.post, "/v1/agreements/\(agreement)/confirm", token: adsToken, json: "{}").status == .notFound)
            let unconfirmed = try await client.call(.get, "/v1/agreements?unconfirmed=true", token: head).json()
            #expect((unconfirmed["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [agreement])
            #expect(try await client.call(.post, "/v1/agreements/\(agreement)/confirm", token: clientToken, json: "{}").status == .ok)
            let both = try await client.call(.post, "/v1/agreements/\(agreement)/confirm", token: pixelToken, json: "{}").json()
            #expect((both["clientConfirmation"] as? [String: Any]) != nil && (both["studioConfirmation"] as? [String: Any]) != nil)
            #expect(try await client.call(.post, "/v1/agreements/\(agreement)/confirm", token: pixelToken, json: "{}").status == .conflict)

            // Step 3: check-ins and feedback.
            let checkIn = try await client.call(
                .post,
                "/v1/engagements/\(engagement)/check-ins",
                token: head,
                json: """
                    {"heldAt":"2026-11-20T10:00:00Z","attendees":["Oleg","Pixel Hands PM"],"studioReport":"design draft ready",
                     "clientSentiment":4,"risks":["texts may be late"]}
                    """
            )
            #expect(checkIn.status == .created)
            let selfRating = try await client.call(
                .post,
                "/v1/engagements/\(engagement)/feedback",
                token: pixelToken,
                json: #"{"stage":"design","score":5}"#
            )
            #expect(selfRating.status == .forbidden, "a studio never rates itself")
            let outOfRange = try await client.call(
                .post,
                "/v1/engagements/\(engagement)/feedback",
                token: clientToken,
                json: #"{"stage":"design","score":6}"#
            )
            #expect(outOfRange.status == .unprocessableContent)
            #expect(try outOfRange.problemFields() == ["score"])
            #expect(
                try await client.call(
                    .post,
                    "/v1/engagements/\(engagement)/feedback",
                    token: otherClientToken,
                    json: #"{"stage":"design","score":3}"#
                ).status == .notFound
            )
            try await client.call(.patch, "/v1/engagements/\(engagement)", token: head, json: #"{"stagesReached":["design"]}"#)
            let waiting = try await client.call(.get, "/v1/engagements/\(engagement)", token: head).json()
            #expect(waiting["stagesAwaitingFeedback"] as? [String] == ["design"])
            #expect(
                try await client.call(
                    .post,
                    "/v1/engagements/\(engagement)/feedback",
                    token: clientToken,
                    json: #"{"stage":"design","score":3,"comment":"slow start"}"#
                ).status == .created
            )
            #expect(try await client.call(.get, "/v1/engagements/\(engagement)", token: head).json()["stagesAwaitingFeedback"] as? [String] == [])

            // Re-match the advertising part: a second engagement on the same request.
            let ads = try await client.call(
                .post,
                "/v1/requests/\(request)/shortlist",
                token: head,
                json: #"{"size":3,"scope":["context_ads"],"exclude":["\#(pixelHands)"]}"#
            )
            let adsCandidates = try #require(try ads.json()["candidates"] as? [[String: Any]])
            #expect(adsCandidates.map { $0["studioId"] as? String } == [adsOnly])
            let adsReferral = try #require(
                (try await client.call(.post, "/v1/requests/\(request)/referrals", token: head, json: #"{"studioIds":["\#(adsOnly)"]}"#).json()[
                    "items"
                ] as? [[String: Any]])?.first?["id"] as? String
            )
            try await client.call(.post, "/v1/referrals/\(adsReferral)/answer", token: adsToken, json: #"{"accept":true}"#)
            let second = try await client.call(
                .post,
                "/v1/requests/\(request)/engagements",
                token: head,
                json: #"{"studioId":"\#(adsOnly)","scope":["context_ads"]}"#
            )
            #expect(second.status == .created)
            let list = try await client.call(.get, "/v1/engagements?requestId=\(request)", token: clientToken).json()
            #expect((list["items"] as? [Any])?.count == 2)
            #expect((try await client.call(.get, "/v1/engagements", token: landingToken).json()["items"] as? [Any])?.isEmpty == true)

            // Reports.
            let scorecards = try await client.call(.get, "/v1/reports/studios", token: head).json()
            let pixelCard = (scorecards["items"] as? [[String: Any]])?.first { $0["studioId"] as? String == pixelHands }
            #expect(pixelCard?["feedbackCount"] as? Int == 1)
            #expect(pixelCard?["referralsAccepted"] as? Int == 1)
            let funnel = try await client.call(.get, "/v1/reports/funnel?from=2026-01-01", token: head).json()
            #expect(funnel["total"] as? Int == 1)
            #expect((funnel["byStatus"] as? [String: Int])?["matched"] == 1)
            #expect(try await client.call(.get, "/v1/reports/studios", token: pixelToken).status == .forbidden)
        }
    }

    @Test(arguments: Transport.allCases)
    func aRushRequestNeedsSharedResponsibility(over transport: Transport) async throws {
        try await withClub(transport) { client, club in
            _ = try await Self.activeStudio(client, club, name: "Pixel Hands", competences: #"["landing"]"#)
            let yacht = try await client.createClient(club)
            let soon = Day(containing: Date().addingTimeInterval(3 * 24 * 3600), in: .gmt).description
            let request = try Self.id(
                try await client.call(
                    .post,
                    "/v1/requests",
                    token: club.headToken,
                    json: """
                        {"clientId":"\(yacht)","statedAsk":"landing page","businessGoal":"launch event","budget":300000,"deadline":"\(soon)"}
                        """
                )
            )
            let lead = try await client.call(
                .patch,
                "/v1/requests/\(request)",
                token: club.headToken,
                json: #"{"requiredCompetences":["landing"],"rationale":"event in three days"}"#
            ).json()
            #expect(lead["rush"] as? Bool == true)
            let refused = try await client.call(.post, "/v1/requests/\(request)/shortlist", token: club.headToken, json: "{}")
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.json()["type"] as? String == "/problems/rush-needs-shared-responsibility")
            let recorded = try await client.call(
                .post,
                "/v1/requests/\(request)/shared-responsibility",
                token: club.headToken,
                json: #"{"acceptedBy":"Oleg","acceptedAt":"2026-01-01T09:00:00Z","note":"accepts late materials move the date"}"#
            )
            #expect(recorded.status == .ok)
            #expect(try await client.call(.post, "/v1/requests/\(request)/shortlist", token: club.headToken, json: "{}").status == .created)
        }
    }

    @Test func requestInputIsCheckedFieldByField() async throws {
        try await withClub { client, club in
            let yacht = try await client.createClient(club)
            let badDate = try await client.call(
                .post,
                "/v1/requests",
                token: club.headToken,
                json: #"{"clientId":"\#(yacht)","statedAsk":"x","businessGoal":"y","budget":1,"deadline":"2027-02-30"}"#
            )
            #expect(badDate.status == .badRequest)
            #expect(try badDate.problemFields() == ["deadline"])
            let noClient = try await client.call(
                .post,
                "/v1/requests",
                token: club.headToken,
                json: #"{"clientId":"cli_nope","statedAsk":"x","businessGoal":"y","budget":1,"deadline":"2030-02-01"}"#
            )
            #expect(noClient.status == .unprocessableContent)
            #expect(try noClient.problemFields() == ["clientId"])
            let badQuery = try await client.call(.get, "/v1/agreements?overdue=maybe", token: club.headToken)
            #expect(badQuery.status == .badRequest)
        }
    }
}
