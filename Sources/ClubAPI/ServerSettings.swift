import ClubCore
import Configuration
import Logging

/// Everything `clubd serve` reads from its configuration.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    public var dataDirectory: String
    /// PEM certificate chain; with `keyPath` unset too, a self-signed one is made in the data folder.
    public var certificatePath: String?
    public var keyPath: String?
    public var logLevel: Logger.Level
    public var rules: ClubRules
    /// How often the referral service looks for unanswered offers past their deadline.
    public var referralSweepInterval: Duration
    /// A connection with no traffic for this long is closed.
    public var idleTimeout: Duration = .seconds(30)
    /// A request body that has not fully arrived after this long is refused (408).
    public var bodyTimeout: Duration = .seconds(10)

    public init(host: String = "127.0.0.1", port: Int = 8443, dataDirectory: String = "data", certificatePath: String? = nil, keyPath: String? = nil, logLevel: Logger.Level = .info, rules: ClubRules = ClubRules(), referralSweepInterval: Duration = .seconds(60)) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.logLevel = logLevel
        self.rules = rules
        self.referralSweepInterval = referralSweepInterval
    }

    /// Reads the settings.
    ///
    /// - `host` (string, optional, default: `127.0.0.1`): address to listen on.
    /// - `port` (int, optional, default: 8443): TLS port; 0 picks a free one.
    /// - `data` (string, optional, default: `data`): the data folder (database, TLS material, bootstrap token).
    /// - `cert`, `key` (string, optional): PEM files of the server certificate chain and its key.
    /// - `log.level` (string, optional, default: `info`): trace, debug, info, notice, warning, error, critical.
    /// - `competences` (string array, optional): the competence vocabulary.
    /// - `vetting.requiredChecks` (string array, optional, default: all four): checks admission needs.
    /// - `requests.rushThresholdDays` (int, optional, default: 7): a deadline closer than this is a rush.
    /// - `referrals.answerHours` (int, optional, default: 48): hours a studio has to answer a referral.
    /// - `referrals.sweepSeconds` (int, optional, default: 60): how often overdue referrals are expired.
    /// - `engagements.keyStages` (string array, optional, default: design, development, launch).
    /// - `http.idleTimeoutSeconds` (int, optional, default: 30): idle connections are closed.
    /// - `http.bodyTimeoutSeconds` (int, optional, default: 10): slower request bodies answer 408.
    /// - `matching.weights.coverage|singleStudio|budgetFit|freeCapacity|rating|upheldComplaints|region`
    ///   (double, optional, defaults 0.35, 0.15, 0.15, 0.1, 0.15, 0.05, 0.05): the score's weights.
    public init(reader: ConfigReader) throws {
        host = reader.string(forKey: "host", default: "127.0.0.1")
        port = reader.int(forKey: "port", default: 8443)
        dataDirectory = reader.string(forKey: "data", default: "data")
        certificatePath = reader.string(forKey: "cert").flatMap { $0.isEmpty ? nil : $0 }
        keyPath = reader.string(forKey: "key").flatMap { $0.isEmpty ? nil : $0 }
        let level = reader.string(forKey: "log.level", default: "info")
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw SettingsError.invalid(key: "log.level", value: level)
        }
        self.logLevel = logLevel
        let competences = reader.stringArray(forKey: "competences", default: Array(ClubRules.defaultCompetences))
        let checkNames = reader.stringArray(forKey: "vetting.requiredChecks", default: VettingCheckKind.allCases.map(\.rawValue))
        let checks = try checkNames.map { name in
            guard let kind = VettingCheckKind(rawValue: name) else { throw SettingsError.invalid(key: "vetting.requiredChecks", value: name) }
            return kind
        }
        guard (0...65535).contains(port) else { throw SettingsError.invalid(key: "port", value: String(port)) }
        guard (certificatePath == nil) == (keyPath == nil) else {
            throw SettingsError.invalid(key: "cert/key", value: "both or neither must be set")
        }
        let defaults = MatchWeights()
        let weights = MatchWeights(
            coverage: reader.double(forKey: "matching.weights.coverage", default: defaults.coverage),
            singleStudio: reader.double(forKey: "matching.weights.singleStudio", default: defaults.singleStudio),
            budgetFit: reader.double(forKey: "matching.weights.budgetFit", default: defaults.budgetFit),
            freeCapacity: reader.double(forKey: "matching.weights.freeCapacity", default: defaults.freeCapacity),
            rating: reader.double(forKey: "matching.weights.rating", default: defaults.rating),
            upheldComplaints: reader.double(forKey: "matching.weights.upheldComplaints", default: defaults.upheldComplaints),
            region: reader.double(forKey: "matching.weights.region", default: defaults.region)
        )
        for (key, value) in [("coverage", weights.coverage), ("singleStudio", weights.singleStudio), ("budgetFit", weights.budgetFit), ("freeCapacity", weights.freeCapacity), ("rating", weights.rating), ("upheldComplaints", weights.upheldComplaints), ("region", weights.region)] where value < 0 {
            throw SettingsError.invalid(key: "matching.weights.\(key)", value: String(value))
        }
        let rushDays = reader.int(forKey: "requests.rushThresholdDays", default: 7)
        let answerHours = reader.int(forKey: "referrals.answerHours", default: 48)
        let sweepSeconds = reader.int(forKey: "referrals.sweepSeconds", default: 60)
        guard rushDays >= 0 else { throw SettingsError.invalid(key: "requests.rushThresholdDays", value: String(rushDays)) }
        guard answerHours > 0 else { throw SettingsError.invalid(key: "referrals.answerHours", value: String(answerHours)) }
        guard sweepSeconds > 0 else { throw SettingsError.invalid(key: "referrals.sweepSeconds", value: String(sweepSeconds)) }
        rules = ClubRules(
            competences: Set(competences), requiredChecks: Set(checks), rushThresholdDays: rushDays, referralAnswerHours: answerHours,
            keyStages: reader.stringArray(forKey: "engagements.keyStages", default: ClubRules().keyStages), weights: weights
        )
        referralSweepInterval = .seconds(sweepSeconds)
        let idle = reader.int(forKey: "http.idleTimeoutSeconds", default: 30)
        let body = reader.int(forKey: "http.bodyTimeoutSeconds", default: 10)
        guard idle > 0 else { throw SettingsError.invalid(key: "http.idleTimeoutSeconds", value: String(idle)) }
        guard body > 0 else { throw SettingsError.invalid(key: "http.bodyTimeoutSeconds", value: String(body)) }
        idleTimeout = .seconds(idle)
        bodyTimeout = .seconds(body)
    }

    public var databasePath: String { dataDirectory + "/clubd.sqlite" }
    public var bootstrapTokenPath: String { dataDirectory + "/bootstrap-token" }
}

public enum SettingsError: Error, CustomStringConvertible {
    case invalid(key: String, value: String)

    public var description: String {
        switch self {
        case .invalid(let key, let value): "configuration key '\(key)' has an unusable value: \(value)"
        }
    }
}
