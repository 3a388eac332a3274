import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

@Suite("Studios, clients and tokens in the store")
struct RegistryTests {
    @Test func studiosFilterByStatusAndCompetenceAndPage() async throws {
        let database = try TestDatabase().open()
        let seo = try await database.createStudio(pixelHands("Search Masters", competences: ["seo"]), by: head)
        for index in 0..<4 { _ = try await database.createStudio(pixelHands("Studio \(index)"), by: head) }
        for kind in VettingCheckKind.allCases {
            _ = try await database.recordVettingCheck(seo.id, VettingCheckInput(kind: kind, passed: true), by: head)
        }
        _ = try await database.decideStudio(seo.id, DecisionInput(decision: .admit, reason: "ok"), by: head)

        #expect(try await database.studios(StudioFilter(status: .active), page: PageRequest(), for: head).items.map(\.id) == [seo.id])
        #expect(try await database.studios(StudioFilter(competence: "landing"), page: PageRequest(), for: head).items.count == 4)
        let page = try await database.studios(StudioFilter(), page: PageRequest(limit: 3), for: head)
        #expect(page.items.count == 3)
        let rest = try await database.studios(StudioFilter(), page: PageRequest.parse(limit: "3", cursor: page.nextCursor), for: head)
        #expect(rest.items.count == 2)
        #expect(Set(page.items.map(\.id)).isDisjoint(with: rest.items.map(\.id)))
        #expect(rest.nextCursor == nil)
    }

    @Test func aStudioTokenSeesOnlyItsOwnStudio() async throws {
        let database = try TestDatabase().open()
        let own = try await database.createStudio(pixelHands(), by: head)
        let other = try await database.createStudio(pixelHands("Other"), by: head)
        let issued = try await database.issueToken(TokenGrant(role: .studio, studioId: own.id, name: "bot"), by: head)
        let principal = try #require(try await database.authenticate(secret: issued.secret))
        #expect(try await database.studio(own.id, for: principal).id == own.id)
        await #expect(throws: DomainError.notFound(entity: "studio", id: other.id)) { try await database.studio(other.id, for: principal) }
    }

    @Test func tokensAreStoredOnlyAsHashes() async throws {
        let database = try TestDatabase().open()
        let issued = try await database.issueToken(TokenGrant(role: .coordinator, name: "Anna"), by: head)
        #expect(issued.secret.hasPrefix("clb_"))
        #expect(issued.secret.count >= 4 + 43, "256 bits in base64url are 43 characters")
        let stored = try await database.writer.read { db in try String.fetchAll(db, sql: "SELECT secretHash FROM accessToken") }
        #expect(stored == [TokenSecret.hash(issued.secret)])
        let everything = try await database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT after FROM journal") + String.fetchAll(db, sql: "SELECT before FROM journal")
        }
        #expect(!everything.contains { $0.contains(issued.secret) }, "the journal never holds a secret")
    }

    @Test func revokedTokensNoLongerAuthenticate() async throws {
        let database = try TestDatabase().open()
        let issued = try await database.issueToken(TokenGrant(role: .coordinator, name: "Anna"), by: head)
        _ = try await database.revokeToken(issued.token.id, by: head)
        #expect(try await database.authenticate(secret: issued.secret) == nil)
    }

    @Test func aTokenForAMissingStudioIsRefused() async throws {
        let database = try TestDatabase().open()
        await #expect(throws: DomainError.invalid("studioId", "no studio has id 'stu_nope'")) {
            try await database.issueToken(TokenGrant(role: .studio, studioId: "stu_nope", name: "bot"), by: head)
        }
    }

    @Test func theBootstrapTokenIsTheOnlyHeadAndCannotBeRevokedAlone() async throws {
        let database = try TestDatabase().open()
        let secret = try #require(try await database.bootstrapHeadToken())
        let principal = try #require(try await database.authenticate(secret: secret))
        await #expect(throws: DomainError.self) { try await database.revokeToken(principal.tokenId, by: principal) }
        #expect(try await database.authenticate(secret: secret) != nil)
    }
}
