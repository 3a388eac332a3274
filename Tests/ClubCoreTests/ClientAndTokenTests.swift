import ClubCore
import Foundation
import Testing

@Suite("Clients")
struct ClientTests {
    @Test func aClientKeepsItsContacts() throws {
        let client = try Client(
            id: "cli_1",
            input: ClientInput(name: "Yacht Charter Ltd", contacts: [Contact(name: "Oleg", email: "oleg@example.org")]),
            at: epoch
        )
        #expect(client.contacts.first?.email == "oleg@example.org")
    }

    @Test func contactEmailsMustLookLikeEmails() {
        let input = ClientInput(name: "Y", contacts: [Contact(name: "Oleg", email: "oleg at example")])
        #expect(invalidFields { _ = try Client(id: "c", input: input, at: epoch) } == ["contacts[0].email"])
    }

    @Test func aPatchChangesOnlyWhatItNames() throws {
        var client = try Client(id: "c", input: ClientInput(name: "Y", contacts: [Contact(name: "Oleg")]), at: epoch)
        try client.apply(ClientPatch(name: "Yacht Charter"), at: epoch)
        #expect(client.name == "Yacht Charter")
        #expect(client.contacts.map(\.name) == ["Oleg"])
        #expect(client.version == 2)
        #expect(invalidFields { try client.apply(ClientPatch(name: ""), at: epoch) } == ["name"])
    }
}

@Suite("Tokens and access")
struct TokenTests {
    @Test func aStudioTokenMustNameItsStudio() {
        #expect(invalidFields { _ = try TokenGrant(role: .studio, name: "bot").validated() } == ["studioId"])
    }

    @Test func aClientTokenMustNameItsClientAndNothingElse() {
        #expect(invalidFields { _ = try TokenGrant(role: .client, studioId: "stu", name: "Oleg").validated() } == ["clientId", "studioId"])
    }

    @Test func onlyCoordinatorsCanBeHead() {
        #expect(invalidFields { _ = try TokenGrant(role: .studio, head: true, studioId: "s", name: "x").validated() } == ["head"])
    }

    @Test func theLastHeadTokenCannotBeRevoked() throws {
        var token = AccessToken(id: "tok", grant: TokenGrant(role: .coordinator, head: true, name: "Maria"), createdAt: epoch, createdBy: "clubd")
        #expect(throws: DomainError.self) { try token.revoke(at: epoch, activeHeadTokens: 1) }
        #expect(token.isActive)
        try token.revoke(at: epoch, activeHeadTokens: 2)
        #expect(!token.isActive)
        #expect(throws: DomainError.ruleBroken(.tokenAlreadyRevoked, detail: "token tok was already revoked")) {
            try token.revoke(at: epoch, activeHeadTokens: 2)
        }
    }

    @Test func rolesReachOnlyTheirOwnObjects() {
        let studio = Principal(tokenId: "t", name: "s", role: .studio, studioId: "stu_a")
        let client = Principal(tokenId: "t", name: "c", role: .client, clientId: "cli_a")
        #expect(Policy.reaches(studio, .readStudio, Ownership(studioIds: ["stu_a"])))
        #expect(!Policy.reaches(studio, .readStudio, Ownership(studioIds: ["stu_b"])))
        #expect(!Policy.reaches(studio, .readClient, Ownership(clientId: "cli_a")))
        #expect(Policy.reaches(client, .readClient, Ownership(clientId: "cli_a")))
        #expect(!Policy.reaches(client, .readClient, Ownership(clientId: "cli_b")))
        #expect(!Policy.reaches(client, .readStudio, Ownership(studioIds: ["stu_a"])))
        #expect(Policy.reaches(coordinator, .readStudio, Ownership(studioIds: ["stu_b"])))
        #expect(Policy.reaches(coordinator, .readClient, Ownership(clientId: "cli_b")))
    }

    @Test func onlyCoordinatorsManageAndOnlyTheHeadIssuesTokens() {
        let studio = Principal(tokenId: "t", name: "s", role: .studio, studioId: "stu_a")
        #expect(throws: DomainError.forbidden("only a coordinator may register studios")) { try Policy.require(studio, .registerStudio) }
        #expect(throws: DomainError.forbidden("only the head coordinator may issue tokens")) { try Policy.require(coordinator, .issueToken) }
        #expect(throws: Never.self) { try Policy.require(head, .issueToken) }
    }
}

@Suite("Paging")
struct PagingTests {
    @Test func defaultsAndBounds() throws {
        #expect(try PageRequest.parse(limit: nil, cursor: nil) == PageRequest(limit: 50, after: nil))
        #expect(try PageRequest.parse(limit: "200", cursor: "17") == PageRequest(limit: 200, after: 17))
        #expect(invalidFields { _ = try PageRequest.parse(limit: "0", cursor: "abc") } == ["limit", "cursor"])
        #expect(invalidFields { _ = try PageRequest.parse(limit: "201", cursor: nil) } == ["limit"])
    }
}
