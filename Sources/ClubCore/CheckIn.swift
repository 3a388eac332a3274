import Foundation

/// A planned check-in: who met, what the studio reported, how the client feels, what could go wrong.
public struct CheckIn: Codable, Sendable, Equatable {
    public let id: String
    public let engagementId: String
    public let heldAt: Date
    public let attendees: [String]
    public let studioReport: String
    public let clientSentiment: Int
    public let risks: [String]
    public let recordedBy: String
    /// The club's own note on the check-in (internal).
    public let internalNote: String?

    public init(id: String, engagementId: String, input: CheckInInput, by actor: Actor, at now: Date) throws {
        var validator = Validator()
        let attendees = validator.textList(input.attendees, "attendees", allowEmpty: false)
        let report = validator.text(input.studioReport, "studioReport", maxLength: Limits.longText)
        validator.check((1...5).contains(input.clientSentiment), "clientSentiment", "must be from 1 to 5")
        let risks = validator.textList(input.risks ?? [], "risks")
        validator.check(input.heldAt <= now, "heldAt", "must not be in the future")
        let internalNote = validator.internalNote(input.internalNote)
        try validator.finish()
        self.id = id
        self.engagementId = engagementId
        self.heldAt = input.heldAt
        self.attendees = attendees
        self.studioReport = report
        self.clientSentiment = input.clientSentiment
        self.risks = risks
        self.recordedBy = actor.name
        self.internalNote = internalNote
    }

    /// A sentiment of 2 or less, or two falls in a row (e.g. 5 → 4 → 3), signals risk.
    public static func signalsRisk(_ sentiments: [Int]) -> Bool {
        guard let last = sentiments.last else { return false }
        if last <= 2 { return true }
        guard sentiments.count >= 3 else { return false }
        let recent = sentiments.suffix(3).map { $0 }
        return recent[0] > recent[1] && recent[1] > recent[2]
    }
}

/// Input of `POST /v1/engagements/{id}/check-ins`.
public struct CheckInInput: Codable, Sendable {
    public let heldAt: Date
    public let attendees: [String]
    public let studioReport: String
    public let clientSentiment: Int
    public let risks: [String]?
    /// The club's own note (internal).
    public let internalNote: String?

    public init(heldAt: Date, attendees: [String], studioReport: String, clientSentiment: Int, risks: [String]? = nil, internalNote: String? = nil) {
        self.heldAt = heldAt
        self.attendees = attendees
        self.studioReport = studioReport
        self.clientSentiment = clientSentiment
        self.risks = risks
        self.internalNote = internalNote
    }
}

/// The client's word at the end of a key stage.
public struct StageFeedback: Codable, Sendable, Equatable {
    public let id: String
    public let engagementId: String
    public let studioId: String
    public let stage: String
    public let score: Int
    public let comment: String?
    public let givenBy: String
    public let givenAt: Date

    /// Only the engagement's client gives feedback (a studio never rates itself), once per key stage.
    public init(id: String, engagement: Engagement, input: FeedbackInput, by principal: Principal, alreadyGiven: Set<String>, at now: Date) throws {
        try Policy.require(principal, .giveFeedback)
        var validator = Validator()
        let stage = validator.text(input.stage, "stage")
        validator.check((1...5).contains(input.score), "score", "must be from 1 to 5")
        let comment = validator.optionalText(input.comment, "comment")
        let stages = engagement.keyStages + ["completion"]
        if !stage.isEmpty { validator.check(stages.contains(stage), "stage", "must be one of the key stages: \(stages.joined(separator: ", "))") }
        try validator.finish()
        if alreadyGiven.contains(stage) {
            throw DomainError.ruleBroken(.feedbackAlreadyGiven, detail: "feedback for stage '\(stage)' was already given")
        }
        self.id = id
        self.engagementId = engagement.id
        self.studioId = engagement.studioId
        self.stage = stage
        self.score = input.score
        self.comment = comment
        self.givenBy = principal.name
        self.givenAt = now
    }
}

/// Input of `POST /v1/engagements/{id}/feedback`.
public struct FeedbackInput: Codable, Sendable {
    public let stage: String
    public let score: Int
    public let comment: String?

    public init(stage: String, score: Int, comment: String? = nil) {
        self.stage = stage
        self.score = score
        self.comment = comment
    }
}
