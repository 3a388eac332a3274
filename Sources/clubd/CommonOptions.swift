import ArgumentParser
import ClubAPI
import ClubCore
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
        return try await ServerSettings.reader(flags: values, configFile: config)
    }

    func settings(extra: [AbsoluteConfigKey: ConfigValue] = [:]) async throws -> ServerSettings {
        try ServerSettings(reader: try await reader(extra: extra))
    }

    /// Opens the database of the configured data folder, creating the folder if needed.
    func openDatabase() async throws -> AppDatabase {
        let settings = try await settings()
        try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return try AppDatabase(path: settings.databasePath, rules: settings.rules)
    }
}
