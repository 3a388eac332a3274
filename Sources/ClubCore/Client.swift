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
    /// The club's own note on the client (internal).
    public private(set) var internalNote: String?
    public private(set) var version: Int
    public let createdAt: Date
    public private(set) var updatedAt: Date

    public init(id: String, input: ClientInput, at now: Date) throws {
        let fields = try ClientInput.validate(name: input.name, contacts: input.contacts ?? [], internalNote: input.internalNote)
        self.id = id
        self.name = fields.name
        self.contacts = fields.contacts
        self.internalNote = fields.internalNote
        self.version = 1
        self.createdAt = now
        self.updatedAt = now
    }

    public mutating func apply(_ patch: ClientPatch, at now: Date) throws {
        let fields = try ClientInput.validate(
            name: patch.name ?? name,
            contacts: patch.contacts ?? contacts,
            internalNote: patch.internalNote ?? internalNote
        )
        guard fields.name != name || fields.contacts != contacts || fields.internalNote != internalNote else { return }
        name = fields.name
        contacts = fields.contacts
        internalNote = fields.internalNote
        version += 1
        updatedAt = now
    }
}

/// Input of `POST /v1/clients`.
public struct ClientInput: Codable, Sendable {
    public let name: String
    public let contacts: [Contact]?
    /// The club's own note (internal).
    public let internalNote: String?

    public init(name: String, contacts: [Contact]? = nil, internalNote: String? = nil) {
        self.name = name
        self.contacts = contacts
        self.internalNote = internalNote
    }

    static func validate(
        name: String,
        contacts: [Contact],
        internalNote: String?
    ) throws -> (name: String, contacts: [Contact], internalNote: String?) {
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
        let internalNote = validator.internalNote(internalNote)
        try validator.finish()
        return (name, cleaned, internalNote)
    }
}

/// Input of `PATCH /v1/clients/{id}`.
public struct ClientPatch: Codable, Sendable {
    public let name: String?
    public let contacts: [Contact]?
    /// An empty text clears it.
    public let internalNote: String?

    public init(name: String? = nil, contacts: [Contact]? = nil, internalNote: String? = nil) {
        self.name = name
        self.contacts = contacts
        self.internalNote = internalNote
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
