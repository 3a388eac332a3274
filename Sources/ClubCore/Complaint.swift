import Foundation

/// `received → meeting_held → plan_proposed → plan_approved → resolved`.
public enum ComplaintStatus: String, Codable, Sendable, CaseIterable {
    case received
    case meetingHeld = "meeting_held"
    case planProposed = "plan_proposed"
    case planApproved = "plan_approved"
    case resolved
}

/// What the client asks for.
public struct ComplaintDemand: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case refund
        case redo
        case replaceStudio = "replace_studio"
        case other
    }

    public let kind: Kind
    /// Only for a refund: not above the engagement's budget.
    public let amount: Int?
    public let note: String?

    public init(kind: Kind, amount: Int? = nil, note: String? = nil) {
        self.kind = kind
        self.amount = amount
        self.note = note
    }
}

/// The meeting with the client, facts and emotions kept apart.
public struct ComplaintMeeting: Codable, Sendable, Equatable {
    public let heldAt: Date
    public let studiosPresent: Bool
    public let facts: [String]
    public let emotions: [String]
    public let notes: String?
    public let recordedBy: String
}

/// One goal of a recovery plan and who reads it: every party by default; the coordinator may
/// keep a goal to the club (`internal`), as "talk to the studio that criticised unconstructively".
/// Read from a plain string (a shared goal, as clients have always sent) or from an object;
/// written as an object.
public struct PlanGoal: Codable, Sendable, Equatable, ExpressibleByStringLiteral {
    public let text: String
    public let visibility: Visibility

    public init(_ text: String, visibility: Visibility = .shared) {
        self.text = text
        self.visibility = visibility
    }

    public init(stringLiteral text: String) {
        self.init(text)
    }

    private enum CodingKeys: String, CodingKey {
        case text, visibility
    }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self.init(text)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            try container.decode(String.self, forKey: .text),
            visibility: try container.decodeIfPresent(Visibility.self, forKey: .visibility) ?? .shared
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(visibility, forKey: .visibility)
    }
}

/// One step of a recovery plan: what, who, by when, whether it was done, and who reads it
/// (every party unless the coordinator keeps it to the club).
public struct PlanStep: Codable, Sendable, Equatable {
    public let id: String
    public let action: String
    public let owner: AgreementOwner
    public let due: Day
    public private(set) var doneAt: Date?
    public let visibility: Visibility

    public init(id: String, action: String, owner: AgreementOwner, due: Day, doneAt: Date? = nil, visibility: Visibility = .shared) {
        self.id = id
        self.action = action
        self.owner = owner
        self.due = due
        self.doneAt = doneAt
        self.visibility = visibility
    }

    private enum CodingKeys: String, CodingKey {
        case id, action, owner, due, doneAt, visibility
    }

    /// Steps stored before steps had a visibility are shared.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id),
            action: try container.decode(String.self, forKey: .action),
            owner: try container.decode(AgreementOwner.self, forKey: .owner),
            due: try container.decode(Day.self, forKey: .due),
            doneAt: try container.decodeIfPresent(Date.self, forKey: .doneAt),
            visibility: try container.decodeIfPresent(Visibility.self, forKey: .visibility) ?? .shared
        )
    }

    public func isOverdue(at now: Date) -> Bool { doneAt == nil && due.hasPassed(at: now) }

    mutating func markDone(at now: Date) { if doneAt == nil { doneAt = now } }
}

/// The recovery plan: goals, steps with owners and due dates, follow-ups, and an upsell if any.
public struct RecoveryPlan: Codable, Sendable, Equatable {
    public let goals: [PlanGoal]
    public private(set) var steps: [PlanStep]
    public let followUps: [String]
    public let upsell: String?
    public let proposedBy: String
    public let proposedAt: Date
    public private(set) var approvedBy: String?
    public private(set) var approvedAt: Date?

    mutating func approve(by name: String, at now: Date) {
        approvedBy = name
        approvedAt = now
    }

    mutating func markDone(_ stepIds: [String], at now: Date) throws {
        for id in stepIds {
            guard let index = steps.firstIndex(where: { $0.id == id }) else {
                throw DomainError.invalid("completedSteps", "no step '\(id)' in the plan")
            }
            steps[index].markDone(at: now)
        }
    }
}

/// How a complaint ended.
public struct ComplaintResolution: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        case retained
        case partialRefund = "partial_refund"
        case parted
    }

    public let outcome: Outcome
    public let amount: Int?
    public let notes: String?
    public let upsell: String?
    /// Whether the complaint was justified; upheld complaints count against the studio.
    public let upheld: Bool
    public let resolvedBy: String
    public let resolvedAt: Date
}

