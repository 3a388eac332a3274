import Foundation
import NIOCore

/// The SMTP relay the daemon hands its mail to (DESIGN §10, docs/design.md §10): where it is, how
/// the connection is protected, who the mail comes from, and how long to wait. The settings are
/// plain values; the daemon reads them from `Config/clubd.json` and the credentials from the
/// environment, then calls ``validate(_:keyPrefix:)`` before using them.
public struct SMTPRelay: Sendable, Hashable {
    /// How the connection to the relay is protected.
    public enum Security: String, Sendable, Hashable, CaseIterable {
        /// Plain SMTP, then `STARTTLS` before anything else is said; refused if the relay does
        /// not offer it (never a silent fall back to clear text). The usual port is 587.
        case startTLS = "starttls"
        /// TLS from the first byte ("SMTPS", RFC 8314), the usual port is 465.
        case implicitTLS = "tls"
        /// Clear text: allowed only for a relay on this machine (a loopback host).
        case plain
    }

    public var host: String
    public var port: Int
    public var security: Security
    /// Both or neither: `AUTH` is attempted only when they are given, and only over TLS or loopback.
    public var username: String?
    public var password: String?
    /// The envelope sender (`MAIL FROM`) and the usual `From` of the messages.
    public var from: MailAddress
    /// The name this machine gives in `EHLO`.
    public var heloName: String
    /// A PEM file of certificate authorities trusted besides the system's (a private relay's CA).
    public var extraCAFile: String?
    /// For the TCP connection; `.implicitTLS`'s handshake counts against the greeting's wait.
    public var connectTimeout: TimeAmount
    /// For each command's answer (and the relay's greeting); `DATA`'s final answer gets twice as long.
    public var replyTimeout: TimeAmount

    public init(
        host: String,
        port: Int,
        security: Security = .startTLS,
        username: String? = nil,
        password: String? = nil,
        from: MailAddress,
        heloName: String = "localhost",
        extraCAFile: String? = nil,
        connectTimeout: TimeAmount = .seconds(10),
        replyTimeout: TimeAmount = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.from = from
        self.heloName = heloName
        self.extraCAFile = extraCAFile
        self.connectTimeout = connectTimeout
        self.replyTimeout = replyTimeout
    }

    /// `localhost`, `*.localhost`, `127.0.0.0/8` or `::1`: a relay on this machine, the only place
    /// clear text does not cross a network.
    public var isLoopback: Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name.hasSuffix(".localhost") || name == "::1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Why settings were refused, in words for the operator, naming the configuration key.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let key: String
        public let reason: String
        public var description: String { "\(key): \(reason)" }
    }

    /// Refuses settings that would send mail (or a password) in clear over a network, or that
    /// cannot work at all. `keyPrefix` is where the settings sit in the configuration, so that the
    /// message names the key the operator must change (`mail.relay.security`).
    public static func validate(_ relay: SMTPRelay, keyPrefix: String = "mail.relay") throws(Invalid) {
        func invalid(_ key: String, _ reason: String) -> Invalid { Invalid(key: "\(keyPrefix).\(key)", reason: reason) }
        let host = relay.host.trimmingCharacters(in: .whitespaces)
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "/" }) else {
            throw invalid("host", "'\(relay.host)' is not a host name or address")
        }
        guard (1...65535).contains(relay.port) else { throw invalid("port", "\(relay.port) is not a port from 1 to 65535") }
        if relay.security == .plain, !relay.isLoopback {
            throw invalid(
                "security",
                "\"plain\" sends mail and passwords in clear and is allowed only for a relay on this machine "
                    + "(localhost, 127.0.0.1, ::1); \(relay.host) needs \"starttls\" (port 587) or \"tls\" (port 465)"
            )
        }
        if (relay.username == nil) != (relay.password == nil) {
            throw invalid("username", "a user name and a password go together: give both or neither")
        }
        guard MailAddress.isValidHostName(relay.heloName) else { throw invalid("heloName", "'\(relay.heloName)' is not a host name") }
        if let file = relay.extraCAFile, !FileManager.default.isReadableFile(atPath: file) {
            throw invalid("extraCAFile", "\(file) cannot be read")
        }
        guard relay.connectTimeout > .zero, relay.replyTimeout > .zero else {
            throw invalid("timeouts", "timeouts must be longer than zero")
        }
    }
}

extension SMTPRelay: CustomStringConvertible {
    /// Never shows the password, so settings can be logged.
    public var description: String {
        let user = username.map { " as \($0) (password redacted)" } ?? ""
        return "smtp relay \(host):\(port) \(security.rawValue)\(user) from \(from.address)"
    }
}

extension SMTPRelay: CustomDebugStringConvertible, CustomReflectable {
    public var debugDescription: String { description }
    /// `dump` and the test runner's value printing see no password either.
    public var customMirror: Mirror {
        Mirror(self, children: ["host": host, "port": port, "security": security, "username": username as Any, "from": from.address])
    }
}
