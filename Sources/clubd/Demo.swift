import ArgumentParser
import ClubCore
import ClubDemo
import ClubServer
import ClubStore
import Configuration
import Foundation

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the reference case (all eight steps) into a fresh data folder, then exit.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let settings = try await common.storeSettings()
        let folder = settings.dataFolder
        // The story spans four months: it is told on a clock that starts back then and ends now.
        let clock = ReferenceCase.clock(endingBefore: Date(), rules: settings.rules)
        let database = try AppDatabase.open(settings, clock: clock)
        let summary = try await ReferenceCase(database: database, clock: clock).load()
        try PrivateFile.write(summary.headToken + "\n", to: folder.bootstrapTokenPath)
        try database.close()
        // The links below start where the daemon's own do: `publicURL`, else localhost on its port.
        let base = try await common.read { try ServerSettings.linkBase($0) }
        print(
            """
            Loaded the reference case into \(folder.path), on the club's clock (\(settings.rules.timeZoneName)):
            Yacht Charter Ltd asked for Instagram promotion, chose Pixel Hands between two studios for the landing
            page and Ad Minds for the advertising, complained and heard from the club every week, checked each fix of
            a final correction list (the daemon accepted the one nobody checked), saw the audit's accepted findings
            become fixes, parted ways on the advertising with free consulting, rated the club twice, and wrote a
            retrospective.

            Start the daemon (Scripts/serve or clubd serve --data \(folder.path)), then:
              head coordinator token  \(summary.headToken)   (also in \(folder.bootstrapTokenPath))
              Pixel Hands (studio)    \(summary.studioToken)
              Oleg (client)           \(summary.clientToken)

              the request             \(base)/v1/requests/\(summary.requestId)
              its candidates (client) \(base)/v1/requests/\(summary.requestId)/candidates
              landing engagement      \(base)/v1/engagements/\(summary.landingEngagementId)
              its case file           \(base)/v1/engagements/\(summary.landingEngagementId)/case-file
              the correction list     \(base)/v1/fix-lists/\(summary.fixListId)
              the client's page       \(base)/share/\(summary.shareToken)
              the audit's letter      \(base)/v1/audits/\(summary.auditId)/letter
              what needs doing today  \(base)/v1/follow-ups
              the club's own score    \(base)/v1/reports/club
              lessons                 \(base)/v1/lessons?q=feedback
            """
        )
    }
}
