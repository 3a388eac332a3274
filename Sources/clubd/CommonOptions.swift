import ArgumentParser
import ClubStore
import Configuration
import Foundation

/// Options every command shares: where the configuration and the data live.
struct CommonOptions: ParsableArguments {
    @Option(help: "Configuration file (default: Config/clubd.json when it exists).")
    var config: String?

    @Option(help: "Data folder (database, TLS material, bootstrap token).")
    var data: String?

    /// Flags first, then `CLUBD_*` environment variables, then the file, then built-in defaults.
    func reader(extra: [AbsoluteConfigKey: ConfigValue] = [:]) async throws -> ConfigReader {
        var values = extra
        if let data { values["data"] = .init(.string(data), isSecret: false) }
        return try await ConfigSources.reader(flags: values, configFile: config)
    }

    /// The settings of the commands that only open the database.
    func storeSettings() async throws -> StoreSettings {
        try StoreSettings(reader: try await reader())
    }

    /// Opens the database of the configured data folder, creating the folder if needed.
    func openDatabase() async throws -> AppDatabase {
        try AppDatabase.open(try await storeSettings())
    }
}
