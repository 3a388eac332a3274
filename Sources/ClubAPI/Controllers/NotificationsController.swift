import ClubCore
import ClubStore
import Foundation
import Hummingbird

/// A person's own notifications (docs/design.md §10): `GET /v1/notifications`, newest first,
/// whatever their choice; `GET /v1/notifications/failed`, the mail the relay refused, for the
/// coordinators. Notifications belong to a person, so the caller must be one: a console person's
/// personal token, not the bootstrap token or one issued by the head.
struct NotificationsController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("notifications") { request, context in
            let page = try request.pageRequest()
            guard let person = try await database.person(behind: context.caller()) else {
                throw DomainError.forbidden("notifications belong to a person: use a personal token minted in the console")
            }
            let found = try await database.notificationPage(of: person.id, page: page)
            return try JSONCoding.response(Page(items: found.items.map(NotificationAnswer.init), nextCursor: found.nextCursor))
        }
        group.get("notifications/failed") { request, context in
            let page = try request.pageRequest()
            let failed = try await database.failedMail(limit: page.limit, for: context.caller())
            return try JSONCoding.response(ItemList(items: failed.map(FailedMailAnswer.init)))
        }
    }
}

/// The object a notification is about: its type and id, as the journal names them.
struct NotifiedObject: Encodable {
    let type: String
    let id: String
}

/// One notification as its person reads it.
struct NotificationAnswer: Encodable {
    let id: String
    let kind: String
    let object: NotifiedObject
    let engagementId: String?
    /// The object's page in the console, from the club's public address.
    let path: String
    let createdAt: Date
    let choice: String
    let mailStatus: String
    let sentAt: Date?

    init(_ record: NotificationRecord) {
        id = record.id
        kind = record.kind.rawValue
        object = NotifiedObject(type: record.entityType, id: record.entityId)
        engagementId = record.engagementId
        path = record.path
        createdAt = record.createdAt
        choice = record.choice.rawValue
        mailStatus = record.mailStatus.rawValue
        sentAt = record.sentAt
    }
}

/// A mail the relay refused for good (or that ran out of retries), with the relay's answer.
struct FailedMailAnswer: Encodable {
    struct Recipient: Encodable {
        let personId: String
        let name: String
        let email: String
    }

    let id: String
    let kind: String
    let object: NotifiedObject
    let createdAt: Date
    let recipient: Recipient
    let attempts: Int
    /// What the relay answered (`550 5.1.1 …`), or why delivery gave up.
    let relayAnswer: String?

    init(_ mail: OutgoingMail) {
        let record = mail.notification
        id = record.id
        kind = record.kind.rawValue
        object = NotifiedObject(type: record.entityType, id: record.entityId)
        createdAt = record.createdAt
        recipient = Recipient(personId: mail.recipient.personId, name: mail.recipient.name, email: mail.recipient.email)
        attempts = record.attempts
        relayAnswer = record.lastError
    }
}