/// The studio's own account of what happened, which the club reads beside the client's: written
/// by the studio complained about, once or again (the latest replaces the one before).
public struct StudioAccount: Codable, Sendable, Equatable {
    public let account: String
    public let by: String
    public let at: Date

    public init(account: String, by: String, at: Date) {
        self.account = account
        self.by = by
        self.at = at
    }
}

/// A client's complaint about an engagement, carried from first contact to resolution.
public struct Complaint: Codable, Sendable, Equatable {
    public let id: String
    public let engagementId: String
    public let studioId: String
    public let clientId: String
    public let receivedAt: Date
    public private(set) var channel: String
    public private(set) var summary: String
    public let demand: ComplaintDemand
    public private(set) var status: ComplaintStatus
    public private(set) var meeting: ComplaintMeeting?
    public private(set) var plan: RecoveryPlan?
    public private(set) var resolution: ComplaintResolution?
    /// The studio's side of the story, once it gave it.
    public private(set) var studioAccount: StudioAccount?
    /// The club's own note on the complaint (internal).
    public private(set) var internalNote: String?
    public private(set) var version: Int
    public private(set) var updatedAt: Date

    /// A refund demand needs an amount above zero and not above the engagement's budget. A
    /// client filing its own complaint cannot write the club's internal note.
    public init(id: String, engagement: Engagement, budget: Int, input: ComplaintInput, filedBy role: Role = .coordinator, at now: Date) throws {
        var validator = Validator()
        let channel = validator.text(input.channel, "channel", maxLength: 64)
        let summary = validator.text(input.summary, "summary", maxLength: Limits.longText)
        let note = validator.optionalText(input.demand.note, "demand.note")
        switch input.demand.kind {
        case .refund:
            if let amount = input.demand.amount {
                validator.check(amount > 0, "demand.amount", "must be above zero")
                validator.check(amount <= budget, "demand.amount", "must not be above the engagement's budget (\(budget))")
            } else {
                validator.fail("demand.amount", "a refund demand needs an amount")
            }
        default:
            validator.check(input.demand.amount == nil, "demand.amount", "only a refund demand has an amount")
        }
        if let receivedAt = input.receivedAt { validator.check(receivedAt <= now, "receivedAt", "must not be in the future") }
        let internalNote = validator.internalNote(input.internalNote)
        validator.check(role == .coordinator || input.internalNote == nil, "internalNote", "is the club's own note: only a coordinator writes it")
        try validator.finish()
        self.id = id
        self.engagementId = engagement.id
        self.studioId = engagement.studioId
        self.clientId = engagement.clientId
        self.receivedAt = input.receivedAt ?? now
        self.channel = channel
        self.summary = summary
        self.demand = ComplaintDemand(kind: input.demand.kind, amount: input.demand.amount, note: note)
        self.status = .received
        self.internalNote = internalNote
        self.version = 1
        self.updatedAt = now
    }

    /// The meeting with the client (usually without the studios), facts apart from emotions.
    public mutating func recordMeeting(_ input: MeetingInput, by actor: Actor, at now: Date) throws {
        guard status == .received || status == .meetingHeld else {
            throw DomainError.illegalTransition(entity: "complaint", from: status.rawValue, action: "record a meeting")
        }
        var validator = Validator()
        let facts = validator.textList(input.facts, "facts", allowEmpty: false)
        let emotions = validator.textList(input.emotions ?? [], "emotions")
        let notes = validator.optionalText(input.notes, "notes")
        validator.check(input.heldAt <= now, "heldAt", "must not be in the future")
        try validator.finish()
        meeting = ComplaintMeeting(
            heldAt: input.heldAt,
            studiosPresent: input.studiosPresent,
            facts: facts,
            emotions: emotions,
            notes: notes,
            recordedBy: actor.name
        )
        status = .meetingHeld
        touch(at: now)
    }

