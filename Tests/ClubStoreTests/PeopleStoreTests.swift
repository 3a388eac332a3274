import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

/// People, invitations, passwords and sessions in the store (DESIGN §9).
@Suite("People in the store")
struct PeopleStoreTests {
    static let password = "a long walk by the Neva"

    static func anna(_ email: String = "Anna@Example.org") -> PersonInput {
        PersonInput(email: email, name: "Anna Petrova", role: .coordinator)
    }

    /// Every text the journal holds, before and after.
    static func journalText(_ database: AppDatabase) async throws -> String {
        try await database.writer.read { db in
            try (String.fetchAll(db, sql: "SELECT before FROM journal") + String.fetchAll(db, sql: "SELECT after FROM journal")).joined(
                separator: "\n"
            )
        }
    }

    static func events(_ database: AppDatabase, of person: Person) async throws -> [JournalEvent] {
        try await database.journal(entityType: "person", entityId: person.id, page: PageRequest(), for: head).items
    }

    // MARK: - People

    @Test func aPersonIsCreatedWithAnInvitationStoredOnlyAsItsHash() async throws {
        let test = try TestDatabase()
        let database = try test.open()
        let invited = try await database.createPerson(Self.anna(), by: coordinator)
        #expect(invited.person.id.hasPrefix("per_"))
        #expect(invited.person.email == "anna@example.org")
        #expect(invited.token.hasPrefix("inv_") && invited.token.count == 4 + 43, "256 bits in base64url")
        #expect(invited.expiresAt == test.clock.now().addingTimeInterval(7 * 24 * 3600))
        #expect(invited.person.invitationExpiresAt == invited.expiresAt)
        let stored = try await database.writer.read { db in try String.fetchAll(db, sql: "SELECT tokenHash FROM invitation") }
        #expect(stored == [TokenSecret.hash(invited.token)])
        #expect(try await Self.events(database, of: invited.person).map(\.action) == ["created"])
        #expect(!(try await Self.journalText(database)).contains(invited.token), "the journal never holds a secret")
        #expect(try await database.person(invited.person.id, for: coordinator) == invited.person)
        #expect(try await database.people(page: PageRequest(), for: coordinator).items.map(\.id) == [invited.person.id])
    }

