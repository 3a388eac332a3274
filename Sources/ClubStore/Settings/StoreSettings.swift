import ClubCore
import Configuration

/// What every command that opens the database reads from the configuration: where the data
/// lives and the club's rules. `clubd serve` reads these and its own server settings besides.
public struct StoreSettings: Sendable {
    public var dataFolder: DataFolder
    public var rules: ClubRules

    public init(dataFolder: DataFolder = DataFolder("data"), rules: ClubRules = ClubRules()) {
        self.dataFolder = dataFolder
        self.rules = rules
    }

    /// Reads the settings.
    ///
    /// - `data` (string, optional, default: `data`): the data folder (database, TLS material,
    ///   bootstrap token).
    /// - the rules' keys: see `ClubRules.init(reader:)`.
    public init(reader: ConfigReader) throws {
        dataFolder = DataFolder(reader.string(forKey: "data", default: "data"))
        rules = try ClubRules(reader: reader)
    }
}

extension AppDatabase {
    /// Opens the database of the configured data folder, creating the folder when missing.
    public static func open(_ settings: StoreSettings, clock: any ClubClock = SystemClock()) throws -> AppDatabase {
        try settings.dataFolder.create()
        return try AppDatabase(path: settings.dataFolder.databasePath, clock: clock, rules: settings.rules)
    }
}
