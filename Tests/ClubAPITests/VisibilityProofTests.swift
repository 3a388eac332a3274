import ClubAPI
import ClubCore
import ClubDemo
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The proof of DESIGN §2's field visibility: a unique marker in every internal field of the
/// reference case, then every read the spec lists, the case files, the share pages and the
/// audit letters, as the client, as each studio and as a coordinator. No marker reaches a party;
/// the club reads every one of them.
@Suite("What each party may read")
struct VisibilityProofTests {
    /// A marker per internal field, so that the coordinator's reads can be checked to hold each.
    final class Markers: @unchecked Sendable {
        private(set) var all: [String] = []

        func make(_ field: String) -> String {
            let marker = "MARK-\(field)-\(all.count)"
            all.append(marker)
            return marker
        }
    }

    struct Club {
        let database: AppDatabase
        let summary: ReferenceCase.Summary
        let adMindsToken: String
    }

    static func referenceCase() async throws -> Club {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-visibility-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let clock = ReferenceCase.clock(endingBefore: Date(), rules: ClubRules())
        let database = try AppDatabase(path: folder.appendingPathComponent("clubd.sqlite").path, clock: clock)
        let summary = try await ReferenceCase(database: database, clock: clock).load()
        let studios = try await database.studios(StudioFilter(), page: PageRequest(limit: 50), for: .system).items
        let adMinds = try #require(studios.first { $0.name == "Ad Minds" })
        let adMindsToken = try await database.issueToken(
            TokenGrant(role: .studio, studioId: adMinds.id, name: "Ad Minds lead"),
            by: .system
        ).secret
        return Club(database: database, summary: summary, adMindsToken: adMindsToken)
    }

