import Foundation

/// Input of `POST /v1/engagements/{id}/complaints`.
public struct ComplaintInput: Codable, Sendable {
    public let channel: String
    public let summary: String
    public let demand: ComplaintDemand
    public let receivedAt: Date?
    /// The club's own note (internal); only a coordinator writes it.
    public let internalNote: String?

    public init(channel: String, summary: String, demand: ComplaintDemand, receivedAt: Date? = nil, internalNote: String? = nil) {
        self.channel = channel
        self.summary = summary
        self.demand = demand
        self.receivedAt = receivedAt
        self.internalNote = internalNote
    }
}

/// Input of `POST /v1/complaints/{id}/meeting`.
public struct MeetingInput: Codable, Sendable {
    public let heldAt: Date
    /// Optional, so that DESIGN §8's body stays valid: absent records no mode.
    public let mode: MeetingMode?
    public let attendees: [String]?
    public let studiosPresent: Bool
    public let facts: [String]
    public let emotions: [String]?
    public let notes: String?

    public init(
        heldAt: Date,
        mode: MeetingMode? = nil,
        attendees: [String]? = nil,
        studiosPresent: Bool,
        facts: [String],
        emotions: [String]? = nil,
        notes: String? = nil
    ) {
        self.heldAt = heldAt
        self.mode = mode
        self.attendees = attendees
        self.studiosPresent = studiosPresent
        self.facts = facts
        self.emotions = emotions
        self.notes = notes
    }
}

/// Input of `POST /v1/complaints/{id}/acknowledgement`.
public struct AcknowledgementInput: Codable, Sendable {
    /// When the client was told; now when absent.
    public let sentAt: Date?
    public let channel: String
    /// What the client was told.
    public let message: String
    public let apology: Bool

    public init(sentAt: Date? = nil, channel: String, message: String, apology: Bool) {
        self.sentAt = sentAt
        self.channel = channel
        self.message = message
        self.apology = apology
    }
}

/// Input of `POST /v1/complaints/{id}/updates`.
public struct ComplaintUpdateInput: Codable, Sendable {
    /// When the update was given; now when absent.
    public let sentAt: Date?
    public let channel: String
    public let summary: String

    public init(sentAt: Date? = nil, channel: String, summary: String) {
        self.sentAt = sentAt
        self.channel = channel
        self.summary = summary
    }
}

/// Input of `POST /v1/complaints/{id}/resolution-answer`.
public struct ResolutionAnswerInput: Codable, Sendable {
    public let satisfied: Bool
    /// The client's words; required when not satisfied.
    public let comment: String?

    public init(satisfied: Bool, comment: String? = nil) {
        self.satisfied = satisfied
        self.comment = comment
    }
}

/// Input of `POST /v1/complaints/{id}/plan`.
public struct PlanInput: Codable, Sendable {
    public struct Step: Codable, Sendable {
        public let action: String
        public let owner: AgreementOwner
        public let due: Day
        /// Every party by default; `internal` keeps the step to the club.
        public let visibility: Visibility?

        public init(action: String, owner: AgreementOwner, due: Day, visibility: Visibility? = nil) {
            self.action = action
            self.owner = owner
            self.due = due
            self.visibility = visibility
        }
    }

    /// Each a plain text (shared) or `{"text", "visibility"}`.
    public let goals: [PlanGoal]
    public let steps: [Step]
    public let followUps: [String]?
    public let upsell: String?
    /// Days between updates to the client while in recovery (1–30); none when absent.
    public let updateEveryDays: Int?

    public init(goals: [PlanGoal], steps: [Step], followUps: [String]? = nil, upsell: String? = nil, updateEveryDays: Int? = nil) {
        self.goals = goals
        self.steps = steps
        self.followUps = followUps
        self.upsell = upsell
        self.updateEveryDays = updateEveryDays
    }
}

/// Input of `PATCH /v1/complaints/{id}`.
public struct ComplaintPatch: Codable, Sendable {
    public let channel: String?
    public let summary: String?
    /// Ids of plan steps that are done.
    public let completedSteps: [String]?
    /// An empty text clears it.
    public let internalNote: String?

    public init(channel: String? = nil, summary: String? = nil, completedSteps: [String]? = nil, internalNote: String? = nil) {
        self.channel = channel
        self.summary = summary
        self.completedSteps = completedSteps
        self.internalNote = internalNote
    }
}

/// Input of `POST /v1/complaints/{id}/studio-account`.
public struct StudioAccountInput: Codable, Sendable {
    public let account: String

    public init(account: String) {
        self.account = account
    }
}

/// Input of `POST /v1/complaints/{id}/resolve`.
public struct ResolutionInput: Codable, Sendable {
    public let outcome: ComplaintResolution.Outcome
    public let amount: Int?
    public let notes: String?
    public let upsell: String?
    /// Whether the complaint is upheld against the studio: required, no default (a missing one
    /// is refused naming `upheld`), with its reason.
    public let upheld: UpheldDecision?
    public let upheldReason: String?

    public init(
        outcome: ComplaintResolution.Outcome,
        amount: Int? = nil,
        notes: String? = nil,
        upsell: String? = nil,
        upheld: UpheldDecision?,
        upheldReason: String?
    ) {
        self.outcome = outcome
        self.amount = amount
        self.notes = notes
        self.upsell = upsell
        self.upheld = upheld
        self.upheldReason = upheldReason
    }
}
