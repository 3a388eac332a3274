import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether an endpoint is sent its events (docs/design.md §10).
public enum WebhookStatus: String, Codable, CaseIterable, Sendable {
    case active
    case disabled
}

/// A coordinator's integration that hears of the club's events by signed HTTP POST (docs/design.md §10).
/// The record is journaled whole, so its signing secret is deliberately not a field: the store
/// keeps it beside the record and shows it once, when it is made or rotated.
public struct Webhook: Codable, Equatable, Sendable, Versioned, Identified {
    public let id: String
    public var url: String
    public var events: [NotificationKind]
    public var description: String?
    public var status: WebhookStatus
    /// Why it was disabled: by a coordinator, or by the club after failing for days in a row.
    public var disabledReason: String?
    /// The first failed attempt since the last success; nil while deliveries succeed.
    public var failingSince: Date?
    /// When the secret was last rotated; the previous one still signs for `WebhookRules.rotationOverlap`.
    public var secretRotatedAt: Date?
    public let createdAt: Date
    public let createdBy: String
    public var version: Int

    public init(id: String, input: WebhookInput.Valid, createdAt: Date, createdBy: String) {
        self.id = id
        url = input.url
        events = input.events
        description = input.description
        status = .active
        self.createdAt = createdAt
        self.createdBy = createdBy
        version = 1
    }

    /// Applies a coordinator's edit. Re-enabling forgets the failures that disabled it. An edit
    /// that changes nothing keeps the version, so the store writes and journals nothing.
    public mutating func apply(_ patch: WebhookPatch.Valid) {
        let before = self
        if let url = patch.url { self.url = url }
        if let events = patch.events { self.events = events }
        if let description = patch.description { self.description = description.isEmpty ? nil : description }
        if let status = patch.status, status != self.status {
            self.status = status
            disabledReason = status == .disabled ? WebhookRules.disabledByCoordinator : nil
            failingSince = nil
        }
        if self != before { version += 1 }
    }

    /// Whether an event of `kind` is sent to this endpoint.
    public func wants(_ kind: NotificationKind) -> Bool { status == .active && events.contains(kind) }
}

/// What a coordinator sends to register an endpoint. Events are texts so that an unknown one is
/// named in a 422 rather than failing the whole body's decoding.
public struct WebhookInput: Decodable, Sendable {
    public var url: String
    public var events: [String]
    public var description: String?

    public init(url: String, events: [String], description: String? = nil) {
        self.url = url
        self.events = events
        self.description = description
    }

    /// The input once every rule holds.
    public struct Valid: Sendable {
        public let url: String
        public let events: [NotificationKind]
        public let description: String?
    }

    public func validated(_ targets: WebhookTargetRule) throws -> Valid {
        var validator = Validator()
        let url = targets.check(url, "url", in: &validator)
        let events = WebhookRules.events(events, in: &validator)
        let description = validator.optionalText(description, "description", maxLength: Limits.shortText)
        try validator.finish()
        return Valid(url: url, events: events, description: description)
    }
}

/// A coordinator's edit: any of the fields, and `status` to disable or re-enable.
public struct WebhookPatch: Decodable, Sendable {
    public var url: String?
    public var events: [String]?
    public var description: String?
    public var status: WebhookStatus?

    public init(url: String? = nil, events: [String]? = nil, description: String? = nil, status: WebhookStatus? = nil) {
        self.url = url
        self.events = events
        self.description = description
        self.status = status
    }

    public struct Valid: Sendable {
        public let url: String?
        public let events: [NotificationKind]?
        /// Empty clears it.
        public let description: String?
        public let status: WebhookStatus?
    }

    public func validated(_ targets: WebhookTargetRule) throws -> Valid {
        var validator = Validator()
        let url = self.url.map { targets.check($0, "url", in: &validator) }
        let events = self.events.map { WebhookRules.events($0, in: &validator) }
        let description = self.description.map { text in
            validator.optionalText(text, "description", maxLength: Limits.shortText) ?? ""
        }
        try validator.finish()
        return Valid(url: url, events: events, description: description, status: status)
    }
}

/// The club's rules for webhooks (docs/design.md §10).
public enum WebhookRules {
    /// An endpoint whose every attempt failed for this long is disabled and the coordinators told.
    public static let disableAfterFailingFor: TimeInterval = 3 * 24 * 3600
    /// After a rotation the previous secret keeps signing this long, so receivers can switch.
    public static let rotationOverlap: TimeInterval = 24 * 3600
    public static let maxURLLength = 2000
    public static let disabledByCoordinator = "disabled by a coordinator"
    public static let disabledAfterFailures = "every delivery failed for 3 days in a row"

    /// Whether an endpoint failing since `failingSince` has failed long enough to be disabled.
    public static func shouldDisable(failingSince: Date?, now: Date) -> Bool {
        guard let failingSince else { return false }
        return now.timeIntervalSince(failingSince) >= disableAfterFailingFor
    }

