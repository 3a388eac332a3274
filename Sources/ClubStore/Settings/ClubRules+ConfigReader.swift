import ClubCore
import Configuration
import Foundation

extension ClubRules {
    /// Reads the club's rules; a key left out keeps the default of `ClubRules()`.
    ///
    /// - `competences` (string array, optional): the competence vocabulary.
    /// - `vetting.requiredChecks` (string array, optional, default: all four): checks admission needs.
    /// - `requests.rushThresholdDays` (int, optional, default: 7): a deadline closer than this is a rush.
    /// - `referrals.answerHours` (int, optional, default: 48): hours a studio has to answer a referral.
    /// - `engagements.keyStages` (string array, optional, default: design, development, launch).
    /// - `matching.weights.*`: see `MatchWeights.init(reader:)`.
    /// - `sessions.idleHours` (int, optional, default: 12): a console session unused this long ends.
    /// - `sessions.absoluteDays` (int, optional, default: 14): a console session ends this long after sign-in.
    /// - `timeZone` (string, optional, default: UTC): the club's IANA zone, such as `Europe/Moscow`.
    /// - `fixLists.autoAcceptDays` (int, optional, default: 7): days a struck item waits for the
    ///   client's check before the daemon accepts it.
    public init(reader: ConfigReader) throws {
        let defaults = ClubRules()
        let competences = reader.stringArray(forKey: "competences", default: Array(defaults.competences))
        let checkNames = reader.stringArray(
            forKey: "vetting.requiredChecks",
            default: defaults.requiredChecks.map(\.rawValue)
        )
        let checks = try checkNames.map { name in
            guard let kind = VettingCheckKind(rawValue: name) else {
                throw SettingsError.invalid(key: "vetting.requiredChecks", value: name)
            }
            return kind
        }
        let rushDays = reader.int(forKey: "requests.rushThresholdDays", default: defaults.rushThresholdDays)
        let answerHours = reader.int(forKey: "referrals.answerHours", default: defaults.referralAnswerHours)
        guard rushDays >= 0 else {
            throw SettingsError.invalid(key: "requests.rushThresholdDays", value: String(rushDays))
        }
        guard answerHours > 0 else {
            throw SettingsError.invalid(key: "referrals.answerHours", value: String(answerHours))
        }
        let idleHours = reader.int(forKey: "sessions.idleHours", default: defaults.sessions.idleHours)
        let absoluteDays = reader.int(forKey: "sessions.absoluteDays", default: defaults.sessions.absoluteDays)
        guard idleHours > 0 else {
            throw SettingsError.invalid(key: "sessions.idleHours", value: String(idleHours))
        }
        guard absoluteDays > 0 else {
            throw SettingsError.invalid(key: "sessions.absoluteDays", value: String(absoluteDays))
        }
        let zoneName = reader.string(forKey: "timeZone", default: "UTC")
        guard TimeZoneName.isValid(zoneName), let zone = TimeZone(identifier: zoneName) else {
            throw SettingsError.invalid(key: "timeZone", value: zoneName)
        }
        let autoAcceptDays = reader.int(forKey: "fixLists.autoAcceptDays", default: defaults.fixItemAutoAcceptDays)
        guard autoAcceptDays > 0 else {
            throw SettingsError.invalid(key: "fixLists.autoAcceptDays", value: String(autoAcceptDays))
        }
        self.init(
            competences: Set(competences),
            requiredChecks: Set(checks),
            rushThresholdDays: rushDays,
            referralAnswerHours: answerHours,
            keyStages: reader.stringArray(forKey: "engagements.keyStages", default: defaults.keyStages),
            weights: try MatchWeights(reader: reader.scoped(to: "matching.weights")),
            sessions: SessionRules(idleHours: idleHours, absoluteDays: absoluteDays),
            timeZone: zone,
            fixItemAutoAcceptDays: autoAcceptDays,
            files: try FileLimits(reader: reader.scoped(to: "files"))
        )
    }
}

extension FileLimits {
    /// Reads the evidence files' limits (docs/design.md §11), each key optional:
    /// `types` (of png, jpeg, webp, pdf, text, csv), `maxMiB` per file, `maxObjectMiB` for one object's files together,
    /// `maxPerObject` files, `maxMegapixels` of an image.
    init(reader: ConfigReader) throws {
        let defaults = FileLimits()
        let mebibyte = 1024 * 1024
        let names = reader.stringArray(forKey: "types", default: FileType.allCases.map(\.rawValue).sorted())
        let types = try names.map { name in
            guard let type = FileType(rawValue: name) else { throw SettingsError.invalid(key: "files.types", value: name) }
            return type
        }
        guard !types.isEmpty else { throw SettingsError.invalid(key: "files.types", value: "[]") }
        func positive(_ key: String, _ fallback: Int) throws -> Int {
            let value = reader.int(forKey: ConfigKey(key), default: fallback)
            guard value > 0 else { throw SettingsError.invalid(key: "files.\(key)", value: String(value)) }
            return value
        }
        let maxFile = try positive("maxMiB", defaults.maxFileBytes / mebibyte)
        let maxObject = try positive("maxObjectMiB", defaults.maxObjectBytes / mebibyte)
        guard maxFile <= 1024, maxObject >= maxFile else {
            throw SettingsError.invalid(key: "files.maxMiB", value: "\(maxFile) (at most 1024, and at most files.maxObjectMiB)")
        }
        self.init(
            allowed: Set(types),
            maxFileBytes: maxFile * mebibyte,
            maxObjectBytes: maxObject * mebibyte,
            maxFilesPerObject: try positive("maxPerObject", defaults.maxFilesPerObject),
            maxPixels: try positive("maxMegapixels", defaults.maxPixels / 1_000_000) * 1_000_000
        )
    }
}

extension MatchWeights {
    /// Reads the weights of the matching score's parts.
    ///
    /// - `coverage`, `singleStudio`, `budgetFit`, `freeCapacity`, `rating`, `upheldComplaints`,
    ///   `region` (double, optional, defaults those of `MatchWeights()`): each must be at least 0;
    ///   only their proportions matter.
    public init(reader: ConfigReader) throws {
        self.init()
        for part in Self.parts {
            let value = reader.double(forKey: ConfigKey(part.name), default: self[keyPath: part.weight])
            guard value >= 0 else { throw SettingsError.invalid(key: "matching.weights.\(part.name)", value: String(value)) }
            self[keyPath: part.weight] = value
        }
    }
}
