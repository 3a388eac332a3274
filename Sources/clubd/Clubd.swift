import ArgumentParser

@main
struct Clubd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clubd",
        abstract: "The partners' club daemon: referrals, engagements and mediation over TLS.",
        subcommands: [Serve.self, Migrate.self, Token.self, PersonCommand.self, Journal.self, Backup.self, Restore.self, Demo.self]
    )
}
