import ClubCore
import Foundation
import GRDB

/// Filters of `GET /v1/requests`.
public struct LeadFilter: Sendable {
    public var status: LeadStatus?
    public var clientId: String?

    public init(status: LeadStatus? = nil, clientId: String? = nil) {
        self.status = status
        self.clientId = clientId
    }
}

extension AppDatabase {
    // MARK: - Writes

    public func createLead(_ input: LeadInput, by principal: Principal) async throws -> Lead {
        try Policy.require(principal, .registerRequest)
        let rules = rules
        let now = clock.now()
        return try await transaction { db in
            guard try Client.exists(db, key: input.clientId) else {
                throw DomainError.invalid("clientId", "no client has id '\(input.clientId)'")
            }
            let lead = try Lead(id: Identifier.make("req"), input: input, rules: rules, at: now)
            try lead.insert(db)
            try Journal.created("request", id: lead.id, lead, by: principal.actor, at: now, in: db)
            return lead
        }
    }

    public func updateLead(_ id: String, _ patch: LeadPatch, ifVersion: Int?, by principal: Principal) async throws -> Lead {
        try Policy.require(principal, .editRequest)
        let rules = rules
        return try await update(Lead.self, entity: "request", id: id, ifVersion: ifVersion, action: "updated", by: principal) { lead, now in
            try lead.apply(patch, rules: rules, at: now)
        }
    }

    public func recordSharedResponsibility(_ id: String, _ input: SharedResponsibilityInput, by principal: Principal) async throws -> Lead {
        try Policy.require(principal, .recordSharedResponsibility)
        return try await update(Lead.self, entity: "request", id: id, ifVersion: nil, action: "shared-responsibility-recorded", by: principal) {
            lead,
            now in
            try lead.recordSharedResponsibility(input, by: principal.actor, at: now)
        }
    }

    public func closeLead(_ id: String, _ closing: LeadClosing, by principal: Principal) async throws -> Lead {
        try Policy.require(principal, .closeRequest)
        return try await update(Lead.self, entity: "request", id: id, ifVersion: nil, action: closing.outcome.rawValue, by: principal) { lead, now in
            try lead.close(closing, at: now)
        }
    }

    // MARK: - Reads

    /// A request as the caller may see it: coordinators any, a client its own, a studio one it
    /// was offered; otherwise 404. `rush` is brought up to date with the clock.
    public func lead(_ id: String, for principal: Principal) async throws -> Lead {
        try Policy.require(principal, .readRequest)
        let now = clock.now()
        let rules = rules
        return try await writer.read { db in
            guard var lead = try Lead.fetchOne(db, key: id), try Policy.reaches(principal, .readRequest, Self.owners(of: lead, in: db)) else {
                throw DomainError.notFound(entity: "request", id: id)
            }
            lead.refreshRush(rules: rules, at: now)
            return lead
        }
    }

    public func leads(_ filter: LeadFilter, page: PageRequest, for principal: Principal) async throws -> Page<Lead> {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        // A client keeps to its own requests; only a caller who sees them all narrows to one client's.
        let grant = try Self.restrict(&conditions, &arguments, to: principal, for: .listRequests, clientColumn: "clientId")
        if grant == .all, let clientId = filter.clientId {
            conditions.append("clientId = ?")
            _ = arguments.append(contentsOf: [clientId])
        }
        if let status = filter.status {
            conditions.append("status = ?")
            _ = arguments.append(contentsOf: [status.rawValue])
        }
        let page = try await self.page(Lead.self, from: "lead", where: conditions, arguments: arguments, page: page)
        let now = clock.now()
        return Page(
            items: page.items.map { lead in
                var lead = lead
                lead.refreshRush(rules: rules, at: now)
                return lead
            },
            nextCursor: page.nextCursor
        )
    }
}
