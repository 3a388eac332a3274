import ClubCore
import Foundation
import GRDB

/// One change a person has not seen yet, read from the journal: when, what, who, and the object's
/// console page. Never a payload field: the journal's before and after images carry internal
/// notes, and a notice names only what happened (docs/design.md §9.6).
public struct Notice: Sendable, Equatable {
    public let seq: Int64
    public let at: Date
    public let entityType: String
    public let entityId: String
    public let action: String
    public let actorName: String
    /// The object's console page for this person, when it has one.
    public let path: String?
}

/// The console's notices (docs/design.md §9.6): the journal's events since the person last
/// looked, on objects within the person's reach, without the person's own actions.
extension AppDatabase {
    /// At most this many changes are listed, newest first.
    public static let noticeLimit = 50
    /// A person who never marked their notices seen reads the changes of this many days.
    public static let noticeWindowDays = 14

    /// The changes after `since` (by default the person's `noticesSeenAt`, or the last
    /// `noticeWindowDays` days when they never marked them seen), newest first, at most
    /// `noticeLimit`.
    public func changes(since: Date? = nil, for person: Person) async throws -> [Notice] {
        let now = clock.now()
        return try await writer.read { db in
            let query = try Self.noticeQuery(since: since, for: person, now: now, in: db)
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT seq, atMillis, entityType, entityId, action, actorName FROM journal WHERE \(query.condition) "
                    + "ORDER BY seq DESC LIMIT \(Self.noticeLimit)",
                arguments: query.arguments
            )
            return try rows.map { row in
                let entityType: String = row["entityType"]
                let entityId: String = row["entityId"]
                return Notice(
                    seq: row["seq"],
                    at: Date(timeIntervalSince1970: Double(row["atMillis"] as Int64) / 1000),
                    entityType: entityType,
                    entityId: entityId,
                    action: row["action"],
                    actorName: row["actorName"],
                    path: try Self.consolePath(entityType, entityId, role: person.role, in: db)
                )
            }
        }
    }

    /// How many changes the person has not seen (all of them, not only the listed newest).
    public func unseenNoticeCount(for person: Person) async throws -> Int {
        let now = clock.now()
        return try await writer.read { db in
            let query = try Self.noticeQuery(since: nil, for: person, now: now, in: db)
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM journal WHERE \(query.condition)", arguments: query.arguments) ?? 0
        }
    }

    /// The moment up to which the person has seen the changes, when they ever marked them.
    public func noticesSeenAt(of person: Person) async throws -> Date? {
        try await writer.read { db in try Self.seenAt(person, in: db) }
    }

    /// Marks every change up to `at` (by default the store's now) as seen by the person. A
    /// person's own reading, not a change of the club's data: it is not journaled.
    public func markNoticesSeen(_ person: Person, at: Date? = nil) async throws {
        let moment = at ?? clock.now()
        try await writer.write { db in
            try db.execute(sql: "UPDATE person SET noticesSeenAt = ? WHERE id = ?", arguments: [moment, person.id])
            guard db.changesCount == 1 else { throw DomainError.notFound(entity: "person", id: person.id) }
        }
    }

    // MARK: - The query

    private static func seenAt(_ person: Person, in db: Database) throws -> Date? {
        guard let row = try Row.fetchOne(db, sql: "SELECT noticesSeenAt FROM person WHERE id = ?", arguments: [person.id]) else { return nil }
        return row["noticesSeenAt"] as Date?
    }

    private static func noticeQuery(
        since: Date?,
        for person: Person,
        now: Date,
        in db: Database
    ) throws -> (condition: String, arguments: StatementArguments) {
        let from = try since ?? seenAt(person, in: db) ?? now.addingTimeInterval(-Double(noticeWindowDays) * 24 * 3600)
        let millis = Int64((from.timeIntervalSince1970 * 1000).rounded(.down))
        // The person's own actions, in the console (the person's id) or with one of their API tokens.
        var condition = "atMillis > :since AND actorId <> :person AND actorId NOT IN (SELECT id FROM accessToken WHERE personId = :person)"
        var arguments: [String: (any DatabaseValueConvertible)?] = ["since": millis, "person": person.id]
        switch person.role {
        case .coordinator:
            break
        case .studio:
            guard let studioId = person.studioId else { return ("0", [:]) }
            condition += " AND (" + studioReach + ")"
            arguments["party"] = studioId
        case .client:
            guard let clientId = person.clientId else { return ("0", [:]) }
            condition += " AND (" + clientReach + ")"
            arguments["party"] = clientId
        }
        return (condition, StatementArguments(arguments))
    }

    /// The objects of a studio (`:party`): its referrals, engagements and what hangs on them, the
    /// fix lists where it is the engagement's studio or assigned an item, the complaints and
    /// audits about its work. Built from the tables, never from what an event's payload says.
    private static let studioReach = reach(
        engagements: "SELECT id FROM engagement WHERE studioId = :party",
        lists: """
            SELECT fixList.id FROM fixList JOIN engagement ON engagement.id = fixList.engagementId WHERE engagement.studioId = :party
            UNION SELECT fixListId FROM fixItem WHERE assignedStudioId = :party
            """,
        more: [
            "(entityType = 'referral' AND entityId IN (SELECT id FROM referral WHERE studioId = :party))",
            "(entityType = 'feedback' AND entityId IN (SELECT id FROM stageFeedback WHERE studioId = :party))",
            "(entityType = 'complaint' AND entityId IN (SELECT id FROM complaint WHERE studioId = :party))",
            "(entityType = 'audit' AND entityId IN (SELECT id FROM audit WHERE studioId = :party))",
        ]
    )

    /// The objects of a client (`:party`): its requests, the candidates' answers it may read
    /// (accepted referrals only: the club's other offers stay the club's), its engagements and
    /// what hangs on them, its complaints, audits, exits, consulting and ratings of the club.
    private static let clientReach = reach(
        engagements: "SELECT id FROM engagement WHERE clientId = :party",
        lists: "SELECT fixList.id FROM fixList JOIN engagement ON engagement.id = fixList.engagementId WHERE engagement.clientId = :party",
        more: [
            "(entityType = 'request' AND entityId IN (SELECT id FROM lead WHERE clientId = :party))",
            """
            (entityType = 'referral' AND action IN ('accepted', 'recommended', 'not-chosen') AND entityId IN (
                SELECT referral.id FROM referral JOIN lead ON lead.id = referral.requestId
                WHERE lead.clientId = :party AND referral.status IN ('accepted', 'not_chosen')))
            """,
            "(entityType = 'feedback' AND entityId IN (SELECT id FROM stageFeedback WHERE engagementId IN (\(clientEngagements))))",
            "(entityType = 'share-link' AND entityId IN (SELECT id FROM shareLink WHERE fixListId IN (\(clientLists))))",
            "(entityType = 'complaint' AND entityId IN (SELECT id FROM complaint WHERE clientId = :party))",
            "(entityType = 'audit' AND entityId IN (SELECT id FROM audit WHERE clientId = :party))",
            "(entityType = 'consulting-offer' AND entityId IN (SELECT id FROM consultingOffer WHERE clientId = :party))",
            """
            (entityType = 'consulting-session' AND entityId IN (
                SELECT id FROM consultingSession WHERE offerId IN (SELECT id FROM consultingOffer WHERE clientId = :party)))
            """,
            "(entityType = 'club-rating' AND entityId IN (SELECT id FROM clubRating WHERE clientId = :party))",
        ]
    )

    private static let clientEngagements = "SELECT id FROM engagement WHERE clientId = :party"
    private static let clientLists =
        "SELECT fixList.id FROM fixList JOIN engagement ON engagement.id = fixList.engagementId WHERE engagement.clientId = :party"

    /// What both parties reach through their engagements and fix lists, and `more`.
    private static func reach(engagements: String, lists: String, more: [String]) -> String {
        (more + [
            "(entityType = 'engagement' AND entityId IN (\(engagements)))",
            "(entityType = 'agreement' AND entityId IN (SELECT id FROM agreement WHERE engagementId IN (\(engagements))))",
            "(entityType = 'exit' AND entityId IN (SELECT id FROM engagementExit WHERE engagementId IN (\(engagements))))",
            "(entityType = 'retrospective' AND entityId IN (SELECT id FROM retrospective WHERE engagementId IN (\(engagements))))",
            "(entityType = 'fix-list' AND entityId IN (\(lists)))",
            "(entityType = 'fix-item' AND entityId IN (SELECT id FROM fixItem WHERE fixListId IN (\(lists))))",
            "(entityType = 'fix-item-comment' AND entityId IN (SELECT id FROM fixItemComment WHERE fixListId IN (\(lists))))",
        ]).joined(separator: " OR ")
    }

    /// The console page of an event's object for a person in `role`, looked up by the object's own
    /// row (the notices' links and the notifications' alike).
    static func consolePath(_ entityType: String, _ id: String, role: Role, in db: Database) throws -> String? {
        func lookup(_ sql: String) throws -> String? { try String.fetchOne(db.cachedStatement(sql: sql), arguments: [id]) }
        func engagement(_ sql: String) throws -> String? { try lookup(sql).map { "/engagements/" + $0 } }
        switch entityType {
        case "request": return "/requests/" + id
        case "shortlist": return try lookup("SELECT requestId FROM shortlist WHERE id = ?").map { "/requests/" + $0 }
        case "referral":
            if role == .studio { return "/referrals/" + id }
            return try lookup("SELECT requestId FROM referral WHERE id = ?").map { "/requests/" + $0 }
        case "engagement": return "/engagements/" + id
        case "agreement": return try engagement("SELECT engagementId FROM agreement WHERE id = ?")
        case "check-in": return try engagement("SELECT engagementId FROM checkIn WHERE id = ?")
        case "feedback": return try engagement("SELECT engagementId FROM stageFeedback WHERE id = ?")
        case "exit": return try engagement("SELECT engagementId FROM engagementExit WHERE id = ?")
        case "retrospective": return try engagement("SELECT engagementId FROM retrospective WHERE id = ?")
        case "club-rating": return try engagement("SELECT engagementId FROM clubRating WHERE id = ?")
        case "consulting-offer":
            return try engagement("SELECT engagementId FROM engagementExit WHERE id = (SELECT exitId FROM consultingOffer WHERE id = ?)")
        case "consulting-session":
            return try engagement(
                """
                SELECT engagementId FROM engagementExit WHERE id =
                    (SELECT exitId FROM consultingOffer WHERE id = (SELECT offerId FROM consultingSession WHERE id = ?))
                """
            )
        case "fix-list": return "/fix-lists/" + id
        case "fix-item": return "/fix-items/" + id
        case "fix-item-comment": return try lookup("SELECT fixItemId FROM fixItemComment WHERE id = ?").map { "/fix-items/" + $0 }
        case "share-link": return try lookup("SELECT fixListId FROM shareLink WHERE id = ?").map { "/fix-lists/" + $0 }
        case "complaint": return "/complaints/" + id
        case "audit": return "/audits/" + id
        case "studio": return "/studios/" + id
        case "client": return "/clients/" + id
        case "person", "invitation": return "/people"
        // Webhooks have no page of their own: the coordinators read of them among their notices.
        case "webhook": return "/notices"
        default: return nil
        }
    }
}