    @Test func anEmailAddressBelongsToOnePersonWhateverItsCase() async throws {
        let database = try TestDatabase().open()
        let anna = try await database.createPerson(Self.anna(), by: coordinator).person
        await #expect(throws: DomainError.invalid("email", "another person already has this e-mail address")) {
            try await database.createPerson(Self.anna("ANNA@example.ORG"), by: coordinator)
        }
        let boris = try await database.createPerson(PersonInput(email: "boris@example.org", name: "Boris", role: .coordinator), by: coordinator)
        await #expect(throws: DomainError.invalid("email", "another person already has this e-mail address")) {
            try await database.updatePerson(boris.person.id, PersonPatch(email: "anna@EXAMPLE.org"), ifVersion: nil, by: coordinator)
        }
        // Her own address again, in another case, is no conflict.
        let same = try await database.updatePerson(anna.id, PersonPatch(email: "ANNA@example.org"), ifVersion: nil, by: coordinator)
        #expect(same.version == anna.version)
    }

    @Test func aStudiosPersonNamesAStudioThatExists() async throws {
        let database = try TestDatabase().open()
        let input = PersonInput(email: "pavel@pixel.example", name: "Pavel", role: .studio, studioId: "stu_nope")
        await #expect(throws: DomainError.invalid("studioId", "no studio has id 'stu_nope'")) {
            try await database.createPerson(input, by: coordinator)
        }
        let studio = try await database.createStudio(pixelHands(), by: head)
        let pavel = PersonInput(email: "pavel@pixel.example", name: "Pavel", role: .studio, studioId: studio.id)
        #expect(try await database.createPerson(pavel, by: coordinator).person.studioId == studio.id)
    }

    @Test func onlyCoordinatorsKeepPeopleAndOnlyTheHeadKeepsHeads() async throws {
        let database = try TestDatabase().open()
        let studio = Principal(tokenId: "tok_s", name: "Pixel Hands", role: .studio, studioId: "stu_1")
        await #expect(throws: DomainError.forbidden("only a coordinator may invite people")) {
            try await database.createPerson(Self.anna(), by: studio)
        }
        await #expect(throws: DomainError.forbidden("only a coordinator may list people")) {
            try await database.people(page: PageRequest(), for: studio)
        }
        let maria = PersonInput(email: "maria@example.org", name: "Maria", role: .coordinator, head: true)
        let refusal = DomainError.forbidden("only the head coordinator may create or change a head coordinator")
        await #expect(throws: refusal) { try await database.createPerson(maria, by: coordinator) }
        let created = try await database.createPerson(maria, by: head).person
        await #expect(throws: refusal) { try await database.updatePerson(created.id, PersonPatch(name: "M"), ifVersion: nil, by: coordinator) }
        await #expect(throws: refusal) { try await database.invitePerson(created.id, by: coordinator) }
        await #expect(throws: refusal) { try await database.deactivatePerson(created.id, by: coordinator) }
        await #expect(throws: DomainError.notFound(entity: "person", id: "per_nope")) { try await database.person("per_nope", for: coordinator) }
        await #expect(throws: StoreError.versionMismatch(current: 1)) {
            try await database.updatePerson(created.id, PersonPatch(name: "M"), ifVersion: 7, by: head)
        }
    }

    // MARK: - Invitations and passwords

    @Test func theInvitationSetsThePasswordOnceAndThenSigningInWorks() async throws {
        let database = try TestDatabase().open()
        let invited = try await database.createPerson(Self.anna(), by: coordinator)
        #expect(try await database.invitation(token: invited.token) == .open(invited.person, expiresAt: invited.expiresAt))
        let person = try await database.acceptInvitation(token: invited.token, password: Self.password)
        #expect(person.passwordSet && person.invitationExpiresAt == nil && person.version == 2)
        let hash = try await database.writer.read { db in try String.fetchOne(db, sql: "SELECT passwordHash FROM person") }
        #expect(hash?.hasPrefix("$2b$12$") == true, "bcrypt at cost 12: \(hash ?? "none")")

        let events = try await Self.events(database, of: person)
        #expect(events.map(\.action) == ["created", "password-set"])
        #expect(events.last?.actor == Actor(id: person.id, name: "Anna Petrova", role: "coordinator"), "the person herself")
        let journal = try await Self.journalText(database)
        #expect(!journal.contains(Self.password) && !journal.contains(hash ?? "$2b$"), "neither the password nor its hash")

        #expect(try await database.invitation(token: invited.token) == .gone(.used))
        await #expect(throws: DomainError.illegalTransition(entity: "invitation", from: "used", action: "be accepted")) {
            try await database.acceptInvitation(token: invited.token, password: "another long password")
        }
        #expect(try await database.verifyPassword(email: " ANNA@example.org", password: Self.password)?.id == person.id)
        #expect(try await database.verifyPassword(email: "anna@example.org", password: Self.password.uppercased()) == nil)
        #expect(try await database.verifyPassword(email: "nobody@example.org", password: Self.password) == nil)
    }

    @Test func aWeakPasswordIsRefusedAndTheInvitationKept() async throws {
        let database = try TestDatabase().open()
        let invited = try await database.createPerson(Self.anna(), by: coordinator)
        for weak in ["short", "ANNA@example.org", "Anna Petrova", "annapetrova", "qwerty123456", "1QAZ2WSX3EDC"] {
            await #expect(throws: DomainError.self, "\(weak)") { try await database.acceptInvitation(token: invited.token, password: weak) }
        }
        do {
            _ = try await database.acceptInvitation(token: invited.token, password: "qwerty123456")
        } catch DomainError.invalid(let errors) {
            #expect(errors == [FieldError(field: "password", message: "is one of the most common passwords")])
        }
        #expect(try await database.invitation(token: invited.token) == .open(invited.person, expiresAt: invited.expiresAt))
    }

    @Test func theShippedListHoldsTheTenThousandMostCommonPasswords() {
        let list = AppDatabase.passwordPolicy.commonPasswords
        #expect(list.count == 10_000)
        for common in ["123456", "password", "qwerty", "iloveyou", "qwerty123456", "1qaz2wsx3edc"] { #expect(list.contains(common), "\(common)") }
        #expect(list.allSatisfy { $0 == $0.lowercased() && !$0.isEmpty })
    }

    @Test func anInvitationExpiresAfterSevenDays() async throws {
        let test = try TestDatabase()
        let database = try test.open()
        let invited = try await database.createPerson(Self.anna(), by: coordinator)
        test.clock.advance(by: 7 * 24 * 3600 - 1)
        #expect(try await database.invitation(token: invited.token) != .gone(.expired))
        test.clock.advance(by: 1)
        #expect(try await database.invitation(token: invited.token) == .gone(.expired))
        await #expect(throws: DomainError.illegalTransition(entity: "invitation", from: "expired", action: "be accepted")) {
            try await database.acceptInvitation(token: invited.token, password: Self.password)
        }
        #expect(try await database.invitation(token: "inv_unknown") == .unknown)
        await #expect(throws: DomainError.notFound(entity: "invitation", id: "inv_…")) {
            try await database.acceptInvitation(token: "inv_unknown", password: Self.password)
        }
    }

    @Test func aNewInvitationEndsThePasswordTheOldInvitationAndEverySession() async throws {
        let database = try TestDatabase().open()
        let first = try await database.createPerson(Self.anna(), by: coordinator)
        let person = try await database.acceptInvitation(token: first.token, password: Self.password)
        let session = try await database.startSession(for: person.id)
        let other = try await database.startSession(for: person.id)

        let second = try await database.invitePerson(person.id, by: coordinator)
        #expect(!second.person.passwordSet && second.person.invitationExpiresAt == second.expiresAt)
        #expect(try await database.verifyPassword(email: "anna@example.org", password: Self.password) == nil, "the old password is gone")
        #expect(try await database.session(session) == nil)
        #expect(try await database.session(other) == nil)
        let third = try await database.invitePerson(person.id, by: coordinator)
        #expect(try await database.invitation(token: second.token) == .gone(.withdrawn), "a newer invitation withdraws the older")
        _ = try await database.acceptInvitation(token: third.token, password: "a new password for Anna")
        #expect(try await database.verifyPassword(email: "anna@example.org", password: "a new password for Anna") != nil)
        let actions = try await Self.events(database, of: person).map(\.action)
        #expect(actions == ["created", "password-set", "invited", "invited", "password-set"])
        let hashes = try await database.writer.read { db in try String.fetchAll(db, sql: "SELECT tokenHash FROM invitation") }
        let journal = try await Self.journalText(database)
        for secret in hashes + [first.token, second.token, third.token] { #expect(!journal.contains(secret), "never journaled") }
    }

    @Test func deactivationEndsEverything() async throws {
        let database = try TestDatabase().open()
        // Anna has a password and two open sessions; Boris an invitation outstanding and a session.
        let anna = try await database.createPerson(Self.anna(), by: coordinator)
        _ = try await database.acceptInvitation(token: anna.token, password: Self.password)
        let sessions = [try await database.startSession(for: anna.person.id), try await database.startSession(for: anna.person.id)]
        let boris = try await database.createPerson(PersonInput(email: "boris@example.org", name: "Boris", role: .coordinator), by: coordinator)
        let borisSession = try await database.startSession(for: boris.person.id)

        let deactivated = try await database.deactivatePerson(anna.person.id, by: coordinator)
        #expect(deactivated.status == .deactivated && deactivated.version == 3)
        for session in sessions { #expect(try await database.session(session) == nil) }
        #expect(try await database.verifyPassword(email: "anna@example.org", password: Self.password) == nil)
        await #expect(throws: DomainError.illegalTransition(entity: "person", from: "deactivated", action: "sign in")) {
            try await database.startSession(for: anna.person.id)
        }
        await #expect(throws: DomainError.illegalTransition(entity: "person", from: "deactivated", action: "be deactivated")) {
            try await database.deactivatePerson(anna.person.id, by: coordinator)
        }
        #expect(try await Self.events(database, of: anna.person).last?.action == "deactivated")

        #expect(try await database.session(borisSession)?.id == boris.person.id, "nobody else's sessions end")
        _ = try await database.deactivatePerson(boris.person.id, by: coordinator)
        #expect(try await database.invitation(token: boris.token) == .gone(.withdrawn))
        #expect(try await database.session(borisSession) == nil)
    }

    // MARK: - Sessions

    @Test func aSessionIsStoredOnlyAsItsHashAndEndsOnSignOut() async throws {
        let database = try TestDatabase().open()
        let person = try await database.createPerson(Self.anna(), by: coordinator).person
        let secret = try await database.startSession(for: person.id)
        #expect(secret.hasPrefix("sid_") && secret.count == 4 + 43)
        let stored = try await database.writer.read { db in try String.fetchAll(db, sql: "SELECT idHash FROM session") }
        #expect(stored == [TokenSecret.hash(secret)])
        #expect(try await database.session(secret)?.id == person.id)
        let renewed = try await database.startSession(for: person.id)
        #expect(renewed != secret, "a new id on every sign-in")
        try await database.endSession(secret)
        #expect(try await database.session(secret) == nil)
        #expect(try await database.session(renewed)?.id == person.id, "other sessions go on")
        #expect(try await database.endSessions(of: person.id) == 1)
        #expect(try await database.session(renewed) == nil)
        #expect(try await database.session("sid_unknown") == nil)
        await #expect(throws: DomainError.notFound(entity: "person", id: "per_nope")) { try await database.startSession(for: "per_nope") }
    }

    @Test func aSessionEndsAfterTwelveIdleHours() async throws {
        let test = try TestDatabase()
        let database = try test.open()
        let person = try await database.createPerson(Self.anna(), by: coordinator).person
        let secret = try await database.startSession(for: person.id)
        test.clock.advance(by: 11 * 3600)
        #expect(try await database.session(secret) != nil)
        test.clock.advance(by: 11 * 3600)
        #expect(try await database.session(secret) != nil, "seen 11 hours ago")
        test.clock.advance(by: 12 * 3600)
        #expect(try await database.session(secret) == nil, "idle for 12 hours")
        let left = try await database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM session") }
        #expect(left == 0, "an ended session is deleted")
    }

    @Test func aSessionEndsFourteenDaysAfterSignInHoweverBusy() async throws {
        let test = try TestDatabase()
        let database = try test.open()
        let person = try await database.createPerson(Self.anna(), by: coordinator).person
        let secret = try await database.startSession(for: person.id)
        for _ in 0..<33 {
            test.clock.advance(by: 10 * 3600)
            #expect(try await database.session(secret) != nil)
        }
        test.clock.advance(by: 6 * 3600)  // 336 hours: fourteen days.
        #expect(try await database.session(secret) == nil)
    }

    @Test func sessionLengthsComeFromTheRules() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let database = try AppDatabase.inMemory(clock: clock, rules: ClubRules(sessions: SessionRules(idleHours: 1, absoluteDays: 1)))
        let person = try await database.createPerson(Self.anna(), by: coordinator).person
        let idle = try await database.startSession(for: person.id)
        let busy = try await database.startSession(for: person.id)
        for _ in 0..<24 {
            clock.advance(by: 3600 - 60)
            #expect(try await database.session(busy) != nil)
        }
        #expect(try await database.session(idle) == nil, "idle for more than an hour")
        clock.advance(by: 24 * 3600 - 24 * (3600 - 60))
        #expect(try await database.session(busy) == nil, "a day after sign-in, seen 24 minutes ago")
    }

    @Test func sessionLengthsAreReadFromTheConfiguration() async throws {
        let defaults = try StoreSettings(reader: try await ConfigSources.reader(flags: [:], environment: [:], configFile: nil))
        #expect(defaults.rules.sessions == SessionRules(idleHours: 12, absoluteDays: 14))
        let environment = ["CLUBD_SESSIONS_IDLE_HOURS": "2", "CLUBD_SESSIONS_ABSOLUTE_DAYS": "30"]
        let configured = try StoreSettings(reader: try await ConfigSources.reader(flags: [:], environment: environment, configFile: nil))
        #expect(configured.rules.sessions == SessionRules(idleHours: 2, absoluteDays: 30))
        for (key, variable) in [("sessions.idleHours", "CLUBD_SESSIONS_IDLE_HOURS"), ("sessions.absoluteDays", "CLUBD_SESSIONS_ABSOLUTE_DAYS")] {
            let reader = try await ConfigSources.reader(flags: [:], environment: [variable: "0"], configFile: nil)
            #expect(throws: SettingsError.invalid(key: key, value: "0")) { try StoreSettings(reader: reader) }
        }
    }

    @Test func aCSRFTokenIsDerivedFromItsSession() throws {
        let session = TokenSecret.generate(prefix: TokenSecret.sessionPrefix)
        let token = SessionSecret.csrfToken(for: session)
        #expect(token == SessionSecret.csrfToken(for: session) && token.count == 43)
        #expect(SessionSecret.isValid(csrfToken: token, for: session))
        #expect(!SessionSecret.isValid(csrfToken: token, for: TokenSecret.generate(prefix: TokenSecret.sessionPrefix)))
        #expect(!SessionSecret.isValid(csrfToken: "", for: session))
        #expect(!SessionSecret.isValid(csrfToken: String(token.dropLast()) + (token.hasSuffix("A") ? "B" : "A"), for: session))
        // The same code spelt otherwise (an unused bit of the last character set) is refused too.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = try #require(token.last.flatMap { alphabet.firstIndex(of: $0) })
        #expect(!SessionSecret.isValid(csrfToken: String(token.dropLast()) + String(alphabet[last | 1]), for: session))
    }
}
