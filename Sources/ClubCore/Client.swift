import Foundation

/// A person to talk to at a client organisation.
public struct Contact: Codable, Sendable, Equatable {
    public let name: String
    public let email: String?
    public let phone: String?

    public init(name: String, email: String? = nil, phone: String? = nil) {
        self.name = name
        self.email = email
        self.phone = phone
    }
}

/// A client organisation that brings requests to the club.
public struct Client: Codable, Sendable, Equatable {
    public let id: String
    public private(set) var name: String
    public private(set) var contacts: [Contact]
    public private(set) var version: Int
    public let createdAt: Date
    public private(set) var updatedAt: Date

    public init(id: String, input: ClientInput, at now: Date) throws {
        let fields = try ClientInput.validate(name: input.name, contacts: input.contacts ?? [])
        self.id = id
        self.name = fields.name
        self.contacts = fields.contacts
        self.version = 1
        self.createdAt = now
        self.updatedAt = now
    }

    public mutating func apply(_ patch: ClientPatch, at now: Date) throws {
        let fields = try ClientInput.validate(name: patch.name ?? name, contacts: patch.contacts ?? contacts)
        guard fields.name != name || fields.contacts != contacts else { return }
        name = fields.name
        contacts = fields.contacts
        version += 1
        updatedAt = now
    }
}

/// Input of `POST /v1/clients`.
public struct ClientInput: Codable, Sendable {
    public let name: String
    public let contacts: [Contact]?

    public init(name: String, contacts: [Contact]? = nil) {
        self.name = name
        self.contacts = contacts
    }

    static func validate(name: String, contacts: [Contact]) throws -> (name: String, contacts: [Contact]) {
        var validator = Validator()
        let name = validator.text(name, "name")
        validator.check(contacts.count <= Limits.listCount, "contacts", "must have at most \(Limits.listCount) entries")
        let cleaned = contacts.enumerated().map { index, contact in
            let field = "contacts[\(index)]"
            let email = validator.optionalText(contact.email, "\(field).email", maxLength: Limits.shortText)
            if let email { validator.check(email.isPlausibleEmail, "\(field).email", "is not an e-mail address") }
            return Contact(
                name: validator.text(contact.name, "\(field).name"),
                email: email,
                phone: validator.optionalText(contact.phone, "\(field).phone", maxLength: 40)
            )
        }
        try validator.finish()
        return (name, cleaned)
    }
}

/// Input of `PATCH /v1/clients/{id}`.
public struct ClientPatch: Codable, Sendable {
    public let name: String?
    public let contacts: [Contact]?

    public init(name: String? = nil, contacts: [Contact]? = nil) {
        self.name = name
        self.contacts = contacts
    }
}

extension String {
    /// One `@` with something on both sides and a dot in the domain: enough to catch a typo
    /// without pretending to validate deliverability.
    var isPlausibleEmail: Bool {
        let parts = split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains(".") else { return false }
        return !contains(where: \.isWhitespace)
    }
}
