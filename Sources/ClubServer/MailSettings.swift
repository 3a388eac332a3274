import ClubNotify
import ClubStore
import Configuration
import Foundation

/// The SMTP relay as `Config/clubd.json` names it (docs/design.md §10.3, docs/notifications.md).
/// No `mail.relay.host`: no relay, and no mail is sent. The relay's user and password come from
/// the environment only, so that no configuration file ever holds a secret.
public enum MailSettings {
    /// The environment variables of the relay's credentials.
    public static let usernameVariable = "CLUBD_SMTP_USERNAME"
    public static let passwordVariable = "CLUBD_SMTP_PASSWORD"

    /// - `mail.relay.host` (string, optional): the relay; without it nothing is mailed.
    /// - `mail.relay.port` (int, optional, default: 587).
    /// - `mail.relay.security` (`starttls` | `tls` | `plain`, default: `starttls`): `plain` only
    ///   for a loopback relay.
    /// - `mail.relay.caFile` (string, optional): PEM authorities trusted besides the system's.
    /// - `mail.from` (string, required with a relay): the address the club's mail comes from.
    /// - `mail.fromName` (string, optional, default: `Club`).
    /// - `mail.heloName` (string, optional, default: the public address's host).
    public static func relay(_ reader: ConfigReader, environment: [String: String], heloName defaultHelo: String) throws -> SMTPRelay? {
        guard let host = reader.string(forKey: "mail.relay.host"), !host.isEmpty else { return nil }
        for secret in ["mail.relay.password", "mail.relay.username"] where reader.string(forKey: ConfigKey(secret)) != nil {
            throw SettingsError.invalid(
                key: secret,
                value: "the relay's credentials come from \(usernameVariable) and \(passwordVariable) in the environment, never the file"
            )
        }
        let port = reader.int(forKey: "mail.relay.port", default: 587)
        guard (1...65535).contains(port) else { throw SettingsError.invalid(key: "mail.relay.port", value: String(port)) }
        let securityText = reader.string(forKey: "mail.relay.security", default: SMTPRelay.Security.startTLS.rawValue)
        guard let security = SMTPRelay.Security(rawValue: securityText) else {
            throw SettingsError.invalid(key: "mail.relay.security", value: "\(securityText) (starttls, tls or plain)")
        }
        guard let fromText = reader.string(forKey: "mail.from"), !fromText.isEmpty else {
            throw SettingsError.invalid(key: "mail.from", value: "missing: the address the club's mail comes from")
        }
        let from: MailAddress
        do {
            from = try MailAddress(fromText, displayName: reader.string(forKey: "mail.fromName", default: "Club"))
        } catch {
            throw SettingsError.invalid(key: "mail.from", value: "\(fromText) (\(error))")
        }
        let username = environment[usernameVariable].flatMap { $0.isEmpty ? nil : $0 }
        let password = environment[passwordVariable].flatMap { $0.isEmpty ? nil : $0 }
        let relay = SMTPRelay(
            host: host,
            port: port,
            security: security,
            username: username,
            password: password,
            from: from,
            heloName: reader.string(forKey: "mail.heloName", default: defaultHelo),
            extraCAFile: reader.string(forKey: "mail.relay.caFile").flatMap { $0.isEmpty ? nil : $0 }
        )
        do {
            try SMTPRelay.validate(relay)
        } catch {
            throw SettingsError.invalid(key: error.key, value: error.reason)
        }
        return relay
    }
}
