import ClubCore
import ClubServer
import ClubStore
import Configuration
import Foundation
import Testing

@Suite("Configuration")
struct SettingsTests {
    static func file(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-config-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func flagsBeatEnvironmentWhichBeatsTheFile() async throws {
        let path = try Self.file(#"{"host":"0.0.0.0","port":9443,"data":"from-file","referrals":{"answerHours":72}}"#)
        let reader = try await ConfigSources.reader(
            flags: ["data": .init(.string("from-flag"), isSecret: false)],
            environment: ["CLUBD_PORT": "7443", "CLUBD_DATA": "from-env", "CLUBD_MATCHING_WEIGHTS_REGION": "0.5"],
            configFile: path
        )
        let settings = try ServerSettings(reader: reader)
        #expect(settings.store.dataFolder.path == "from-flag")
        #expect(settings.port == 7443)
        #expect(settings.host == "0.0.0.0")
        #expect(settings.store.rules.referralAnswerHours == 72)
        #expect(settings.store.rules.weights.region == 0.5)
    }

    @Test func theEmbeddedDefaultsApplyWithoutAFile() async throws {
        let reader = try await ConfigSources.reader(flags: [:], environment: [:], configFile: nil)
        let settings = try ServerSettings(reader: reader)
        #expect(settings.host == "127.0.0.1" && settings.port == 8443 && settings.store.dataFolder.path == "data")
        #expect(settings.store.rules.requiredChecks == Set(VettingCheckKind.allCases))
        #expect(settings.store.rules.rushThresholdDays == 7 && settings.store.rules.referralAnswerHours == 48)
    }

    @Test func theShippedConfigurationFileReads() async throws {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Config/clubd.json").path
        let settings = try ServerSettings(reader: try await ConfigSources.reader(flags: [:], environment: [:], configFile: shipped))
        #expect(settings.store.rules.competences.contains("context_ads"))
        #expect(settings.store.rules.keyStages == ["design", "development", "launch"])
        #expect(settings.store.rules.weights == MatchWeights())
        #expect(settings.store.rules.timeZoneName == "Europe/Moscow")
    }

    @Test func unusableValuesAreRefusedWithTheirKey() async throws {
        let path = try Self.file(#"{"vetting":{"requiredChecks":["portfolio","horoscope"]}}"#)
        let reader = try await ConfigSources.reader(flags: [:], environment: [:], configFile: path)
        #expect(throws: SettingsError.self) { try ServerSettings(reader: reader) }
        let negative = try await ConfigSources.reader(
            flags: [:],
            environment: [:],
            configFile: try Self.file(#"{"matching":{"weights":{"rating":-1}}}"#)
        )
        #expect(throws: SettingsError.invalid(key: "matching.weights.rating", value: "-1.0")) {
            try ServerSettings(reader: negative)
        }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("nope-\(UUID().uuidString).json").path
        await #expect(throws: (any Error).self) { try await ConfigSources.reader(flags: [:], environment: [:], configFile: missing) }
    }

    @Test func theClubsZoneIsReadAndAnUnknownOneRefused() async throws {
        let moscow = try await ConfigSources.reader(flags: [:], environment: [:], configFile: try Self.file(#"{"timeZone":"Europe/Moscow"}"#))
        #expect(try StoreSettings(reader: moscow).rules.timeZone.identifier == "Europe/Moscow")
        // Without the key the club lives in UTC (the shipped file names Moscow).
        let unset = try await ConfigSources.reader(flags: [:], environment: [:], configFile: try Self.file("{}"))
        #expect(try StoreSettings(reader: unset).rules.timeZoneName == "UTC")
        for bad in ["Mars/Olympus", "MSK", "GMT+3"] {
            let reader = try await ConfigSources.reader(flags: [:], environment: [:], configFile: try Self.file(#"{"timeZone":"\#(bad)"}"#))
            #expect(throws: SettingsError.invalid(key: "timeZone", value: bad)) { try StoreSettings(reader: reader) }
        }
        let autoAccept = try await ConfigSources.reader(
            flags: [:],
            environment: [:],
            configFile: try Self.file(#"{"fixLists":{"autoAcceptDays":0}}"#)
        )
        #expect(throws: SettingsError.invalid(key: "fixLists.autoAcceptDays", value: "0")) { try StoreSettings(reader: autoAccept) }
    }

    @Test func everyMatchingWeightIsReadUnderItsOwnName() async throws {
        var flags: [AbsoluteConfigKey: ConfigValue] = [:]
        for (index, part) in MatchWeights.parts.enumerated() {
            flags[AbsoluteConfigKey(["matching", "weights", part.name])] = .init(.double(Double(index + 1)), isSecret: false)
        }
        let settings = try StoreSettings(reader: try await ConfigSources.reader(flags: flags, environment: [:], configFile: nil))
        for (index, part) in MatchWeights.parts.enumerated() {
            #expect(settings.rules.weights[keyPath: part.weight] == Double(index + 1), "\(part.name)")
        }
    }
}
