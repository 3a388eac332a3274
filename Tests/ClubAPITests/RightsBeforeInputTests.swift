import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@testable import ClubAPI

/// Rights before input (docs/design.md §2): every route declares its action and object, a role that never may is
/// refused 403 whatever its body, and an object out of reach is 404 whatever the body's problems.
@Suite("Rights before input")
struct RightsBeforeInputTests {
    /// The router's `/v1` routes, as "METHOD /path" with `{id}` for the captured id.
    static func routes(of router: Router<ClubRequestContext>) -> Set<String> {
        Set(router.routes.map { "\($0.method) \($0.path)" }.filter { $0.contains(" /v1/") && !$0.hasSuffix("/v1/health") })
    }

    @Test func everyRouteDeclaresItsRightAndEveryDeclarationIsARoute() async throws {
        let club = try await TestClub.make()
        let routes = Self.routes(of: try buildRouter(database: club.database))
        #expect(routes.count > 100, "the router's routes were read: \(routes.count)")
        let undeclared = routes.filter { RouteRights.table[$0] == nil }.sorted()
        #expect(undeclared.isEmpty, "routes without a right in RouteRights: \(undeclared)")
        let stale = Set(RouteRights.table.keys).subtracting(routes).sorted()
        #expect(stale.isEmpty, "rights declared for no route: \(stale)")
    }

    /// What an operator saw: a studio registering a studio with half a body was told the missing fields.
    @Test func aRoleThatNeverMayIsRefusedWhateverItsBody() async throws {
        try await withClub { client, club in
            let studio = try await club.token(.studio, studioId: try await client.createStudio(club))
            let customer = try await club.token(.client, clientId: try await client.createClient(club))
            let bodies = [#"{"name":"x"}"#, #"{"name":"#, #"{"unknown":true}"#, String(repeating: "x", count: 64 * 1024)]
            for body in bodies {
                for token in [studio, customer] {
                    let answer = try await client.call(.post, "/v1/studios", token: token, json: body)
                    #expect(answer.status == .forbidden, "\(body.prefix(20)): \(answer.text)")
                    #expect(answer.isProblem)
                }
                let wrongType = try await client.call(.post, "/v1/clients", token: studio, json: body, headers: [.contentType: "text/plain"])
                #expect(wrongType.status == .forbidden, "a studio's text body: \(wrongType.text)")
            }
            // The head coordinator with the same half a body is told what is missing.
            let asHead = try await client.call(.post, "/v1/studios", token: club.headToken, json: #"{"name":"x"}"#)
            #expect(asHead.status == .badRequest || asHead.status == .unprocessableContent, "\(asHead.text)")
        }
    }

    @Test func anObjectOutOfReachIsNotFoundWhateverTheBody() async throws {
        try await withClub { client, club in
            let own = try await ReferenceCaseTests.activeStudio(client, club, name: "Pixel Hands", competences: #"["landing","context_ads"]"#)
            let other = try await client.createStudio(club, name: "Ad Minds")
            let customer = try await client.createClient(club)
            let studioToken = try await club.token(.studio, studioId: own)
            let otherToken = try await club.token(.studio, studioId: other)
            let clientToken = try await club.token(.client, clientId: customer)
            let engaged = try await AuthorizationMatrixTests.engage(client, club, clientId: customer, studioId: own, studioToken: studioToken)
            let items = #"{"items":[{"statement":"The form sends leads","acceptance":"a test lead arrives","due":"2030-01-20"}]}"#
            let composed = try await client.call(.post, "/v1/engagements/\(engaged.engagement)/fix-lists", token: club.headToken, json: items)
            let item = try #require(FixListEndpointTests.itemIds(try composed.json()).first, "\(composed.text)")
            let list = try ReferenceCaseTests.id(composed)
            let invalid = [#"{"note":12}"#, #"{"unknown":true}"#, "not json"]
            for body in invalid {
                // Another studio: the item is not theirs, and the body's problems are none of their business.
                let strike = try await client.call(.post, "/v1/fix-items/\(item)/strike", token: otherToken, json: body)
                #expect(strike.status == .notFound, "another studio striking with \(body): \(strike.text)")
                // The assigned studio is told what is wrong with its body.
                let own = try await client.call(.post, "/v1/fix-items/\(item)/strike", token: studioToken, json: body)
                #expect(own.status == .badRequest, "the assigned studio striking with \(body): \(own.text)")
                // No such object, even for a coordinator.
                let missing = try await client.call(.patch, "/v1/fix-items/fxi_missing", token: club.headToken, json: body)
                #expect(missing.status == .notFound, "a missing item: \(missing.text)")
                // A client of another engagement confirming this list.
                let stranger = try await club.token(.client, clientId: try await client.createClient(club, name: "Other Ltd"))
                let confirm = try await client.call(.post, "/v1/fix-lists/\(list)/confirm", token: stranger, json: body)
                #expect(confirm.status == .notFound, "another client confirming with \(body): \(confirm.text)")
                let ownConfirm = try await client.call(.post, "/v1/fix-lists/\(list)/confirm", token: clientToken, json: body)
                #expect(ownConfirm.status == .badRequest, "the client confirming with \(body): \(ownConfirm.text)")
            }
            // A person's own notifications: another person's record is out of a studio's reach.
            let person = try await club.database.createPerson(PersonInput(email: "anna@example.org", name: "Anna", role: .coordinator), by: .system)
            let patched = try await client.call(.patch, "/v1/people/\(person.person.id)", token: studioToken, json: #"{"notifications":7}"#)
            #expect(patched.status == .notFound, "\(patched.text)")
        }
    }
}
