import Foundation

/// `active → at_risk → in_recovery → released → completed`, or `→ terminated` from any open state.
public enum EngagementStatus: String, Codable, Sendable, CaseIterable {
    case active
    case atRisk = "at_risk"
    case inRecovery = "in_recovery"
    case released
    case completed
    case terminated

    /// An open engagement takes one unit of its studio's capacity.
    public var isOpen: Bool { self != .completed && self != .terminated }

    /// The moves a coordinator makes by hand. `in_recovery` comes only from an approved recovery
    /// plan and `terminated` only from an exit, each through its own action.
    public func allowsManualMove(to next: EngagementStatus) -> Bool {
        switch (self, next) {
        case (.active, .atRisk), (.atRisk, .active), (.active, .released), (.atRisk, .released), (.inRecovery, .released), (.released, .completed):
            true
        default: false
        }
    }
}

/// One studio's work for a request (or part of its scope).
public struct Engagement: Codable, Sendable, Equatable {
    public let id: String
    public let requestId: String
    public let clientId: String
    public let studioId: String
    /// The accepted referral this engagement was started on; each starts at most one.
    public let referralId: String
    /// The competences this studio does. A re-match of part of the request moves that part out
    /// to the new engagement (docs/design.md §3.5).
    public private(set) var scope: [String]
    /// Who chose the studio: the client itself, or a coordinator (on the client's behalf, or by
    /// starting the engagement directly).
    public let chosenBy: ChoiceParty
    /// What was said about the choice ("chosen on the phone"); required when a coordinator records
    /// the client's choice.
    public let choiceNote: String?
    public private(set) var status: EngagementStatus
    /// The stages at whose end the client is asked for feedback (plus `completion`).
    public private(set) var keyStages: [String]
    public private(set) var stagesReached: [String]
    public let startedAt: Date
    public private(set) var endedAt: Date?
    /// The club's own note on the engagement (internal).
    public private(set) var internalNote: String?
    public private(set) var version: Int
    public private(set) var updatedAt: Date

    /// Starts an engagement: only for a studio that accepted the referral for this request, with
    /// free capacity, on a scope the request needs.
    public init(
        id: String,
        input: EngagementInput,
        lead: Lead,
        acceptedReferral: Referral?,
        studio: MatchCandidate,
        keyStages: [String],
        chosenBy: ChoiceParty = .coordinator,
        choiceNote: String? = nil,
        at now: Date
    ) throws {
        guard let acceptedReferral, acceptedReferral.status == .accepted, acceptedReferral.studioId == input.studioId,
            acceptedReferral.requestId == lead.id
        else {
            throw DomainError.ruleBroken(
                .referralNeedsAcceptance,
                detail: "an engagement starts only with a studio that accepted the referral for this request"
            )
        }
        guard studio.status == .active else {
            throw DomainError.ruleBroken(.studioNotActive, detail: "studio \(studio.studioId) is \(studio.status.rawValue)")
        }
        guard studio.freeCapacity > 0 else {
            throw DomainError.ruleBroken(
                .noFreeCapacity,
                detail: "studio \(studio.studioId) has no free capacity (\(studio.openEngagements) of \(studio.capacity) engagements open)"
            )
        }
        var validator = Validator()
        let scope = validator.textList(input.scope ?? lead.requiredCompetences, "scope", allowEmpty: false)
        let internalNote = validator.internalNote(input.internalNote)
        try validator.finish()
        let outside = scope.filter { !lead.requiredCompetences.contains($0) }
        if !outside.isEmpty {
            throw DomainError.ruleBroken(
                .scopeOutsideRequest,
                detail: "scope names competences the request does not need: \(outside.joined(separator: ", "))"
            )
        }
        self.id = id
        self.requestId = lead.id
        self.clientId = lead.clientId
        self.studioId = input.studioId
        self.referralId = acceptedReferral.id
        self.scope = scope
        self.chosenBy = chosenBy
        self.choiceNote = choiceNote
        self.status = .active
        self.keyStages = keyStages
        self.stagesReached = []
        self.startedAt = now
        self.endedAt = nil
        self.internalNote = internalNote
        self.version = 1
        self.updatedAt = now
    }

