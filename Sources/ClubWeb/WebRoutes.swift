import ClubCore
import ClubStore
import Foundation
import Hummingbird

/// The HTML door: today the client's share page, tomorrow the console. It works with any request
/// context, so the daemon and the tests compose it as they need.
public struct WebRoutes<Context: RequestContext> {
    let database: AppDatabase
    let updates: ShareUpdates
    let catalogs: Catalogs
    let timeZone: TimeZone

    /// `updates` must be fed by a running `ShareUpdatesService` for pages to update live. Pages
    /// show times in `timeZone`, the club's (UTC until the club's configured zone reaches here).
    public init(
        database: AppDatabase,
        updates: ShareUpdates,
        timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt,
        catalogs: Catalogs = .bundled
    ) {
        self.database = database
        self.updates = updates
        self.timeZone = timeZone
        self.catalogs = catalogs
    }

    public func addRoutes(to router: Router<Context>) throws {
        SharePageController<Context>(
            database: database,
            updates: updates,
            library: try SharePageTemplates.library(),
            catalogs: catalogs,
            timeZone: timeZone
        )
        .addRoutes(to: router)
    }
}
