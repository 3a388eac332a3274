import Foundation

/// Counts failed authentications per peer address. Past `limit` failures within `window`, a
/// further failure from that address is answered 429 instead of 401, until the window has
/// passed; callers with a valid token are never held up. (Tokens have 256 bits, so this is about
/// noticing and slowing abuse, not about guessing.)
public actor AuthThrottle {
    let limit: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    public init(limit: Int = 20, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Records a failure and says whether the address is now over its limit.
    public func recordFailure(from address: String, at now: Date = Date()) -> Bool {
        var recent = failures[address, default: []].filter { now.timeIntervalSince($0) < window }
        recent.append(now)
        failures[address] = recent
        if failures.count > 10_000 { prune(at: now) }
        return recent.count > limit
    }

    /// Seconds until the oldest failure in the window expires.
    public func retryAfter(for address: String, at now: Date = Date()) -> Int {
        guard let oldest = failures[address]?.first else { return 1 }
        return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
    }

    private func prune(at now: Date) {
        failures = failures.filter { _, times in times.contains { now.timeIntervalSince($0) < window } }
    }
}
