import Foundation

/// The checks a studio goes through before admission.
public enum VettingCheckKind: String, Codable, Sendable, CaseIterable {
    case portfolio
    case references
    case trialTask = "trial_task"
    case interview
}

/// One vetting check's result as a coordinator recorded it.
public struct VettingCheck: Codable, Sendable, Equatable {
    public let kind: VettingCheckKind
    public let passed: Bool
    public let notes: String?
    public let recordedAt: Date
    public let recordedBy: String
}

/// A coordinator's decision as kept on the studio.
public struct StudioDecisionRecord: Codable, Sendable, Equatable {
    public let decision: StudioDecision
    public let from: StudioStatus
    public let to: StudioStatus
    public let reason: String
    public let decidedAt: Date
    public let decidedBy: String
}

/// An ethics incident or other conduct worth remembering about a studio.
public struct ConductNote: Codable, Sendable, Equatable {
    public let note: String
    public let recordedAt: Date
    public let recordedBy: String
}

/// Input of `POST /v1/studios/{id}/vetting-checks`.
public struct VettingCheckInput: Codable, Sendable {
    public let kind: VettingCheckKind
    public let passed: Bool
    public let notes: String?

    public init(kind: VettingCheckKind, passed: Bool, notes: String? = nil) {
        self.kind = kind
        self.passed = passed
        self.notes = notes
    }
}

/// Input of `POST /v1/studios/{id}/decisions`.
public struct DecisionInput: Codable, Sendable {
    public let decision: StudioDecision
    public let reason: String

    public init(decision: StudioDecision, reason: String) {
        self.decision = decision
        self.reason = reason
    }
}

/// Input of `POST /v1/studios/{id}/conduct-notes`.
public struct ConductNoteInput: Codable, Sendable {
    public let note: String

    public init(note: String) {
        self.note = note
    }
}
