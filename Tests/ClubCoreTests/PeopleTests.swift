import ClubCore
import Foundation
import Testing

/// People of the console, their invitations, passwords and sessions (DESIGN §9): the rules alone.
@Suite("People")
struct PeopleTests {
    static func anna(_ email: String = "Anna@Example.org") -> PersonInput {
        PersonInput(email: email, name: "Anna Petrova", role: .coordinator)
    }

    static func person(_ input: PersonInput = anna(), by principal: Principal = head) throws -> Person {
        try Person(id: "per_1", input: input, by: principal, at: epoch, clubZone: "Europe/Moscow")
    }

    // MARK: - Fields

    @Test func aNewPersonIsActiveInvitedForSevenDaysAndHasNoPassword() throws {
        let person = try Self.person(PersonInput(email: "  Anna@Example.ORG ", name: " Anna ", role: .coordinator), by: coordinator)
        #expect(person.email == "anna@example.org", "trimmed and in lower case")
        #expect(person.name == "Anna")
        #expect(person.status == .active && person.isActive)
        #expect(!person.passwordSet)
        #expect(person.invitationExpiresAt == epoch.addingTimeInterval(7 * 24 * 3600))
        #expect(person.language == .ru && person.timeZone == "Europe/Moscow", "the defaults")
        #expect(person.version == 1 && person.createdBy == "Anna")
        #expect(person.principal == Principal(tokenId: "per_1", name: "Anna", role: .coordinator))
    }

    @Test(arguments: ["anna@example.org", "a.b+tag@mail.example.co.uk", "олег@пример.рф", "x@a-b.io", "o'brien@example.org"])
    func plausibleAddressesAreAccepted(_ email: String) {
        #expect(EmailAddress.problem(EmailAddress.normalized(email)) == nil, "\(email)")
    }

    @Test(arguments: [
        "", "anna", "anna@", "@example.org", "anna@example", "anna@@example.org", "an na@example.org", "anna@example..org",
        ".anna@example.org", "anna.@example.org", "an..na@example.org", "anna@-example.org", "anna@example.123", "anna@[127.0.0.1]",
        "\"anna\"@example.org", "anna@exa_mple.org", String(repeating: "a", count: 65) + "@example.org",
    ])
    func implausibleAddressesAreRefused(_ email: String) {
        #expect(EmailAddress.problem(EmailAddress.normalized(email)) != nil, "\(email)")
        #expect(invalidFields { _ = try Self.person(Self.anna(email)) } == ["email"], "\(email)")
    }

    @Test func aPersonsLanguageIsOneOfTheCatalogs() throws {
        #expect(Language.available.map(\.rawValue).sorted() == ["en", "ru"])
        let json = #"{"email":"a@example.org","name":"A","role":"coordinator","language":"en"}"#
        #expect(try JSONDecoder().decode(PersonInput.self, from: Data(json.utf8)).language == .en)
        let german = #"{"email":"a@example.org","name":"A","role":"coordinator","language":"de"}"#
        let input = try JSONDecoder().decode(PersonInput.self, from: Data(german.utf8))
        #expect(invalidFields { _ = try Self.person(input) } == ["language"], "no German catalog yet")
    }

    @Test(arguments: ["Europe/Moscow", "UTC", "Asia/Yekaterinburg", "America/Argentina/Buenos_Aires", "Etc/GMT+3"])
    func ianaTimeZonesAreAccepted(_ zone: String) throws {
        #expect(TimeZoneName.isValid(zone), "\(zone)")
        let input = PersonInput(email: "a@example.org", name: "A", role: .coordinator, timeZone: zone)
        #expect(try Self.person(input).timeZone == zone)
    }

    @Test(arguments: ["", "Moscow", "europe/moscow", "Mars/Olympus", "EST", "MSK", "GMT+3", "+03:00", "Europe/ Moscow"])
    func otherTimeZonesAreRefused(_ zone: String) {
        #expect(!TimeZoneName.isValid(zone), "\(zone)")
        let input = PersonInput(email: "a@example.org", name: "A", role: .coordinator, timeZone: zone)
        #expect(invalidFields { _ = try Self.person(input) } == ["timeZone"], "\(zone)")
    }

