import ClubCore
import Foundation
import GRDB

extension AppDatabase {
    // MARK: - Writes

    /// A complaint about an engagement, logged by a coordinator or filed by the engagement's client.
    public func createComplaint(_ engagementId: String, _ input: ComplaintInput, by principal: Principal) async throws -> Complaint {
        try Policy.require(principal, .fileComplaint)
        let now = clock.now()
        return try await transaction { db in
            guard let engagement = try Engagement.fetchOne(db, key: engagementId), Policy.reaches(principal, .fileComplaint, engagement.owners) else {
                throw DomainError.notFound(entity: "engagement", id: engagementId)
            }
            guard engagement.status.isOpen else {
                throw DomainError.illegalTransition(entity: "engagement", from: engagement.status.rawValue, action: "take a complaint (it has ended)")
            }
            let complaint = try Complaint(
                id: Identifier.make("cmp"),
                engagement: engagement,
                budget: try Self.budget(of: engagement, in: db),
                input: input,
                filedBy: principal.role,
                at: now
            )
            try complaint.insert(db)
            try Journal.created("complaint", id: complaint.id, complaint, by: principal.actor, at: now, in: db)
            return complaint
        }
    }

    public func updateComplaint(_ id: String, _ patch: ComplaintPatch, ifVersion: Int?, by principal: Principal) async throws -> Complaint {
        try Policy.require(principal, .editComplaint)
        return try await update(Complaint.self, entity: "complaint", id: id, ifVersion: ifVersion, action: "updated", by: principal) {
            complaint,
            now in
            try complaint.apply(patch, at: now)
        }
    }

    /// The studio complained about gives (or replaces) its account of what happened.
    public func recordStudioAccount(_ id: String, _ input: StudioAccountInput, by principal: Principal) async throws -> Complaint {
        try Policy.require(principal, .recordStudioAccount)
        let now = clock.now()
        return try await transaction { db in
            guard var complaint = try Complaint.fetchOne(db, key: id), Policy.reaches(principal, .recordStudioAccount, complaint.owners) else {
                throw DomainError.notFound(entity: "complaint", id: id)
            }
            let old = complaint
            try complaint.recordStudioAccount(input, by: principal, at: now)
            guard complaint != old else { return complaint }
            try complaint.update(db)
            let action = old.studioAccount == nil ? "studio-account-recorded" : "studio-account-replaced"
            try Journal.changed("complaint", id: id, action: action, from: old, to: complaint, by: principal.actor, at: now, in: db)
            return complaint
        }
    }

    public func recordMeeting(_ id: String, _ input: MeetingInput, by principal: Principal) async throws -> Complaint {
        try Policy.require(principal, .recordMeeting)
        return try await update(Complaint.self, entity: "complaint", id: id, ifVersion: nil, action: "meeting-held", by: principal) {
            complaint,
            now in
            try complaint.recordMeeting(input, by: principal.actor, at: now)
        }
    }

    public func proposePlan(_ id: String, _ input: PlanInput, by principal: Principal) async throws -> Complaint {
        try Policy.require(principal, .proposePlan)
        let stepIds = input.steps.map { _ in Identifier.make("stp") }
        return try await update(Complaint.self, entity: "complaint", id: id, ifVersion: nil, action: "plan-proposed", by: principal) {
            complaint,
            now in
            try complaint.proposePlan(input, stepIds: stepIds, by: principal.actor, at: now)
        }
    }

    /// The head coordinator approves the plan; the engagement goes into recovery in the same transaction.
    public func approvePlan(_ id: String, by principal: Principal) async throws -> Complaint {
        try Policy.require(principal, .approvePlan)
        let now = clock.now()
        return try await transaction { db in
            guard var complaint = try Complaint.fetchOne(db, key: id) else { throw DomainError.notFound(entity: "complaint", id: id) }
            let old = complaint
            try complaint.approve(by: principal, at: now)
            try complaint.update(db)
            try Journal.changed("complaint", id: id, action: "plan-approved", from: old, to: complaint, by: principal.actor, at: now, in: db)
            if var engagement = try Engagement.fetchOne(db, key: complaint.engagementId), engagement.status != .inRecovery {
                let before = engagement
                try engagement.enterRecovery(at: now)
                try engagement.update(db)
                try Journal.changed(
                    "engagement",
                    id: engagement.id,
                    action: "in-recovery",
                    from: before,
                    to: engagement,
                    by: principal.actor,
                    at: now,
                    in: db
                )
            }
            return complaint
        }
    }

