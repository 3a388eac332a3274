import Foundation

/// A clock that moves only when told to: for tests, so that deadlines pass without sleeping.
public final class ManualClock: ClubClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) {
        current = start
    }

    public func now() -> Date { lock.withLock { current } }

    public func advance(by seconds: TimeInterval) {
        lock.withLock { current += seconds }
    }
}
