import Foundation
import Synchronization

/// The address people reach the club at (`publicURL`, DESIGN §6.1): an `https` origin, a host and
/// an optional port, nothing else. It is the only base of the links the daemon hands out, so a
/// forged `Host` header never reaches one.
public struct PublicURL: Sendable, Hashable, CustomStringConvertible {
    /// Lower-cased; an IPv6 address keeps its brackets (`[::1]`).
    public let host: String
    /// The port when it is not 443.
    public let port: Int?

    /// Why a configured address was refused, in words for the operator.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads `https://host[:port]`, with at most a trailing `/`: a path, query, fragment or user
    /// would make every link ambiguous, and plain `http` would send the link's secret in clear.
    public init(parsing text: String) throws(Invalid) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("https://") else { throw Invalid(description: "it must start with https://") }
        var authority = Substring(trimmed.dropFirst("https://".count))
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        guard !authority.isEmpty, !authority.contains(where: { "/?#@\\ %".contains($0) }) else {
            throw Invalid(description: "it must be https:// followed by a host and an optional port only (no path, query or fragment)")
        }
        guard let (host, port) = Self.split(authority: authority.lowercased()) else {
            throw Invalid(description: "'\(authority)' is not a host with an optional port from 1 to 65535")
        }
        self.host = host
        self.port = port == 443 ? nil : port
    }

    private init(host: String, port: Int) {
        self.host = host
        self.port = port == 443 ? nil : port
    }

    /// `https://localhost:<port>`: where the links point when no `publicURL` is configured.
    public static func localhost(port: Int) -> PublicURL { PublicURL(host: "localhost", port: port) }

    /// `host` or `host:port`, as a browser sends it in `Host` for this address.
    public var authority: String { port.map { "\(host):\($0)" } ?? host }

    public var description: String { "https://" + authority }

    /// The absolute address of `path` (which starts with `/`) on this origin.
    public func link(_ path: String) -> String { description + path }

    /// `localhost` or a loopback address: a browser would remember HSTS for every local project
    /// on this name, so it is never sent for one.
    public var isLoopback: Bool {
        host == "localhost" || host.hasSuffix(".localhost") || host == "[::1]" || host.hasPrefix("127.")
    }

    /// `name`, `name:port`, `[v6]` or `[v6]:port`, lower-cased, as host and port (nil when none
    /// is named); nil when it is none of these.
    public static func split(authority: String) -> (host: String, port: Int?)? {
        let host: Substring
        let rest: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
            rest = authority[authority.index(after: close)...]
            let address = host.dropFirst().dropLast()
            guard address.contains(":"), address.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            let colon = authority.firstIndex(of: ":") ?? authority.endIndex
            host = authority[..<colon]
            rest = authority[colon...]
            let allowed = host.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." }
            guard !host.isEmpty, allowed, !host.hasPrefix("."), !host.hasPrefix("-"), !host.contains("..") else { return nil }
        }
        if rest.isEmpty { return (String(host), nil) }
        guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), rest.dropFirst().allSatisfy(\.isNumber), (1...65535).contains(port)
        else { return nil }
        return (String(host), port)
    }
}

/// Where the daemon's links point, shared by everything that builds one. A configured
/// `publicURL` is fixed; without one the links point at `https://localhost:<port>`, and a listener
/// asked for port 0 settles the port once it is bound (8443 until then, as `clubd person invite`
/// assumes).
public final class PublicAddress: Sendable {
    private let current: Mutex<PublicURL>
    private let settlesWhenBound: Bool

    public init(configured: PublicURL?, listenerPort: Int) {
        current = Mutex(configured ?? .localhost(port: listenerPort == 0 ? 8443 : listenerPort))
        settlesWhenBound = configured == nil && listenerPort == 0
    }

    public var url: PublicURL { current.withLock { $0 } }

    /// The absolute address of `path` (which starts with `/`).
    public func link(_ path: String) -> String { url.link(path) }

    /// Called with the port the listener got; changes the address only when it was port 0's guess.
    public func listenerBound(port: Int) {
        guard settlesWhenBound else { return }
        current.withLock { $0 = .localhost(port: port) }
    }
}