    public func resolveComplaint(_ id: String, _ input: ResolutionInput, by principal: Principal) async throws -> Complaint {
        try Policy.require(principal, .resolveComplaint)
        let now = clock.now()
        return try await transaction { db in
            guard var complaint = try Complaint.fetchOne(db, key: id), let engagement = try Engagement.fetchOne(db, key: complaint.engagementId)
            else {
                throw DomainError.notFound(entity: "complaint", id: id)
            }
            let old = complaint
            try complaint.resolve(input, budget: try Self.budget(of: engagement, in: db), by: principal.actor, at: now)
            try complaint.update(db)
            try Journal.changed("complaint", id: id, action: "resolved", from: old, to: complaint, by: principal.actor, at: now, in: db)
            return complaint
        }
    }

    /// What the club told the client on receiving the complaint: `acknowledged` the first time,
    /// `acknowledgement-amended` when a coordinator corrects the record (docs/design.md §3.6).
    public func acknowledgeComplaint(_ id: String, _ input: AcknowledgementInput, by principal: Principal) async throws -> Complaint {
        try Policy.require(principal, .acknowledgeComplaint)
        let now = clock.now()
        return try await transaction { db in
            guard var complaint = try Complaint.fetchOne(db, key: id), Policy.reaches(principal, .acknowledgeComplaint, complaint.owners) else {
                throw DomainError.notFound(entity: "complaint", id: id)
            }
            let old = complaint
            try complaint.acknowledge(input, by: principal.actor, at: now)
            guard complaint != old else { return complaint }
            try complaint.update(db)
            let action = old.acknowledgement == nil ? "acknowledged" : "acknowledgement-amended"
            try Journal.changed("complaint", id: id, action: action, from: old, to: complaint, by: principal.actor, at: now, in: db)
            return complaint
        }
    }

    /// An update given to the client; the plan's rhythm counts from the latest.
    public func recordComplaintUpdate(_ id: String, _ input: ComplaintUpdateInput, by principal: Principal) async throws -> Complaint {
        try Policy.require(principal, .recordComplaintUpdate)
        return try await update(Complaint.self, entity: "complaint", id: id, ifVersion: nil, action: "update-recorded", by: principal) {
            complaint,
            now in
            try complaint.recordUpdate(input, by: principal.actor, at: now)
        }
    }

    /// The client (or a coordinator on its behalf) says whether the resolution satisfies it:
    /// `resolution-confirmed`, or `resolution-contested`, which reopens the complaint.
    public func answerResolution(_ id: String, _ input: ResolutionAnswerInput, by principal: Principal) async throws -> Complaint {
        try Policy.require(principal, .answerResolution)
        let now = clock.now()
        return try await transaction { db in
            guard var complaint = try Complaint.fetchOne(db, key: id), Policy.reaches(principal, .answerResolution, complaint.owners) else {
                throw DomainError.notFound(entity: "complaint", id: id)
            }
            let old = complaint
            try complaint.answerResolution(input, by: principal, at: now)
            try complaint.update(db)
            let action = input.satisfied ? "resolution-confirmed" : "resolution-contested"
            try Journal.changed("complaint", id: id, action: action, from: old, to: complaint, by: principal.actor, at: now, in: db)
            return complaint
        }
    }

    // MARK: - Reads

    /// Coordinators, the engagement's client and the studio complained about (which reads the
    /// shared parts: the meeting is held without the studios); otherwise 404.
    public func complaint(_ id: String, for principal: Principal) async throws -> Complaint {
        try Policy.require(principal, .readComplaint)
        let complaint = try await writer.read { db in try Complaint.fetchOne(db, key: id) }
        guard let complaint, Policy.reaches(principal, .readComplaint, complaint.owners) else {
            throw DomainError.notFound(entity: "complaint", id: id)
        }
        return complaint
    }

    /// The engagement's budget is its request's.
    static func budget(of engagement: Engagement, in db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT budget FROM lead WHERE id = ?", arguments: [engagement.requestId]) ?? 0
    }
}
