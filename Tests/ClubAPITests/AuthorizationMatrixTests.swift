import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ClubAPI

/// Every endpoint × every kind of caller: 401 without a token, 403 for a role that never may,
/// 404 for an object outside the caller's reach (DESIGN §2).
@Suite("Authorisation matrix")
struct AuthorizationMatrixTests {
    enum Caller: CaseIterable { case anonymous, studio, client, coordinator, head }

    struct Row {
        let method: HTTPRequest.Method
        let path: String
        let body: String?
        let expected: [Caller: HTTPResponse.Status]
    }

    /// Statuses in the order anonymous, studio, client, coordinator, head.
    static func expect(_ statuses: [Int]) -> [Caller: HTTPResponse.Status] {
        Dictionary(uniqueKeysWithValues: zip(Caller.allCases, statuses.map { HTTPResponse.Status(code: $0) }))
    }

    @Test func everyEndpointAnswersEachCallerAsTheDesignSays() async throws {
        try await withClub { client, club in
            let ownStudio = try await client.createStudio(club)
            let otherStudio = try await client.createStudio(club, name: "Other Studio")
            let ownClient = try await client.createClient(club)
            let otherClient = try await client.createClient(club, name: "Other Client")
            let tokens: [Caller: String] = [
                .studio: try await club.token(.studio, studioId: ownStudio),
                .client: try await club.token(.client, clientId: ownClient),
                .coordinator: try await club.token(.coordinator),
                .head: club.headToken,
            ]
            let studioBody = #"{"name":"New","competences":["web"],"budgetMin":0,"budgetMax":10,"capacity":1}"#
            let rows: [Row] = [
                Row(method: .get, path: "/v1/health", body: nil, expected: Self.expect([200, 200, 200, 200, 200])),
                Row(method: .get, path: "/v1/me", body: nil, expected: Self.expect([401, 200, 200, 200, 200])),
                Row(
                    method: .post,
                    path: "/v1/tokens",
                    body: #"{"role":"coordinator","name":"x"}"#,
                    expected: Self.expect([401, 403, 403, 403, 201])
                ),
                Row(method: .get, path: "/v1/tokens", body: nil, expected: Self.expect([401, 403, 403, 403, 200])),
                Row(method: .post, path: "/v1/studios", body: studioBody, expected: Self.expect([401, 403, 403, 201, 201])),
                Row(method: .get, path: "/v1/studios", body: nil, expected: Self.expect([401, 403, 403, 200, 200])),
                Row(method: .get, path: "/v1/studios/\(ownStudio)", body: nil, expected: Self.expect([401, 200, 404, 200, 200])),
                Row(method: .get, path: "/v1/studios/\(otherStudio)", body: nil, expected: Self.expect([401, 404, 404, 200, 200])),
                Row(method: .patch, path: "/v1/studios/\(ownStudio)", body: #"{"capacity":4}"#, expected: Self.expect([401, 403, 403, 200, 200])),
                Row(
                    method: .post,
                    path: "/v1/studios/\(ownStudio)/vetting-checks",
                    body: #"{"kind":"portfolio","passed":true}"#,
                    expected: Self.expect([401, 403, 403, 201, 201])
                ),
                Row(
                    method: .post,
                    path: "/v1/studios/\(ownStudio)/decisions",
                    body: #"{"decision":"suspend","reason":"x"}"#,
                    expected: Self.expect([401, 403, 403, 409, 409])
                ),
                Row(
                    method: .post,
                    path: "/v1/studios/\(ownStudio)/conduct-notes",
                    body: #"{"note":"late"}"#,
                    expected: Self.expect([401, 403, 403, 201, 201])
                ),
                Row(method: .post, path: "/v1/clients", body: #"{"name":"New Client"}"#, expected: Self.expect([401, 403, 403, 201, 201])),
                Row(method: .get, path: "/v1/clients", body: nil, expected: Self.expect([401, 403, 403, 200, 200])),
                Row(method: .get, path: "/v1/clients/\(ownClient)", body: nil, expected: Self.expect([401, 404, 200, 200, 200])),
                Row(method: .get, path: "/v1/clients/\(otherClient)", body: nil, expected: Self.expect([401, 404, 404, 200, 200])),
                Row(
                    method: .patch,
                    path: "/v1/clients/\(ownClient)",
                    body: #"{"name":"Renamed"}"#,
                    expected: Self.expect([401, 403, 403, 200, 200])
                ),
                Row(method: .get, path: "/v1/journal", body: nil, expected: Self.expect([401, 403, 403, 200, 200])),
            ]
            for row in rows {
                for caller in Caller.allCases {
                    let response = try await client.call(row.method, row.path, token: tokens[caller], json: row.body)
                    #expect(response.status == row.expected[caller], "\(row.method) \(row.path) as \(caller): \(response.text)")
                    if response.status.code >= 400 { #expect(response.isProblem, "\(row.method) \(row.path) as \(caller)") }
                }
            }
            // Revoking: only the head, and a spare token so that the head keeps its own.
            let spare = try await club.database.issueToken(TokenGrant(role: .coordinator, name: "spare"), by: .system).token.id
            for caller in [Caller.anonymous, .studio, .client, .coordinator] {
                let status = try await client.call(.delete, "/v1/tokens/\(spare)", token: tokens[caller]).status
                #expect(status == (caller == .anonymous ? .unauthorized : .forbidden), "DELETE /v1/tokens as \(caller)")
            }
            #expect(try await client.call(.delete, "/v1/tokens/\(spare)", token: club.headToken).status == .noContent)
            #expect(try await client.call(.delete, "/v1/tokens/tok_unknown", token: club.headToken).status == .notFound)
        }
    }

    // MARK: - Driven by the policy table

    /// The callers of the policy-driven matrix: no token; the studio and the client that own the
    /// probed objects; a studio and a client that own none of them; a coordinator and the head.
    enum Party: CaseIterable { case anonymous, studio, client, otherStudio, otherClient, coordinator, head }

    /// One HTTP request that exercises one action of the policy. An `object` probe addresses an
    /// object of the studio and client under test, so that another studio or client answers 404
    /// under an `.own` grant; a `collection` probe lists or creates, and such a caller is let in.
    struct Probe {
        enum Target { case object, collection }

        let method: HTTPRequest.Method
        let path: String
        let body: String?
        let target: Target

        static func get(_ path: String, _ target: Target = .object) -> Probe {
            Probe(method: .get, path: path, body: nil, target: target)
        }

        static func post(_ path: String, _ body: String = "{}", _ target: Target = .object) -> Probe {
            Probe(method: .post, path: path, body: body, target: target)
        }

        static func patch(_ path: String, _ body: String) -> Probe {
            Probe(method: .patch, path: path, body: body, target: .object)
        }

        static func delete(_ path: String) -> Probe {
            Probe(method: .delete, path: path, body: nil, target: .object)
        }
    }

    /// What the policy says a caller gets: exactly one status, or let in, where the domain may
    /// still answer anything but 401, 403, 404 or a 5xx (a 409 for a state, a 422 for a rule).
    enum Verdict: Equatable {
        case status(Int)
        case allowed
        /// Let in, and told about its input: a 4xx that is not about who is asking.
        case inputRefused

        func admits(_ status: Int) -> Bool {
            switch self {
            case .status(let expected): status == expected
            case .allowed: ![401, 403, 404].contains(status) && status < 500
            case .inputRefused: ![401, 403, 404].contains(status) && (400..<500).contains(status)
            }
        }
    }

    static func verdict(_ party: Party, _ action: Action, _ probe: Probe, principals: [Party: Principal]) -> Verdict {
        guard let principal = principals[party] else { return .status(401) }
        switch Policy.grant(principal, action) {
        case .none: return .status(Policy.permission(for: action).denied == .notFound ? 404 : 403)
        case .all: return .allowed
        case .own: return probe.target == .object && [.otherStudio, .otherClient].contains(party) ? .status(404) : .allowed
        }
    }

    /// The right `RouteRights` declares for the route a probe calls, found by its method and path.
    static func declaredRight(_ probe: Probe) -> RouteRight? {
        let path = probe.path.split(separator: "?").first.map(String.init) ?? probe.path
        let segments = path.split(separator: "/")
        for (key, right) in RouteRights.table {
            let parts = key.split(separator: " ")
            guard parts.count == 2, parts[0] == probe.method.rawValue else { continue }
            let pattern = parts[1].split(separator: "/")
            if pattern.count == segments.count, zip(pattern, segments).allSatisfy({ $0 == "{id}" || $0 == $1 }) { return right }
        }
        return nil
    }

    /// Bodies no route takes: a field no request has, JSON cut short; for an upload, an executable.
    static func invalidBodies(for probe: Probe) -> [String] {
        probe.path.contains("/files") ? ["\u{7F}ELF\u{02}\u{01}\u{01}\u{00}"] : [#"{"clubdProbe":true}"#, #"{"statement"#]
    }

    /// What a caller sending a bad body gets under the route's declared right: the refusal of who it is first.
    static func inputVerdict(_ party: Party, _ right: RouteRight, _ probe: Probe, principals: [Party: Principal]) -> Verdict {
        guard let principal = principals[party] else { return .status(401) }
        // A route every caller may use, on a person: the person themself (none of the probe's parties) or a coordinator.
        guard let action = right.action else { return principal.role == .coordinator ? .inputRefused : .status(404) }
        switch Policy.grant(principal, action) {
        case .none: return .status(Policy.permission(for: action).denied == .notFound ? 404 : 403)
        case .all: return .inputRefused
        case .own: return probe.target == .object && [.otherStudio, .otherClient].contains(party) ? .status(404) : .inputRefused
        }
    }

    /// A request of the client, offered to the studio, accepted and engaged, as in the reference case.
    static func engage(
        _ client: any APIClient,
        _ club: TestClub,
        clientId: String,
        studioId: String,
        studioToken: String
    ) async throws -> (request: String, referral: String, engagement: String) {
        let head = club.headToken
        let asked = """
            {"clientId":"\(clientId)","statedAsk":"Instagram promotion","businessGoal":"leads from the internet",
             "budget":600000,"deadline":"2030-02-01"}
            """
        let request = try ReferenceCaseTests.id(try await client.call(.post, "/v1/requests", token: head, json: asked))
        let qualified = #"{"requiredCompetences":["landing","context_ads"],"rationale":"goal is leads"}"#
        try await client.call(.patch, "/v1/requests/\(request)", token: head, json: qualified)
        try await client.call(.post, "/v1/requests/\(request)/shortlist", token: head, json: "{}")
        let offered = try await client.call(.post, "/v1/requests/\(request)/referrals", token: head, json: #"{"studioIds":["\#(studioId)"]}"#)
        let referral = try #require((try offered.json()["items"] as? [[String: Any]])?.first?["id"] as? String, "\(offered.text)")
        try await client.call(.post, "/v1/referrals/\(referral)/answer", token: studioToken, json: #"{"accept":true}"#)
        let started = try await client.call(.post, "/v1/requests/\(request)/engagements", token: head, json: #"{"studioId":"\#(studioId)"}"#)
        return (request, referral, try ReferenceCaseTests.id(started))
    }

    /// Every action of `Action` has a probe, and each caller gets what `Policy.table` says: a new
    /// action without a probe, or a probe answered against the table, fails here.
    @Test func everyActionAnswersEachCallerAsThePolicyTableSays() async throws {
        try await withClub { client, club in
            let head = club.headToken
            let ownStudio = try await ReferenceCaseTests.activeStudio(client, club, name: "Pixel Hands", competences: #"["landing","context_ads"]"#)
            let otherStudio = try await ReferenceCaseTests.activeStudio(client, club, name: "Ad Minds", competences: #"["context_ads"]"#)
            let spareStudio = try await client.createStudio(club, name: "Applicant Studio")
            let ownClient = try await client.createClient(club)
            let otherClient = try await client.createClient(club, name: "Other Ltd")
            let studioToken = try await club.token(.studio, studioId: ownStudio)
            let clientToken = try await club.token(.client, clientId: ownClient)
            let tokens: [Party: String] = [
                .studio: studioToken,
                .client: clientToken,
                .otherStudio: try await club.token(.studio, studioId: otherStudio),
                .otherClient: try await club.token(.client, clientId: otherClient),
                .coordinator: try await club.token(.coordinator),
                .head: head,
            ]
            let principals: [Party: Principal] = [
                .studio: Principal(tokenId: "probe", name: "probe", role: .studio, studioId: ownStudio),
                .client: Principal(tokenId: "probe", name: "probe", role: .client, clientId: ownClient),
                .otherStudio: Principal(tokenId: "probe", name: "probe", role: .studio, studioId: otherStudio),
                .otherClient: Principal(tokenId: "probe", name: "probe", role: .client, clientId: otherClient),
                .coordinator: Principal(tokenId: "probe", name: "probe", role: .coordinator),
                .head: Principal(tokenId: "probe", name: "probe", role: .coordinator, isHead: true),
            ]

            // The objects the probes address, all of the own studio and client: a running engagement with an
            // agreement, an agreed fix list and its share link, a complaint and an audit; an ended engagement with
            // its exit, accepted consulting offer, session and retrospective; a spare request and a spare token.
            let main = try await Self.engage(client, club, clientId: ownClient, studioId: ownStudio, studioToken: studioToken)
            let ended = try await Self.engage(client, club, clientId: ownClient, studioId: ownStudio, studioToken: studioToken)
            let requestBody = """
                {"clientId":"\(ownClient)","statedAsk":"landing page","businessGoal":"leads","budget":300000,"deadline":"2030-03-01"}
                """
            let spareRequest = try ReferenceCaseTests.id(try await client.call(.post, "/v1/requests", token: head, json: requestBody))
            let agreementBody = """
                {"what":"client sends texts and photos","owner":"client","due":"2030-01-10","consequence":"release moves by the days of delay"}
                """
            let engagementPath = "/v1/engagements/\(main.engagement)"
            let agreement = try ReferenceCaseTests.id(try await client.call(.post, "\(engagementPath)/agreements", token: head, json: agreementBody))
            let item = #"{"statement":"Ads exclude job seekers","acceptance":"negative keywords in the account","due":"2030-01-25"}"#
            let threeItems = """
                {"items":[{"statement":"The form sends leads","acceptance":"a test lead arrives","due":"2030-01-20"},
                          {"statement":"The page loads fast on mobile","acceptance":"PageSpeed mobile score of 80 or more","due":"2030-01-22"},
                          {"statement":"The page has a privacy notice","acceptance":"linked from the form","due":"2030-01-22"}]}
                """
            let composed = try await client.call(.post, "\(engagementPath)/fix-lists", token: head, json: threeItems)
            let list = try ReferenceCaseTests.id(composed)
            let items = FixListEndpointTests.itemIds(try composed.json())
            try #require(items.count == 3, "\(composed.text)")
            try await client.call(.post, "/v1/fix-lists/\(list)/confirm", token: clientToken, json: "{}")
            try await client.call(.post, "/v1/fix-lists/\(list)/confirm", token: studioToken, json: "{}")
            let shared = try await client.call(.post, "/v1/fix-lists/\(list)/share-links", token: head, json: "{}")
            let shareLink = try #require(try shared.json()["id"] as? String, "\(shared.text)")
            let complaintBody = #"{"channel":"email","summary":"the form loses leads","demand":{"kind":"refund","amount":300000}}"#
            let filed = try await client.call(.post, "\(engagementPath)/complaints", token: clientToken, json: complaintBody)
            let complaint = try ReferenceCaseTests.id(filed)
            let auditBody = """
                {"auditor":"Northwind Audit Bureau","receivedAt":"2026-11-01T09:00:00Z","subject":"advertising campaign",
                 "findings":[{"statement":"too few negative keywords","severity":"critical","category":"keywords","proposal":null}]}
                """
            let logged = try await client.call(.post, "\(engagementPath)/audits", token: head, json: auditBody)
            let audit = try ReferenceCaseTests.id(logged)
            let finding = try #require((try logged.json()["findings"] as? [[String: Any]])?.first?["id"] as? String)
            let endedPath = "/v1/engagements/\(ended.engagement)"
            // Evidence on a check-in of the engagement about to be parted with: once it has ended, removing the file is
            // 409 for whoever may, 404 for whoever may not see it, whoever uploaded it.
            let endedCheckIn = #"{"heldAt":"2026-11-20T10:00:00Z","attendees":["Oleg"],"studioReport":"late","clientSentiment":2}"#
            let checkIn = try ReferenceCaseTests.id(try await client.call(.post, "\(endedPath)/check-ins", token: head, json: endedCheckIn))
            let evidence = try await client.call(.post, "/v1/check-ins/\(checkIn)/files?name=minutes.txt", token: head, json: "minutes\n")
            let endedFile = try ReferenceCaseTests.id(evidence)
            let exit = try ReferenceCaseTests.id(try await client.call(.post, "\(endedPath)/exit", token: head, json: #"{"reason":"parting"}"#))
            let soon = RFC3339.string(from: Date().addingTimeInterval(24 * 3600))
            let later = RFC3339.string(from: Date().addingTimeInterval(30 * 24 * 3600))
            let offerBody = #"{"sessions":2,"validUntil":"\#(later)"}"#
            let offer = try ReferenceCaseTests.id(try await client.call(.post, "/v1/exits/\(exit)/offer", token: head, json: offerBody))
            try await client.call(.post, "/v1/consulting-offers/\(offer)/answer", token: clientToken, json: #"{"accept":true}"#)
            let sessionBody = #"{"scheduledAt":"\#(soon)"}"#
            let sessionsPath = "/v1/consulting-offers/\(offer)/sessions"
            let session = try ReferenceCaseTests.id(try await client.call(.post, sessionsPath, token: head, json: sessionBody))
            let retrospectiveBody = #"{"facts":["released late"],"lessons":["Ask for feedback at the end of every stage"]}"#
            #expect(try await client.call(.post, "\(endedPath)/retrospective", token: head, json: retrospectiveBody).status == .created)
            let spareToken = try await club.database.issueToken(TokenGrant(role: .coordinator, name: "spare"), by: .system).token.id
            let person = try await club.database.createPerson(PersonInput(email: "anna@example.org", name: "Anna", role: .coordinator), by: .system)
            let sparePerson = try await club.database.createPerson(
                PersonInput(email: "boris@example.org", name: "Boris", role: .coordinator),
                by: .system
            )

            let studioBody = #"{"name":"New","competences":["web"],"budgetMin":0,"budgetMax":10,"capacity":1}"#
            let meetingBody = #"{"heldAt":"2026-11-01T10:00:00Z","studiosPresent":false,"facts":["release late"],"emotions":["feels ignored"]}"#
            let planBody = #"{"goals":["release"],"steps":[{"action":"agree the correction list","owner":"club","due":"2030-01-01"}]}"#
            let checkInBody = """
                {"heldAt":"2026-11-20T10:00:00Z","attendees":["Oleg"],"studioReport":"design draft ready","clientSentiment":4}
                """
            let responsibility = #"{"acceptedBy":"Oleg","acceptedAt":"2026-01-01T09:00:00Z","note":"late materials move the date"}"#
            let probes: [Action: Probe] = [
                .readStudio: .get("/v1/studios/\(ownStudio)"),
                .listStudios: .get("/v1/studios", .collection),
                .registerStudio: .post("/v1/studios", studioBody, .collection),
                .editStudio: .patch("/v1/studios/\(spareStudio)", #"{"capacity":4}"#),
                .recordVettingCheck: .post("/v1/studios/\(spareStudio)/vetting-checks", #"{"kind":"portfolio","passed":true}"#),
                .decideStudio: .post("/v1/studios/\(spareStudio)/decisions", #"{"decision":"suspend","reason":"late twice"}"#),
                .expelStudio: .post("/v1/studios/\(spareStudio)/decisions", #"{"decision":"expel","reason":"broke the code"}"#),
                .recordConductNote: .post("/v1/studios/\(spareStudio)/conduct-notes", #"{"note":"late"}"#),
                .readClient: .get("/v1/clients/\(ownClient)"),
                .listClients: .get("/v1/clients", .collection),
                .registerClient: .post("/v1/clients", #"{"name":"New Client"}"#, .collection),
                .editClient: .patch("/v1/clients/\(ownClient)", #"{"name":"Yacht Charter Ltd"}"#),
                .readRequest: .get("/v1/requests/\(main.request)"),
                .listRequests: .get("/v1/requests", .collection),
                .registerRequest: .post("/v1/requests", requestBody, .collection),
                .editRequest: .patch("/v1/requests/\(spareRequest)", #"{"rationale":"the goal is leads"}"#),
                .recordSharedResponsibility: .post("/v1/requests/\(spareRequest)/shared-responsibility", responsibility),
                .closeRequest: .post("/v1/requests/\(spareRequest)/close", #"{"outcome":"lost","reason":"went elsewhere"}"#),
                .makeShortlist: .post("/v1/requests/\(main.request)/shortlist"),
                .readShortlist: .get("/v1/requests/\(main.request)/shortlist"),
                // An applicant studio cannot be offered work: a coordinator gets 422 and nobody else is offered it.
                .offerReferrals: .post("/v1/requests/\(main.request)/referrals", #"{"studioIds":["\#(spareStudio)"]}"#),
                .answerReferral: .post("/v1/referrals/\(main.referral)/answer", #"{"accept":true}"#),
                .listReferrals: .get("/v1/referrals", .collection),
                // The main request's referral was used by its engagement: a client's choice of it is 422
                // (`choice-needs-accepted-referral`), a coordinator's without a note too.
                .recommendCandidate: .patch("/v1/referrals/\(main.referral)", #"{"recommendation":"one pair of hands"}"#),
                .readCandidates: .get("/v1/requests/\(main.request)/candidates"),
                .chooseStudio: .post("/v1/requests/\(main.request)/choice", #"{"studioId":"\#(ownStudio)"}"#),
                .startEngagement: .post("/v1/requests/\(main.request)/engagements", #"{"studioId":"\#(ownStudio)"}"#),
                .editEngagement: .patch("/v1/engagements/\(main.engagement)", #"{"stagesReached":["design"]}"#),
                .readEngagement: .get("/v1/engagements/\(main.engagement)"),
                .listEngagements: .get("/v1/engagements", .collection),
                .writeAgreement: .post("/v1/engagements/\(main.engagement)/agreements", agreementBody),
                .confirmAgreement: .post("/v1/agreements/\(agreement)/confirm"),
                .fulfilAgreement: .post("/v1/agreements/\(agreement)/fulfil"),
                .listAgreements: .get("/v1/agreements", .collection),
                .recordCheckIn: .post("/v1/engagements/\(main.engagement)/check-ins", checkInBody),
                .giveFeedback: .post("/v1/engagements/\(main.engagement)/feedback", #"{"stage":"design","score":4}"#),
                .fileComplaint: .post("/v1/engagements/\(main.engagement)/complaints", complaintBody),
                .readComplaint: .get("/v1/complaints/\(complaint)"),
                .recordStudioAccount: .post("/v1/complaints/\(complaint)/studio-account", #"{"account":"the CRM rejected the form's field names"}"#),
                .editComplaint: .patch("/v1/complaints/\(complaint)", #"{"summary":"the form loses leads at night"}"#),
                .recordMeeting: .post("/v1/complaints/\(complaint)/meeting", meetingBody),
                .proposePlan: .post("/v1/complaints/\(complaint)/plan", planBody),
                .approvePlan: .post("/v1/complaints/\(complaint)/approve"),
                .resolveComplaint: .post(
                    "/v1/complaints/\(complaint)/resolve",
                    #"{"outcome":"retained","notes":"released","upheld":"partly","upheldReason":"late, but the brief changed"}"#
                ),
                .readFollowUps: .get("/v1/follow-ups", .collection),
                .acknowledgeComplaint: .post(
                    "/v1/complaints/\(complaint)/acknowledgement",
                    #"{"channel":"phone","message":"we hear you and are sorry","apology":true}"#
                ),
                .recordComplaintUpdate: .post("/v1/complaints/\(complaint)/updates", #"{"channel":"phone","summary":"the form is fixed"}"#),
                .answerResolution: .post("/v1/complaints/\(complaint)/resolution-answer", #"{"satisfied":true}"#),
                .composeFixList: .post("/v1/engagements/\(main.engagement)/fix-lists", #"{"items":[\#(item)]}"#),
                .readFixList: .get("/v1/fix-lists/\(list)"),
                .addFixItem: .post("/v1/fix-lists/\(list)/items", item),
                .editFixItem: .patch("/v1/fix-items/\(items[1])", #"{"acceptance":"PageSpeed mobile score of 85 or more"}"#),
                .removeFixItem: .delete("/v1/fix-items/\(items[2])"),
                .confirmFixList: .post("/v1/fix-lists/\(list)/confirm"),
                .strikeFixItem: .post("/v1/fix-items/\(items[0])/strike", #"{"note":"deployed"}"#),
                .reopenFixItem: .post("/v1/fix-items/\(items[0])/reopen", #"{"reason":"still broken on mobile"}"#),
                // Reopened just before: the client's accept is 409, a coordinator's without a note 422.
                .acceptFixItem: .post("/v1/fix-items/\(items[0])/accept"),
                .commentOnFixItem: .post("/v1/fix-items/\(items[0])/comments", #"{"text":"checked on iOS: the form works"}"#),
                .createShareLink: .post("/v1/fix-lists/\(list)/share-links"),
                .revokeShareLink: .delete("/v1/share-links/\(shareLink)"),
                .logAudit: .post("/v1/engagements/\(main.engagement)/audits", auditBody),
                .readAudit: .get("/v1/audits/\(audit)"),
                .rebutFinding: .post("/v1/audit-findings/\(finding)/rebuttal", #"{"argument":"the report shows no irrelevant clicks"}"#),
                .answerAudit: .post("/v1/audits/\(audit)/answer"),
                .closeAudit: .post("/v1/audits/\(audit)/close", #"{"outcome":"the client accepted our answer"}"#),
                .exitEngagement: .post("/v1/engagements/\(ended.engagement)/exit", #"{"reason":"parting again"}"#),
                .offerConsulting: .post("/v1/exits/\(exit)/offer", offerBody),
                .answerConsultingOffer: .post("/v1/consulting-offers/\(offer)/answer", #"{"accept":true}"#),
                .readConsultingOffer: .get("/v1/consulting-offers/\(offer)/sessions"),
                .scheduleSession: .post("/v1/consulting-offers/\(offer)/sessions", sessionBody),
                .markSession: .patch("/v1/consulting-sessions/\(session)", #"{"status":"cancelled","notes":"client travelling"}"#),
                .writeRetrospective: .post("/v1/engagements/\(ended.engagement)/retrospective", retrospectiveBody),
                .readRetrospective: .get("/v1/engagements/\(ended.engagement)/retrospective"),
                .searchLessons: .get("/v1/lessons?q=feedback", .collection),
                .exportCaseFile: .get("/v1/engagements/\(main.engagement)/case-file"),
                .readJournal: .get("/v1/journal", .collection),
                .readScorecards: .get("/v1/reports/studios", .collection),
                .readOwnScorecard: .get("/v1/studios/\(ownStudio)/scorecard"),
                .readFunnel: .get("/v1/reports/funnel", .collection),
                .readMetrics: .get("/metrics", .collection),
                // The parted engagement has ended: the client rates the club, a coordinator then gets 409 (rated once).
                .rateClub: .post("/v1/engagements/\(ended.engagement)/club-rating", #"{"score":9,"comment":"kept us informed"}"#),
                .readClubRating: .get("/v1/engagements/\(ended.engagement)/club-rating"),
                .readClubScore: .get("/v1/reports/club", .collection),
                .issueToken: .post("/v1/tokens", #"{"role":"coordinator","name":"probe"}"#, .collection),
                .revokeToken: .delete("/v1/tokens/\(spareToken)"),
                .listTokens: .get("/v1/tokens", .collection),
                // The second coordinator to invite the same address gets 422: the e-mail is taken.
                .createPerson: .post("/v1/people", #"{"email":"probe@example.org","name":"Probe","role":"coordinator"}"#, .collection),
                .listPeople: .get("/v1/people", .collection),
                .readPerson: .get("/v1/people/\(person.person.id)"),
                .editPerson: .patch("/v1/people/\(person.person.id)", #"{"language":"en"}"#),
                .deactivatePerson: .post("/v1/people/\(sparePerson.person.id)/deactivate"),
                .invitePerson: .post("/v1/people/\(person.person.id)/invitations"),
                .manageHeadCoordinator: .post(
                    "/v1/people",
                    #"{"email":"head@example.org","name":"Maria","role":"coordinator","head":true}"#,
                    .collection
                ),
                .manageWebhooks: .get("/v1/webhooks", .collection),
                .attachFile: .post("/v1/complaints/\(complaint)/files?name=call-log.txt", "the call log\n"),
                .removeFile: .delete("/v1/files/\(endedFile)"),
            ]
            #expect(Set(probes.keys) == Set(Action.allCases), "every action needs a probe")

            // In the order of `Action`, so that a state a probe leaves behind is the same on every run.
            for action in Action.allCases {
                guard let probe = probes[action] else { continue }
                for party in Party.allCases {
                    let response = try await client.call(probe.method, probe.path, token: tokens[party], json: probe.body)
                    let verdict = Self.verdict(party, action, probe, principals: principals)
                    let status = response.status.code
                    #expect(verdict.admits(status), "\(action) \(probe.method) \(probe.path) as \(party): \(verdict), got \(status) \(response.text)")
                    if status >= 400 { #expect(response.isProblem, "\(action) \(probe.method) \(probe.path) as \(party)") }
                }
            }

            // Rights before input (docs/design.md §2): the same walk with bodies no route accepts. A caller the route's
            // declared right refuses gets its 403 or 404 as above, before its body is looked at; one it lets in is told
            // what is wrong with the body.
            for action in Action.allCases {
                guard let probe = probes[action], probe.method == .post || probe.method == .patch else { continue }
                let right = try #require(Self.declaredRight(probe), "\(probe.method) \(probe.path) declares its right")
                for party in Party.allCases {
                    for body in Self.invalidBodies(for: probe) {
                        let response = try await client.call(probe.method, probe.path, token: tokens[party], json: body)
                        let verdict = Self.inputVerdict(party, right, probe, principals: principals)
                        let status = response.status.code
                        #expect(
                            verdict.admits(status),
                            "\(probe.method) \(probe.path) as \(party) with \(body): \(verdict), got \(status) \(response.text)"
                        )
                        #expect(response.isProblem, "\(probe.method) \(probe.path) as \(party) with \(body)")
                    }
                }
            }

            // The parties know each other, and nobody else (DESIGN §2): the studio reads the complaint about its
            // work and its client; the client reads its studio; neither reads the other studio or client.
            let reads: [(Party, String, Int)] = [
                (.studio, "/v1/complaints/\(complaint)", 200), (.otherStudio, "/v1/complaints/\(complaint)", 404),
                (.client, "/v1/studios/\(ownStudio)", 200), (.client, "/v1/studios/\(otherStudio)", 404),
                (.otherClient, "/v1/studios/\(ownStudio)", 404),
                (.studio, "/v1/clients/\(ownClient)", 200), (.studio, "/v1/clients/\(otherClient)", 404),
                (.otherStudio, "/v1/clients/\(ownClient)", 404),
                // An engagement's fix lists are found from the engagement by its parties, and by nobody else.
                (.studio, "\(engagementPath)/fix-lists", 200), (.client, "\(engagementPath)/fix-lists", 200),
                (.otherStudio, "\(engagementPath)/fix-lists", 404), (.otherClient, "\(engagementPath)/fix-lists", 404),
                // So are its complaints and audits.
                (.studio, "\(engagementPath)/complaints", 200), (.client, "\(engagementPath)/complaints", 200),
                (.otherStudio, "\(engagementPath)/complaints", 404), (.otherClient, "\(engagementPath)/complaints", 404),
                (.studio, "\(engagementPath)/audits", 200), (.client, "\(engagementPath)/audits", 200),
                (.otherStudio, "\(engagementPath)/audits", 404), (.otherClient, "\(engagementPath)/audits", 404),
            ]
            for (party, path, expected) in reads {
                let response = try await client.call(.get, path, token: tokens[party], json: nil)
                #expect(response.status.code == expected, "GET \(path) as \(party): \(response.text)")
                guard expected == 200, let kind = path.split(separator: "/").last, ["fix-lists", "complaints", "audits"].contains(kind) else {
                    continue
                }
                let items = try response.json()["items"] as? [[String: Any]]
                // The probes above made more of each on the engagement; the first one made comes first.
                let first = try #require(["fix-lists": list, "complaints": complaint, "audits": audit][String(kind)])
                #expect(items?.first?["id"] as? String == first, "GET \(path) as \(party) finds the engagement's \(kind), oldest first")
                // Each is redacted for the party exactly as its own read is: nothing more, nothing less.
                let single = try await client.call(.get, "/v1/\(kind)/\(first)", token: tokens[party], json: nil)
                let alone = try single.json() as NSDictionary
                #expect(items?.first.map { $0 as NSDictionary } == alone, "GET \(path) as \(party) answers \(first) as its own read does")
            }
            // An accepted referral is enough for the client to read the studio's profile; an offer is not, and
            // the studio reads the client only once they have an engagement.
            let asked = """
                {"clientId":"\(ownClient)","statedAsk":"ads for the winter season","businessGoal":"bookings","budget":200000,"deadline":"2030-06-01"}
                """
            let request = try ReferenceCaseTests.id(try await client.call(.post, "/v1/requests", token: head, json: asked))
            try await client.call(
                .patch,
                "/v1/requests/\(request)",
                token: head,
                json: #"{"requiredCompetences":["context_ads"],"rationale":"bookings"}"#
            )
            try await client.call(.post, "/v1/requests/\(request)/shortlist", token: head, json: "{}")
            let offered = try await client.call(.post, "/v1/requests/\(request)/referrals", token: head, json: #"{"studioIds":["\#(otherStudio)"]}"#)
            let referral = try #require((try offered.json()["items"] as? [[String: Any]])?.first?["id"] as? String, "\(offered.text)")
            #expect(try await client.call(.get, "/v1/studios/\(otherStudio)", token: clientToken).status == .notFound, "only offered")
            let accepted = try await client.call(.post, "/v1/referrals/\(referral)/answer", token: tokens[.otherStudio], json: #"{"accept":true}"#)
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(try await client.call(.get, "/v1/studios/\(otherStudio)", token: clientToken).status == .ok, "accepted")
            #expect(try await client.call(.get, "/v1/studios/\(otherStudio)", token: tokens[.otherClient]).status == .notFound)
            #expect(try await client.call(.get, "/v1/clients/\(ownClient)", token: tokens[.otherStudio]).status == .notFound, "no engagement yet")
        }
    }
}
