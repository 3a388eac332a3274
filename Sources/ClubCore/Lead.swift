import Foundation

/// Where a client's request stands: `new → qualified → shortlisted → matched → closed | lost |
/// withdrawn`.
public enum LeadStatus: String, Codable, Sendable, CaseIterable {
    case new
    case qualified
    case shortlisted
    case matched
    case closed
    case lost
    case withdrawn

    public var isOpen: Bool { ![.closed, .lost, .withdrawn].contains(self) }
}

/// Why the club refers the work rather than doing it itself.
public enum ReferralReason: String, Codable, Sendable, CaseIterable {
    case outsideSpecialism = "outside_specialism"
    case size
    case other
}

/// The client's acceptance of shared responsibility for a rush request: who, when, and what was said.
public struct SharedResponsibility: Codable, Sendable, Equatable {
    public let acceptedBy: String
    public let acceptedAt: Date
    public let note: String
    public let recordedBy: String
}

/// A client's request (a lead): the stated ask, the business goal behind it, and the coordinator's
/// reframing into the competences that serve the goal.
public struct Lead: Codable, Sendable, Equatable {
    public let id: String
    public let clientId: String
    public private(set) var statedAsk: String
    public private(set) var businessGoal: String
    public private(set) var requiredCompetences: [String]
    public private(set) var proposedApproach: String?
    public private(set) var rationale: String?
    public private(set) var budget: Int
    public private(set) var deadline: Day
    public private(set) var region: String?
    public private(set) var referralReason: ReferralReason?
    public private(set) var status: LeadStatus
    /// The deadline is closer than the rush threshold while the club still looks for a studio
    /// (refreshed whenever the lead is read; false once matched or past its deadline).
    public private(set) var rush: Bool
    public private(set) var sharedResponsibility: SharedResponsibility?
    public private(set) var closingReason: String?
    /// The club's own note on the request (internal).
    public private(set) var internalNote: String?
    public private(set) var version: Int
    public let createdAt: Date
    public private(set) var updatedAt: Date

    public init(id: String, input: LeadInput, rules: ClubRules, at now: Date) throws {
        var validator = Validator()
        let statedAsk = validator.text(input.statedAsk, "statedAsk", maxLength: Limits.longText)
        let businessGoal = validator.text(input.businessGoal, "businessGoal", maxLength: Limits.longText)
        validator.check((0...Limits.maxAmount).contains(input.budget), "budget", "must be from 0 to \(Limits.maxAmount)")
        validator.check(!input.deadline.hasPassed(at: now, in: rules.timeZone), "deadline", "must not be in the past")
        let region = validator.optionalText(input.region, "region", maxLength: 64)
        let internalNote = validator.internalNote(input.internalNote)
        try validator.finish()
        self.id = id
        self.clientId = input.clientId
        self.statedAsk = statedAsk
        self.businessGoal = businessGoal
        self.requiredCompetences = []
        self.proposedApproach = nil
        self.rationale = nil
        self.budget = input.budget
        self.deadline = input.deadline
        self.region = region
        self.referralReason = input.referralReason
        self.status = .new
        self.rush = Self.isRush(status: .new, deadline: input.deadline, rules: rules, at: now)
        self.sharedResponsibility = nil
        self.closingReason = nil
        self.internalNote = internalNote
        self.version = 1
        self.createdAt = now
        self.updatedAt = now
    }

    /// The coordinator's reframing and corrections. A new lead becomes `qualified` as soon as it
    /// has required competences and a rationale; a qualified one cannot lose them.
    public mutating func apply(_ patch: LeadPatch, rules: ClubRules, at now: Date) throws {
        guard status.isOpen else {
            throw DomainError.illegalTransition(entity: "request", from: status.rawValue, action: "be edited")
        }
        var validator = Validator()
        let competences = validator.textList(patch.requiredCompetences ?? requiredCompetences, "requiredCompetences")
        rules.validateCompetences(competences, field: "requiredCompetences", into: &validator)
        let approach = patch.proposedApproach.map { validator.optionalText($0, "proposedApproach") } ?? proposedApproach
        let rationale = patch.rationale.map { validator.optionalText($0, "rationale") } ?? self.rationale
        let statedAsk = patch.statedAsk.map { validator.text($0, "statedAsk", maxLength: Limits.longText) } ?? self.statedAsk
        let businessGoal = patch.businessGoal.map { validator.text($0, "businessGoal", maxLength: Limits.longText) } ?? self.businessGoal
        let region = patch.region.map { validator.optionalText($0, "region", maxLength: 64) } ?? self.region
        let internalNote = patch.internalNote.map { validator.internalNote($0) } ?? self.internalNote
        let budget = patch.budget ?? self.budget
        validator.check((0...Limits.maxAmount).contains(budget), "budget", "must be from 0 to \(Limits.maxAmount)")
        if let deadline = patch.deadline { validator.check(!deadline.hasPassed(at: now, in: rules.timeZone), "deadline", "must not be in the past") }
        if status != .new {
            validator.check(!competences.isEmpty, "requiredCompetences", "a qualified request keeps its required competences")
            validator.check(rationale != nil, "rationale", "a qualified request keeps its rationale")
        }
        try validator.finish()
        let before = self
        self.requiredCompetences = competences
        self.proposedApproach = approach
        self.rationale = rationale
        self.statedAsk = statedAsk
        self.businessGoal = businessGoal
        self.region = region
        self.budget = budget
        self.deadline = patch.deadline ?? deadline
        self.referralReason = patch.referralReason ?? referralReason
        self.internalNote = internalNote
        if status == .new, !competences.isEmpty, rationale != nil { status = .qualified }
        refreshRush(rules: rules, at: now)
        if self != before { touch(at: now) }
    }

