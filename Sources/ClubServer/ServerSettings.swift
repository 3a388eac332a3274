import ClubCore
import ClubNotify
import ClubStore
import Configuration
import Foundation
import Logging

/// Everything `clubd serve` reads from its configuration: the store's settings (data folder and
/// rules) and the listener's own.
public struct ServerSettings: Sendable {
    public var store: StoreSettings
    public var host: String
    public var port: Int
    /// PEM certificate chain; with `keyPath` unset too, a development pair is made in the data folder.
    public var certificatePath: String?
    public var keyPath: String?
    public var logLevel: Logger.Level
    /// `text` (swift-log's lines) or `json` (one object a line, for journald and log shippers).
    public var logFormat = LogFormat.text
    /// How often the referral service looks for unanswered offers past their deadline.
    public var referralSweepInterval: Duration
    /// A connection with no traffic for this long is closed.
    public var idleTimeout: Duration = .seconds(30)
    /// A request body that has not fully arrived after this long is refused (408).
    public var bodyTimeout: Duration = .seconds(10)
    /// The base of every link the daemon hands out; nil: `https://localhost:<the listener's port>`.
    public var publicURL: PublicURL?
    /// `Strict-Transport-Security: max-age=` this many seconds; 0 sends none (nor does a loopback `publicURL`).
    public var hstsSeconds = 31_536_000
    /// Webhook delivery (docs/design.md §10).
    public var webhooks = WebhookSettings()
    /// The SMTP relay; none, no mail (docs/design.md §10.3).
    public var mailRelay: SMTPRelay?
    /// How often the outbox's due mail is sent.
    public var mailInterval: Duration = .seconds(5)
    /// The local hour (in each person's zone) from which the daily digest is mailed.
    public var digestHour = 8
    /// Concurrent event streams per share link, signed-in person, client address and in total (docs/design.md §6.1).
    public var streamLimits = StreamLimits.standard
    /// Litestream's Prometheus endpoint, read for the replica's lag when `database.litestream` is set.
    public var litestreamMetricsURL: String?
    /// Concurrent connections from one client address; more are closed on accept.
    public var connectionsPerAddress = ConnectionCap.standardPerAddress

    public init(
        store: StoreSettings = StoreSettings(),
        host: String = "127.0.0.1",
        port: Int = 8443,
        certificatePath: String? = nil,
        keyPath: String? = nil,
        logLevel: Logger.Level = .info,
        referralSweepInterval: Duration = .seconds(60)
    ) {
        self.store = store
        self.host = host
        self.port = port
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.logLevel = logLevel
        self.referralSweepInterval = referralSweepInterval
    }

