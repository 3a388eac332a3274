import Foundation

/// Counts failed sign-ins per peer address and per account (the e-mail address as typed, in lower
/// case). Once either has `limit` failures within `window`, further attempts from that address or
/// for that account are refused (429) until the oldest failure leaves the window, whether or not
/// the password would be right; other addresses signing in to other accounts go on. DESIGN §9.
public actor SignInThrottle {
    let limit: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    public init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until an attempt from `address` for `account` is allowed again; nil when it is now.
    public func wait(address: String, account: String, at now: Date = Date()) -> Int? {
        let waits = keys(address: address, account: account).compactMap { key -> TimeInterval? in
            let recent = recentFailures(key, at: now)
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return window - now.timeIntervalSince(oldest)
        }
        return waits.max().map { max(1, Int($0.rounded(.up))) }
    }

    /// Records a failed attempt against both the address and the account.
    public func recordFailure(address: String, account: String, at now: Date = Date()) {
        for key in keys(address: address, account: account) {
            failures[key] = recentFailures(key, at: now) + [now]
        }
        if failures.count > 10_000 { failures = failures.filter { _, times in times.contains { now.timeIntervalSince($0) < window } } }
    }

    private func recentFailures(_ key: String, at now: Date) -> [Date] {
        failures[key, default: []].filter { now.timeIntervalSince($0) < window }
    }

    private func keys(address: String, account: String) -> [String] {
        ["address:" + address, "account:" + account.trimmingCharacters(in: .whitespaces).lowercased()]
    }
}
