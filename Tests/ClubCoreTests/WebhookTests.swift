import ClubCore
import Foundation
import Testing

/// Webhook endpoints' rules (docs/design.md §10): where deliveries may go, which events, the retry
/// schedule and when a failing endpoint is disabled.
@Suite("Webhooks")
struct WebhookTests {
    static let epoch = Date(timeIntervalSince1970: 1_800_000_000)

    static func problems(_ input: WebhookInput, _ targets: WebhookTargetRule = .publicOnly) -> [String: String] {
        do {
            _ = try input.validated(targets)
            return [:]
        } catch DomainError.invalid(let errors) {
            return Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
        } catch {
            return ["unexpected": "\(error)"]
        }
    }

    // MARK: - URLs

    @Test(arguments: ["https://crm.example.org/hooks/club", "https://93.184.216.34:8443/in", "https://[2606:4700::1111]/x"])
    func aPublicHTTPSAddressIsAccepted(_ url: String) throws {
        let valid = try WebhookInput(url: "  \(url) ", events: ["fix-item.struck"], description: "CRM").validated(.publicOnly)
        #expect(valid.url == url, "trimmed")
        #expect(valid.events == [.fixItemStruck])
    }

    @Test(
        arguments: [
            ("http://crm.example.org/hook", "https://"),
            ("ftp://crm.example.org/hook", "https://"),
            ("crm.example.org/hook", "https://"),
            ("https://user:pass@crm.example.org/hook", "user name or password"),
            ("https://crm.example.org/hook#part", "fragment"),
            ("https://crm.example.org/a b", "https://"),
            ("", "empty"),
        ]
    )
    func aURLThatIsNotPlainHTTPSIsRefusedNamingTheField(_ url: String, _ words: String) {
        let problems = Self.problems(WebhookInput(url: url, events: ["fix-item.struck"]))
        #expect(problems.keys.sorted() == ["url"])
        #expect(problems["url"]?.contains(words) == true, "\(url): \(problems)")
    }

    @Test(
        arguments: [
            ("https://127.0.0.1/hook", "loopback"), ("https://localhost:9000/hook", "loopback"), ("https://api.localhost/x", "loopback"),
            ("https://[::1]/hook", "loopback"), ("https://10.1.2.3/hook", "private"), ("https://172.20.0.1/hook", "private"),
            ("https://192.168.1.10/hook", "private"), ("https://169.254.169.254/latest/meta-data", "link-local"),
            ("https://[fe80::1]/hook", "link-local"), ("https://[fd12:3456::1]/hook", "unique-local"), ("https://0.0.0.0/hook", "unspecified"),
            ("https://[::]/hook", "unspecified"), ("https://224.0.0.1/hook", "multicast"), ("https://[ff02::1]/hook", "multicast"),
            ("https://[::ffff:127.0.0.1]/hook", "loopback"), ("https://[::ffff:10.0.0.1]/hook", "private"), ("https://100.64.0.1/x", "reserved"),
        ]
    )
    func aPrivateAddressIsRefusedUnlessAllowed(_ url: String, _ scope: String) throws {
        let problems = Self.problems(WebhookInput(url: url, events: ["fix-item.struck"]))
        #expect(problems["url"]?.contains("address") == true, "\(url): \(problems)")
        #expect(problems["url"]?.contains("a \(scope) address") == true, "\(url): \(problems)")
        let allowed = WebhookTargetRule(allowPrivateNetworks: true)
        #expect(Self.problems(WebhookInput(url: url, events: ["fix-item.struck"]), allowed) == [:], "\(url) when allowed")
    }

    @Test func plainHTTPIsOnlyForLoopbackAndOnlyWhenPrivateNetworksAreAllowed() {
        let allowed = WebhookTargetRule(allowPrivateNetworks: true)
        #expect(allowed.problem(with: "http://127.0.0.1:8080/hook") == nil)
        #expect(allowed.problem(with: "http://localhost:8080/hook") == nil)
        #expect(allowed.problem(with: "http://10.0.0.5/hook")?.contains("https://") == true, "a LAN is not loopback")
        #expect(allowed.problem(with: "http://crm.example.org/hook")?.contains("https://") == true)
        #expect(WebhookTargetRule.publicOnly.problem(with: "http://127.0.0.1:8080/hook")?.contains("https://") == true)
    }

    @Test func aNameIsLeftToTheDeliveryGuardButALiteralAddressIsJudgedAtOnce() {
        #expect(NetworkAddress.scope(ofHost: "crm.example.org") == nil, "resolved at delivery time")
        #expect(NetworkAddress.scope(ofHost: "8.8.8.8") == .global)
        #expect(NetworkAddress.scope(ofHost: "[2001:db8::1]") == .reserved, "documentation range")
        #expect(NetworkAddress.scope(ofAddress: "fe80::1%eth0") == .linkLocal, "a zone does not hide the scope")
        #expect(NetworkAddress.scope(ofAddress: "64:ff9b::a00:1") == .privateNetwork, "NAT64 of 10.0.0.1")
        #expect(NetworkAddress.scope(ofAddress: "not an address") == nil)
    }

    // MARK: - Events and description

    @Test func eventsMustBeKnownKindsAtLeastOneAndNoneTwice() {
        #expect(Self.problems(WebhookInput(url: "https://a.example.org/h", events: []))["events"] == "must name at least one event")
        let unknown = Self.problems(WebhookInput(url: "https://a.example.org/h", events: ["fix-item.struck", "fix-item.eaten"]))
        #expect(unknown.keys.sorted() == ["events[1]"])
        #expect(unknown["events[1]"]?.contains("fix-item.eaten") == true)
        let twice = Self.problems(WebhookInput(url: "https://a.example.org/h", events: ["complaint.filed", "complaint.filed"]))
        #expect(twice.keys.sorted() == ["events[1]"])
        let every = NotificationKind.allCases.map(\.rawValue)
        #expect(Self.problems(WebhookInput(url: "https://a.example.org/h", events: every)) == [:], "every kind may be asked for")
    }

