import ClubNotify
import ClubServer
import ClubStore
import Configuration
import Foundation
import Testing

/// The relay as the configuration names it (docs/notifications.md): no relay, no mail; the
/// credentials from the environment only; clear text only to a loopback relay.
@Suite("Mail configuration")
struct MailSettingsTests {
    static func settings(_ json: String, environment: [String: String] = [:]) async throws -> ServerSettings {
        let reader = try await ConfigSources.reader(flags: [:], environment: [:], configFile: try SettingsTests.file(json))
        return try ServerSettings(reader: reader, environment: environment)
    }

    @Test func withoutARelayNothingIsMailedAndTheShippedFileHasNone() async throws {
        #expect(try await Self.settings("{}").mailRelay == nil)
        #expect(try await Self.settings("{}").digestHour == 8)
    }

    @Test func theRelayIsReadWithItsCredentialsFromTheEnvironment() async throws {
        let settings = try await Self.settings(
            #"{"publicURL":"https://club.example","mail":{"relay":{"host":"smtp.example.net"},"from":"club@club.example"},"#
                + #""notifications":{"digestHour":7}}"#,
            environment: [MailSettings.usernameVariable: "club", MailSettings.passwordVariable: "s3cret"]
        )
        let relay = try #require(settings.mailRelay)
        #expect(relay.host == "smtp.example.net" && relay.port == 587 && relay.security == .startTLS)
        #expect(relay.username == "club" && relay.password == "s3cret")
        #expect(relay.from.address == "club@club.example")
        #expect(relay.heloName == "club.example")
        #expect(settings.digestHour == 7)
        // The password never shows in what the settings print.
        #expect(!"\(relay)".contains("s3cret"))
    }

    @Test func aPasswordInTheFileAClearTextRemoteRelayAndAMissingSenderStopTheDaemon() async throws {
        await #expect(throws: SettingsError.self) {
            _ = try await Self.settings(#"{"mail":{"relay":{"host":"smtp.example.net","password":"x"},"from":"a@b.example"}}"#)
        }
        await #expect(throws: SettingsError.self) {
            _ = try await Self.settings(#"{"mail":{"relay":{"host":"smtp.example.net","security":"plain"},"from":"a@b.example"}}"#)
        }
        await #expect(throws: SettingsError.self) { _ = try await Self.settings(#"{"mail":{"relay":{"host":"smtp.example.net"}}}"#) }
        await #expect(throws: SettingsError.self) { _ = try await Self.settings(#"{"notifications":{"digestHour":24}}"#) }
        let loopback = try await Self.settings(#"{"mail":{"relay":{"host":"127.0.0.1","port":2525,"security":"plain"},"from":"a@b.example"}}"#)
        #expect(loopback.mailRelay?.security == .plain)
    }
}