    /// At least one event, each a known kind, none twice.
    static func events(_ names: [String], in validator: inout Validator) -> [NotificationKind] {
        validator.check(!names.isEmpty, "events", "must name at least one event")
        var kinds: [NotificationKind] = []
        for (index, name) in names.enumerated() {
            guard let kind = NotificationKind(rawValue: name) else {
                validator.fail("events[\(index)]", "'\(name)' is not an event the club sends")
                continue
            }
            if kinds.contains(kind) { validator.fail("events[\(index)]", "duplicates '\(name)'") } else { kinds.append(kind) }
        }
        return kinds
    }
}

/// Where deliveries may go (server-side request forgery, docs/design.md §10): by default only
/// `https` to public addresses. An operator who allows private networks (a receiver on the same
/// machine or LAN, the tests' own) may also use plain `http`, but only to a loopback host, where
/// nothing crosses a network in clear. The store checks the URL as written (a literal address or
/// `localhost`); the delivery service checks again after DNS, at every attempt.
public struct WebhookTargetRule: Sendable, Equatable {
    public let allowPrivateNetworks: Bool

    public init(allowPrivateNetworks: Bool) {
        self.allowPrivateNetworks = allowPrivateNetworks
    }

    public static let publicOnly = WebhookTargetRule(allowPrivateNetworks: false)

    /// The URL, trimmed, with a problem recorded against `field` when it breaks a rule.
    @discardableResult
    public func check(_ text: String, _ field: String, in validator: inout Validator) -> String {
        let url = text.trimmingWhitespace()
        guard let problem = problem(with: url) else { return url }
        validator.fail(field, problem)
        return url
    }

    /// Why the URL may not receive deliveries, or nil when it may.
    public func problem(with url: String) -> String? {
        guard !url.isEmpty else { return "must not be empty" }
        guard url.count <= WebhookRules.maxURLLength else { return "must be at most \(WebhookRules.maxURLLength) characters" }
        guard !url.contains(where: { $0.isWhitespace }), let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
            let host = parts.host, !host.isEmpty
        else { return "must be an absolute https:// address" }
        guard parts.user == nil, parts.password == nil else { return "must not carry a user name or password" }
        guard parts.fragment == nil else { return "must not have a fragment" }
        let scope = NetworkAddress.scope(ofHost: host)
        switch scheme {
        case "https": break
        case "http" where allowPrivateNetworks && scope == .loopback: break
        case "http": return "must use https:// (plain http:// only to a loopback host, when private networks are allowed)"
        default: return "must be an absolute https:// address"
        }
        if let scope, scope != .global, !allowPrivateNetworks {
            return "points at a \(scope.rawValue) address; only public addresses receive webhooks"
        }
        return nil
    }
}

/// What kind of network an IP address belongs to, for the server-side request forgery guard.
public enum AddressScope: String, Sendable, Equatable {
    case global = "public"
    case loopback
    case linkLocal = "link-local"
    case privateNetwork = "private"
    case uniqueLocal = "unique-local"
    case unspecified
    case multicast
    /// Shared (carrier-grade NAT), benchmarking, documentation, broadcast and other special ranges.
    case reserved
}

/// IPv4 and IPv6 addresses sorted into scopes (RFC 6890's special-purpose registries, kept to
/// what a webhook must never reach).
public enum NetworkAddress {
    /// The scope of a host as written in a URL: a literal address (IPv6 with or without
    /// brackets), `localhost` and `*.localhost` are loopback; a DNS name is nil (resolve it).
    public static func scope(ofHost host: String) -> AddressScope? {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name.hasSuffix(".") { name.removeLast() }
        if name == "localhost" || name.hasSuffix(".localhost") { return .loopback }
        if let bytes = ipv4Bytes(name) { return scope(ipv4: bytes) }
        if let bytes = ipv6Bytes(name) { return scope(ipv6: bytes) }
        return nil
    }

    /// The scope of a literal address; nil when the text is not one.
    public static func scope(ofAddress text: String) -> AddressScope? {
        if let bytes = ipv4Bytes(text) { return scope(ipv4: bytes) }
        if let bytes = ipv6Bytes(text) { return scope(ipv6: bytes) }
        return nil
    }

    public static func scope(ipv4 b: [UInt8]) -> AddressScope {
        switch (b[0], b[1]) {
        case (0, _): .unspecified
        case (127, _): .loopback
        case (10, _), (172, 16...31), (192, 168): .privateNetwork
        case (169, 254): .linkLocal
        case (224...239, _): .multicast
        case (100, 64...127), (198, 18...19), (240...255, _): .reserved
        case (192, 0) where b[2] == 0 || b[2] == 2, (198, 51) where b[2] == 100, (203, 0) where b[2] == 113: .reserved
        default: .global
        }
    }