    /// Keeps `rush` true to the deadline and the clock. The stored shared responsibility stays
    /// whatever `rush` says later: it is the record of what the client accepted.
    public mutating func refreshRush(rules: ClubRules, at now: Date) {
        rush = Self.isRush(status: status, deadline: deadline, rules: rules, at: now)
    }

    /// Rush is about the time left to find a studio: a request that is matched (or ended), or whose
    /// deadline has passed, has none left to be short of (docs/design.md §3.3).
    static func isRush(status: LeadStatus, deadline: Day, rules: ClubRules, at now: Date) -> Bool {
        guard [.new, .qualified, .shortlisted].contains(status), !deadline.hasPassed(at: now, in: rules.timeZone) else { return false }
        return rules.isRush(deadline, at: now)
    }

    /// Records that the client accepted shared responsibility for a rush deadline.
    public mutating func recordSharedResponsibility(_ input: SharedResponsibilityInput, by actor: Actor, at now: Date) throws {
        guard status.isOpen else {
            throw DomainError.illegalTransition(entity: "request", from: status.rawValue, action: "record shared responsibility")
        }
        var validator = Validator()
        let acceptedBy = validator.text(input.acceptedBy, "acceptedBy")
        let note = validator.text(input.note, "note", maxLength: Limits.longText)
        validator.check(input.acceptedAt <= now, "acceptedAt", "must not be in the future")
        try validator.finish()
        sharedResponsibility = SharedResponsibility(acceptedBy: acceptedBy, acceptedAt: input.acceptedAt, note: note, recordedBy: actor.name)
        touch(at: now)
    }

    /// A shortlist may be made for a qualified request (and again later, for part of its scope).
    /// A rush request needs the client's shared responsibility on record first.
    public mutating func markShortlisted(rules: ClubRules, at now: Date) throws {
        guard [.qualified, .shortlisted, .matched].contains(status) else {
            throw DomainError.illegalTransition(
                entity: "request",
                from: status.rawValue,
                action: "be shortlisted (it needs required competences and a rationale first)"
            )
        }
        refreshRush(rules: rules, at: now)
        if rush, sharedResponsibility == nil {
            throw DomainError.ruleBroken(
                .rushNeedsSharedResponsibility,
                detail:
                    "the deadline \(deadline) is closer than \(rules.rushThresholdDays) days: "
                    + "record the client's acceptance of shared responsibility before shortlisting"
            )
        }
        if status == .qualified { status = .shortlisted }
        touch(at: now)
    }

    /// An engagement started: the request is matched.
    public mutating func markMatched(at now: Date) throws {
        guard [.shortlisted, .matched].contains(status) else {
            throw DomainError.illegalTransition(entity: "request", from: status.rawValue, action: "be matched")
        }
        if status != .matched {
            status = .matched
            rush = false
            touch(at: now)
        }
    }

    /// Ends the request: `closed` (the work is done), `lost` or `withdrawn`.
    public mutating func close(_ input: LeadClosing, at now: Date) throws {
        guard status.isOpen else {
            throw DomainError.illegalTransition(entity: "request", from: status.rawValue, action: input.outcome.rawValue)
        }
        if input.outcome == .closed, status != .matched {
            throw DomainError.illegalTransition(
                entity: "request",
                from: status.rawValue,
                action: "be closed (only a matched request is closed; otherwise it is lost or withdrawn)"
            )
        }
        var validator = Validator()
        closingReason = validator.text(input.reason, "reason", maxLength: Limits.longText)
        try validator.finish()
        status = LeadStatus(rawValue: input.outcome.rawValue) ?? .closed
        rush = false
        touch(at: now)
    }

    private mutating func touch(at now: Date) {
        version += 1
        updatedAt = now
    }
}

extension Lead: Versioned {}
