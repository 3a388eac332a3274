import Configuration
import Foundation
import Synchronization
import SystemPackage

/// Where every command reads its configuration from.
public enum ConfigSources {
    /// The sources in priority order: flags, then `CLUBD_*` environment variables, then the file
    /// (`Config/clubd.json` by default, which may be missing; an explicitly named file may not),
    /// then the built-in defaults of each settings type's `init(reader:)`.
    public static func reader(
        flags: [AbsoluteConfigKey: ConfigValue],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        configFile: String?,
        problems: ConfigProblems? = nil
    ) async throws -> ConfigReader {
        let path = configFile ?? "Config/clubd.json"
        try checkSyntax(ofFileAt: path)
        let file = try await FileProvider<JSONSnapshot>(filePath: FilePath(path), allowMissing: configFile == nil)
        return ConfigReader(
            providers: [
                InMemoryProvider(name: "flags", values: flags),
                EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "clubd"),
                file,
            ],
            accessReporter: problems
        )
    }

    /// Reads settings with `make`, then refuses every key whose value could not be read as its type (`"port": "abc"`),
    /// which the reader would otherwise replace by the default without a word.
    public static func read<Settings>(
        flags: [AbsoluteConfigKey: ConfigValue] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        configFile: String?,
        _ make: (ConfigReader) throws -> Settings
    ) async throws -> Settings {
        let problems = ConfigProblems()
        let settings = try make(try await reader(flags: flags, environment: environment, configFile: configFile, problems: problems))
        try problems.check()
        return settings
    }

    /// A file that is not JSON is named with the line and column where it stops being JSON.
    static func checkSyntax(ofFileAt path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        do {
            _ = try JSONSerialization.jsonObject(with: data)
        } catch {
            let detail = (error as NSError).userInfo["NSDebugDescription"] as? String ?? "not valid JSON"
            let offset = detail.firstMatch(of: /character (\d+)/).flatMap { Int($0.1) } ?? data.count
            let before = data.prefix(offset)
            let line = before.count { $0 == UInt8(ascii: "\n") } + 1
            let column = before.count - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
            throw SettingsError.syntax(file: path, line: line, column: column, detail: detail)
        }
    }
}

/// Collects what the configuration reader could not convert, so that the daemon stops naming the key rather than run on
/// a default the operator did not choose.
public final class ConfigProblems: AccessReporter, Sendable {
    private let found = Mutex<[String: String]>([:])

    public init() {}

    public func report(_ event: AccessEvent) {
        let key = event.metadata.key.description
        let expected = "expected \(event.metadata.valueType)"
        var problem: String?
        for result in event.providerResults {
            switch result.result {
            case .failure: problem = problem ?? "\(expected), and the value in \(Self.source(result.providerName)) is not one"
            case .success(let lookup):
                // A value found but not of the type asked for: named, unless it is a secret.
                guard event.conversionError != nil, problem == nil, let value = lookup.value else { continue }
                problem = "\(expected), found \(value.isSecret ? "a secret" : "\(value.content)") in \(Self.source(result.providerName))"
            }
        }
        if problem == nil, event.conversionError != nil { problem = expected }
        guard let problem else { return }
        found.withLock { found in
            if found[key] == nil { found[key] = problem }
        }
    }

    /// Where a value came from, as an operator calls it.
    private static func source(_ providerName: String) -> String {
        if providerName.hasPrefix("FileProvider") { return "the configuration file" }
        if providerName.contains("Environment") { return "the environment (CLUBD_…)" }
        return "the command line"
    }

    /// Throws for the first key, in order of name, that could not be read.
    public func check() throws {
        guard let (key, problem) = found.withLock({ $0.min { $0.key < $1.key } }) else { return }
        throw SettingsError.invalid(key: key, value: problem)
    }
}

/// A configuration value the daemon cannot work with, named by its key.
public enum SettingsError: Error, Equatable, CustomStringConvertible {
    case invalid(key: String, value: String)
    /// The file is not JSON; `line` and `column` count from 1.
    case syntax(file: String, line: Int, column: Int, detail: String)

    public var description: String {
        switch self {
        case .invalid(let key, let value): "configuration key '\(key)' has an unusable value: \(value)"
        case .syntax(let file, let line, let column, let detail): "\(file):\(line):\(column): the configuration is not valid JSON (\(detail))"
        }
    }
}
