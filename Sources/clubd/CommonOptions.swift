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

    /// Reads settings with `make` from the flags first, then `CLUBD_*` environment variables, then the file, then
    /// built-in defaults; a key whose value cannot be read as its type stops the command naming it.
    func read<Settings>(extra: [AbsoluteConfigKey: ConfigValue] = [:], _ make: (ConfigReader) throws -> Settings) async throws -> Settings {
        var values = extra
        if let data { values["data"] = .init(.string(data), isSecret: false) }
        return try await ConfigSources.read(flags: values, configFile: config, make)
    }

    /// The settings of the commands that only open the database.
    func storeSettings() async throws -> StoreSettings {
        try await read { try StoreSettings(reader: $0) }
    }

    /// Opens the database of the configured data folder, creating the folder if needed.
    func openDatabase() async throws -> AppDatabase {
        try AppDatabase.open(try await storeSettings())
    }
}