    /// The recovery plan, proposed after the meeting (and re-proposed until approved).
    public mutating func proposePlan(_ input: PlanInput, stepIds: [String], by actor: Actor, at now: Date) throws {
        guard status == .meetingHeld || status == .planProposed else {
            throw DomainError.illegalTransition(entity: "complaint", from: status.rawValue, action: "take a plan (the meeting comes first)")
        }
        var validator = Validator()
        let texts = validator.textList(input.goals.map(\.text), "goals", allowEmpty: false)
        let goals = zip(texts, input.goals).map { text, goal in PlanGoal(text, visibility: goal.visibility) }
        validator.check(!input.steps.isEmpty, "steps", "must not be empty")
        validator.check(input.steps.count <= Limits.listCount, "steps", "must have at most \(Limits.listCount) entries")
        let steps = input.steps.enumerated().map { index, step in
            PlanStep(
                id: stepIds.indices.contains(index) ? stepIds[index] : "step-\(index + 1)",
                action: validator.text(step.action, "steps[\(index)].action", maxLength: Limits.longText),
                owner: step.owner,
                due: step.due,
                doneAt: nil,
                visibility: step.visibility ?? .shared
            )
        }
        let followUps = validator.textList(input.followUps ?? [], "followUps")
        let upsell = validator.optionalText(input.upsell, "upsell")
        try validator.finish()
        plan = RecoveryPlan(
            goals: goals,
            steps: steps,
            followUps: followUps,
            upsell: upsell,
            proposedBy: actor.name,
            proposedAt: now,
            approvedBy: nil,
            approvedAt: nil
        )
        status = .planProposed
        touch(at: now)
    }

    /// Only the head coordinator approves a recovery plan.
    public mutating func approve(by principal: Principal, at now: Date) throws {
        try Policy.require(principal, .approvePlan)
        guard status == .planProposed, plan != nil else {
            throw DomainError.illegalTransition(entity: "complaint", from: status.rawValue, action: "be approved")
        }
        plan?.approve(by: principal.name, at: now)
        status = .planApproved
        touch(at: now)
    }

    /// Corrections and progress: channel, summary, plan steps done, the club's note.
    public mutating func apply(_ patch: ComplaintPatch, at now: Date) throws {
        var validator = Validator()
        let channel = patch.channel.map { validator.text($0, "channel", maxLength: 64) } ?? channel
        let summary = patch.summary.map { validator.text($0, "summary", maxLength: Limits.longText) } ?? summary
        let internalNote = patch.internalNote.map { validator.internalNote($0) } ?? self.internalNote
        try validator.finish()
        let before = self
        self.channel = channel
        self.summary = summary
        self.internalNote = internalNote
        if let done = patch.completedSteps, !done.isEmpty {
            guard var plan else {
                throw DomainError.illegalTransition(entity: "complaint", from: status.rawValue, action: "complete plan steps (there is no plan)")
            }
            try plan.markDone(done, at: now)
            self.plan = plan
        }
        if self != before { touch(at: now) }
    }

    /// Resolution after the approved plan: kept, partly refunded, or parted.
    public mutating func resolve(_ input: ResolutionInput, budget: Int, by actor: Actor, at now: Date) throws {
        guard status == .planApproved else {
            throw DomainError.illegalTransition(entity: "complaint", from: status.rawValue, action: "be resolved (the plan must be approved first)")
        }
        var validator = Validator()
        let notes = validator.optionalText(input.notes, "notes")
        let upsell = validator.optionalText(input.upsell, "upsell")
        if input.outcome == .partialRefund {
            if let amount = input.amount {
                validator.check(amount > 0 && amount <= budget, "amount", "must be above zero and not above the engagement's budget (\(budget))")
            } else {
                validator.fail("amount", "a partial refund needs its amount")
            }
        } else {
            validator.check(input.amount == nil, "amount", "only a partial refund has an amount")
        }
        try validator.finish()
        resolution = ComplaintResolution(
            outcome: input.outcome,
            amount: input.amount,
            notes: notes,
            upsell: upsell,
            upheld: input.upheld ?? true,
            resolvedBy: actor.name,
            resolvedAt: now
        )
        status = .resolved
        touch(at: now)
    }

    /// The studio complained about gives its account, at any stage; a new one replaces the last.
    public mutating func recordStudioAccount(_ input: StudioAccountInput, by principal: Principal, at now: Date) throws {
        try Policy.require(principal, .recordStudioAccount)
        guard principal.studioId == studioId else {
            throw DomainError.forbidden("only the studio complained about gives its account")
        }
        var validator = Validator()
        let account = validator.text(input.account, "account", maxLength: Limits.longText)
        try validator.finish()
        guard studioAccount?.account != account else { return }
        studioAccount = StudioAccount(account: account, by: principal.name, at: now)
        touch(at: now)
    }

    public var isUpheld: Bool { resolution?.upheld == true }

    private mutating func touch(at now: Date) {
        version += 1
        updatedAt = now
    }
}

extension Complaint: Versioned, Identified {}
