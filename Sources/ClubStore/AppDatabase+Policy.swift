import ClubCore
import Foundation
import GRDB

// Whom the store's objects belong to, for the policy's `.own` grants (DESIGN §2). The policy
// decides who may; these only say whose an object is, so that no role is spelled out here.

extension Engagement {
    /// The engagement's studio and its client.
    var owners: Ownership { Ownership(studioIds: [studioId], clientId: clientId) }
}

extension Audit {
    /// The audited studio and the client who received the audit.
    var owners: Ownership { Ownership(studioIds: [studioId], clientId: clientId) }
}

extension Complaint {
    /// The studio complained about and the client who complained.
    var owners: Ownership { Ownership(studioIds: [studioId], clientId: clientId) }
}

extension ConsultingOffer {
    /// The client the offer was made to.
    var owners: Ownership { Ownership(clientId: clientId) }
}

extension AppDatabase {
    /// A studio's record belongs to the studio and, for its public profile, to the client asking
    /// when that client has an engagement with it or an accepted referral (chosen or not) for one of its requests.
    /// Only the asking client is looked up: a studio may work for many.
    static func owners(ofStudio studioId: String, askedBy principal: Principal, in db: Database) throws -> Ownership {
        guard let clientId = Ownership.of(principal).clientId else { return Ownership(studioIds: [studioId]) }
        let worksWith =
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM engagement WHERE studioId = ? AND clientId = ?)
                        OR EXISTS (SELECT 1 FROM referral JOIN lead ON lead.id = referral.requestId
                                   WHERE referral.studioId = ? AND referral.status IN ('accepted', 'not_chosen') AND lead.clientId = ?)
                    """,
                arguments: [studioId, clientId, studioId, clientId]
            ) ?? false
        return Ownership(studioIds: [studioId], clientId: worksWith ? clientId : nil)
    }

    /// A client's record belongs to the client and to every studio that has an engagement with it.
    static func owners(ofClient clientId: String, in db: Database) throws -> Ownership {
        let studios = try String.fetchAll(
            db.cachedStatement(sql: "SELECT DISTINCT studioId FROM engagement WHERE clientId = ?"),
            arguments: [clientId]
        )
        return Ownership(studioIds: studios, clientId: clientId)
    }

    /// A request belongs to its client and to every studio it was offered to.
    static func owners(of lead: Lead, in db: Database) throws -> Ownership {
        let offeredTo = try String.fetchAll(
            db.cachedStatement(sql: "SELECT DISTINCT studioId FROM referral WHERE requestId = ?"),
            arguments: [lead.id]
        )
        return Ownership(studioIds: offeredTo, clientId: lead.clientId)
    }

    /// A fix list belongs to its engagement's parties and to every studio assigned one of its
    /// items (removed ones included). The assigned studios are looked up only when the
    /// engagement does not already settle it and the caller is bound to a studio at all: the
    /// list is read on every strike.
    static func reaches(_ list: FixList, engagement: Engagement, _ principal: Principal, for action: Action, _ db: Database) throws -> Bool {
        try reaches(list, owners: engagement.owners, principal, for: action, db)
    }

    /// As above, given the engagement's parties alone (`engagementOwners`).
    static func reaches(_ list: FixList, owners: Ownership, _ principal: Principal, for action: Action, _ db: Database) throws -> Bool {
        if Policy.reaches(principal, action, owners) { return true }
        guard !Ownership.of(principal).studioIds.isEmpty else { return false }
        return try Policy.reaches(principal, action, Ownership(studioIds: try assignedStudios(of: list.id, in: db)))
    }

    static func assignedStudios(of listId: String, in db: Database) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT assignedStudioId FROM fixItem WHERE fixListId = ?"), arguments: [listId])
    }

    /// The SQL condition that keeps a list to the caller's own rows, for an `.own` grant: the
    /// column naming the caller's studio, or the one naming its client. A caller bound to
    /// nothing the list names sees no rows.
    static func ownRows(
        of principal: Principal,
        studioColumn: String? = nil,
        clientColumn: String? = nil
    ) -> (condition: String, arguments: StatementArguments) {
        let mine = Ownership.of(principal)
        if let studioColumn, let studioId = mine.studioIds.first { return ("\(studioColumn) = ?", [studioId]) }
        if let clientColumn, let clientId = mine.clientId { return ("\(clientColumn) = ?", [clientId]) }
        return ("0", [])
    }

    /// Narrows a list's conditions to what the caller's grant for `action` shows: everything,
    /// or its own rows. A role that never may is refused (403) by `Policy.require`.
    @discardableResult
    static func restrict(
        _ conditions: inout [String],
        _ arguments: inout StatementArguments,
        to principal: Principal,
        for action: Action,
        studioColumn: String? = nil,
        clientColumn: String? = nil
    ) throws -> Grant {
        let grant = try Policy.require(principal, action)
        if grant == .own {
            let own = ownRows(of: principal, studioColumn: studioColumn, clientColumn: clientColumn)
            conditions.append(own.condition)
            arguments += own.arguments
        }
        return grant
    }
}
