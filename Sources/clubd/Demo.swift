import ArgumentParser
import ClubAPI
import ClubCore
import ClubStore
import Foundation

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the reference case (all eight steps) into a fresh data folder, then exit.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let settings = try await common.settings()
        try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // The story spans four months: it is told on a clock that starts back then and ends now.
        let clock = ManualClock(Date().addingTimeInterval(-115 * 24 * 3600))
        let database = try AppDatabase(path: settings.databasePath, clock: clock, rules: settings.rules)
        let summary = try await ReferenceCase(database: database, clock: clock).load()
        try PrivateFile.write(summary.headToken + "\n", to: settings.bootstrapTokenPath)
        try database.close()
        let base = "https://localhost:\(settings.port)"
        print("""
            Loaded the reference case into \(settings.dataDirectory): Yacht Charter Ltd asked for Instagram promotion,
            got a landing page by Pixel Hands and advertising by Ad Minds, complained, agreed a final correction list,
            answered an audit, parted ways on the advertising with free consulting, and wrote a retrospective.

            Start the daemon (Scripts/serve or clubd serve --data \(settings.dataDirectory)), then:
              head coordinator token  \(summary.headToken)   (also in \(settings.bootstrapTokenPath))
              Pixel Hands (studio)    \(summary.studioToken)
              Oleg (client)           \(summary.clientToken)

              the request             \(base)/v1/requests/\(summary.requestId)
              landing engagement      \(base)/v1/engagements/\(summary.landingEngagementId)
              its case file           \(base)/v1/engagements/\(summary.landingEngagementId)/case-file
              the correction list     \(base)/v1/fix-lists/\(summary.fixListId)
              the client's page       \(base)/share/\(summary.shareToken)
              the audit's letter      \(base)/v1/audits/\(summary.auditId)/letter
              what needs doing today  \(base)/v1/follow-ups
              lessons                 \(base)/v1/lessons?q=feedback
            """)
    }
}
