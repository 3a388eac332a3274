import ClubCore
import Foundation
import GRDB

/// A person just invited (created, or invited anew): the record and the invitation's token,
/// which is never shown again.
public struct InvitedPerson: Sendable {
    public let person: Person
    public let token: String
    public let expiresAt: Date
}

extension Person: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "person"
}

extension Invitation: FetchableRecord {
    public static let databaseTableName = "invitation"
}

extension AppDatabase {
    // MARK: - Writes

    /// Registers a person and invites them (DESIGN §9), in one transaction journaled as the
    /// person's creation; the invitation's token is returned once and stored only as its hash.
    public func createPerson(_ input: PersonInput, by principal: Principal) async throws -> InvitedPerson {
        try Policy.require(principal, .createPerson)
        let now = clock.now()
        return try await transaction { db in
            let person = try Person(id: Identifier.make("per"), input: input, by: principal, at: now, clubZone: rules.timeZoneName)
            try Self.checkReferences(of: person, in: db)
            try person.insert(db)
            let (invitation, token) = try Self.insertInvitation(for: person.id, by: principal.actor, at: now, in: db)
            try Journal.created("person", id: person.id, person, by: principal.actor, at: now, in: db)
            return InvitedPerson(person: person, token: token, expiresAt: invitation.expiresAt)
        }
    }

    public func updatePerson(_ id: String, _ patch: PersonPatch, ifVersion: Int?, by principal: Principal) async throws -> Person {
        try Policy.require(principal, .editPerson)
        return try await update(Person.self, entity: "person", id: id, ifVersion: ifVersion, action: "updated", by: principal) { person, now, db in
            try person.apply(patch, by: principal, at: now)
            try Self.checkReferences(of: person, in: db)
        }
    }

    /// A new invitation, the lost-password path: the older invitations are withdrawn, the
    /// password no longer counts and every session of the person ends, in one transaction.
    public func invitePerson(_ id: String, by principal: Principal) async throws -> InvitedPerson {
        try Policy.require(principal, .invitePerson)
        let now = clock.now()
        return try await transaction { db in
            guard var person = try Person.fetchOne(db, key: id) else { throw DomainError.notFound(entity: "person", id: id) }
            let old = person
            try person.invite(until: now.addingTimeInterval(Invitation.lifetime), by: principal, at: now)
            try Self.withdrawInvitations(of: id, at: now, in: db)
            let (invitation, token) = try Self.insertInvitation(for: id, by: principal.actor, at: now, in: db)
            try person.update(db)
            // A new invitation is also the way back for a lost authenticator: it goes with the password.
            try db.execute(sql: "UPDATE person SET passwordHash = NULL, totpSecret = NULL, totpLastStep = NULL WHERE id = ?", arguments: [id])
            try Self.deleteSessions(of: id, in: db)
            try Journal.changed("person", id: id, action: "invited", from: old, to: person, by: principal.actor, at: now, in: db)
            return InvitedPerson(person: person, token: token, expiresAt: invitation.expiresAt)
        }
    }

    /// Deactivation ends the person's access at once: their sessions end, their personal API
    /// tokens are revoked and their invitation, if one is outstanding, is withdrawn.
    public func deactivatePerson(_ id: String, by principal: Principal) async throws -> Person {
        try Policy.require(principal, .deactivatePerson)
        return try await update(Person.self, entity: "person", id: id, ifVersion: nil, action: "deactivated", by: principal) { person, now, db in
            try person.deactivate(by: principal, at: now)
            try Self.withdrawInvitations(of: id, at: now, in: db)
            try Self.deleteSessions(of: id, in: db)
            try Self.revokePersonalTokens(of: id, by: principal, at: now, in: db)
        }
    }

    // MARK: - Reads

    public func person(_ id: String, for principal: Principal) async throws -> Person {
        try Policy.require(principal, .readPerson)
        return try await writer.read { db in
            guard let person = try Person.fetchOne(db, key: id) else { throw DomainError.notFound(entity: "person", id: id) }
            return person
        }
    }

    public func people(page: PageRequest, for principal: Principal) async throws -> Page<Person> {
        try Policy.require(principal, .listPeople)
        return try await self.page(Person.self, from: "person", page: page)
    }

    // MARK: - Shared steps

    /// The studio or client a person is bound to exists, and nobody else has their e-mail address.
    static func checkReferences(of person: Person, in db: Database) throws {
        var validator = Validator()
        if let studioId = person.studioId, try !Studio.exists(db, key: studioId) {
            validator.fail("studioId", "no studio has id '\(studioId)'")
        }
        if let clientId = person.clientId, try !Client.exists(db, key: clientId) {
            validator.fail("clientId", "no client has id '\(clientId)'")
        }
        let taken = try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM person WHERE email = ? AND id <> ?)",
            arguments: [person.email, person.id]
        )
        if taken == true { validator.fail("email", "another person already has this e-mail address") }
        try validator.finish()
    }

    private static func insertInvitation(for personId: String, by actor: Actor, at now: Date, in db: Database) throws -> (Invitation, String) {
        let invitation = Invitation(id: Identifier.make("inv"), personId: personId, by: actor, at: now)
        let token = TokenSecret.generate(prefix: TokenSecret.invitationPrefix)
        try db.execute(
            sql: """
                INSERT INTO invitation (id, personId, tokenHash, createdAt, createdBy, expiresAt, usedAt, withdrawnAt)
                VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)
                """,
            arguments: [invitation.id, personId, TokenSecret.hash(token), now, invitation.createdBy, invitation.expiresAt]
        )
        return (invitation, token)
    }

    private static func withdrawInvitations(of personId: String, at now: Date, in db: Database) throws {
        let invitations = try Invitation.fetchAll(db, sql: "SELECT * FROM invitation WHERE personId = ?", arguments: [personId])
        for var invitation in invitations where invitation.withdraw(at: now) {
            try db.execute(sql: "UPDATE invitation SET withdrawnAt = ? WHERE id = ?", arguments: [invitation.withdrawnAt, invitation.id])
        }
    }

    static func deleteSessions(of personId: String, in db: Database) throws {
        try db.execute(sql: "DELETE FROM session WHERE personId = ?", arguments: [personId])
    }
}
