import ClubCore
import ClubNotify
import Foundation
import GRDB
import Logging
import Testing

@testable import ClubStore

/// Webhook deliveries against a real HTTPS receiver on loopback (`Scripts/lib/webhook_receiver.py`),
/// which verifies every signature with its own few lines of Python written from the Standard
/// Webhooks specification (docs/design.md §10). The store's clock is a `ManualClock`: the tests
/// move it to the next retry and never sleep.
@Suite("Webhook delivery", .serialized)
struct WebhookDeliveryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let linkBase = "https://club.example.org"

    /// A fresh club with one endpoint registered at a fresh receiver.
    struct Setup {
        let database: AppDatabase
        let clock: ManualClock
        let receiver: Receiver
        let webhook: Webhook
        let secret: String

        func service(allowPrivateNetworks: Bool = true) -> WebhookDeliveryService {
            let settings = WebhookSettings(allowPrivateNetworks: allowPrivateNetworks, caFile: receiver.certificate, timeout: .seconds(10))
            return WebhookDeliveryService(
                database: database,
                settings: settings,
                logger: Logger(label: "test"),
                linkBase: WebhookDeliveryTests.linkBase
            )
        }

        /// Raises an event the way the outbox does inside a change's transaction.
        func raise(_ id: String, _ kind: NotificationKind = .fixItemStruck) async throws {
            let event = OutboxEvent(
                id: id,
                kind: kind,
                entityType: "fix-item",
                entityId: "fit_1",
                engagementId: "eng_1",
                path: "/fix-items/fit_1",
                at: clock.now()
            )
            try await database.writer.write { db in try WebhookOutbox.enqueue(event, in: db) }
        }

        func deliveries() async throws -> [WebhookDelivery] {
            try await database.webhookDeliveries(of: webhook.id, page: PageRequest(limit: 200), for: .system).items
        }
    }

    static func setUp(_ arguments: [String] = [], events: [String] = ["fix-item.struck"]) async throws -> Setup {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-webhooks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let clock = ManualClock(SystemClock().now())
        let database = try AppDatabase(path: folder.appendingPathComponent("clubd.sqlite").path, clock: clock)
        let receiver = try await Receiver.start(in: folder, arguments)
        let input = WebhookInput(url: "https://127.0.0.1:\(receiver.port)/hooks/club", events: events, description: "test receiver")
        let registered = try await database.registerWebhook(input, targets: WebhookTargetRule(allowPrivateNetworks: true), by: .system)
        try receiver.trust(secrets: [registered.secret])
        return Setup(database: database, clock: clock, receiver: receiver, webhook: registered.webhook, secret: registered.secret)
    }

    // MARK: - Signing

    @Test func theSignatureMatchesStandardWebhooksOwnExample() throws {
        // The example of the specification's reference libraries.
        let signature = try WebhookSigner.signature(
            messageId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp: 1_614_265_330,
            body: Array(#"{"test": 2432232314}"#.utf8),
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        )
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(throws: WebhookSigner.Failure.unreadableSecret) {
            try WebhookSigner.signature(messageId: "m", timestamp: 1, body: [], secret: "whsec_!!!")
        }
    }

    // MARK: - Delivery

    @Test func aDeliveryIsVerifiedByAnIndependentReceiverAndLogged() async throws {
        let setup = try await Self.setUp()
        defer { setup.receiver.stop() }
        try await setup.raise("msg_first")
        try await setup.raise("msg_first")  // the same event twice is one delivery
        #expect(try await setup.service().pass() == 1)

        let records = try setup.receiver.records()
        try #require(records.count == 1, "\(records)")
        let record = records[0]
        #expect(record["verified"] as? Bool == true, "\(record["reason"] ?? "")")
        #expect(record["id"] as? String == "msg_first" && record["status"] as? Int == 200)
        #expect(record["path"] as? String == "/hooks/club" && record["contentType"] as? String == "application/json")
        let body = try #require(record["body"] as? [String: Any])
        #expect(body["type"] as? String == "fix-item.struck")
        #expect((body["timestamp"] as? String).flatMap(RFC3339.date(from:)) != nil)
        let data = try #require(body["data"] as? [String: Any])
        #expect(data["object"] as? String == "fix-item" && data["id"] as? String == "fit_1" && data["engagementId"] as? String == "eng_1")
        #expect(data["url"] as? String == "https://club.example.org/fix-items/fit_1")
        let raw = try #require(record["raw"] as? String)
        #expect(!raw.contains("whsec_") && !raw.contains("shr_") && !raw.contains(setup.secret.dropFirst(6)))

        let delivery = try #require(try await setup.deliveries().first)
        #expect(delivery.status == .delivered && delivery.messageId == "msg_first" && delivery.attemptCount == 1)
        #expect(delivery.attempts.map(\.statusCode) == [200])
        let head = try #require(delivery.attempts.first?.responseHead)
        #expect(head.hasPrefix(#"{"received": "msg_first""#) && head.utf8.count == 200, "the first 200 bytes of a longer answer")
    }

    @Test func aReceiverFailingThreeTimesGetsTheSameMessageFourTimesAndTheLogShowsEach() async throws {
        let setup = try await Self.setUp(["--fail", "3"])
        defer { setup.receiver.stop() }
        try await setup.raise("msg_retried")
        let service = setup.service()
        #expect(try await service.pass() == 1)
        // Each retry is due by the schedule (5 s, 5 min, 30 min, ±10 %), not before.
        for wait: TimeInterval in [5.5, 330, 1980] {
            #expect(try await service.pass() == 0, "nothing is due before the wait")
            setup.clock.advance(by: wait)
            #expect(try await service.pass() == 1)
        }
        let records = try setup.receiver.records()
        #expect(records.map { $0["id"] as? String } == Array(repeating: "msg_retried", count: 4))
        #expect(records.map { $0["status"] as? Int } == [500, 500, 500, 200])
        #expect(records.allSatisfy { $0["verified"] as? Bool == true }, "every attempt is signed afresh and verifies")
        #expect(Set(records.compactMap { $0["raw"] as? String }).count == 1, "the very same body every time")

        let delivery = try #require(try await setup.deliveries().first)
        #expect(delivery.status == .delivered && delivery.attemptCount == 4 && delivery.nextAttemptAt == nil)
        #expect(delivery.attempts.map(\.statusCode) == [500, 500, 500, 200])
        #expect(delivery.attempts.allSatisfy { $0.durationMs >= 0 && ($0.responseHead?.utf8.count ?? 0) == 200 && $0.error == nil })
        #expect(delivery.attempts.map(\.at) == delivery.attempts.map(\.at).sorted())
        let webhook = try await setup.database.webhook(setup.webhook.id, for: .system)
        #expect(webhook.failingSince == nil && webhook.status == .active, "a success ends the run of failures")
    }

    @Test func aRedeliveryIsTheSameMessageAgain() async throws {
        let setup = try await Self.setUp()
        defer { setup.receiver.stop() }
        try await setup.raise("msg_again")
        try await setup.service().pass()
        let delivered = try #require(try await setup.deliveries().first)
        let redelivered = try await setup.database.redeliverWebhook(delivered.id, by: .system)
        #expect(redelivered.status == .pending && redelivered.messageId == "msg_again")
        #expect(try await setup.service().pass() == 1)
        let records = try setup.receiver.records()
        #expect(records.map { $0["id"] as? String } == ["msg_again", "msg_again"])
        #expect(records.map { $0["duplicate"] as? Bool } == [false, true], "the receiver drops it by webhook-id")
        #expect(records[0]["raw"] as? String == records[1]["raw"] as? String)
        let after = try #require(try await setup.deliveries().first)
        #expect(after.status == .delivered && after.attempts.count == 2)
        await #expect(throws: DomainError.notFound(entity: "webhook delivery", id: "whd_nope")) {
            try await setup.database.redeliverWebhook("whd_nope", by: .system)
        }
    }

    @Test func aRotatedSecretSignsAlongsideTheOldDuringTheOverlap() async throws {
        let setup = try await Self.setUp()
        defer { setup.receiver.stop() }
        let rotated = try await setup.database.rotateWebhookSecret(setup.webhook.id, by: .system)
        #expect(rotated.secret != setup.secret && rotated.previousSecretUntil == setup.clock.now().addingTimeInterval(24 * 3600))
        // The receiver still knows only the old secret: the old signature verifies it.
        try await setup.raise("msg_during_overlap")
        try await setup.service().pass()
        // After the overlap only the new secret signs: a receiver with the old one refuses it.
        setup.clock.advance(by: 24 * 3600 + 1)
        try await setup.raise("msg_after_overlap")
        try await setup.service().pass()
        try setup.receiver.trust(secrets: [rotated.secret])
        setup.clock.advance(by: 6)
        try await setup.service().pass()
        let records = try setup.receiver.records()
        #expect(records.map { $0["id"] as? String } == ["msg_during_overlap", "msg_after_overlap", "msg_after_overlap"])
        #expect(records.map { $0["verified"] as? Bool } == [true, false, true])
        #expect((records[0]["signature"] as? String)?.split(separator: " ").count == 2, "two signatures during the overlap")
        #expect((records[2]["signature"] as? String)?.split(separator: " ").count == 1)
    }

    @Test func anEndpointFailingForThreeDaysIsDisabledAndTheCoordinatorsAreTold() async throws {
        let setup = try await Self.setUp(["--fail", "1000"])
        defer { setup.receiver.stop() }
        _ = try await setup.database.createPerson(PersonInput(email: "anna@example.org", name: "Anna", role: .coordinator), by: .system)
        let watcher = try await setup.database.registerWebhook(
            WebhookInput(url: "https://chat.example.org/club", events: ["webhook.disabled"]),
            targets: .publicOnly,
            by: .system
        )
        try await setup.raise("msg_doomed")
        let service = setup.service()
        try await service.pass()
        let start = try await setup.database.webhook(setup.webhook.id, for: .system)
        let failingFor = try #require(start.failingSince.map { setup.clock.now().timeIntervalSince($0) })
        #expect(start.status == .active && abs(failingFor) < 0.001, "failing since the first attempt")
        setup.clock.advance(by: 2 * 24 * 3600)
        try await service.pass()
        #expect(try await setup.database.webhook(setup.webhook.id, for: .system).status == .active, "two days are not three")
        setup.clock.advance(by: 24 * 3600 + 1)
        try await service.pass()

        let disabled = try await setup.database.webhook(setup.webhook.id, for: .system)
        #expect(disabled.status == .disabled && disabled.disabledReason == WebhookRules.disabledAfterFailures)
        #expect(setup.receiver.recordCount() == 3)
        let told = try await setup.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT kind FROM notification WHERE entityId = ?", arguments: [setup.webhook.id])
        }
        #expect(told == ["webhook.disabled"], "the coordinator is told")
        let watcherDeliveries = try await setup.database.webhookDeliveries(of: watcher.webhook.id, page: PageRequest(), for: .system).items
        #expect(watcherDeliveries.map(\.eventType) == [.webhookDisabled] && watcherDeliveries.first?.entityId == setup.webhook.id)
        let journal = try await setup.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT action FROM journal WHERE entityId = ? ORDER BY seq", arguments: [setup.webhook.id])
        }
        #expect(journal == ["created", "failing", "disabled"])
        // Disabled: nothing more is queued for it or sent to it.
        try await setup.raise("msg_after_disabling")
        setup.clock.advance(by: 24 * 3600)
        try await service.pass()
        #expect(setup.receiver.recordCount() == 3)
        #expect(try await setup.deliveries().map(\.messageId) == ["msg_doomed"])
    }

    @Test func aNameIsResolvedCheckedAndConnectedToWhileTLSStillVerifiesTheName() async throws {
        let setup = try await Self.setUp()
        defer { setup.receiver.stop() }
        let patch = WebhookPatch(url: "https://localhost:\(setup.receiver.port)/hooks/club")
        _ = try await setup.database.updateWebhook(setup.webhook.id, patch, ifVersion: nil, targets: .init(allowPrivateNetworks: true), by: .system)
        try await setup.raise("msg_by_name")
        try await setup.service().pass()
        let records = try setup.receiver.records()
        #expect(records.map { $0["id"] as? String } == ["msg_by_name"] && records.first?["verified"] as? Bool == true)
        #expect(try await setup.deliveries().first?.status == .delivered)
    }

    // MARK: - Server-side request forgery

    @Test func theGuardRefusesLoopbackUnlessPrivateNetworksAreAllowed() async throws {
        let setup = try await Self.setUp()
        defer { setup.receiver.stop() }
        try await setup.raise("msg_refused")
        #expect(try await setup.service(allowPrivateNetworks: false).pass() == 1)
        #expect(setup.receiver.recordCount() == 0, "nothing reached the receiver")
        let attempt = try #require(try await setup.deliveries().first?.attempts.first)
        #expect(attempt.statusCode == nil && attempt.error?.contains("loopback") == true, "\(attempt)")

        // A name is refused after DNS: `localhost` resolves to a loopback address.
        await #expect(throws: WebhookAddressGuard.Refusal.self) {
            try await WebhookAddressGuard(allowPrivateNetworks: false).address(for: "localhost")
        }
        let allowed = try await WebhookAddressGuard(allowPrivateNetworks: true).address(for: "localhost")
        #expect(NetworkAddress.scope(ofAddress: allowed) == .loopback)
        await #expect(throws: WebhookAddressGuard.Refusal.self) {
            try await WebhookAddressGuard(allowPrivateNetworks: false).address(for: "[::1]")
        }
    }
}

