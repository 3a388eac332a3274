import ClubCore
import Foundation
import GRDB
import Logging
import Testing

@testable import ClubNotify
@testable import ClubStore

/// The mail service over the outbox and a real SMTP server on loopback (docs/design.md §10.3):
/// accepted mail is marked sent, a refusal kept with the relay's answer, a failure retried later.
@Suite("Mail delivery from the outbox", .serialized)
struct MailDeliveryServiceTests {
    static let head = Principal(tokenId: "tok_h", name: "Maria", role: .coordinator, isHead: true)

    /// A store with one coordinator and one notification pending for them.
    static func outbox() async throws -> (AppDatabase, ManualClock, String) {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let database = try AppDatabase.inMemory(clock: clock)
        _ = try await database.createPerson(
            PersonInput(email: "anna@club.example", name: "Anna", role: .coordinator, language: .ru),
            by: head
        )
        _ = try await database.writer.write { db in
            try Outbox.raise(.complaintFiled, about: "complaint", id: "cmp_1", engagementId: nil, to: [.coordinators], at: clock.now(), in: db)
        }
        let id = try #require(try await database.dueMail().first?.notification.id)
        return (database, clock, id)
    }

    static func service(_ database: AppDatabase, port: Int) throws -> MailDeliveryService {
        let relay = try SMTPClientTests.relay(port: port)
        return MailDeliveryService(
            database: database,
            transport: SMTPClient(relay: relay, logger: Logger(label: "clubd-mail-test")),
            composer: MailComposer(from: relay.from) { "https://club.example" },
            interval: .seconds(1),
            logger: Logger(label: "clubd-mail-test")
        )
    }

    static func status(_ id: String, in database: AppDatabase) async throws -> NotificationRecord? {
        try await database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM notification WHERE id = ?", arguments: [id]).map(NotificationRecord.init(row:))
        }
    }

    @Test func anAcceptedMessageIsMarkedSentAndNotSentAgain() async throws {
        let (database, _, id) = try await Self.outbox()
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let service = try Self.service(database, port: sink.port)
        #expect(try await service.pass() == 1)
        #expect(try await Self.status(id, in: database)?.mailStatus == .sent)
        #expect(try await service.pass() == 0)
        #expect(sink.receivedCount == 1)
        let mail = try sink.received(1)
        #expect(mail.header("Content-Language") == ["ru"])
        #expect(mail.header("Message-ID") == ["<\(id)@club.example>"])
    }

    @Test func aPermanentRefusalIsKeptWithTheRelaysAnswerForTheCoordinators() async throws {
        let (database, _, id) = try await Self.outbox()
        let sink = try await SMTPSink.start(["--refuse-rcpt", "550"])
        defer { sink.stop() }
        #expect(try await Self.service(database, port: sink.port).pass() == 1)
        let record = try #require(try await Self.status(id, in: database))
        #expect(record.mailStatus == .failed)
        #expect(record.lastError == "550 5.1.1 <anna@club.example>: no such mailbox here")
        #expect(try await database.failedMail(for: Self.head).map(\.notification.id) == [id])
    }

    @Test func aRelayThatIsDownIsTriedAgainAfterABackoffOnTheStoresClock() async throws {
        let (database, clock, id) = try await Self.outbox()
        // A port just freed: nobody listens there.
        let sink = try await SMTPSink.start()
        let port = sink.port
        sink.stop()
        let service = try Self.service(database, port: port)
        #expect(try await service.pass() == 1)
        let record = try #require(try await Self.status(id, in: database))
        #expect(record.mailStatus == .pending && record.attempts == 1 && record.lastError != nil)
        #expect(try await service.pass() == 0)
        clock.advance(by: 70)
        #expect(try await database.dueMail().map(\.notification.id) == [id])
    }

    @Test func aRefusedLoginIsTheRelaysSettingsAndIsRetriedNotFailed() {
        #expect(MailDeliveryService.isRelayConfiguration(535))
        #expect(MailDeliveryService.isRelayConfiguration(530))
        #expect(!MailDeliveryService.isRelayConfiguration(550))
        #expect(!MailDeliveryService.isRelayConfiguration(554))
    }
}