    /// Writes a marker into every internal field the coordinator can write, through the API.
    static func writeMarkers(_ client: any APIClient, _ club: Club, _ markers: Markers) async throws -> [String: String] {
        let head = club.summary.headToken
        let landing = club.summary.landingEngagementId
        func ok(_ response: APIResponse, _ what: String) throws -> [String: Any] {
            #expect(response.status.code < 300, "\(what): \(response.text)")
            return (try? response.json()) ?? [:]
        }
        let engagement = try ok(try await client.call(.get, "/v1/engagements/\(landing)", token: head), "engagement")
        let studioId = try #require(engagement["studioId"] as? String)
        let clientId = try #require(engagement["clientId"] as? String)
        let requestId = try #require(engagement["requestId"] as? String)
        var ids: [String: String] = ["studio": studioId, "client": clientId, "request": requestId]
        // Times the club's clock has already passed.
        let past = { (hours: Double) in RFC3339.string(from: club.database.clock.now().addingTimeInterval(-hours * 3600)) }

        let note = { (field: String) in #""internalNote":"\#(markers.make(field))""# }
        _ = try ok(try await client.call(.patch, "/v1/studios/\(studioId)", token: head, json: "{\(note("studio"))}"), "studio")
        _ = try ok(
            try await client.call(
                .post,
                "/v1/studios/\(studioId)/conduct-notes",
                token: head,
                json: #"{"note":"\#(markers.make("conduct"))"}"#
            ),
            "conduct note"
        )
        // Vetting happens before admission: a new applicant's check carries the marker.
        let applicant = try ok(
            try await client.call(
                .post,
                "/v1/studios",
                token: head,
                json: #"{"name":"Applicant","competences":["web"],"budgetMin":0,"budgetMax":10,"capacity":1}"#
            ),
            "applicant"
        )
        _ = try ok(
            try await client.call(
                .post,
                "/v1/studios/\(applicant["id"] as? String ?? "")/vetting-checks",
                token: head,
                json: #"{"kind":"interview","passed":true,"notes":"\#(markers.make("vetting"))"}"#
            ),
            "vetting check"
        )
        _ = try ok(try await client.call(.patch, "/v1/clients/\(clientId)", token: head, json: "{\(note("client"))}"), "client")
        _ = try ok(try await client.call(.patch, "/v1/requests/\(requestId)", token: head, json: "{\(note("request"))}"), "request")
        _ = try ok(try await client.call(.patch, "/v1/engagements/\(landing)", token: head, json: "{\(note("engagement"))}"), "engagement")
        _ = try ok(
            try await client.call(
                .post,
                "/v1/engagements/\(landing)/agreements",
                token: head,
                json: #"{"what":"monthly report","owner":"studio","due":"2030-01-10","consequence":"a call",\#(note("agreement"))}"#
            ),
            "agreement"
        )
        _ = try ok(
            try await client.call(
                .post,
                "/v1/engagements/\(landing)/check-ins",
                token: head,
                json: """
                    {"heldAt":"\(past(30))","attendees":["Oleg"],"studioReport":"on track","clientSentiment":1,
                     \(note("check-in"))}
                    """
            ),
            "check-in"
        )
        let list = try ok(
            try await client.call(
                .post,
                "/v1/engagements/\(landing)/fix-lists",
                token: head,
                json: """
                    {"items":[{"statement":"The footer links work","acceptance":"every link opens","due":"2030-01-20",
                     \(note("fix-item"))}],\(note("fix-list"))}
                    """
            ),
            "fix list"
        )
        ids["fixList"] = list["id"] as? String
        let complaint = try ok(
            try await client.call(
                .post,
                "/v1/engagements/\(landing)/complaints",
                token: head,
                json: #"{"channel":"call","summary":"the footer is broken","demand":{"kind":"redo"},\#(note("complaint"))}"#
            ),
            "complaint"
        )
        let complaintId = try #require(complaint["id"] as? String)
        ids["complaint"] = complaintId
        _ = try ok(
            try await client.call(
                .post,
                "/v1/complaints/\(complaintId)/meeting",
                token: head,
                json: """
                    {"heldAt":"\(past(20))","studiosPresent":false,"facts":["the footer is broken"],
                     "emotions":["\(markers.make("emotions"))"],"notes":"\(markers.make("meeting-notes"))"}
                    """
            ),
            "meeting"
        )
        _ = try ok(
            try await client.call(
                .post,
                "/v1/complaints/\(complaintId)/plan",
                token: head,
                json: """
                    {"goals":["repair the footer",{"text":"\(markers.make("goal"))","visibility":"internal"}],
                     "steps":[{"action":"fix the footer","owner":"studio","due":"2030-01-05"},
                              {"action":"\(markers.make("step"))","owner":"club","due":"2030-01-06","visibility":"internal"}],
                     "upsell":"\(markers.make("plan-upsell"))"}
                    """
            ),
            "plan"
        )
        _ = try ok(try await client.call(.post, "/v1/complaints/\(complaintId)/approve", token: head, json: "{}"), "approval")
        _ = try ok(
            try await client.call(
                .post,
                "/v1/engagements/\(landing)/audits",
                token: head,
                json: """
                    {"auditor":"Audit Co","receivedAt":"\(past(10))","subject":"the landing page",\(note("audit")),
                     "findings":[{"statement":"no alt texts","severity":"minor","category":"a11y","proposal":"add them",
                                  \(note("finding"))}]}
                    """
            ),
            "audit"
        )
        _ = try ok(
            try await client.call(
                .post,
                "/v1/engagements/\(landing)/retrospective",
                token: head,
                json: """
                    {"facts":["the footer broke after release"],"emotions":["\(markers.make("retro-emotions"))"],
                     "mistakes":[{"side":"club","statement":"\(markers.make("club-mistake"))","counterfactual":"it would have held"}],
                     "lessons":["\(markers.make("lesson"))"]}
                    """
            ),
            "retrospective"
        )
        _ = try ok(
            try await client.call(
                .post,
                "/v1/engagements/\(landing)/exit",
                token: head,
                json: #"{"reason":"parting after the release","decidedBy":"Maria",\#(note("exit"))}"#
            ),
            "exit"
        )
        return ids
    }

    /// Every `GET` of the spec with its path parameters filled by every id of that kind.
    static func reads(_ client: any APIClient, _ club: Club) async throws -> [String] {
        let head = club.summary.headToken
        func items(_ path: String) async throws -> [String] {
            let page = try await client.call(.get, path + "?limit=200", token: head).json()
            return (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        let engagements = try await items("/v1/engagements")
        var fixLists: [String] = [club.summary.fixListId]
        var complaints: [String] = []
        var audits: [String] = []
        var offers: [String] = []
        for engagement in engagements {
            let file = try await client.call(.get, "/v1/engagements/\(engagement)/case-file", token: head).json()
            fixLists += (file["fixLists"] as? [[String: Any]] ?? []).compactMap { ($0["list"] as? [String: Any])?["id"] as? String }
            complaints += (file["complaints"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            audits += (file["audits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            offers += (file["consultingOffers"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        let ids: [String: [String]] = [
            "studios": try await items("/v1/studios"), "clients": try await items("/v1/clients"),
            "requests": try await items("/v1/requests"), "engagements": engagements, "fix-lists": fixLists,
            "complaints": complaints, "audits": audits, "consulting-offers": offers,
        ]
        var uris: [String] = []
        for operation in try OpenAPIContractTests.documentedOperations().sorted() where operation.hasPrefix("GET ") {
            let path = String(operation.dropFirst(4))
            guard path.contains("{id}") else {
                uris.append(path)
                continue
            }
            let kind = path.split(separator: "/")[1]
            for id in ids[String(kind)] ?? [] { uris.append(path.replacingOccurrences(of: "{id}", with: id)) }
        }
        return uris
    }

    @Test func noInternalMarkerReachesAPartyByAnyRouteAndTheClubReadsThemAll() async throws {
        let club = try await Self.referenceCase()
        let markers = Markers()
        let app = Application(router: try buildRouter(database: club.database))
        try await app.test(.router) { router in
            let client = RouterClient(client: router)
            let written = try await Self.writeMarkers(client, club, markers)
            let uris = try await Self.reads(client, club)
            #expect(uris.count > 40, "every GET of the spec, with ids")
            // Share pages: the demo's link, and one the client makes for the new list.
            let link = try await client.call(
                .post,
                "/v1/fix-lists/\(try #require(written["fixList"]))/share-links",
                token: club.summary.clientToken,
                json: "{}"
            ).json()
            let shareTokens = [club.summary.shareToken, try #require(link["token"] as? String)]

            let parties = [
                ("client", club.summary.clientToken), ("studio", club.summary.studioToken), ("other studio", club.adMindsToken),
            ]
            for (party, token) in parties {
                for uri in uris {
                    var text = try await client.call(.get, uri, token: token).text
                    // Letters come as plain text or, when asked for, Markdown: read both.
                    if uri.hasSuffix("/letter") {
                        text += try await client.call(.get, uri, token: token, headers: [.accept: "text/markdown"]).text
                    }
                    #expect(!text.contains("MARK-"), "\(party) GET \(uri) shows an internal marker: \(text.prefix(300))")
                    #expect(!text.contains("clientSentiment"), "\(party) GET \(uri) shows the client's mood")
                    #expect(!text.contains(Redactor.annotationKey), "\(party) GET \(uri) is told what it cannot see")
                }
            }
            for token in shareTokens {
                let page = try await client.call(.get, "/share/\(token)").text
                #expect(!page.contains("MARK-"), "a share page shows an internal marker")
            }

            var seen = ""
            for uri in uris { seen += try await client.call(.get, uri, token: club.summary.headToken).text }
            for marker in markers.all { #expect(seen.contains(marker), "the club cannot read \(marker)") }
            #expect(seen.contains(Redactor.annotationKey), "the club is told which fields the parties do not see")
        }
    }

    @Test func thePartiesKnowEachOtherAndNothingMore() async throws {
        let club = try await Self.referenceCase()
        let app = Application(router: try buildRouter(database: club.database))
        try await app.test(.router) { router in
            let client = RouterClient(client: router)
            let head = club.summary.headToken
            let landing = try await client.call(.get, "/v1/engagements/\(club.summary.landingEngagementId)", token: head).json()
            let studioId = try #require(landing["studioId"] as? String)
            let clientId = try #require(landing["clientId"] as? String)
            let profile = try await client.call(.get, "/v1/studios/\(studioId)", token: club.summary.clientToken)
            #expect(profile.status == .ok)
            let fields = Set(try profile.json().keys)
            #expect(fields.isSubset(of: ["id", "name", "website", "competences", "regions", "version", "createdAt", "updatedAt"]))
            #expect(fields.isSuperset(of: ["name", "competences", "regions"]))
            let customer = try await client.call(.get, "/v1/clients/\(clientId)", token: club.summary.studioToken)
            #expect(customer.status == .ok)
            #expect(try customer.json()["contacts"] != nil)

            let studios = try await client.call(.get, "/v1/studios?limit=50", token: head).json()["items"] as? [[String: Any]] ?? []
            let stranger = try #require(studios.first { $0["name"] as? String == "Search Masters" }?["id"] as? String)
            #expect(try await client.call(.get, "/v1/studios/\(stranger)", token: club.summary.clientToken).status == .notFound)
        }
    }
}
