import ClubCore
import Configuration

/// What every command that opens the database reads from the configuration: where the data
/// lives and the club's rules. `clubd serve` reads these and its own server settings besides.
public struct StoreSettings: Sendable {
    public var dataFolder: DataFolder
    public var rules: ClubRules
    /// Litestream replicates the database and does the WAL checkpoints (docs/design.md §11.4).
    public var litestream: Bool

    public init(dataFolder: DataFolder = DataFolder("data"), rules: ClubRules = ClubRules(), litestream: Bool = false) {
        self.dataFolder = dataFolder
        self.rules = rules
        self.litestream = litestream
    }

    /// Reads the settings.
    ///
    /// - `data` (string, optional, default: `data`): the data folder (database, TLS material,
    ///   bootstrap token).
    /// - `database.litestream` (bool, optional, default: false): Litestream replicates the database; clubd turns off
    ///   SQLite's automatic checkpoints and leaves them to Litestream. Set it only while Litestream runs beside clubd.
    /// - the rules' keys: see `ClubRules.init(reader:)`.
    public init(reader: ConfigReader) throws {
        dataFolder = DataFolder(reader.string(forKey: "data", default: "data"))
        rules = try ClubRules(reader: reader)
        litestream = reader.bool(forKey: "database.litestream", default: false)
    }
}

extension AppDatabase {
    /// Opens the database of the configured data folder, creating the folder when missing.
    public static func open(_ settings: StoreSettings, clock: any ClubClock = SystemClock()) throws -> AppDatabase {
        try settings.dataFolder.create()
        let checkpoints: Checkpoints = settings.litestream ? .leftToLitestream : .automatic
        return try AppDatabase(path: settings.dataFolder.databasePath, clock: clock, rules: settings.rules, checkpoints: checkpoints)
    }
}
