import ClubCore
import ClubStore
import Foundation
import Hummingbird

/// The body of `PATCH /v1/people/{id}`: the fields of `PersonPatch`, which a coordinator
/// changes, and `notifications`, which only the person themself chooses (docs/design.md §10).
/// The stored properties are the JSON keys (unknown keys are refused by their names).
struct PersonPatchBody: Decodable {
    let email: String?
    let name: String?
    let role: Role?
    let head: Bool?
    let studioId: String?
    let clientId: String?
    let language: Language?
    let timeZone: String?
    /// Kind → `immediately`, `digest` or `never`; the kinds not named keep their choice.
    let notifications: [String: String]?

    var patch: PersonPatch {
        PersonPatch(
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

    /// Whether any field a coordinator changes was sent.
    var changesRecord: Bool {
        email != nil || name != nil || role != nil || head != nil || studioId != nil || clientId != nil || language != nil || timeZone != nil
    }

    /// The choices as the store takes them; an unknown kind or choice is 400 naming
    /// `notifications.<kind>`.
    func choices() throws -> [NotificationKind: DeliveryChoice] {
        var choices: [NotificationKind: DeliveryChoice] = [:]
        for (name, value) in notifications ?? [:] {
            guard let kind = NotificationKind(rawValue: name) else {
                throw RequestInputError.badField("notifications.\(name)", "is not a kind of notification")
            }
            guard let choice = DeliveryChoice(rawValue: value) else {
                throw RequestInputError.badField("notifications.\(name)", "must be immediately, digest or never")
            }
            choices[kind] = choice
        }
        return choices
    }
}

/// A person as answered by `GET/PATCH /v1/people/{id}` and the list: the record and their
/// choice for every kind their role can receive.
struct PersonWithChoices: FlattenedAnswer {
    struct Extras: Encodable {
        let notifications: [String: String]
    }

    let base: Person
    let extras: Extras

    init(_ person: Person, choices: [NotificationKind: DeliveryChoice]) {
        base = person
        let kinds = NotificationAudienceByRole.kinds(for: person.role)
        let named = kinds.map { ($0.rawValue, (choices[$0] ?? NotificationRules.defaultChoice).rawValue) }
        extras = Extras(notifications: Dictionary(uniqueKeysWithValues: named))
    }
}

extension PeopleController {
    /// The person with their choices.
    func withChoices(_ person: Person) async throws -> PersonWithChoices {
        PersonWithChoices(person, choices: try await database.notificationChoices(of: person.id))
    }

    /// `PATCH /v1/people/{id}`: the record's fields by a coordinator, the notifications by the
    /// person themself. Both are checked before either is changed, and changed in one transaction.
    func patchPerson(_ id: String, _ body: PersonPatchBody, ifVersion: Int?, by caller: Principal) async throws -> Response {
        let choices = try body.choices()
        guard body.notifications != nil else {
            let person = try await database.updatePerson(id, body.patch, ifVersion: ifVersion, by: caller)
            return try JSONCoding.response(try await withChoices(person), shape: "Person", for: caller, etag: person.version)
        }
        guard let own = try await database.person(behind: caller), own.id == id else {
            throw DomainError.forbidden("only the person themself chooses their notifications, with a personal token of theirs")
        }
        let receivable = Set(NotificationAudienceByRole.kinds(for: own.role))
        if let kind = choices.keys.sorted(by: { $0.rawValue < $1.rawValue }).first(where: { !receivable.contains($0) }) {
            throw RequestInputError.badField("notifications.\(kind.rawValue)", "is not a kind a \(own.role.rawValue)'s person receives")
        }
        var person = own
        if body.changesRecord {
            // Both in one transaction: the record's change and the choices stand or fall together.
            person = try await database.updatePerson(id, body.patch, choices: choices, ifVersion: ifVersion, by: caller)
        } else {
            if let ifVersion, ifVersion != own.version { throw StoreError.versionMismatch(current: own.version) }
            try await database.setNotificationChoices(choices, of: id, by: caller)
        }
        return try JSONCoding.response(try await withChoices(person), shape: "Person", for: caller, etag: person.version)
    }
}
