import Foundation

/// A language a person reads the console in (DESIGN §9): one of the catalogs the program carries,
/// so another language is a new catalog and nothing else here.
public struct Language: RawRepresentable, Codable, Hashable, Sendable {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static let ru = Language(rawValue: "ru")
    public static let en = Language(rawValue: "en")

    /// The languages of the catalogs compiled into this program.
    public static var available: [Language] { Catalogs.bundled.languages.map(Language.init(rawValue:)) }
}

/// `active → deactivated`; a deactivated person signs in no more and is not changed again.
public enum PersonStatus: String, Codable, Sendable, CaseIterable {
    case active
    case deactivated
}

/// Someone who works in the console (DESIGN §9): invited by a coordinator, never self-registered,
/// with the role and binding a token has. The password itself, its hash and the invitation's
/// token are never part of this record (the store keeps the hashes beside it), so the record can
/// be answered and journaled whole.
public struct Person: Codable, Sendable, Equatable {
    public static let defaultLanguage = Language.ru

    public let id: String
    /// Kept in lower case: no two people differ only by case, and signing in ignores it.
    public private(set) var email: String
    public private(set) var name: String
    public private(set) var role: Role
    public private(set) var head: Bool
    public private(set) var studioId: String?
    public private(set) var clientId: String?
    public private(set) var language: Language
    /// An IANA time zone name (`Europe/Moscow`), in which the console shows times.
    public private(set) var timeZone: String
    public private(set) var status: PersonStatus
    /// Whether the person has chosen a password (through an invitation).
    public private(set) var passwordSet: Bool
    /// When the invitation still outstanding expires (in the past once it expired unused);
    /// absent when none is outstanding.
    public private(set) var invitationExpiresAt: Date?
    public let createdAt: Date
    public let createdBy: String
    public private(set) var updatedAt: Date
    public private(set) var deactivatedAt: Date?
    public private(set) var version: Int

    /// A new, active person without a password, invited at once: the store issues the
    /// invitation, expiring with `invitationExpiresAt`, in the same transaction. A person given
    /// no zone lives on the club's (`clubZone`, an IANA name).
    public init(id: String, input: PersonInput, by principal: Principal, at now: Date, clubZone: String) throws {
        let fields = try PersonFields.validated(
            email: input.email,
            name: input.name,
            role: input.role,
            head: input.head ?? false,
            studioId: input.studioId,
            clientId: input.clientId,
            language: input.language ?? Self.defaultLanguage,
            timeZone: input.timeZone ?? clubZone
        )
        if fields.head { try Self.requireHead(principal) }
        self.id = id
        self.email = fields.email
        self.name = fields.name
        self.role = fields.role
        self.head = fields.head
        self.studioId = fields.studioId
        self.clientId = fields.clientId
        self.language = fields.language
        self.timeZone = fields.timeZone
        self.status = .active
        self.passwordSet = false
        self.invitationExpiresAt = now.addingTimeInterval(Invitation.lifetime)
        self.createdAt = now
        self.createdBy = principal.name
        self.updatedAt = now
        self.deactivatedAt = nil
        self.version = 1
    }

    /// A PATCH: only the fields sent change. `role`, `head`, `studioId` and `clientId` are one
    /// binding: when `role` is sent, the binding is exactly what the patch says (an absent
    /// `head` is false, an absent `studioId`/`clientId` none); without `role` each of the others
    /// changes alone. A head coordinator is changed, and someone made head, by the head alone.
    public mutating func apply(_ patch: PersonPatch, by principal: Principal, at now: Date) throws {
        try requireActive(to: "be changed")
        let binding =
            patch.role.map { role in (role, patch.head ?? false, patch.studioId, patch.clientId) }
            ?? (role, patch.head ?? head, patch.studioId ?? studioId, patch.clientId ?? clientId)
        let fields = try PersonFields.validated(
            email: patch.email ?? email,
            name: patch.name ?? name,
            role: binding.0,
            head: binding.1,
            studioId: binding.2,
            clientId: binding.3,
            language: patch.language ?? language,
            timeZone: patch.timeZone ?? timeZone
        )
        if head || fields.head { try Self.requireHead(principal) }
        let old = self
        email = fields.email
        name = fields.name
        role = fields.role
        head = fields.head
        studioId = fields.studioId
        clientId = fields.clientId
        language = fields.language
        timeZone = fields.timeZone
        guard self != old else { return }
        changed(at: now)
    }

    /// A new invitation, valid until `expiresAt`: the password, if any, no longer counts (the
    /// lost-password path). Only the head invites a head coordinator anew.
    public mutating func invite(until expiresAt: Date, by principal: Principal, at now: Date) throws {
        try requireActive(to: "be invited")
        if head { try Self.requireHead(principal) }
        passwordSet = false
        invitationExpiresAt = expiresAt
        changed(at: now)
    }

    /// The person chose a password through their invitation.
    public mutating func passwordChosen(at now: Date) throws {
        try requireActive(to: "choose a password")
        passwordSet = true
        invitationExpiresAt = nil
        changed(at: now)
    }

    /// Deactivation ends the person's access for good; only the head deactivates a head coordinator.
    public mutating func deactivate(by principal: Principal, at now: Date) throws {
        try requireActive(to: "be deactivated")
        if head { try Self.requireHead(principal) }
        status = .deactivated
        invitationExpiresAt = nil
        deactivatedAt = now
        changed(at: now)
    }

    public var isActive: Bool { status == .active }

