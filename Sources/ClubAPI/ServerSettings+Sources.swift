import Configuration
import Foundation
import SystemPackage

extension ServerSettings {
    /// The configuration sources in priority order: flags, then `CLUBD_*` environment variables,
    /// then the file (`Config/clubd.json` by default, which may be missing; an explicitly named
    /// file may not), then the built-in defaults of `init(reader:)`.
    public static func reader(
        flags: [AbsoluteConfigKey: ConfigValue],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        configFile: String?
    ) async throws -> ConfigReader {
        let file = try await FileProvider<JSONSnapshot>(filePath: FilePath(configFile ?? "Config/clubd.json"), allowMissing: configFile == nil)
        return ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: flags),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "clubd"),
            file,
        ])
    }
}
