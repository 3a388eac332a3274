import Configuration
import Foundation
import SystemPackage

/// Where every command reads its configuration from.
public enum ConfigSources {
    /// The sources in priority order: flags, then `CLUBD_*` environment variables, then the file
    /// (`Config/clubd.json` by default, which may be missing; an explicitly named file may not),
    /// then the built-in defaults of each settings type's `init(reader:)`.
    public static func reader(
        flags: [AbsoluteConfigKey: ConfigValue],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        configFile: String?
    ) async throws -> ConfigReader {
        let file = try await FileProvider<JSONSnapshot>(
            filePath: FilePath(configFile ?? "Config/clubd.json"),
            allowMissing: configFile == nil
        )
        return ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: flags),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "clubd"),
            file,
        ])
    }
}

/// A configuration value the daemon cannot work with, named by its key.
public enum SettingsError: Error, Equatable, CustomStringConvertible {
    case invalid(key: String, value: String)

    public var description: String {
        switch self {
        case .invalid(let key, let value): "configuration key '\(key)' has an unusable value: \(value)"
        }
    }
}
