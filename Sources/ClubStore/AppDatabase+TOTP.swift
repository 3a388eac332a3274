import ClubCore
import Foundation
import GRDB
import HummingbirdOTP

/// A coordinator's authenticator (DESIGN §9.3): a TOTP secret (RFC 6238: six digits, 30-second
/// steps, SHA-1, as every authenticator app reads an `otpauth://` link) kept beside the person,
/// like the password hash, so that it never reaches an answer or the journal. Once enrolled, a
/// coordinator gives a code at every sign-in; a code counts once (the step it was used at is kept).
public enum OneTimeCode {
    /// Characters of a new secret: 32 of them from this alphabet carry 190 random bits.
    static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
    public static let timeStep = 30

    /// A new random secret.
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet.randomElement(using: &generator) ?? "A" })
    }

    /// The `otpauth://totp/…` link an authenticator app reads (the secret in base32 in it).
    public static func authenticatorURL(secret: String, account: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: "clubd:" + account, issuer: "clubd")
    }

    /// The secret as an authenticator app asks for it typed in: its base32 form, in groups of four.
    public static func typedSecret(_ secret: String) -> String {
        let url = authenticatorURL(secret: secret, account: "x")
        let base32 = url.split(separator: "secret=").last?.prefix { $0 != "&" } ?? ""
        return stride(from: 0, to: base32.count, by: 4).map { offset in
            let start = base32.index(base32.startIndex, offsetBy: offset)
            return String(base32[start..<(base32.index(start, offsetBy: 4, limitedBy: base32.endIndex) ?? base32.endIndex)])
        }.joined(separator: " ")
    }

    /// The code an authenticator shows for `secret` at `date` (six digits).
    public static func code(secret: String, at date: Date) -> String {
        let number = String(TOTP(secret: secret).compute(date: date))
        return String(repeating: "0", count: max(0, 6 - number.count)) + number
    }

    /// The time step at which `code` is right for `secret`, allowing one step either side for a
    /// clock a little off; nil when it is not a right code now.
    public static func step(of code: String, secret: String, at now: Date) -> Int64? {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, digits.allSatisfy(\.isASCII), let number = Int(digits) else { return nil }
        let totp = TOTP(secret: secret)
        let current = Int64(now.timeIntervalSince1970) / Int64(timeStep)
        return [current, current - 1, current + 1].first { step in
            totp.compute(date: Date(timeIntervalSince1970: Double(step * Int64(timeStep)))) == number
        }
    }
}

extension AppDatabase {
    /// Whether the person has an authenticator enrolled (then signing in needs a code).
    public func hasAuthenticator(_ personId: String) async throws -> Bool {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT totpSecret FROM person WHERE id = ?", arguments: [personId]) != nil
        }
    }

    /// Enrols an authenticator for a signed-in coordinator who has none (a new invitation removes
    /// one): `code` must be right for `secret` now, which proves the app has it. Journaled as `totp-enrolled` (never the secret). Returns
    /// whether the code was right.
    public func enrolAuthenticator(_ personId: String, secret: String, code: String) async throws -> Bool {
        let now = clock.now()
        guard let step = OneTimeCode.step(of: code, secret: secret, at: now) else { return false }
        return try await transaction { db in
            guard let person = try Person.fetchOne(db, key: personId), person.isActive, person.role == .coordinator else {
                throw DomainError.notFound(entity: "person", id: personId)
            }
            guard try String.fetchOne(db, sql: "SELECT totpSecret FROM person WHERE id = ?", arguments: [personId]) == nil else {
                throw DomainError.illegalTransition(entity: "authenticator", from: "enrolled", action: "be enrolled again")
            }
            try db.execute(sql: "UPDATE person SET totpSecret = ?, totpLastStep = ? WHERE id = ?", arguments: [secret, step, personId])
            try Journal.append(
                Journal.Change(entityType: "person", entityId: personId, action: "totp-enrolled", before: [:], after: ["authenticator": true]),
                by: person.principal.actor,
                at: now,
                in: db
            )
            return true
        }
    }

    /// Whether `code` lets the person in: true without an authenticator; with one, a right code
    /// not used before (its step is then kept, so the same code does not count twice).
    public func checkAuthenticatorCode(_ personId: String, code: String) async throws -> Bool {
        let now = clock.now()
        return try await transaction { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT totpSecret, totpLastStep FROM person WHERE id = ?", arguments: [personId]) else {
                return false
            }
            guard let secret = row["totpSecret"] as String? else { return true }
            let last: Int64 = row["totpLastStep"] ?? 0
            guard let step = OneTimeCode.step(of: code, secret: secret, at: now), step > last else { return false }
            try db.execute(sql: "UPDATE person SET totpLastStep = ? WHERE id = ?", arguments: [step, personId])
            return true
        }
    }
}