    /// Reads the settings.
    ///
    /// - the store's keys (`data` and the club's rules): see `StoreSettings.init(reader:)`.
    /// - `host` (string, optional, default: `127.0.0.1`): address to listen on.
    /// - `port` (int, optional, default: 8443): TLS port; 0 picks a free one.
    /// - `cert`, `key` (string, optional): PEM files of the server certificate chain and its key.
    /// - `log.level` (string, optional, default: `info`): trace, debug, info, notice, warning, error, critical.
    /// - `log.format` (string, optional, default: `text`): `text`, or `json` for one JSON object a line.
    /// - `referrals.sweepSeconds` (int, optional, default: 60): how often overdue referrals are expired.
    /// - `http.idleTimeoutSeconds` (int, optional, default: 30): idle connections are closed.
    /// - `http.bodyTimeoutSeconds` (int, optional, default: 10): slower request bodies answer 408.
    /// - `publicURL` (string, optional, default: `https://localhost:<port>`): `https://host[:port]`, the base of every link.
    /// - `http.hsts` (int, optional, default: 31536000): HSTS max-age in seconds; 0 disables it.
    /// - `webhooks.allowPrivateNetworks` (bool, optional, default: false): let webhooks reach loopback and private addresses.
    /// - `webhooks.caFile` (string, optional): PEM authorities trusted for webhook receivers besides the system's.
    /// - `webhooks.passSeconds` (int, optional, default: 5): how often due webhook deliveries are sent.
    /// - `mail.relay.*`, `mail.from`, `mail.fromName`, `mail.heloName`: see `MailSettings.relay`.
    /// - `mail.passSeconds` (int, optional, default: 5): how often due mail is sent.
    /// - `notifications.digestHour` (int 0–23, optional, default: 8): when the daily digest goes out.
    /// - `limits.streamsPerLink` (int, optional, default: 50): live update streams of one share link (a client's team, a tab
    ///   or two each, often behind one office NAT).
    /// - `limits.streamsPerSession` (int, optional, default: 20): streams of one signed-in person, every session and tab
    ///   together (a browser opens at most 6 connections to a host, so this leaves room for several devices).
    /// - `limits.streamsPerAddress` (int, optional, default: 100): streams from one client address (a whole office's NAT).
    /// - `limits.streamsTotal` (int, optional, default: 1000): streams of the daemon; each costs about 80 KiB, so about 80 MiB.
    /// - `limits.connectionsPerAddress` (int, optional, default: 200): connections from one address (its streams, page loads
    ///   and API calls); more are closed on accept, before TLS.
    /// - `database.litestreamMetrics` (string, optional, default: `http://127.0.0.1:9090/metrics`): with
    ///   `database.litestream`, Litestream's Prometheus endpoint, read every second for the replica's lag.
    public init(reader: ConfigReader, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        store = try StoreSettings(reader: reader)
        host = reader.string(forKey: "host", default: "127.0.0.1")
        port = reader.int(forKey: "port", default: 8443)
        guard (0...65535).contains(port) else { throw SettingsError.invalid(key: "port", value: String(port)) }
        certificatePath = reader.string(forKey: "cert").flatMap { $0.isEmpty ? nil : $0 }
        keyPath = reader.string(forKey: "key").flatMap { $0.isEmpty ? nil : $0 }
        guard (certificatePath == nil) == (keyPath == nil) else {
            throw SettingsError.invalid(key: "cert/key", value: "both or neither must be set")
        }
        let level = reader.string(forKey: "log.level", default: "info")
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw SettingsError.invalid(key: "log.level", value: level)
        }
        self.logLevel = logLevel
        let format = reader.string(forKey: "log.format", default: "text")
        guard let logFormat = LogFormat(rawValue: format) else { throw SettingsError.invalid(key: "log.format", value: "\(format) (text or json)") }
        self.logFormat = logFormat
        referralSweepInterval = .seconds(try Self.positive(reader, "referrals.sweepSeconds", default: 60))
        idleTimeout = .seconds(try Self.positive(reader, "http.idleTimeoutSeconds", default: 30))
        bodyTimeout = .seconds(try Self.positive(reader, "http.bodyTimeoutSeconds", default: 10))
        publicURL = try Self.configuredPublicURL(reader)
        hstsSeconds = reader.int(forKey: "http.hsts", default: 31_536_000)
        guard hstsSeconds >= 0 else { throw SettingsError.invalid(key: "http.hsts", value: String(hstsSeconds)) }
        webhooks.allowPrivateNetworks = reader.bool(forKey: "webhooks.allowPrivateNetworks", default: false)
        webhooks.caFile = reader.string(forKey: "webhooks.caFile").flatMap { $0.isEmpty ? nil : $0 }
        webhooks.passInterval = .seconds(try Self.positive(reader, "webhooks.passSeconds", default: 5))
        let helo = (try Self.linkBase(reader)).host
        mailRelay = try MailSettings.relay(reader, environment: environment, heloName: helo)
        mailInterval = .seconds(try Self.positive(reader, "mail.passSeconds", default: 5))
        digestHour = reader.int(forKey: "notifications.digestHour", default: 8)
        guard (0...23).contains(digestHour) else { throw SettingsError.invalid(key: "notifications.digestHour", value: String(digestHour)) }
        let standard = StreamLimits.standard
        streamLimits = StreamLimits(
            perLink: try Self.positive(reader, "limits.streamsPerLink", default: standard.perLink),
            perSession: try Self.positive(reader, "limits.streamsPerSession", default: standard.perSession),
            perAddress: try Self.positive(reader, "limits.streamsPerAddress", default: standard.perAddress),
            total: try Self.positive(reader, "limits.streamsTotal", default: standard.total)
        )
        connectionsPerAddress = try Self.positive(reader, "limits.connectionsPerAddress", default: ConnectionCap.standardPerAddress)
        if store.litestream {
            let url = reader.string(forKey: "database.litestreamMetrics", default: "http://127.0.0.1:9090/metrics")
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw SettingsError.invalid(key: "database.litestreamMetrics", value: "\(url) (an http:// or https:// URL)")
            }
            litestreamMetricsURL = url
        }
    }

    /// `publicURL` as configured, nil when it is not; an unusable one stops the daemon (or command) with the reason.
    public static func configuredPublicURL(_ reader: ConfigReader) throws -> PublicURL? {
        guard let text = reader.string(forKey: "publicURL"), !text.isEmpty else { return nil }
        do {
            return try PublicURL(parsing: text)
        } catch {
            throw SettingsError.invalid(key: "publicURL", value: "\(text) (\(error))")
        }
    }

    /// The base of the links a command prints: `publicURL`, else `https://localhost:<port>` (8443
    /// for port 0, whose real port only the running daemon knows).
    public static func linkBase(_ reader: ConfigReader) throws -> PublicURL {
        if let configured = try configuredPublicURL(reader) { return configured }
        let port = reader.int(forKey: "port", default: 8443)
        return .localhost(port: port == 0 ? 8443 : port)
    }

    private static func positive(_ reader: ConfigReader, _ key: ConfigKey, default value: Int) throws -> Int {
        let found = reader.int(forKey: key, default: value)
        guard found > 0 else { throw SettingsError.invalid(key: key.components.joined(separator: "."), value: String(found)) }
        return found
    }
}
