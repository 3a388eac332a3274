import Foundation

/// Input of `POST /v1/requests`.
public struct LeadInput: Codable, Sendable {
    public let clientId: String
    public let statedAsk: String
    public let businessGoal: String
    public let budget: Int
    public let deadline: Day
    public let region: String?
    public let referralReason: ReferralReason?
    /// The club's own note (internal).
    public let internalNote: String?

    public init(
        clientId: String,
        statedAsk: String,
        businessGoal: String,
        budget: Int,
        deadline: Day,
        region: String? = nil,
        referralReason: ReferralReason? = nil,
        internalNote: String? = nil
    ) {
        self.clientId = clientId
        self.statedAsk = statedAsk
        self.businessGoal = businessGoal
        self.budget = budget
        self.deadline = deadline
        self.region = region
        self.referralReason = referralReason
        self.internalNote = internalNote
    }
}

/// Input of `PATCH /v1/requests/{id}`: the reframing and corrections.
public struct LeadPatch: Codable, Sendable {
    public let statedAsk: String?
    public let businessGoal: String?
    public let requiredCompetences: [String]?
    public let proposedApproach: String?
    public let rationale: String?
    public let budget: Int?
    public let deadline: Day?
    public let region: String?
    public let referralReason: ReferralReason?
    /// An empty text clears it.
    public let internalNote: String?

    public init(
        statedAsk: String? = nil,
        businessGoal: String? = nil,
        requiredCompetences: [String]? = nil,
        proposedApproach: String? = nil,
        rationale: String? = nil,
        budget: Int? = nil,
        deadline: Day? = nil,
        region: String? = nil,
        referralReason: ReferralReason? = nil,
        internalNote: String? = nil
    ) {
        self.statedAsk = statedAsk
        self.businessGoal = businessGoal
        self.requiredCompetences = requiredCompetences
        self.proposedApproach = proposedApproach
        self.rationale = rationale
        self.budget = budget
        self.deadline = deadline
        self.region = region
        self.referralReason = referralReason
        self.internalNote = internalNote
    }
}

/// Input of `POST /v1/requests/{id}/shared-responsibility`.
public struct SharedResponsibilityInput: Codable, Sendable {
    public let acceptedBy: String
    public let acceptedAt: Date
    public let note: String

    public init(acceptedBy: String, acceptedAt: Date, note: String) {
        self.acceptedBy = acceptedBy
        self.acceptedAt = acceptedAt
        self.note = note
    }
}

/// How a request ends.
public enum LeadOutcome: String, Codable, Sendable, CaseIterable {
    case closed
    case lost
    case withdrawn
}

/// Input of `POST /v1/requests/{id}/close`.
public struct LeadClosing: Codable, Sendable {
    public let outcome: LeadOutcome
    public let reason: String

    public init(outcome: LeadOutcome, reason: String) {
        self.outcome = outcome
        self.reason = reason
    }
}