    /// The person as a caller of the store's use cases, with the rights of their role (DESIGN §2).
    public var principal: Principal {
        Principal(tokenId: id, name: name, role: role, isHead: head, studioId: studioId, clientId: clientId)
    }

    /// DESIGN §2: creating or changing a head coordinator, or making someone head, is the head's.
    static func requireHead(_ principal: Principal) throws {
        try Policy.require(principal, .manageHeadCoordinator)
    }

    private func requireActive(to action: String) throws {
        guard isActive else { throw DomainError.illegalTransition(entity: "person", from: status.rawValue, action: action) }
    }

    private mutating func changed(at now: Date) {
        version += 1
        updatedAt = now
    }
}

/// Input of `POST /v1/people` and `clubd person invite`.
public struct PersonInput: Codable, Sendable {
    public let email: String
    public let name: String
    public let role: Role
    public let head: Bool?
    public let studioId: String?
    public let clientId: String?
    /// `ru` when absent.
    public let language: Language?
    /// `Europe/Moscow` when absent.
    public let timeZone: String?

    public init(
        email: String,
        name: String,
        role: Role,
        head: Bool? = nil,
        studioId: String? = nil,
        clientId: String? = nil,
        language: Language? = nil,
        timeZone: String? = nil
    ) {
        self.email = email
        self.name = name
        self.role = role
        self.head = head
        self.studioId = studioId
        self.clientId = clientId
        self.language = language
        self.timeZone = timeZone
    }
}

/// Input of `PATCH /v1/people/{id}`: absent fields stay as they are (but see `Person.apply` for
/// the binding).
public struct PersonPatch: Codable, Sendable {
    public let email: String?
    public let name: String?
    public let role: Role?
    public let head: Bool?
    public let studioId: String?
    public let clientId: String?
    public let language: Language?
    public let timeZone: String?

    public init(
        email: String? = nil,
        name: String? = nil,
        role: Role? = nil,
        head: Bool? = nil,
        studioId: String? = nil,
        clientId: String? = nil,
        language: Language? = nil,
        timeZone: String? = nil
    ) {
        self.email = email
        self.name = name
        self.role = role
        self.head = head
        self.studioId = studioId
        self.clientId = clientId
        self.language = language
        self.timeZone = timeZone
    }
}

/// A person's fields once checked, every problem collected at once.
struct PersonFields {
    let email: String
    let name: String
    let role: Role
    let head: Bool
    let studioId: String?
    let clientId: String?
    let language: Language
    let timeZone: String

    static func validated(
        email: String,
        name: String,
        role: Role,
        head: Bool,
        studioId: String?,
        clientId: String?,
        language: Language,
        timeZone: String
    ) throws -> PersonFields {
        var validator = Validator()
        let email = EmailAddress.normalized(email)
        if let problem = EmailAddress.problem(email) { validator.fail("email", problem) }
        let name = validator.text(name, "name")
        RoleBinding.check(role: role, head: head, studioId: studioId, clientId: clientId, noun: "person", into: &validator)
        let languages = Catalogs.bundled.languages
        validator.check(languages.contains(language.rawValue), "language", "must be one of \(languages.joined(separator: ", "))")
        let timeZone = timeZone.trimmingWhitespace()
        validator.check(TimeZoneName.isValid(timeZone), "timeZone", "is not an IANA time zone name such as Europe/Moscow")
        try validator.finish()
        return PersonFields(
            email: email,
            name: name,
            role: role,
            head: head,
            studioId: studioId,
            clientId: clientId,
            language: language,
            timeZone: timeZone
        )
    }
}

/// E-mail addresses of people: what a person types, trimmed and in lower case, must look like an
/// address a mail server accepts (no quoted local parts, no IP literals), so that an invitation
/// can later be mailed to it.
public enum EmailAddress {
    public static let maxLength = 254

    /// The form in which an address is stored, compared and looked up.
    public static func normalized(_ text: String) -> String {
        text.trimmingWhitespace().lowercased()
    }

    /// Why `email` (already normalised) is not an address, or nil when it is one.
    public static func problem(_ email: String) -> String? {
        if email.isEmpty { return "must not be empty" }
        if email.count > maxLength { return "must be at most \(maxLength) characters" }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, isLocalPart(parts[0]), isDomain(parts[1]) else {
            return "is not an e-mail address (name@example.org)"
        }
        return nil
    }

    private static let forbiddenInLocalPart = Set(#"()<>[]\,;:"@"#)

    private static func isLocalPart(_ local: Substring) -> Bool {
        guard (1...64).contains(local.count), local.first != ".", local.last != ".", !local.contains("..") else { return false }
        return local.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F } && !local.contains { forbiddenInLocalPart.contains($0) }
    }

    private static func isDomain(_ domain: Substring) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let top = labels.last, !top.allSatisfy(\.isNumber) else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0 == "-" || $0.isLetter || $0.isNumber }
        }
    }
}

/// IANA time zone names, as the console needs them to show a person's times.
public enum TimeZoneName {
    /// `UTC`, or an `Area/Location` name the system's time zone database knows (`Europe/Moscow`,
    /// `America/Argentina/Buenos_Aires`, `Etc/GMT+3`). Abbreviations (`EST`, `MSK`) and offsets
    /// (`GMT+3`) are refused: they say nothing about daylight saving time and are ambiguous.
    public static func isValid(_ name: String) -> Bool {
        guard name == "UTC" || name.contains("/"), name.count <= 64, !name.contains(where: \.isWhitespace) else { return false }
        return TimeZone(identifier: name) != nil
    }
}

extension Person: Versioned, Identified {}
