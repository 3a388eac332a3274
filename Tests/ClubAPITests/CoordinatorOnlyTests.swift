import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The coordinator-only actions of matching and engagements: 401 without a token, 403 for a
/// studio or a client whatever the object, and never a 5xx.
@Suite("Coordinator-only actions")
struct CoordinatorOnlyTests {
    static let actions: [(HTTPRequest.Method, String, String?)] = [
        (.post, "/v1/requests", #"{"clientId":"cli_x","statedAsk":"x","businessGoal":"y","budget":1,"deadline":"2030-01-01"}"#),
        (.patch, "/v1/requests/req_x", #"{"budget":2}"#),
        (.post, "/v1/requests/req_x/shared-responsibility", #"{"acceptedBy":"Oleg","acceptedAt":"2026-01-01T00:00:00Z","note":"ok"}"#),
        (.post, "/v1/requests/req_x/close", #"{"outcome":"lost","reason":"x"}"#),
        (.post, "/v1/requests/req_x/shortlist", "{}"),
        (.get, "/v1/requests/req_x/shortlist", nil),
        (.post, "/v1/requests/req_x/referrals", #"{"studioIds":["stu_x"]}"#),
        (.post, "/v1/requests/req_x/engagements", #"{"studioId":"stu_x"}"#),
        (.patch, "/v1/engagements/eng_x", #"{"status":"released"}"#),
        (.post, "/v1/engagements/eng_x/agreements", #"{"what":"x","owner":"club","due":"2030-01-01","consequence":"y"}"#),
        (.post, "/v1/agreements/agr_x/fulfil", "{}"),
        (.get, "/v1/agreements?overdue=true", nil),
        (.post, "/v1/engagements/eng_x/check-ins", #"{"heldAt":"2026-01-01T00:00:00Z","attendees":["a"],"studioReport":"r","clientSentiment":3}"#),
        (.post, "/v1/engagements/eng_x/fix-lists", #"{"items":[]}"#),
        (.post, "/v1/fix-lists/fxl_x/items", #"{"statement":"s","acceptance":"a","due":"2030-01-01"}"#),
        (.patch, "/v1/fix-items/fxi_x", #"{"statement":"s"}"#),
        (.delete, "/v1/fix-items/fxi_x", nil),
        (.get, "/v1/reports/studios", nil),
        (.get, "/v1/reports/funnel", nil),
    ]

    @Test func studiosAndClientsAreRefusedAndAnonymousCallersAsked() async throws {
        try await withClub { client, club in
            let studio = try await client.createStudio(club)
            let customer = try await client.createClient(club)
            let studioToken = try await club.token(.studio, studioId: studio)
            let clientToken = try await club.token(.client, clientId: customer)
            for (method, path, body) in Self.actions {
                #expect(try await client.call(method, path, json: body).status == .unauthorized, "\(method) \(path) anonymous")
                #expect(try await client.call(method, path, token: studioToken, json: body).status == .forbidden, "\(method) \(path) as studio")
                #expect(try await client.call(method, path, token: clientToken, json: body).status == .forbidden, "\(method) \(path) as client")
                let asCoordinator = try await client.call(method, path, token: club.headToken, json: body)
                #expect(asCoordinator.status.code < 500, "\(method) \(path) as coordinator: \(asCoordinator.text)")
            }
        }
    }

    @Test func listsAreScopedToTheCaller() async throws {
        try await withClub { client, club in
            let studio = try await client.createStudio(club)
            let customer = try await client.createClient(club)
            #expect(try await client.call(.get, "/v1/requests", token: try await club.token(.studio, studioId: studio)).status == .forbidden)
            #expect(try await client.call(.get, "/v1/referrals", token: try await club.token(.client, clientId: customer)).status == .forbidden)
            #expect(try await client.call(.get, "/v1/requests", token: try await club.token(.client, clientId: customer)).status == .ok)
            #expect(try await client.call(.get, "/v1/engagements", token: try await club.token(.client, clientId: customer)).status == .ok)
        }
    }
}
