import Metrics
import Synchronization

/// How many Server-Sent Events streams may be open at once, by what they count against
/// (docs/design.md §6.1). Every stream holds a connection, a subscription and a task (about
/// 80 KiB in all), so without a bound one share link opened thousands and the daemon's memory
/// grew with them.
public struct StreamLimits: Sendable, Equatable {
    /// Streams of one share link: the client's team, each with a tab or two.
    public var perLink: Int
    /// Streams of one signed-in person, all their sessions and tabs together.
    public var perSession: Int
    /// Streams from one client address: a whole office behind one NAT.
    public var perAddress: Int
    /// Streams of the whole daemon: what bounds the memory they cost.
    public var total: Int

    public init(perLink: Int, perSession: Int, perAddress: Int, total: Int) {
        self.perLink = perLink
        self.perSession = perSession
        self.perAddress = perAddress
        self.total = total
    }

    /// The defaults of `ServerSettings` (see its doc comment for why these numbers).
    public static let standard = StreamLimits(perLink: 50, perSession: 20, perAddress: 100, total: 1000)

    func limit(of scope: StreamScope) -> Int {
        switch scope {
        case .link: perLink
        case .session: perSession
        case .address: perAddress
        case .total: total
        }
    }
}

/// What a limit counts: streams of one link, one session, one address, or all of them.
public enum StreamScope: String, Sendable, CaseIterable {
    case link, session, address, total
}

/// What one stream counts against; a nil part counts against no limit of its scope (a share
/// page has no session, a console stream no link, a caller with no known address no address).
public struct StreamClaim: Sendable, Hashable {
    public var link: String?
    public var session: String?
    public var address: String?

    public init(link: String? = nil, session: String? = nil, address: String? = nil) {
        self.link = link
        self.session = session
        self.address = address
    }

    func key(of scope: StreamScope) -> String? {
        switch scope {
        case .link: link
        case .session: session
        case .address: address
        case .total: ""
        }
    }
}

/// A stream refused: which limit was reached, and when to try again. One caller's limit is
/// theirs to wait out (429); the daemon's total is everyone's (503).
public struct StreamRefusal: Error, Sendable, Equatable {
    public let scope: StreamScope
    public let limit: Int

    public init(scope: StreamScope, limit: Int) {
        self.scope = scope
        self.limit = limit
    }

    /// A caller's own streams end when their pages close: half a minute is long enough to matter
    /// and short enough for a reloaded page. The total frees more slowly.
    public var retryAfterSeconds: Int { scope == .total ? 60 : 30 }
    public var isOverloaded: Bool { scope == .total }
    /// The answer's one line, naming the limit.
    public var message: String {
        switch scope {
        case .link: "too many live update streams are open for this link (limit \(limit)); try again later"
        case .session: "too many live update streams are open for this session (limit \(limit)); close a tab or try again later"
        case .address: "too many live update streams are open from this address (limit \(limit)); try again later"
        case .total: "the server has as many live update streams open as it allows (\(limit)); try again later"
        }
    }
}

/// Counts open event streams per link, session, address and in total, and admits a new one only
/// while every count it would raise is under its limit. Admission is synchronous and a refusal
/// changes no count, allocates no entry and starts nothing: a flood of refused streams costs a
/// lookup each. The counts and limits are in `/metrics` (`clubd_event_streams_open`,
/// `clubd_event_stream_limit{scope}`, `clubd_event_streams_refused_total{scope}`).
public final class StreamGate: Sendable {
    public let limits: StreamLimits
    private let counts = Mutex(Counts())
    private let openGauge = Gauge(label: "clubd_event_streams_open")

    private struct Counts {
        var byScope: [StreamScope: [String: Int]] = [:]
        var total = 0
    }

    public init(limits: StreamLimits = .standard) {
        self.limits = limits
        for scope in StreamScope.allCases {
            Gauge(label: "clubd_event_stream_limit", dimensions: [("scope", scope.rawValue)]).record(limits.limit(of: scope))
        }
        openGauge.record(0)
    }

    /// A ticket for a new stream, or the first limit it would pass. Hold the ticket for as long
    /// as the stream is open: it gives its slot back when released or, at the latest, when it
    /// is deallocated with the response that held it.
    public func admit(_ claim: StreamClaim) -> Result<StreamTicket, StreamRefusal> {
        let refused: StreamScope? = counts.withLock { counts in
            // The total first: when the daemon is full, that is the answer, whoever asks.
            if counts.total >= limits.total { return .total }
            for scope in [StreamScope.link, .session, .address] {
                guard let key = claim.key(of: scope) else { continue }
                if counts.byScope[scope, default: [:]][key, default: 0] >= limits.limit(of: scope) { return scope }
            }
            for scope in [StreamScope.link, .session, .address] {
                guard let key = claim.key(of: scope) else { continue }
                counts.byScope[scope, default: [:]][key, default: 0] += 1
            }
            counts.total += 1
            openGauge.record(counts.total)
            return nil
        }
        if let refused {
            Counter(label: "clubd_event_streams_refused_total", dimensions: [("scope", refused.rawValue)]).increment()
            return .failure(StreamRefusal(scope: refused, limit: limits.limit(of: refused)))
        }
        return .success(StreamTicket(gate: self, claim: claim))
    }

    /// Streams open now: in total, or of one key of a scope.
    public func open(_ scope: StreamScope, _ key: String = "") -> Int {
        counts.withLock { counts in
            scope == .total ? counts.total : counts.byScope[scope]?[key] ?? 0
        }
    }

    fileprivate func release(_ claim: StreamClaim) {
        counts.withLock { counts in
            for scope in [StreamScope.link, .session, .address] {
                guard let key = claim.key(of: scope), let count = counts.byScope[scope]?[key] else { continue }
                // An entry goes with its last stream: keys of closed streams hold no memory.
                counts.byScope[scope]?[key] = count > 1 ? count - 1 : nil
            }
            counts.total -= 1
            openGauge.record(counts.total)
        }
    }
}

/// One admitted stream's slot. Released once, by `release()` or by `deinit`, whichever comes
/// first: a response whose body never ran still gives its slot back.
public final class StreamTicket: Sendable {
    private let gate: StreamGate
    private let claim: StreamClaim
    private let released = Atomic<Bool>(false)

    fileprivate init(gate: StreamGate, claim: StreamClaim) {
        self.gate = gate
        self.claim = claim
    }

    public func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        gate.release(claim)
    }

    deinit { release() }
}