    @Test func theBindingFollowsTheTokensRules() {
        #expect(invalidFields { _ = try Self.person(PersonInput(email: "a@b.org", name: "A", role: .studio)) } == ["studioId"])
        #expect(
            invalidFields { _ = try Self.person(PersonInput(email: "a@b.org", name: "A", role: .client, studioId: "stu_1")) } == [
                "clientId", "studioId",
            ]
        )
        #expect(
            invalidFields { _ = try Self.person(PersonInput(email: "a@b.org", name: "A", role: .coordinator, clientId: "cli_1")) } == ["clientId"]
        )
        #expect(invalidFields { _ = try Self.person(PersonInput(email: "a@b.org", name: "A", role: .studio, head: true, studioId: "s")) } == ["head"])
        #expect(throws: DomainError.invalid("studioId", "a studio person must name its studio")) {
            try Self.person(PersonInput(email: "a@b.org", name: "A", role: .studio))
        }
        #expect(throws: DomainError.invalid("studioId", "a studio token must name its studio"), "tokens keep their words") {
            try TokenGrant(role: .studio, name: "bot").validated()
        }
    }

    @Test func everyProblemIsNamedAtOnce() {
        let input = PersonInput(email: "nope", name: " ", role: .studio, timeZone: "Moscow")
        #expect(invalidFields { _ = try Self.person(input) } == ["email", "name", "studioId", "timeZone"])
    }

    // MARK: - The head coordinator

    static let refusal = DomainError.forbidden("only the head coordinator may create or change a head coordinator")

    @Test func onlyTheHeadCreatesAHeadCoordinator() throws {
        let input = PersonInput(email: "maria@example.org", name: "Maria", role: .coordinator, head: true)
        #expect(throws: Self.refusal) { try Self.person(input, by: coordinator) }
        #expect(try Self.person(input, by: head).head)
        #expect(try Self.person(input, by: .system).head, "the command line acts as the head")
    }

    @Test func onlyTheHeadChangesAHeadCoordinatorOrMakesOne() throws {
        var maria = try Self.person(PersonInput(email: "maria@example.org", name: "Maria", role: .coordinator, head: true))
        #expect(throws: Self.refusal) { try maria.apply(PersonPatch(name: "Maria I."), by: coordinator, at: epoch) }
        #expect(throws: Self.refusal) { try maria.apply(PersonPatch(head: false), by: coordinator, at: epoch) }
        #expect(throws: Self.refusal) { try maria.invite(until: epoch, by: coordinator, at: epoch) }
        #expect(throws: Self.refusal) { try maria.deactivate(by: coordinator, at: epoch) }
        try maria.apply(PersonPatch(head: false), by: head, at: epoch)
        #expect(!maria.head && maria.version == 2)

        var anna = try Self.person()
        #expect(throws: Self.refusal) { try anna.apply(PersonPatch(head: true), by: coordinator, at: epoch) }
        try anna.apply(PersonPatch(language: .en), by: coordinator, at: epoch)
        #expect(anna.language == .en)
        try anna.deactivate(by: coordinator, at: epoch)
        #expect(anna.status == .deactivated)
    }

    // MARK: - Changes

    @Test func aPatchChangesWhatItNamesAndARoleComesWithItsBinding() throws {
        var person = try Self.person(PersonInput(email: "p@studio.org", name: "Pavel", role: .studio, studioId: "stu_1"))
        try person.apply(PersonPatch(studioId: "stu_2"), by: coordinator, at: epoch.addingTimeInterval(60))
        #expect(person.studioId == "stu_2" && person.role == .studio && person.version == 2)
        #expect(person.updatedAt == epoch.addingTimeInterval(60))
        // A new role takes the binding the patch names: none is left over from the old one.
        try person.apply(PersonPatch(role: .client, clientId: "cli_1"), by: coordinator, at: epoch)
        #expect(person.role == .client && person.clientId == "cli_1" && person.studioId == nil)
        try person.apply(PersonPatch(role: .coordinator), by: coordinator, at: epoch)
        #expect(person.role == .coordinator && person.clientId == nil && !person.head)
        #expect(invalidFields { try person.apply(PersonPatch(role: .studio), by: coordinator, at: epoch) } == ["studioId"])
        let version = person.version
        try person.apply(PersonPatch(email: "P@STUDIO.ORG", name: "Pavel"), by: coordinator, at: epoch)
        #expect(person.version == version, "a patch that changes nothing is no change")
    }

    @Test func aDeactivatedPersonStaysSo() throws {
        var person = try Self.person()
        try person.deactivate(by: coordinator, at: epoch.addingTimeInterval(5))
        #expect(person.deactivatedAt == epoch.addingTimeInterval(5) && person.invitationExpiresAt == nil)
        let deactivated = DomainError.illegalTransition(entity: "person", from: "deactivated", action: "be deactivated")
        #expect(throws: deactivated) { try person.deactivate(by: coordinator, at: epoch) }
        #expect(throws: DomainError.self) { try person.apply(PersonPatch(name: "B"), by: coordinator, at: epoch) }
        #expect(throws: DomainError.self) { try person.invite(until: epoch, by: coordinator, at: epoch) }
        #expect(throws: DomainError.self) { try person.passwordChosen(at: epoch) }
    }

    @Test func aNewInvitationMakesThePasswordNoLongerCount() throws {
        var person = try Self.person()
        try person.passwordChosen(at: epoch)
        #expect(person.passwordSet && person.invitationExpiresAt == nil && person.version == 2)
        let until = epoch.addingTimeInterval(Invitation.lifetime)
        try person.invite(until: until, by: coordinator, at: epoch)
        #expect(!person.passwordSet && person.invitationExpiresAt == until && person.version == 3)
    }

    // MARK: - Invitations

    @Test func anInvitationLastsSevenDays() {
        let invitation = Invitation(id: "inv_1", personId: "per_1", by: coordinator.actor, at: epoch)
        #expect(Invitation.lifetimeDays == 7)
        #expect(invitation.expiresAt == epoch.addingTimeInterval(7 * 24 * 3600))
        #expect(invitation.state(at: epoch) == .open)
        #expect(invitation.isUsable(at: invitation.expiresAt.addingTimeInterval(-0.001)))
        #expect(invitation.state(at: invitation.expiresAt) == .expired, "over at the instant it expires")
        #expect(!invitation.isUsable(at: invitation.expiresAt))
        var late = invitation
        #expect(throws: DomainError.illegalTransition(entity: "invitation", from: "expired", action: "be accepted")) {
            try late.accept(at: invitation.expiresAt.addingTimeInterval(1))
        }
        #expect(Invitation.path(token: "inv_abc") == "/invitations/inv_abc")
    }

    @Test func anInvitationIsUsedOnce() throws {
        var invitation = Invitation(id: "inv_1", personId: "per_1", by: coordinator.actor, at: epoch)
        try invitation.accept(at: epoch.addingTimeInterval(60))
        #expect(invitation.usedAt == epoch.addingTimeInterval(60))
        #expect(invitation.state(at: epoch) == .used)
        #expect(throws: DomainError.illegalTransition(entity: "invitation", from: "used", action: "be accepted")) {
            try invitation.accept(at: epoch.addingTimeInterval(120))
        }
        let withdrawn = invitation.withdraw(at: epoch)
        #expect(!withdrawn, "a used invitation stays used")
    }

    @Test func aWithdrawnInvitationCannotBeUsed() {
        var invitation = Invitation(id: "inv_1", personId: "per_1", by: coordinator.actor, at: epoch)
        let first = invitation.withdraw(at: epoch)
        let second = invitation.withdraw(at: epoch)
        #expect(first && !second, "once")
        #expect(invitation.state(at: epoch) == .withdrawn)
        #expect(throws: DomainError.illegalTransition(entity: "invitation", from: "withdrawn", action: "be accepted")) {
            try invitation.accept(at: epoch)
        }
    }

    // MARK: - Passwords

    static let policy = PasswordPolicy(commonPasswords: ["password", "qwerty123456", "1qaz2wsx3edc"])

    static func problems(_ password: String) -> [String] {
        policy.problems(password, email: "Anna.Petrova@Example.org", name: "Anna Petrova")
    }

    @Test func aGoodPasswordPasses() throws {
        #expect(Self.problems("correct horse battery staple").isEmpty)
        #expect(Self.problems("пароль-для-клуба-2027").isEmpty, "any script")
        try Self.policy.check("twelve chars", email: "a@example.org", name: "A")
    }

    @Test func aPasswordHasAtLeastTwelveCharacters() {
        #expect(Self.problems("eleven char") == ["must be at least 12 characters"])
        #expect(Self.problems("twelve chars").isEmpty)
        #expect(Self.problems("ёжик в тумане").isEmpty, "characters, not bytes")
        #expect(throws: DomainError.invalid("password", "must be at least 12 characters")) {
            try Self.policy.check("short", email: "a@example.org", name: "A")
        }
    }

    @Test func aPasswordFitsInBcrypt() {
        #expect(Self.problems(String(repeating: "a1", count: 36)).isEmpty, "72 bytes")
        #expect(Self.problems(String(repeating: "a1", count: 36) + "!").count == 1)
        #expect(Self.problems(String(repeating: "ж", count: 37)).count == 1, "37 Cyrillic letters are 74 bytes")
        #expect(Self.problems("twelve\u{0}chars!") == ["must not contain control characters"])
    }

    @Test(arguments: ["anna.petrova@example.org", "ANNA.PETROVA@EXAMPLE.ORG", "anna.petrova", "Anna.Petrova", "anna petrova", "ANNAPETROVA"])
    func aPasswordIsNotTheEmailItsLocalPartOrTheName(_ password: String) {
        #expect(Self.problems(password).contains("must not be your e-mail address or your name"), "\(password)")
    }

    @Test(arguments: ["qwerty123456", "QWERTY123456", "1qaz2wsx3edc"])
    func aCommonPasswordIsRefusedInAnyCase(_ password: String) {
        #expect(Self.problems(password) == ["is one of the most common passwords"], "\(password)")
    }

    @Test func everyReasonIsGivenAtOnce() {
        #expect(
            invalidFields { try Self.policy.check("password", email: "password@example.org", name: "password") } == [
                "password", "password", "password",
            ]
        )
    }

    // MARK: - Sessions

    @Test func sessionRulesDefaultToTwelveHoursIdleAndFourteenDays() {
        let rules = SessionRules()
        #expect(rules.idleHours == 12 && rules.absoluteDays == 14)
        #expect(rules.idleTimeout == 12 * 3600 && rules.absoluteLifetime == 14 * 24 * 3600)
        #expect(ClubRules().sessions == rules)
    }

    @Test func aSessionEndsWhenIdleForTooLong() {
        let rules = SessionRules()
        var session = Session(personId: "per_1", at: epoch, rules: rules)
        #expect(session.isLive(at: epoch.addingTimeInterval(12 * 3600 - 1), rules: rules))
        #expect(!session.isLive(at: epoch.addingTimeInterval(12 * 3600), rules: rules))
        let seen = session.seen(at: epoch.addingTimeInterval(11 * 3600))
        #expect(seen)
        #expect(session.isLive(at: epoch.addingTimeInterval(22 * 3600), rules: rules), "seen again, the idle time starts over")
        #expect(!session.isLive(at: epoch.addingTimeInterval(13 * 3600), rules: SessionRules(idleHours: 1)), "the current idle rule counts")
    }

    @Test func aSessionEndsAtItsAbsoluteEndHoweverBusy() {
        let rules = SessionRules()
        var session = Session(personId: "per_1", at: epoch, rules: rules)
        #expect(session.expiresAt == epoch.addingTimeInterval(14 * 24 * 3600))
        var now = epoch
        while now < session.expiresAt.addingTimeInterval(-3600) {
            now += 3600
            #expect(session.isLive(at: now, rules: rules))
            _ = session.seen(at: now)
        }
        #expect(!session.isLive(at: session.expiresAt, rules: rules))
    }

    @Test func aSessionIsWrittenDownAtMostOnceAMinute() {
        var session = Session(personId: "per_1", at: epoch, rules: SessionRules())
        let soon = session.seen(at: epoch.addingTimeInterval(59))
        #expect(!soon && session.lastSeenAt == epoch)
        let later = session.seen(at: epoch.addingTimeInterval(60))
        #expect(later)
        #expect(session.lastSeenAt == epoch.addingTimeInterval(60))
    }
}
