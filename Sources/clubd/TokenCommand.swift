import ArgumentParser
import ClubCore
import ClubStore

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue or revoke bearer tokens on the server itself.",
        subcommands: [Issue.self, Revoke.self]
    )

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a token; prints only the token on standard output.")

        @OptionGroup var common: CommonOptions
        @Option(help: "coordinator, studio or client.") var role: Role
        @Flag(help: "Make a coordinator the head coordinator.") var head = false
        @Option(help: "The studio a studio token is bound to.") var studio: String?
        @Option(help: "The client a client token is bound to.") var client: String?
        @Option(help: "Who holds the token.") var name: String

        func run() async throws {
            let database = try await common.openDatabase()
            let issued = try await database.issueToken(
                TokenGrant(role: role, head: head, studioId: studio, clientId: client, name: name),
                by: .system
            )
            print(issued.secret)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id.")

        @OptionGroup var common: CommonOptions
        @Argument(help: "The token's id (tok_…).") var id: String

        func run() async throws {
            let database = try await common.openDatabase()
            let token = try await database.revokeToken(id, by: .system)
            print("revoked \(token.id) (\(token.name))")
        }
    }
}

extension Role: ExpressibleByArgument {}
