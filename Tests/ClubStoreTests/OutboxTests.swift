import ClubCore
import ClubDemo
import Foundation
import GRDB
import Testing

@testable import ClubStore

/// The outbox (docs/design.md §10.1): each change that someone must act on writes its
/// notifications in its own transaction, to the people the club's rights name.
@Suite("The notification outbox")
struct OutboxTests {
    typealias Club = NoticesTests.Club

    /// (person id, kind) of every notification, in the order written.
    static func notified(_ database: AppDatabase) async throws -> [(person: String, kind: String)] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT personId, kind FROM notification ORDER BY rowid").map { ($0["personId"], $0["kind"]) }
        }
    }

    static func kinds(of person: Person, in database: AppDatabase) async throws -> [String] {
        try await database.notifications(of: person.id).map(\.kind.rawValue).reversed()
    }

    static func agreement(_ setup: Club) async throws -> Agreement {
        let day = setup.club.database.rules.today(at: setup.club.database.clock.now()).adding(days: 10)
        return try await setup.club.database.addAgreement(
            setup.engagementId,
            AgreementInput(what: "texts and photos", owner: .client, due: day, consequence: "the release moves"),
            by: head
        )
    }

    static func fixList(_ setup: Club, items: Int = 2) async throws -> FixListRecord {
        let due = setup.club.database.rules.today(at: setup.club.database.clock.now()).adding(days: 7)
        let inputs = (1...items).map { FixItemInput(statement: "Item \($0) works", acceptance: "seen working", due: due) }
        return try await setup.club.database.createFixList(setup.engagementId, FixListInput(items: inputs), by: head)
    }

    @Test func aReferralOfferedTellsTheStudiosPeopleOnlyAndNotTheCoordinatorWhoOffered() async throws {
        let setup = try await NoticesTests.club()
        let database = setup.club.database
        #expect(try await Self.kinds(of: setup.studio0, in: database).first == "referral.offered")
        #expect(try await Self.kinds(of: setup.studio1, in: database).first == "referral.offered")
        let offered = try await Self.notified(database).filter { $0.kind == "referral.offered" }.map(\.person)
        #expect(Set(offered) == [setup.studio0.id, setup.studio1.id])
        #expect(try await Self.kinds(of: setup.client, in: database).isEmpty)
    }

    @Test func anAgreementWaitsForEachSideOnceAndNotForTheSideThatConfirmed() async throws {
        let setup = try await NoticesTests.club()
        let database = setup.club.database
        let agreement = try await Self.agreement(setup)
        #expect(try await Self.kinds(of: setup.client, in: database) == ["agreement.awaiting-confirmation"])
        #expect(try await Self.kinds(of: setup.studio1, in: database).last == "agreement.awaiting-confirmation")
        // The studio that was not chosen is not a side of it.
        #expect(try await !Self.kinds(of: setup.studio0, in: database).contains("agreement.awaiting-confirmation"))
        _ = try await database.confirmAgreement(agreement.id, by: setup.client.principal)
        #expect(try await Self.notified(database).filter { $0.kind == "agreement.awaiting-confirmation" }.count == 2)
    }

    @Test func aDraftListIsAnnouncedOncePerRevisionNotOncePerItem() async throws {
        let setup = try await NoticesTests.club()
        let database = setup.club.database
        let record = try await Self.fixList(setup, items: 3)
        _ = try await database.addFixItem(
            record.list.id,
            FixItemInput(statement: "Item 4 works", acceptance: "seen", due: database.rules.today(at: database.clock.now()).adding(days: 9)),
            by: head
        )
        let waiting = try await Self.notified(database).filter { $0.kind == "fix-list.awaiting-confirmation" }
        #expect(Set(waiting.map(\.person)) == [setup.client.id, setup.studio1.id])
        #expect(waiting.count == 2)
        let rows = try await database.notifications(of: setup.client.id)
        #expect(rows.first?.entityType == "fix-list" && rows.first?.entityId == record.list.id)
        #expect(rows.first?.path == "/fix-lists/" + record.list.id)
    }

    @Test func aStruckItemTellsTheClientAndAReopenedOneTheStudio() async throws {
        let setup = try await NoticesTests.club()
        let database = setup.club.database
        let record = try await Self.fixList(setup)
        _ = try await database.confirmFixList(record.list.id, by: setup.client.principal)
        let agreed = try await database.confirmFixList(record.list.id, by: setup.studio1.principal)
        let item = try #require(agreed.items.first)
        _ = try await database.strikeFixItem(item.id, StrikeInput(note: "done"), by: setup.studio1.principal)
        #expect(try await Self.kinds(of: setup.client, in: database).last == "fix-item.struck")
        #expect(try await !Self.kinds(of: setup.studio1, in: database).contains("fix-item.struck"))
        let due = database.rules.today(at: database.clock.now()).adding(days: 3)
        _ = try await database.reopenFixItem(item.id, ReopenInput(reason: "still broken", due: due), by: setup.client.principal)
        #expect(try await Self.kinds(of: setup.studio1, in: database).last == "fix-item.reopened")
        #expect(try await !Self.kinds(of: setup.client, in: database).contains("fix-item.reopened"))
        #expect(try await !Self.kinds(of: setup.studio0, in: database).contains("fix-item.reopened"))
    }

    @Test func aComplaintTellsTheCoordinatorsAndTheStudioAndItsApprovedPlanTheClient() async throws {
        let setup = try await NoticesTests.club()
        let database = setup.club.database
        let complaint = try await database.createComplaint(
            setup.engagementId,
            ComplaintInput(channel: "email", summary: "late", demand: ComplaintDemand(kind: .refund, amount: 1000)),
            by: setup.client.principal
        )
        #expect(try await Self.kinds(of: setup.coordinator, in: database).last == "complaint.filed")
        #expect(try await Self.kinds(of: setup.studio1, in: database).last == "complaint.filed")
        #expect(try await !Self.kinds(of: setup.client, in: database).contains("complaint.filed"))
        let due = database.rules.today(at: database.clock.now()).adding(days: 3)
        _ = try await database.recordMeeting(
            complaint.id,
            MeetingInput(heldAt: database.clock.now(), mode: .inPerson, attendees: ["Oleg"], studiosPresent: false, facts: ["late"], emotions: []),
            by: head
        )
        _ = try await database.proposePlan(
            complaint.id,
            PlanInput(goals: ["release"], steps: [PlanInput.Step(action: "fix", owner: .studio, due: due)], followUps: [], updateEveryDays: 7),
            by: head
        )
        _ = try await database.approvePlan(complaint.id, by: head)
        #expect(try await Self.kinds(of: setup.client, in: database).last == "complaint.plan-approved")
        #expect(try await Self.kinds(of: setup.studio1, in: database).last == "complaint.plan-approved")
    }

    @Test func aChangeThatRollsBackRaisesNothing() async throws {
        let setup = try await NoticesTests.club()
        let database = setup.club.database
        let before = try await Self.notified(database).count
        // A strike on a draft list's item is refused: the transaction rolls back whole.
        let record = try await Self.fixList(setup)
        let afterList = try await Self.notified(database).count
        let item = try #require(record.items.first)
        await #expect(throws: (any Error).self) {
            _ = try await database.strikeFixItem(item.id, StrikeInput(note: "done"), by: setup.studio1.principal)
        }
        #expect(try await Self.notified(database).count == afterList)
        #expect(afterList > before)
        // And inside a transaction that throws after the change, nothing of it is left.
        let referral = setup.referrals[0]
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await database.writer.write { db in
                try Outbox.raise(
                    .referralDueSoon,
                    about: "referral",
                    id: referral.id,
                    engagementId: nil,
                    to: [.studio(referral.studioId)],
                    at: Date(),
                    in: db
                )
                throw Abort()
            }
        }
        #expect(try await Self.notified(database).count == afterList)
    }

    @Test func theAnswerDueSoonIsRaisedOnceAndTheExpiryTellsTheOldStudioTheNextAndTheCoordinators() async throws {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"], ["landing", "context_ads"]])
        let database = club.database
        func person(_ email: String, _ role: Role, studioId: String? = nil) async throws -> Person {
            try await database.createPerson(PersonInput(email: email, name: email, role: role, studioId: studioId), by: head).person
        }
        let first = try await person("pm@zero.example", .studio, studioId: club.studios[0])
        let next = try await person("pm@one.example", .studio, studioId: club.studios[1])
        let anna = try await person("anna@club.example", .coordinator)
        _ = try await database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let referral = try await database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[0]]), by: head)[0]
        let clock = try #require(database.clock as? ManualClock)
        let untilDue = referral.dueAt.timeIntervalSince(clock.now())
        clock.advance(by: untilDue - 6 * 3600 - 60)
        #expect(try await database.raiseTimedNotifications() == 0)
        clock.advance(by: 120)
        #expect(try await database.raiseTimedNotifications() == 1)
        #expect(try await database.raiseTimedNotifications() == 0)
        #expect(try await Self.kinds(of: first, in: database) == ["referral.offered", "referral.due-soon"])
        #expect(try await Self.kinds(of: next, in: database).isEmpty)
        // Past the deadline the referral expires and the request goes to the next studio.
        clock.advance(by: 7 * 3600)
        #expect(try await database.expireOverdueReferrals() == 1)
        #expect(try await Self.kinds(of: first, in: database).last == "referral.expired")
        #expect(try await Self.kinds(of: anna, in: database) == ["referral.expired"])
        #expect(try await Self.kinds(of: next, in: database) == ["referral.offered"])
    }

    @Test func anOverdueAgreementTellsTheCoordinatorsAndTheSideThatOwesIt() async throws {
        let setup = try await NoticesTests.club()
        let database = setup.club.database
        _ = try await Self.agreement(setup)
        let clock = try #require(database.clock as? ManualClock)
        #expect(try await database.raiseTimedNotifications() == 0)
        clock.advance(by: 12 * 24 * 3600)
        #expect(try await database.raiseTimedNotifications() == 1)
        #expect(try await Self.kinds(of: setup.coordinator, in: database).last == "agreement.overdue")
        #expect(try await Self.kinds(of: setup.client, in: database).last == "agreement.overdue")
        #expect(try await !Self.kinds(of: setup.studio1, in: database).contains("agreement.overdue"))
        #expect(try await database.raiseTimedNotifications() == 0)
    }

    @Test func choicesDecideTheMailAndNotTheNotification() async throws {
        let setup = try await NoticesTests.club()
        let database = setup.club.database
        try await database.setNotificationChoices(
            [.fixItemStruck: .never, .agreementAwaitingConfirmation: .digest],
            of: setup.client.id,
            by: setup.client.principal
        )
        await #expect(throws: DomainError.self) {
            try await database.setNotificationChoices([.fixItemStruck: .immediately], of: setup.client.id, by: head)
        }
        _ = try await Self.agreement(setup)
        let record = try await Self.fixList(setup)
        _ = try await database.confirmFixList(record.list.id, by: setup.client.principal)
        let agreed = try await database.confirmFixList(record.list.id, by: setup.studio1.principal)
        _ = try await database.strikeFixItem(try #require(agreed.items.first).id, StrikeInput(note: "done"), by: setup.studio1.principal)
        let byKind = Dictionary(uniqueKeysWithValues: try await database.notifications(of: setup.client.id).map { ($0.kind, $0.mailStatus) })
        #expect(byKind[.fixItemStruck] == .skipped)
        #expect(byKind[.agreementAwaitingConfirmation] == .held)
        #expect(byKind[.fixListAwaitingConfirmation] == .pending)
        let due = try await database.dueMail().filter { $0.recipient.personId == setup.client.id }.map(\.notification.kind)
        #expect(due == [.fixListAwaitingConfirmation])
    }

    @Test func theDailyDigestIsMadeOnceADayAtTheHourAndGathersWhatWasKept() async throws {
        let setup = try await NoticesTests.club()
        let database = setup.club.database
        try await database.setNotificationChoices([.agreementAwaitingConfirmation: .digest], of: setup.client.id, by: setup.client.principal)
        _ = try await Self.agreement(setup)
        let clock = try #require(database.clock as? ManualClock)
        // Move to 06:00 UTC of the next day (the people live on UTC here).
        let zone = TimeZone.gmt
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let startOfDay = calendar.startOfDay(for: clock.now())
        clock.advance(by: startOfDay.addingTimeInterval(30 * 3600).timeIntervalSince(clock.now()))
        #expect(try await database.raiseDueDigests(hour: 8) == 0)
        clock.advance(by: 2 * 3600)
        #expect(try await database.raiseDueDigests(hour: 8) == 2)
        #expect(try await database.raiseDueDigests(hour: 8) == 0)
        let digests = try await database.dueMail(limit: 100).filter { $0.notification.kind == .dailyDigest }
        let byPerson = Dictionary(uniqueKeysWithValues: digests.map { ($0.recipient.personId, $0) })
        #expect(Set(byPerson.keys) == [setup.coordinator.id, setup.client.id])
        let coordinators = try await database.digestContents(try #require(byPerson[setup.coordinator.id]))
        #expect(coordinators.followUps != nil && coordinators.notifications.isEmpty)
        let clients = try await database.digestContents(try #require(byPerson[setup.client.id]))
        #expect(clients.notifications.map(\.kind) == [.agreementAwaitingConfirmation])
        #expect(clients.followUps == nil)
        #expect(try await database.notifications(of: setup.client.id).first { $0.kind == .agreementAwaitingConfirmation }?.mailStatus == .digested)
        // The next day's digest carries nothing already carried.
        clock.advance(by: 24 * 3600)
        #expect(try await database.raiseDueDigests(hour: 8) == 1)
    }

    @Test func mailRetriesBackOffAndARefusalIsKeptForTheCoordinators() async throws {
        let setup = try await NoticesTests.club()
        let database = setup.club.database
        let mail = try #require(try await database.dueMail().first)
        try await database.markMailRetry(mail.notification.id, error: "connection refused")
        #expect(try await !database.dueMail().contains { $0.notification.id == mail.notification.id })
        let clock = try #require(database.clock as? ManualClock)
        clock.advance(by: 70)
        #expect(try await database.dueMail().contains { $0.notification.id == mail.notification.id })
        try await database.markMailFailed(mail.notification.id, reply: "550 5.1.1 no such user")
        let failed = try await database.failedMail(for: setup.coordinator.principal)
        #expect(failed.map(\.notification.lastError) == ["550 5.1.1 no such user"])
        await #expect(throws: DomainError.self) { _ = try await database.failedMail(for: setup.client.principal) }
    }

    @Test func anUnsubscribeLinkStopsOneKindForItsPersonAndAForgedOneNothing() async throws {
        let setup = try await NoticesTests.club()
        let database = setup.club.database
        let token = try await database.unsubscribeToken(personId: setup.client.id, kind: .fixItemStruck)
        #expect(try await database.unsubscribeToken(personId: setup.client.id, kind: .fixItemStruck) == token)
        let forged = token.replacingOccurrences(of: "fix-item.struck", with: "fix-list.awaiting-confirmation")
        #expect(try await database.unsubscribe(forged) == nil)
        let tampered = String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0")
        #expect(try await database.unsubscribe(tampered) == nil)
        let target = try #require(try await database.unsubscribe(token))
        #expect(target.person.id == setup.client.id && target.kind == .fixItemStruck)
        let choices = try await database.notificationChoices(of: setup.client.id)
        #expect(choices[.fixItemStruck] == .never)
        #expect(choices[.fixListAwaitingConfirmation] == .immediately)
    }

    /// The reference case's audit letter and consulting session, replayed through the outbox once
    /// people are bound to the parties: each reaches exactly the parties the rules name.
    @Test func theAuditLetterReachesClientAndStudioAndTheSessionTheClient() async throws {
        let (database, summary) = try await CaseFileTests.demo()
        let (audit, session) = try await database.writer.read { db in
            (
                try #require(
                    try Row.fetchOne(db, sql: "SELECT studioId, clientId FROM audit WHERE id = ?", arguments: [summary.auditId])
                        .map { (studioId: $0["studioId"] as String, clientId: $0["clientId"] as String) }
                ),
                try #require(try String.fetchOne(db, sql: "SELECT id FROM consultingSession ORDER BY rowid LIMIT 1"))
            )
        }
        let (studioId, clientId) = audit
        let studio = try await database.createPerson(PersonInput(email: "pm@ads.example", name: "PM", role: .studio, studioId: studioId), by: head)
            .person
        let client = try await database.createPerson(
            PersonInput(email: "oleg@yacht.example", name: "Oleg", role: .client, clientId: clientId),
            by: head
        )
        .person
        try await database.writer.write { db in
            for (entityType, id, action) in [("audit", summary.auditId, "answered"), ("consulting-session", session, "created")] {
                let event = JournalEvent(
                    seq: 0,
                    id: "evt_replay",
                    at: Date(timeIntervalSince1970: 1_800_000_000),
                    actor: head.actor,
                    entityType: entityType,
                    entityId: id,
                    action: action,
                    before: "{}",
                    after: "{}",
                    previousHash: "",
                    hash: ""
                )
                try Outbox.journaled(event, in: db)
            }
        }
        #expect(try await Self.kinds(of: studio, in: database) == ["audit.letter-ready"])
        #expect(try await Self.kinds(of: client, in: database) == ["audit.letter-ready", "consulting.scheduled"])
        let letter = try #require(try await database.notifications(of: client.id).last)
        #expect(letter.path == "/audits/" + summary.auditId && letter.engagementId != nil)
    }

    /// A coordinator's own record and choices in one request stand or fall together.
    @Test func aRecordChangeAndChoicesAreOneTransaction() async throws {
        let setup = try await NoticesTests.club()
        let database = setup.club.database
        let anna = setup.coordinator
        let renamed = try await database.updatePerson(
            anna.id,
            PersonPatch(name: "Anna K."),
            choices: [.dailyDigest: .never],
            ifVersion: nil,
            by: anna.principal
        )
        #expect(renamed.name == "Anna K.")
        #expect(try await database.notificationChoices(of: anna.id)[.dailyDigest] == .never)
        // A time zone the record refuses: the choices of the same request are not kept either.
        await #expect(throws: (any Error).self) {
            _ = try await database.updatePerson(
                anna.id,
                PersonPatch(timeZone: "Mars/Olympus"),
                choices: [.complaintFiled: .never],
                ifVersion: nil,
                by: anna.principal
            )
        }
        #expect(try await database.notificationChoices(of: anna.id)[.complaintFiled] == .immediately)
        // Nobody else's choices, even a coordinator's.
        await #expect(throws: DomainError.self) {
            _ = try await database.updatePerson(setup.client.id, PersonPatch(), choices: [.fixItemStruck: .never], ifVersion: nil, by: anna.principal)
        }
    }
}
