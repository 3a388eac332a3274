import Foundation

/// Where "now" comes from. Injected everywhere so that deadlines are tested without sleeping.
public protocol ClubClock: Sendable {
    func now() -> Date
}

/// The wall clock, truncated to whole milliseconds so that stored and returned times agree.
public struct SystemClock: ClubClock {
    public init() {}

    public func now() -> Date {
        let milliseconds = (Date().timeIntervalSince1970 * 1000).rounded(.down)
        return Date(timeIntervalSince1970: milliseconds / 1000)
    }
}
