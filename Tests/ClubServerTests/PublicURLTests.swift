import ClubCore
import ClubStore
import Configuration
import NIOCore
import Testing

@testable import ClubServer

/// `publicURL`, the one base of the links the daemon hands out, and the names the console
/// answers under (DESIGN §6.1).
@Suite("Public address")
struct PublicURLTests {
    @Test(arguments: [
        ("https://club.example.org", "https://club.example.org"),
        ("https://club.example.org/", "https://club.example.org"),
        ("HTTPS://Club.Example.ORG:443/", "https://club.example.org"),
        ("https://club.example.org:8443", "https://club.example.org:8443"),
        ("https://127.0.0.1:9443", "https://127.0.0.1:9443"),
        ("https://[::1]:8443/", "https://[::1]:8443"),
        (" https://club.example.org ", "https://club.example.org"),
    ])
    func aUsableAddressIsReadAsAnOrigin(_ text: String, _ origin: String) throws {
        let url = try PublicURL(parsing: text)
        #expect(url.description == origin)
        #expect(url.link("/share/shr_x") == origin + "/share/shr_x")
    }

    @Test(arguments: [
        "http://club.example.org", "club.example.org", "https://", "https:///", "https://club.example.org/club",
        "https://club.example.org//", "https://club.example.org?x=1", "https://club.example.org#top", "https://user@club.example.org",
        "https://club.example.org:0", "https://club.example.org:65536", "https://club.example.org:84a3", "https://evil.example/phish?x=",
        #"https://"><script>"#, "https://club example.org", "https://club.example.org:", "https://[::1", "https://[zz]:1",
        "https://club%2eexample.org", "https://.club.example.org", "https://club..example.org",
    ])
    func anythingButAnHTTPSOriginIsRefused(_ text: String) {
        #expect(throws: PublicURL.Invalid.self) { try PublicURL(parsing: text) }
    }

    @Test func loopbackAddressesAreRecognised() throws {
        #expect(PublicURL.localhost(port: 8443).isLoopback)
        #expect(try PublicURL(parsing: "https://127.0.0.1:9443").isLoopback)
        #expect(try PublicURL(parsing: "https://[::1]").isLoopback)
        #expect(try PublicURL(parsing: "https://club.localhost").isLoopback)
        #expect(try !PublicURL(parsing: "https://club.example.org").isLoopback)
        #expect(try !PublicURL(parsing: "https://localhost.example.org").isLoopback)
    }

    @Test func theSettingIsReadValidatedAndDefaultsToLocalhostOnThePort() async throws {
        let defaults = try await ConfigSources.reader(flags: [:], environment: [:], configFile: nil)
        let settings = try ServerSettings(reader: defaults)
        #expect(settings.publicURL == nil && settings.hstsSeconds == 31_536_000)
        #expect(try ServerSettings.linkBase(defaults).description == "https://localhost:8443")
        let onPort = try await ConfigSources.reader(flags: [:], environment: ["CLUBD_PORT": "9443"], configFile: nil)
        #expect(try ServerSettings.linkBase(onPort).description == "https://localhost:9443")
        let environment = ["CLUBD_PUBLIC_URL": "https://club.example.org"]
        let fromEnvironment = try await ConfigSources.reader(flags: [:], environment: environment, configFile: nil)
        #expect(try ServerSettings(reader: fromEnvironment).publicURL?.description == "https://club.example.org")

        let configured = try await ConfigSources.reader(
            flags: [:],
            environment: [:],
            configFile: try SettingsTests.file(#"{"publicURL":"https://Club.Example.org/","http":{"hsts":600}}"#)
        )
        let read = try ServerSettings(reader: configured)
        #expect(read.publicURL?.description == "https://club.example.org" && read.hstsSeconds == 600)
        #expect(try ServerSettings.linkBase(configured).description == "https://club.example.org")
    }

    @Test(arguments: [#"{"publicURL":"http://club.example.org"}"#, #"{"publicURL":"https://club.example.org/club"}"#])
    func aBadAddressStopsTheDaemonSayingWhy(_ json: String) async throws {
        let reader = try await ConfigSources.reader(flags: [:], environment: [:], configFile: try SettingsTests.file(json))
        do {
            _ = try ServerSettings(reader: reader)
            Issue.record("an unusable publicURL was accepted")
        } catch let error as SettingsError {
            #expect(error.description.contains("'publicURL'") && error.description.contains("https://"), "\(error)")
        }
        #expect(throws: SettingsError.self) { try ServerSettings.linkBase(reader) }
    }

    @Test func aNegativeHSTSIsRefused() async throws {
        let reader = try await ConfigSources.reader(flags: [:], environment: [:], configFile: try SettingsTests.file(#"{"http":{"hsts":-1}}"#))
        #expect(throws: SettingsError.invalid(key: "http.hsts", value: "-1")) { try ServerSettings(reader: reader) }
    }

    @Test func aListenerOnPortZeroSettlesTheDefaultAddressOnceBound() throws {
        let pending = PublicAddress(configured: nil, listenerPort: 0)
        #expect(pending.url.description == "https://localhost:8443")
        pending.listenerBound(port: 40123)
        #expect(pending.link("/share/shr_x") == "https://localhost:40123/share/shr_x")
        let configured = PublicAddress(configured: try PublicURL(parsing: "https://club.example.org"), listenerPort: 0)
        configured.listenerBound(port: 40123)
        #expect(configured.url.description == "https://club.example.org")
        let fixed = PublicAddress(configured: nil, listenerPort: 9443)
        fixed.listenerBound(port: 9443)
        #expect(fixed.url.description == "https://localhost:9443")
    }

    @Test func theConsoleAnswersOnlyUnderTheClubsOwnNames() throws {
        let club = try PublicURL(parsing: "https://club.example.org")
        let listener = try SocketAddress(ipAddress: "127.0.0.1", port: 8443)
        // The machine's own names on any port: an SSH tunnel or a local relay listens on another.
        let own = ["club.example.org", "CLUB.example.org:443", "localhost:8443", "127.0.0.1:8443", "[::1]:8443", "localhost", "localhost:9999"]
        for name in own {
            #expect(HostCheckMiddleware.accepts(name, publicURL: club, listener: listener), "\(name)")
        }
        let refused = [
            "evil.example", "evil.example/phish?x=", #""><script>"#, "club.example.org:8443", "club.example.org.evil.example",
            "localhost.evil.example", "127.0.0.1.evil.example", "", "localhost:", "[::1",
        ]
        for name in refused {
            #expect(!HostCheckMiddleware.accepts(name, publicURL: club, listener: listener), "\(name)")
        }
        let onPort = try PublicURL(parsing: "https://club.example.org:9443")
        #expect(HostCheckMiddleware.accepts("club.example.org:9443", publicURL: onPort, listener: listener))
        #expect(!HostCheckMiddleware.accepts("club.example.org", publicURL: onPort, listener: listener))
        #expect(HostCheckMiddleware.accepts("localhost", publicURL: .localhost(port: 40123), listener: listener))
        let lan = try SocketAddress(ipAddress: "192.168.1.5", port: 8443)
        #expect(HostCheckMiddleware.accepts("192.168.1.5:8443", publicURL: club, listener: lan))
        #expect(!HostCheckMiddleware.accepts("192.168.1.6:8443", publicURL: club, listener: lan))
        #expect(!HostCheckMiddleware.accepts("192.168.1.5:8443", publicURL: club, listener: listener))
        #expect(HostCheckMiddleware.isAPI("/v1/health") && HostCheckMiddleware.isAPI("/metrics") && !HostCheckMiddleware.isAPI("/v1x"))
    }
}
