import ClubCore
import Foundation
import Testing

@testable import ClubStore

/// Bearer tokens are looked up once a second at most, and a revocation ends them at once
/// (docs/design.md §5).
@Suite("The token cache")
struct TokenCacheTests {
    static let principal = Principal(tokenId: "tok_s", name: "Pixel Hands bot", role: .studio, studioId: "stu_1")

    @Test func anEntryLivesASecondAndAnInvalidationEmptiesIt() {
        let cache = TokenCache()
        let start = ContinuousClock.now
        let (missing, generation) = cache.lookup("h", now: start)
        #expect(missing == nil)
        cache.fill("h", with: Self.principal, generation: generation, now: start)
        #expect(cache.lookup("h", now: start + .milliseconds(900)).principal?.tokenId == "tok_s")
        #expect(cache.lookup("h", now: start + .milliseconds(1_001)).principal == nil)
        cache.fill("h", with: Self.principal, generation: generation, now: start)
        cache.invalidate()
        #expect(cache.lookup("h", now: start).principal == nil)
    }

    @Test func aLookupThatBeganBeforeARevocationDoesNotFillTheCache() {
        let cache = TokenCache()
        // A request reads the token as active; a revocation commits; then the request would fill the cache.
        let (_, generation) = cache.lookup("h")
        cache.invalidate()
        cache.fill("h", with: Self.principal, generation: generation)
        #expect(cache.lookup("h").principal == nil)
    }

    @Test func aRevokedOrDeactivatedPersonsTokenFailsOnItsNextUse() async throws {
        let database = try TestDatabase().open()
        let anna = try await database.createPerson(PersonInput(email: "anna@example.org", name: "Anna", role: .coordinator), by: coordinator)
        let first = try await database.mintPersonalToken(for: anna.person, name: "script")
        let second = try await database.mintPersonalToken(for: anna.person, name: "laptop")
        // Both used, so both are cached.
        #expect(try await database.authenticate(secret: first.secret) != nil)
        #expect(try await database.authenticate(secret: second.secret) != nil)
        _ = try await database.revokePersonalToken(first.token.id, of: anna.person)
        #expect(try await database.authenticate(secret: first.secret) == nil)
        #expect(try await database.authenticate(secret: second.secret) != nil)
        _ = try await database.deactivatePerson(anna.person.id, by: coordinator)
        #expect(try await database.authenticate(secret: second.secret) == nil)
    }

    @Test func aRevocationByAnotherProcessReachesTheDaemonWithinTheEntrysLifetime() async throws {
        let test = try TestDatabase()
        let daemon = try test.openFile()
        let command = try test.openFile()  // `clubd token revoke` beside the running daemon
        let issued = try await daemon.issueToken(TokenGrant(role: .coordinator, name: "bot"), by: head)
        #expect(try await daemon.authenticate(secret: issued.secret) != nil)
        _ = try await command.revokeToken(issued.token.id, by: .system)
        // A condition, polled: the daemon's entry outlives the revocation by at most a second.
        let deadline = ContinuousClock.now + .seconds(30)
        while try await daemon.authenticate(secret: issued.secret) != nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await daemon.authenticate(secret: issued.secret) == nil)
    }
}