    /// A coordinator's changes: a manual status move, the key stages, the stages reached.
    /// `fixLists` are the statuses of the engagement's fix lists: an engagement in recovery is
    /// released only once its agreed fix list is done.
    public mutating func apply(_ patch: EngagementPatch, fixLists: [FixListStatus] = [], at now: Date) throws {
        var validator = Validator()
        let stages = patch.keyStages.map { validator.textList($0, "keyStages", maxCount: 30, allowEmpty: false) } ?? keyStages
        let reached = patch.stagesReached.map { validator.textList($0, "stagesReached", maxCount: 30) } ?? stagesReached
        for (index, stage) in reached.enumerated() where !stages.contains(stage) {
            validator.fail("stagesReached[\(index)]", "'\(stage)' is not one of the key stages (\(stages.joined(separator: ", ")))")
        }
        let internalNote = patch.internalNote.map { validator.internalNote($0) } ?? self.internalNote
        try validator.finish()
        let before = self
        if let next = patch.status, next != status {
            guard status.allowsManualMove(to: next) else {
                throw DomainError.illegalTransition(entity: "engagement", from: status.rawValue, action: "move to \(next.rawValue)")
            }
            if status == .inRecovery, next == .released {
                let settled = fixLists.filter { $0 != .draft }
                guard !settled.isEmpty, settled.allSatisfy({ $0 == .done }) else {
                    throw DomainError.ruleBroken(
                        .releaseNeedsDoneFixList,
                        detail: "an engagement in recovery is released only when its agreed fix list is done (every item struck)"
                    )
                }
            }
            status = next
            if !next.isOpen { endedAt = now }
        }
        keyStages = stages
        stagesReached = reached
        self.internalNote = internalNote
        if self != before { touch(at: now) }
    }

    /// Applies the check-in rule: a sentiment of 2 or less, or two falls in a row, puts an active
    /// engagement at risk. `sentiments` are all check-ins' sentiments in the order they were held.
    public mutating func assessRisk(sentiments: [Int], at now: Date) -> Bool {
        guard status == .active, CheckIn.signalsRisk(sentiments) else { return false }
        status = .atRisk
        touch(at: now)
        return true
    }

    /// An approved recovery plan puts an open engagement into recovery.
    public mutating func enterRecovery(at now: Date) throws {
        guard [.active, .atRisk, .released].contains(status) else {
            throw DomainError.illegalTransition(entity: "engagement", from: status.rawValue, action: "enter recovery")
        }
        status = .inRecovery
        touch(at: now)
    }

    /// Parting with the client: ends the engagement from any open state, freeing the capacity.
    public mutating func terminate(at now: Date) throws {
        guard status.isOpen else {
            throw DomainError.illegalTransition(entity: "engagement", from: status.rawValue, action: "be terminated")
        }
        status = .terminated
        endedAt = now
        touch(at: now)
    }

    /// A re-match gave `parts` of the scope to another studio's engagement on the same request: they
    /// leave this one. All of it may not leave an open engagement: two studios would then hold the
    /// same work; the club parts with this one through an exit first (`rematch-takes-whole-scope`).
    /// Returns whether anything moved.
    @discardableResult
    public mutating func moveScopeOut(_ parts: [String], to other: String, at now: Date) throws -> Bool {
        let moving = scope.filter { parts.contains($0) }
        guard status.isOpen, !moving.isEmpty else { return false }
        guard moving.count < scope.count else {
            throw DomainError.ruleBroken(
                .rematchTakesWholeScope,
                detail:
                    "engagement \(id) is \(status.rawValue) on \(scope.joined(separator: ", ")): engagement \(other) would take all of it; "
                    + "part with the studio through an exit first"
            )
        }
        scope.removeAll { moving.contains($0) }
        touch(at: now)
        return true
    }

    /// Feedback on `completion` is asked for once the engagement is completed, not before: a
    /// released engagement may still go into recovery (`completion-feedback-needs-completion`).
    public func checkFeedbackStage(_ stage: String) throws {
        guard stage == Self.completionStage, status != .completed else { return }
        throw DomainError.ruleBroken(
            .completionFeedbackNeedsCompletion,
            detail: "engagement \(id) is \(status.rawValue): feedback on completion is given once it is completed"
        )
    }

    /// The stage at whose end the client is always asked, beside the key stages.
    public static let completionStage = "completion"

    /// Stages reached (and `completion` once completed) that have no feedback yet.
    public func stagesAwaitingFeedback(given: Set<String>) -> [String] {
        var due = stagesReached
        if status == .completed, !due.contains("completion") { due.append("completion") }
        return due.filter { !given.contains($0) }
    }

    mutating func touch(at now: Date) {
        version += 1
        updatedAt = now
    }
}

extension Engagement: Versioned {}

/// Input of `POST /v1/requests/{id}/engagements`.
public struct EngagementInput: Codable, Sendable {
    public let studioId: String
    public let scope: [String]?
    /// The club's own note (internal).
    public let internalNote: String?

    public init(studioId: String, scope: [String]? = nil, internalNote: String? = nil) {
        self.studioId = studioId
        self.scope = scope
        self.internalNote = internalNote
    }
}

/// Input of `PATCH /v1/engagements/{id}`.
public struct EngagementPatch: Codable, Sendable {
    public let status: EngagementStatus?
    public let keyStages: [String]?
    public let stagesReached: [String]?
    /// An empty text clears it.
    public let internalNote: String?

    public init(status: EngagementStatus? = nil, keyStages: [String]? = nil, stagesReached: [String]? = nil, internalNote: String? = nil) {
        self.status = status
        self.keyStages = keyStages
        self.stagesReached = stagesReached
        self.internalNote = internalNote
    }
}