/// `Scripts/lib/webhook_receiver.py`, started on an ephemeral port with a certificate made by openssl.
struct Receiver: Sendable {
    let process: Process
    let port: Int
    let certificate: String
    let log: URL
    let secretsFile: URL

    static func start(in folder: URL, _ arguments: [String]) async throws -> Receiver {
        let script = WebhookDeliveryTests.root.appendingPathComponent("Scripts/lib/webhook_receiver.py").path
        let made = try await run(["python3", script, "make-cert", folder.path]).split(separator: "\n").map(String.init)
        try #require(made.count == 2, "openssl made no certificate")
        let log = folder.appendingPathComponent("receiver.jsonl")
        let secretsFile = folder.appendingPathComponent("secrets.txt")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--cert", made[0], "--key", made[1], "--log", log.path, "--secrets", secretsFile.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let handle = output.fileHandleForReading
        // A thread of its own: a detached task would still hold one of the cooperative pool's few threads.
        let line = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: handle.readLine()) }
        }
        guard let line, line.hasPrefix("port "), let port = Int(line.dropFirst(5)) else {
            process.terminate()
            throw ReceiverError(description: "the receiver did not start: \(line ?? "no output")")
        }
        return Receiver(process: process, port: port, certificate: made[0], log: log, secretsFile: secretsFile)
    }

    func trust(secrets: [String]) throws {
        try (secrets.joined(separator: "\n") + "\n").write(to: secretsFile, atomically: true, encoding: .utf8)
    }

    func records() throws -> [[String: Any]] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }
    }

    func recordCount() -> Int { (try? records().count) ?? 0 }

    /// SIGKILL: a child of the test runner may inherit a mask that blocks SIGTERM.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    static func run(_ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: data)
            }
        }
        return String(decoding: data, as: UTF8.self)
    }
}

struct ReceiverError: Error, CustomStringConvertible {
    let description: String
}

extension FileHandle {
    /// One line of output, read a byte at a time so nothing after it is swallowed.
    func readLine() -> String? {
        var bytes: [UInt8] = []
        while true {
            let data = readData(ofLength: 1)
            guard let byte = data.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}
