import ArgumentParser
import ClubCore
import ClubServer
import ClubStore
import Configuration
import Foundation

struct PersonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person",
        abstract: "Invite people to the console on the server itself.",
        subcommands: [Invite.self]
    )

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a person and print only their invitation link on standard output (valid 7 days, single use)."
        )

        @OptionGroup var common: CommonOptions
        @Option(help: "Their e-mail address, with which they will sign in.") var email: String
        @Option(help: "coordinator, studio or client.") var role: Role
        @Flag(help: "Make a coordinator the head coordinator.") var head = false
        @Option(help: "The studio a studio's person is bound to.") var studio: String?
        @Option(help: "The client a client's person is bound to.") var client: String?
        @Option(help: "Their name.") var name: String
        @Option(help: "ru or en (default: ru).") var language: Language?
        @Option(help: "An IANA time zone name (default: Europe/Moscow).") var timeZone: String?

        func run() async throws {
            let (base, store) = try await common.read { reader in (try ServerSettings.linkBase(reader), try StoreSettings(reader: reader)) }
            let database = try AppDatabase.open(store)
            let invited = try await database.createPerson(
                PersonInput(
                    email: email,
                    name: name,
                    role: role,
                    head: head,
                    studioId: studio,
                    clientId: client,
                    language: language,
                    timeZone: timeZone
                ),
                by: .system
            )
            try database.close()
            print(base.link(Invitation.path(token: invited.token)))
        }
    }
}

extension Language: ExpressibleByArgument {}
