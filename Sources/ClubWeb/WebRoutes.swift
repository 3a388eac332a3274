import ClubStore
import Hummingbird

/// The HTML door: today the client's share page, tomorrow the console. It works with any request
/// context, so the daemon and the tests compose it as they need.
public struct WebRoutes<Context: RequestContext> {
    let database: AppDatabase
    let updates: ShareUpdates

    /// `updates` must be fed by a running `ShareUpdatesService` for pages to update live.
    public init(database: AppDatabase, updates: ShareUpdates) {
        self.database = database
        self.updates = updates
    }

    public func addRoutes(to router: Router<Context>) throws {
        SharePageController<Context>(database: database, updates: updates, library: try SharePageTemplates.library())
            .addRoutes(to: router)
    }
}
