import Foundation

/// `received → meeting_held → plan_proposed → plan_approved → resolved`; a resolution the client
/// says does not satisfy it goes back to `plan_approved` (docs/design.md §3.6).
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

/// How the meeting with the client was held; seed 004 prefers meeting in person.
public enum MeetingMode: String, Codable, Sendable, CaseIterable {
    case inPerson = "in_person"
    case video
    case call
}

/// The meeting with the client, facts and emotions kept apart.
public struct ComplaintMeeting: Codable, Sendable, Equatable {
    public let heldAt: Date
    /// Absent when nobody recorded it (meetings recorded before the mode was asked, or a body
    /// without it, as DESIGN §8's).
    public let mode: MeetingMode?
    /// Who took part, as the coordinator names them; absent when not recorded.
    public let attendees: [String]?
    public let studiosPresent: Bool
    public let facts: [String]
    public let emotions: [String]
    public let notes: String?
    public let recordedBy: String
}

/// What the club told the client on receiving the complaint, and whether it apologised
/// (seed 004: acknowledge first, apologise where it is due). Until it is recorded the complaint
/// waits on the follow-ups.
public struct ComplaintAcknowledgement: Codable, Sendable, Equatable {
    public let sentAt: Date
    public let channel: String
    public let message: String
    public let apology: Bool
    /// The coordinator who recorded it, and when.
    public let by: String
    public let recordedAt: Date
}

/// One update given to the client while the complaint is open, at the plan's rhythm.
public struct ComplaintUpdate: Codable, Sendable, Equatable {
    public let sentAt: Date
    public let channel: String
    public let summary: String
    public let by: String
}

/// An update to the client that is overdue: the plan's rhythm counted from the last update (or
/// the plan's approval, or the client's reopening), in the club's days.
public struct MissedUpdate: Sendable, Equatable, Encodable {
    /// The last update, approval or reopening the rhythm counts from.
    public let since: Date
    /// The last day the next update was due.
    public let due: Day
    /// Whole days past `due`, at least 1.
    public let daysLate: Int
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

    public func isOverdue(at now: Date, in zone: TimeZone) -> Bool { doneAt == nil && due.hasPassed(at: now, in: zone) }

    mutating func markDone(at now: Date) { if doneAt == nil { doneAt = now } }
}

/// The recovery plan: goals, steps with owners and due dates, follow-ups, and an upsell if any.
public struct RecoveryPlan: Codable, Sendable, Equatable {
    public let goals: [PlanGoal]
    public private(set) var steps: [PlanStep]
    public let followUps: [String]
    public let upsell: String?
    /// The agreed rhythm of updates to the client while in recovery, in days (1–30); absent
    /// when the plan agreed none.
    public let updateEveryDays: Int?
    public let proposedBy: String
    public let proposedAt: Date
    public private(set) var approvedBy: String?
    public private(set) var approvedAt: Date?

    /// The rhythm a plan may agree: at least daily, at most monthly.
    public static let updateRhythm = 1...30

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

/// The club's decision whether a complaint is upheld against the studio: `true`, `false` or
/// `"partly"` on the wire, so that resolutions stored as a plain `true`/`false` still read.
public enum UpheldDecision: Sendable, Equatable, Codable, CaseIterable {
    case upheld
    case notUpheld
    case partly

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = flag ? .upheld : .notUpheld
        } else if let text = try? container.decode(String.self), text == "partly" {
            self = .partly
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be true, false or \"partly\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .upheld: try container.encode(true)
        case .notUpheld: try container.encode(false)
        case .partly: try container.encode("partly")
        }
    }

    /// The value as the API and the console's forms spell it.
    public var wireValue: String {
        switch self {
        case .upheld: "true"
        case .notUpheld: "false"
        case .partly: "partly"
        }
    }

    public init?(wireValue: String) {
        guard let decision = Self.allCases.first(where: { $0.wireValue == wireValue }) else { return nil }
        self = decision
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
    /// Whether the complaint was justified, decided explicitly; upheld (and partly upheld)
    /// complaints count against the studio (docs/design.md §3.12).
    public let upheld: UpheldDecision
    /// Why: absent only on resolutions recorded before the decision was asked for.
    public let upheldReason: String?
    public let resolvedBy: String
    public let resolvedAt: Date
}