    @Test func theDescriptionIsShort() {
        let long = String(repeating: "x", count: Limits.shortText + 1)
        #expect(
            Self.problems(WebhookInput(url: "https://a.example.org/h", events: ["digest.daily"], description: long)).keys.sorted() == ["description"]
        )
    }

    @Test func everyProblemIsReportedAtOnce() {
        let problems = Self.problems(WebhookInput(url: "http://10.0.0.1/h", events: ["nope"]))
        #expect(problems.keys.sorted() == ["events[0]", "url"])
    }

    // MARK: - The record

    @Test func aNewEndpointIsActiveAndItsRecordHasNoSecretField() throws {
        let valid = try WebhookInput(url: "https://a.example.org/h", events: ["complaint.filed"]).validated(.publicOnly)
        let webhook = Webhook(id: "whk_1", input: valid, createdAt: Self.epoch, createdBy: "Anna")
        #expect(webhook.status == .active && webhook.version == 1 && webhook.wants(.complaintFiled) && !webhook.wants(.fixItemStruck))
        let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(webhook)) as? [String: Any] ?? [:]
        #expect(!json.keys.contains { $0.lowercased().contains("secret") && $0 != "secretRotatedAt" }, "\(json.keys)")
    }

    @Test func disablingByHandStopsDeliveriesAndReEnablingForgetsTheFailures() throws {
        let valid = try WebhookInput(url: "https://a.example.org/h", events: ["complaint.filed"]).validated(.publicOnly)
        var webhook = Webhook(id: "whk_1", input: valid, createdAt: Self.epoch, createdBy: "Anna")
        webhook.failingSince = Self.epoch
        webhook.apply(try WebhookPatch(status: .disabled).validated(.publicOnly))
        #expect(webhook.status == .disabled && webhook.disabledReason == WebhookRules.disabledByCoordinator && !webhook.wants(.complaintFiled))
        webhook.apply(try WebhookPatch(description: "", status: .active).validated(.publicOnly))
        #expect(webhook.status == .active && webhook.disabledReason == nil && webhook.failingSince == nil && webhook.description == nil)
        #expect(webhook.version == 3)
        webhook.apply(try WebhookPatch(events: ["complaint.filed"], status: .active).validated(.publicOnly))
        #expect(webhook.version == 3, "an edit that changes nothing is no new version")
    }

    // MARK: - Retries and disabling

    @Test func theScheduleIsStandardWebhooksOwnAndCoversMoreThanADay() {
        let schedule = WebhookRetrySchedule.standard
        #expect(schedule.maxAttempts == 8)
        #expect(schedule.span >= 24 * 3600, "retried for at least 24 hours: \(schedule.span)")
        let waits = (1..<8).map { schedule.nextAttempt(after: $0, at: Self.epoch, random: 0.5)!.timeIntervalSince(Self.epoch) }
        #expect(waits == [5, 300, 1800, 7200, 18000, 36000, 36000])
        #expect(schedule.nextAttempt(after: 8, at: Self.epoch, random: 0.5) == nil, "spent after the eighth attempt")
    }

    @Test func jitterSpreadsEachWaitByAtMostATenth() {
        let schedule = WebhookRetrySchedule.standard
        let early = schedule.nextAttempt(after: 2, at: Self.epoch, random: 0)!.timeIntervalSince(Self.epoch)
        let late = schedule.nextAttempt(after: 2, at: Self.epoch, random: 0.999_999)!.timeIntervalSince(Self.epoch)
        #expect(early == 270)
        #expect(late > 329 && late <= 330)
        let spread = Set((0..<20).map { _ in schedule.nextAttempt(after: 3, at: Self.epoch, random: Double.random(in: 0..<1))! })
        #expect(spread.count > 1, "retries of many deliveries do not fall on one instant")
    }

    @Test func anEndpointIsDisabledAfterThreeDaysOfFailuresInARow() {
        let day: TimeInterval = 24 * 3600
        #expect(!WebhookRules.shouldDisable(failingSince: nil, now: Self.epoch), "not failing")
        #expect(!WebhookRules.shouldDisable(failingSince: Self.epoch, now: Self.epoch.addingTimeInterval(3 * day - 1)))
        #expect(WebhookRules.shouldDisable(failingSince: Self.epoch, now: Self.epoch.addingTimeInterval(3 * day)))
    }

    @Test func theLogKeepsTheFirstTwoHundredBytesOfAnAnswerWholeCharactersOnly() {
        #expect(WebhookAttempt.head(of: Array(String(repeating: "a", count: 500).utf8)).count == 200)
        let cyrillic = Array(String(repeating: "я", count: 150).utf8)  // 2 bytes each
        #expect(WebhookAttempt.head(of: cyrillic) == String(repeating: "я", count: 100))
        let odd = Array("x".utf8) + Array(String(repeating: "я", count: 150).utf8)
        #expect(WebhookAttempt.head(of: odd) == "x" + String(repeating: "я", count: 99), "a character cut in two is left out")
        #expect(WebhookAttempt(at: Self.epoch, statusCode: 204, durationMs: 1, responseHead: nil, error: nil).succeeded)
        #expect(!WebhookAttempt(at: Self.epoch, statusCode: 301, durationMs: 1, responseHead: nil, error: nil).succeeded)
        #expect(!WebhookAttempt(at: Self.epoch, statusCode: nil, durationMs: 1, responseHead: nil, error: "refused").succeeded)
    }
}
