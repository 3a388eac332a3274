import ClubCore
import Foundation

/// How the daemon delivers webhooks (`webhooks.*` in `Config/clubd.json`, docs/design.md §10).
public struct WebhookSettings: Sendable, Equatable {
    /// Lets endpoints at loopback, private, link-local and unique-local addresses receive
    /// deliveries (and plain `http://` to loopback): for a receiver on the same machine or LAN,
    /// and for the tests. Off by default: server-side request forgery.
    public var allowPrivateNetworks: Bool
    /// A PEM file of certificate authorities trusted besides the system's, for a receiver with a
    /// private certificate.
    public var caFile: String?
    /// How long one attempt may take, connection included.
    public var timeout: Duration
    /// How long the service waits between passes over the due deliveries.
    public var passInterval: Duration
    /// How many deliveries one pass sends at once.
    public var concurrency: Int
    /// How many due deliveries one pass reads at a time.
    public var batchSize: Int

    public init(
        allowPrivateNetworks: Bool = false,
        caFile: String? = nil,
        timeout: Duration = .seconds(10),
        passInterval: Duration = .seconds(5),
        concurrency: Int = 16,
        batchSize: Int = 100
    ) {
        self.allowPrivateNetworks = allowPrivateNetworks
        self.caFile = caFile
        self.timeout = timeout
        self.passInterval = passInterval
        self.concurrency = concurrency
        self.batchSize = batchSize
    }

    /// The rule the API checks a registered URL against.
    public var targets: WebhookTargetRule { WebhookTargetRule(allowPrivateNetworks: allowPrivateNetworks) }
}