    public static func scope(ipv6 b: [UInt8]) -> AddressScope {
        let head = b.prefix(10)
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        if b.dropLast().allSatisfy({ $0 == 0 }) && b[15] == 1 { return .loopback }
        // IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) and the deprecated IPv4-compatible form carry an IPv4 address.
        if head.allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return scope(ipv4: Array(b[12...])) }
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B { return scope(ipv4: Array(b[12...])) }
        if b.prefix(12).allSatisfy({ $0 == 0 }) { return scope(ipv4: Array(b[12...])) }
        if b[0] == 0xFF { return .multicast }
        if b[0] == 0xFE && (b[1] & 0xC0) == 0x80 { return .linkLocal }
        // fec0::/10, the deprecated site-local range, is as private as the unique-local one.
        if (b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) { return .uniqueLocal }
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 { return .reserved }
        return .global
    }

    static func ipv4Bytes(_ text: String) -> [UInt8]? {
        var address = in_addr()
        guard text.contains("."), inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    static func ipv6Bytes(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        // A zone (`fe80::1%eth0`) names an interface: the address before it decides.
        let bare = String(text.prefix { $0 != "%" })
        guard bare.contains(":"), inet_pton(AF_INET6, bare, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }
}

/// When a failed delivery is tried again: Standard Webhooks' own schedule (at once, 5 s, 5 min,
/// 30 min, 2 h, 5 h, 10 h, 10 h: about 27.6 hours in all, so a receiver down for a day still gets
/// it), each wait spread by up to ±`jitter` of itself so that many retries do not arrive together.
public struct WebhookRetrySchedule: Sendable, Equatable {
    /// The wait before attempt n+1 (index 0 is the first attempt, sent at once).
    public let delays: [TimeInterval]
    public let jitter: Double

    public init(delays: [TimeInterval] = [0, 5, 300, 1800, 7200, 18000, 36000, 36000], jitter: Double = 0.1) {
        self.delays = delays
        self.jitter = jitter
    }

    public static let standard = WebhookRetrySchedule()

    public var maxAttempts: Int { delays.count }

    /// The total of the waits without jitter: how long a delivery is retried.
    public var span: TimeInterval { delays.reduce(0, +) }

    /// When to try again after `attemptsMade` attempts all failed, the last at `now`; nil when
    /// the schedule is spent. `random` in 0..<1 picks the jitter (0.5 is none).
    public func nextAttempt(after attemptsMade: Int, at now: Date, random: Double) -> Date? {
        guard attemptsMade >= 1, attemptsMade < delays.count else { return nil }
        let base = delays[attemptsMade]
        let spread = base * jitter * (2 * min(max(random, 0), 1) - 1)
        return now.addingTimeInterval(base + spread)
    }
}

/// One delivery of one event to one endpoint, with every attempt at it (`GET /v1/webhooks/{id}/deliveries`).
public struct WebhookDelivery: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable {
        case pending
        case delivered
        case failed
    }

    public let id: String
    public let webhookId: String
    /// The `webhook-id` header: the same on every attempt and every redelivery.
    public let messageId: String
    public let eventType: NotificationKind
    public let entityType: String
    public let entityId: String
    public var status: Status
    public var attemptCount: Int
    public var nextAttemptAt: Date?
    public let createdAt: Date
    public var deliveredAt: Date?
    public var attempts: [WebhookAttempt]

    public init(
        id: String,
        webhookId: String,
        messageId: String,
        eventType: NotificationKind,
        entityType: String,
        entityId: String,
        status: Status,
        attemptCount: Int,
        nextAttemptAt: Date?,
        createdAt: Date,
        deliveredAt: Date?,
        attempts: [WebhookAttempt]
    ) {
        self.id = id
        self.webhookId = webhookId
        self.messageId = messageId
        self.eventType = eventType
        self.entityType = entityType
        self.entityId = entityId
        self.status = status
        self.attemptCount = attemptCount
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
        self.attempts = attempts
    }
}

/// One try at a delivery: what the receiver answered and how long it took.
public struct WebhookAttempt: Codable, Equatable, Sendable {
    public static let responseHeadBytes = 200

    public let at: Date
    /// The HTTP status, nil when no answer came (refused address, connection, timeout).
    public let statusCode: Int?
    public let durationMs: Int
    /// The first bytes of the answer's body, as text.
    public let responseHead: String?
    public let error: String?

    public init(at: Date, statusCode: Int?, durationMs: Int, responseHead: String?, error: String?) {
        self.at = at
        self.statusCode = statusCode
        self.durationMs = durationMs
        self.responseHead = responseHead
        self.error = error
    }

    /// A 2xx answer delivers; anything else is tried again.
    public var succeeded: Bool { statusCode.map { (200..<300).contains($0) } ?? false }

    /// At most `responseHeadBytes` of a body, cut on a character boundary.
    public static func head(of body: [UInt8]) -> String {
        var bytes = Array(body.prefix(responseHeadBytes))
        // A character cut in two at the end loses its first bytes; anything else not UTF-8 becomes U+FFFD.
        for _ in 0..<3 where !bytes.isEmpty && String(validating: bytes, as: UTF8.self) == nil { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
