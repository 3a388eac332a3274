import ClubCore
import Foundation
import GRDB

/// The kinds of object a route names by id in its path, so that the JSON door can ask whether the
/// caller reaches it before it reads the request's input (docs/design.md §2, "Rights before input").
public enum AddressedObject: Sendable, Equatable {
    case studio, client, request, referral, engagement, agreement, fixList, fixItem, complaint, audit, auditFinding
    case exit, consultingOffer, consultingSession, shareLink, person, token, webhook, webhookDelivery
    /// An evidence file, reached through the object it hangs on.
    case file
    /// The object files hang on, for its `files` collection.
    case filesOf(FileOwnerKind)

    /// The entity its 404 names, as the use cases name it.
    public var entity: String {
        switch self {
        case .fixList: "fix list"
        case .fixItem: "fix item"
        case .auditFinding: "audit finding"
        case .consultingOffer: "consulting offer"
        case .consultingSession: "consulting session"
        case .shareLink: "share link"
        case .webhookDelivery: "webhook delivery"
        case .filesOf(let kind): kind.entity
        default: "\(self)"
        }
    }
}

extension AppDatabase {
    /// Whether the object exists and lies within the caller's reach for `action`; with no action (a route every
    /// caller may use), whether it exists, and for a person whether the caller is that person or a coordinator.
    /// It answers what the use case would, without the input: the same owners, read the same way (`AppDatabase+Policy.swift`).
    public func reaches(_ object: AddressedObject, id: String, by principal: Principal, for action: Action?) async throws -> Bool {
        try await writer.read { db in
            switch object {
            case .person where action == nil:
                guard try Person.exists(db, key: id) else { return false }
                if principal.role == .coordinator { return true }
                return try Self.personId(behind: principal, in: db) == id
            case .file, .filesOf:
                // Files are seen by whoever reads their object, and then acted on as the action says (`EvidenceFile`).
                guard let owner = try Self.fileOwner(of: object, id: id, in: db),
                    Policy.reaches(principal, owner.kind.readAction, owner.ownership)
                else { return false }
                return action.map { Policy.reaches(principal, $0, owner.ownership) } ?? true
            default:
                guard let owners = try Self.owners(of: object, id: id, askedBy: principal, in: db) else { return false }
                return action.map { Policy.reaches(principal, $0, owners) } ?? true
            }
        }
    }

    /// The object a file hangs on, or the one named, for the two file objects; nil when there is none.
    private static func fileOwner(of object: AddressedObject, id: String, in db: Database) throws -> FileOwner? {
        switch object {
        case .file:
            guard let file = try EvidenceFile.fetchOne(db, key: id) else { return nil }
            return try? fileOwner(file.objectType, file.objectId, in: db)
        case .filesOf(let kind): return try? fileOwner(kind, id, in: db)
        default: return nil
        }
    }

    /// Whose the object is, or nil when there is no such object.
    static func owners(of object: AddressedObject, id: String, askedBy principal: Principal, in db: Database) throws -> Ownership? {
        switch object {
        case .studio: return try Studio.exists(db, key: id) ? try owners(ofStudio: id, askedBy: principal, in: db) : nil
        case .client: return try Client.exists(db, key: id) ? try owners(ofClient: id, in: db) : nil
        case .request: return try Lead.fetchOne(db, key: id).map { try owners(of: $0, in: db) }
        case .referral:
            return try String.fetchOne(db.cachedStatement(sql: "SELECT studioId FROM referral WHERE id = ?"), arguments: [id]).map {
                Ownership(studioIds: [$0])
            }
        case .engagement: return try engagementOwners(id, in: db)
        case .agreement: return try engagementOwners(via: "SELECT engagementId FROM agreement WHERE id = ?", id, db)
        case .exit: return try engagementOwners(via: "SELECT engagementId FROM engagementExit WHERE id = ?", id, db)
        case .fixList: return try fixListOwners(id, db)
        case .fixItem:
            return try String.fetchOne(db.cachedStatement(sql: "SELECT fixListId FROM fixItem WHERE id = ?"), arguments: [id]).flatMap {
                try fixListOwners($0, db)
            }
        case .shareLink:
            // Links are kept by the list's engagement parties (`createShareLink`), not by the studios assigned items.
            let sql = "SELECT fixList.engagementId FROM shareLink JOIN fixList ON fixList.id = shareLink.fixListId WHERE shareLink.id = ?"
            return try engagementOwners(via: sql, id, db)
        case .complaint: return try Complaint.fetchOne(db, key: id)?.owners
        case .audit: return try Audit.fetchOne(db, key: id)?.owners
        case .auditFinding:
            return try String.fetchOne(db.cachedStatement(sql: "SELECT auditId FROM auditFinding WHERE id = ?"), arguments: [id]).flatMap {
                try Audit.fetchOne(db, key: $0)?.owners
            }
        case .consultingOffer: return try ConsultingOffer.fetchOne(db, key: id)?.owners
        case .consultingSession:
            let offerId = try String.fetchOne(db.cachedStatement(sql: "SELECT offerId FROM consultingSession WHERE id = ?"), arguments: [id])
            return try offerId.flatMap { try ConsultingOffer.fetchOne(db, key: $0)?.owners }
        case .person: return try exists("person", id, db)
        case .token: return try exists("accessToken", id, db)
        case .webhook: return try exists("webhook", id, db)
        case .webhookDelivery: return try exists("webhookDelivery", id, db)
        case .file, .filesOf: return try fileOwner(of: object, id: id, in: db)?.ownership
        }
    }

    /// A fix list's parties and every studio assigned one of its items, as `reaches(_:engagement:…)` counts them.
    private static func fixListOwners(_ listId: String, _ db: Database) throws -> Ownership? {
        guard let list = try fixListRow(listId, in: db), var owners = try engagementOwners(list.engagementId, in: db) else { return nil }
        owners.studioIds += try assignedStudios(of: list.id, in: db)
        return owners
    }

    private static func engagementOwners(via sql: String, _ id: String, _ db: Database) throws -> Ownership? {
        try String.fetchOne(db.cachedStatement(sql: sql), arguments: [id]).flatMap { try engagementOwners($0, in: db) }
    }

    /// An object only coordinators act on: it is theirs to reach once it exists.
    private static func exists(_ table: String, _ id: String, _ db: Database) throws -> Ownership? {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE id = ?)"), arguments: [id]) == true ? Ownership() : nil
    }

    private static func personId(behind principal: Principal, in db: Database) throws -> String? {
        if try Person.exists(db, key: principal.tokenId) { return principal.tokenId }
        return try String.fetchOne(db.cachedStatement(sql: "SELECT personId FROM accessToken WHERE id = ?"), arguments: [principal.tokenId])
    }
}