/// The client's answer to a resolution: satisfied, or not with its own words, which reopens the
/// complaint. Recorded by the client, or by a coordinator on its behalf (`onBehalf`).
public struct ResolutionAnswer: Codable, Sendable, Equatable {
    public let satisfied: Bool
    public let comment: String?
    public let by: String
    public let onBehalf: Bool
    public let at: Date
    /// The resolution answered; a contested one is kept here once the complaint reopens.
    public let resolution: ComplaintResolution
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
    /// What the club told the client on receiving it, once recorded.
    public private(set) var acknowledgement: ComplaintAcknowledgement?
    /// Updates given to the client, oldest first.
    public private(set) var updates: [ComplaintUpdate]
    /// The client's answers to resolutions, oldest first.
    public private(set) var resolutionAnswers: [ResolutionAnswer]
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
        self.updates = []
        self.resolutionAnswers = []
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
        let attendees = input.attendees.map { validator.textList($0, "attendees") }
        validator.check(input.heldAt <= now, "heldAt", "must not be in the future")
        try validator.finish()
        meeting = ComplaintMeeting(
            heldAt: input.heldAt,
            mode: input.mode,
            attendees: attendees.flatMap { $0.isEmpty ? nil : $0 },
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
        if let every = input.updateEveryDays {
            validator.check(RecoveryPlan.updateRhythm.contains(every), "updateEveryDays", "must be between 1 and 30 days")
        }
        try validator.finish()
        plan = RecoveryPlan(
            goals: goals,
            steps: steps,
            followUps: followUps,
            upsell: upsell,
            updateEveryDays: input.updateEveryDays,
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
        // No default: whether the studio is to blame is decided, never assumed (seed 004).
        validator.check(input.upheld != nil, "upheld", "say whether the complaint is upheld against the studio: true, false or \"partly\"")
        let reason = validator.text(input.upheldReason ?? "", "upheldReason", maxLength: Limits.longText)
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
        guard let upheld = input.upheld else { throw DomainError.invalid("upheld", "must be given") }
        resolution = ComplaintResolution(
            outcome: input.outcome,
            amount: input.amount,
            notes: notes,
            upsell: upsell,
            upheld: upheld,
            upheldReason: reason,
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

    /// What the club told the client on receiving the complaint; a later record corrects the
    /// earlier (the same acknowledgement, better recorded), until the complaint is resolved.
    public mutating func acknowledge(_ input: AcknowledgementInput, by actor: Actor, at now: Date) throws {
        let (sentAt, channel, message) = try wordToClient(
            "record an acknowledgement",
            sentAt: input.sentAt,
            channel: input.channel,
            text: (input.message, "message"),
            at: now
        )
        let acknowledgement = ComplaintAcknowledgement(
            sentAt: sentAt,
            channel: channel,
            message: message,
            apology: input.apology,
            by: actor.name,
            recordedAt: self.acknowledgement?.recordedAt ?? now
        )
        guard acknowledgement != self.acknowledgement else { return }
        self.acknowledgement = acknowledgement
        touch(at: now)
    }

    /// An update given to the client, at any stage before the resolution.
    public mutating func recordUpdate(_ input: ComplaintUpdateInput, by actor: Actor, at now: Date) throws {
        let (sentAt, channel, summary) = try wordToClient(
            "record an update to the client",
            sentAt: input.sentAt,
            channel: input.channel,
            text: (input.summary, "summary"),
            at: now
        )
        updates.append(ComplaintUpdate(sentAt: sentAt, channel: channel, summary: summary, by: actor.name))
        updates.sort { $0.sentAt < $1.sentAt }
        touch(at: now)
    }

    /// Checks a word the club gave the client (an acknowledgement, an update) before the
    /// resolution: when (by default now; neither in the future nor before the minute the
    /// complaint arrived), how, and what was said.
    private func wordToClient(
        _ action: String,
        sentAt given: Date?,
        channel: String,
        text: (value: String, field: String),
        at now: Date
    ) throws -> (sentAt: Date, channel: String, text: String) {
        guard status != .resolved else {
            throw DomainError.illegalTransition(entity: "complaint", from: status.rawValue, action: action)
        }
        var validator = Validator()
        let channel = validator.text(channel, "channel", maxLength: 64)
        let said = validator.text(text.value, text.field, maxLength: Limits.longText)
        let sentAt = given ?? now
        validator.check(sentAt <= now, "sentAt", "must not be in the future")
        validator.check(sentAt >= receivedMinute, "sentAt", "must not be before the complaint was received")
        try validator.finish()
        return (sentAt, channel, said)
    }

    /// The client says whether the resolution satisfies it, once per resolution; a coordinator may
    /// record the answer given on the phone. Not satisfied reopens the complaint: back to
    /// `plan_approved` with the resolution kept in the answer, the client's words with it.
    public mutating func answerResolution(_ input: ResolutionAnswerInput, by principal: Principal, at now: Date) throws {
        try Policy.require(principal, .answerResolution)
        guard principal.role == .coordinator || principal.clientId == clientId else {
            throw DomainError.forbidden("only the client who complained answers its resolution")
        }
        guard status == .resolved, let resolution else {
            throw DomainError.illegalTransition(entity: "complaint", from: status.rawValue, action: "take an answer (it is not resolved)")
        }
        guard resolutionAnswers.last?.resolution != resolution else {
            throw DomainError.illegalTransition(entity: "complaint", from: status.rawValue, action: "take a second answer to the same resolution")
        }
        var validator = Validator()
        let comment = validator.optionalText(input.comment, "comment")
        validator.check(input.satisfied || comment != nil, "comment", "say in the client's words what does not satisfy it")
        try validator.finish()
        resolutionAnswers.append(
            ResolutionAnswer(
                satisfied: input.satisfied,
                comment: comment,
                by: principal.name,
                onBehalf: principal.role != .client,
                at: now,
                resolution: resolution
            )
        )
        if !input.satisfied {
            self.resolution = nil
            status = .planApproved
        }
        touch(at: now)
    }

    /// The update to the client that is overdue at `now`, if any: only while in recovery (the
    /// plan approved and not resolved) with a rhythm agreed; due on the day `updateEveryDays`
    /// after the last update, the approval or the client's reopening, in the club's zone.
    public func missedUpdate(at now: Date, in zone: TimeZone) -> MissedUpdate? {
        guard status == .planApproved, let plan, let every = plan.updateEveryDays, let approvedAt = plan.approvedAt else { return nil }
        let reopenings = resolutionAnswers.filter { !$0.satisfied }.map(\.at)
        let since = ([approvedAt] + updates.map(\.sentAt) + reopenings).max() ?? approvedAt
        let due = Day(containing: since, in: zone).adding(days: every)
        let today = Day(containing: now, in: zone)
        guard due < today else { return nil }
        let late = Self.gregorian.dateComponents([.day], from: due.start(in: .gmt), to: today.start(in: .gmt)).day ?? 1
        return MissedUpdate(since: since, due: due, daysLate: max(late, 1))
    }

    private static let gregorian: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    /// Upheld in full or in part (a complaint not upheld, or not resolved, is not).
    public var isUpheld: Bool { resolution.map { $0.upheld != .notUpheld } ?? false }

    private mutating func touch(at now: Date) {
        version += 1
        updatedAt = now
    }
}

extension Complaint: Versioned, Identified {}

extension Complaint {
    /// The minute the complaint arrived: a time the console takes to the minute
    /// (`datetime-local`) may name it, as "sent at 13:34" for a complaint received at 13:34:20.
    var receivedMinute: Date {
        Date(timeIntervalSince1970: (receivedAt.timeIntervalSince1970 / 60).rounded(.down) * 60)
    }
}
