import ClubCore
import Foundation
import GRDB
import HummingbirdBcrypt

/// What an invitation link opens: nothing (an unknown token), an invitation that can no longer
/// be used (and why), or the person it invites and until when.
public enum InvitationLookup: Sendable, Equatable {
    case unknown
    case gone(Invitation.State)
    case open(Person, expiresAt: Date)
}

extension AppDatabase {
    /// DESIGN §9's password rule with the shipped list of the 10,000 most common passwords.
    public static let passwordPolicy = PasswordPolicy(commonPasswords: CommonPasswords.list)

    /// The invitation behind a link, for the page that asks for a password.
    public func invitation(token: String) async throws -> InvitationLookup {
        guard token.count <= 256 else { return .unknown }
        let now = clock.now()
        return try await writer.read { db in
            guard let invitation = try Self.invitation(hash: TokenSecret.hash(token), in: db) else { return .unknown }
            let state = invitation.state(at: now)
            guard state == .open, let person = try Person.fetchOne(db, key: invitation.personId), person.isActive else {
                return .gone(state == .open ? .withdrawn : state)
            }
            return .open(person, expiresAt: invitation.expiresAt)
        }
    }

    /// The invited person chooses a password (DESIGN §9): it must pass `passwordPolicy`; it is
    /// hashed with bcrypt (cost `PasswordHashing.cost`) on a thread of its own, never on the
    /// cooperative pool or in the write transaction; then, in one transaction, the invitation is
    /// used up, the hash stored, any session of the person ended and "password-set" journaled
    /// (the event shows `passwordSet`, never the hash). An unknown link is 404, one used,
    /// withdrawn or expired 409.
    public func acceptInvitation(token: String, password: String) async throws -> Person {
        let hash = TokenSecret.hash(token)
        guard case .open(let person, _) = try await invitation(token: token) else {
            let invitation = try await writer.read { db in try Self.invitation(hash: hash, in: db) }
            guard let invitation else { throw DomainError.notFound(entity: "invitation", id: TokenSecret.invitationPrefix + "…") }
            let state = invitation.state(at: clock.now())
            throw DomainError.illegalTransition(entity: "invitation", from: (state == .open ? .withdrawn : state).rawValue, action: "be accepted")
        }
        try Self.passwordPolicy.check(password, email: person.email, name: person.name)
        let passwordHash = await PasswordHashing.hash(password)
        let now = clock.now()
        return try await transaction { db in
            // Looked up again: the invitation may have been used or withdrawn while bcrypt ran.
            guard var invitation = try Self.invitation(hash: hash, in: db), var person = try Person.fetchOne(db, key: invitation.personId) else {
                throw DomainError.notFound(entity: "invitation", id: TokenSecret.invitationPrefix + "…")
            }
            let old = person
            try invitation.accept(at: now)
            try person.passwordChosen(at: now)
            try db.execute(sql: "UPDATE invitation SET usedAt = ? WHERE id = ?", arguments: [invitation.usedAt, invitation.id])
            try person.update(db)
            try db.execute(sql: "UPDATE person SET passwordHash = ? WHERE id = ?", arguments: [passwordHash, person.id])
            try Self.deleteSessions(of: person.id, in: db)
            try Journal.changed("person", id: person.id, action: "password-set", from: old, to: person, by: person.principal.actor, at: now, in: db)
            return person
        }
    }

    /// The active person with this e-mail address (in any case) and password, or nil. bcrypt runs
    /// whether or not the address is known, against a hash of the same cost, so that the time an
    /// answer takes does not tell which addresses have an account.
    public func verifyPassword(email: String, password: String) async throws -> Person? {
        let email = EmailAddress.normalized(email)
        let found = try await writer.read { db -> (Person, String)? in
            guard email.count <= EmailAddress.maxLength,
                let row = try Row.fetchOne(db, sql: "SELECT * FROM person WHERE email = ?", arguments: [email]),
                let hash = row["passwordHash"] as String?
            else { return nil }
            let person = try Person(row: row)
            return person.isActive && person.passwordSet ? (person, hash) : nil
        }
        // A password bcrypt would cut short was never accepted, so it can match nothing.
        guard let (person, hash) = found, password.utf8.count <= PasswordPolicy.maximumBytes else {
            _ = await PasswordHashing.verify(password, against: PasswordHashing.decoy)
            return nil
        }
        return await PasswordHashing.verify(password, against: hash) ? person : nil
    }

    private static func invitation(hash: String, in db: Database) throws -> Invitation? {
        try Invitation.fetchOne(db, sql: "SELECT * FROM invitation WHERE tokenHash = ?", arguments: [hash])
    }
}

/// bcrypt from hummingbird-auth, run on Dispatch's threads: a hash takes a quarter of a second or
/// more by design, which must hold up neither the cooperative pool (and with it every request)
/// nor the database's writer.
public enum PasswordHashing {
    /// log2 of bcrypt's rounds (DESIGN §9: at least 12).
    public static let cost: UInt8 = 12

    /// A hash of a random password at the same cost, checked against when there is no real hash
    /// to check, so that an unknown address costs as much time as a known one.
    static let decoy = Bcrypt.hash(TokenSecret.generate(), cost: cost)

    public static func hash(_ password: String) async -> String {
        await offThePool { Bcrypt.hash(password, cost: cost) }
    }

    public static func verify(_ password: String, against hash: String) async -> Bool {
        await offThePool { Bcrypt.verify(password, hash: hash) }
    }

    /// Bcrypt is CPU work by design. A burst of sign-ins (or a test suite's worth of them) must
    /// queue rather than start a thread each and starve the event loops that answer everyone
    /// else: at most half the processors hash at once.
    private static let gate = WorkGate(width: max(1, ProcessInfo.processInfo.activeProcessorCount / 2))

    private static func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await gate.enter()
        let result = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
        await gate.leave()
        return result
    }
}

/// A counting gate: `width` holders at a time, the rest wait in order.
actor WorkGate {
    private let width: Int
    private var holders = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(width: Int) {
        self.width = width
    }

    func enter() async {
        if holders < width {
            holders += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the place to the longest waiting, or frees it.
    func leave() {
        if waiting.isEmpty {
            holders -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// The 10,000 most common passwords (zxcvbn 4.5.0's list, by frequency, in lower case),
/// compiled into the binary from `Resources/common-passwords.txt` and read once.
enum CommonPasswords {
    static let list: Set<String> = {
        let text = String(decoding: PackageResources.common_passwords_txt, as: UTF8.self)
        return Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
    }()
}
