import ClubCore
import ClubStore
import Foundation
import Hummingbird

/// The HTML door: the client's share page and the console (sign-in, invitations, Today). It works
/// with any request context, so the daemon and the tests compose it as they need.
public struct WebRoutes<Context: RequestContext> {
    let database: AppDatabase
    let updates: ShareUpdates
    let streams: StreamGate
    let catalogs: Catalogs
    let throttle: SignInThrottle
    let peerAddress: @Sendable (Request, Context) -> String?
    let heartbeat: Duration
    let publicAddress: PublicAddress

    /// `updates` must be fed by a running `ShareUpdatesService` for pages to update live. The
    /// share page shows times in the club's zone (`database.rules.timeZone`), console pages in the
    /// signed-in person's. `peerAddress` names the caller's address for the
    /// throttle of failed sign-ins (the daemon's context knows the socket's peer). Links shown
    /// on pages (share links, invitations) start at `publicAddress`, never at the request's `Host`.
    /// Every live update stream is admitted by `streams`, per link, person, `peerAddress` and in total.
    public init(
        database: AppDatabase,
        updates: ShareUpdates,
        streams: StreamGate = StreamGate(),
        catalogs: Catalogs = .bundled,
        throttle: SignInThrottle = SignInThrottle(),
        heartbeat: Duration = .seconds(15),
        publicAddress: PublicAddress = PublicAddress(configured: nil, listenerPort: 8443),
        peerAddress: @escaping @Sendable (Request, Context) -> String? = { _, _ in nil }
    ) {
        self.database = database
        self.updates = updates
        self.streams = streams
        self.catalogs = catalogs
        self.throttle = throttle
        self.heartbeat = heartbeat
        self.publicAddress = publicAddress
        self.peerAddress = peerAddress
    }

    public func addRoutes(to router: Router<Context>) throws {
        SharePageController<Context>(
            database: database,
            updates: updates,
            streams: streams,
            library: try SharePageTemplates.library(),
            catalogs: catalogs,
            timeZone: database.rules.timeZone,
            peerAddress: peerAddress
        )
        .addRoutes(to: router)
        ConsoleController<Context>(
            database: database,
            library: try ConsoleTemplates.library(),
            catalogs: catalogs,
            throttle: throttle,
            streams: streams,
            peerAddress: peerAddress,
            heartbeat: heartbeat,
            publicAddress: publicAddress
        )
        .addRoutes(to: router)
    }
}

/// The console's session cookie: a credential, as a bearer token is.
public enum ConsoleSessionCookie {
    public static let name = "clubd_session"
}
