import Foundation

extension AgreementOwner {
    /// Who reads what a side of a retrospective admitted, unless the coordinator says otherwise:
    /// the studio its own, the client its own, the club's stay with the club.
    public var ownVisibility: Visibility {
        switch self {
        case .studio: .studio
        case .client: .client
        case .club: .internal
        }
    }
}

/// A mistake admitted by one side, in the form "I was wrong, and had I not been, it would have
/// gone differently". Read by that side (and the club) unless the coordinator chose otherwise.
public struct Mistake: Codable, Sendable, Equatable {
    public let side: AgreementOwner
    public let statement: String
    public let counterfactual: String
    public let visibility: Visibility

    public init(side: AgreementOwner, statement: String, counterfactual: String, visibility: Visibility? = nil) {
        self.side = side
        self.statement = statement
        self.counterfactual = counterfactual
        self.visibility = visibility ?? side.ownVisibility
    }

    private enum CodingKeys: String, CodingKey {
        case side, statement, counterfactual, visibility
    }

    /// Without a `visibility` (an input that leaves it to the side, or one stored before), the side's own.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            side: try container.decode(AgreementOwner.self, forKey: .side),
            statement: try container.decode(String.self, forKey: .statement),
            counterfactual: try container.decode(String.self, forKey: .counterfactual),
            visibility: try container.decodeIfPresent(Visibility.self, forKey: .visibility)
        )
    }
}

/// What one side would do differently next time; read like a mistake.
public struct DoDifferently: Codable, Sendable, Equatable {
    public let side: AgreementOwner
    public let statement: String
    public let visibility: Visibility

    public init(side: AgreementOwner, statement: String, visibility: Visibility? = nil) {
        self.side = side
        self.statement = statement
        self.visibility = visibility ?? side.ownVisibility
    }

    private enum CodingKeys: String, CodingKey {
        case side, statement, visibility
    }

    /// Without a `visibility`, the side's own.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            side: try container.decode(AgreementOwner.self, forKey: .side),
            statement: try container.decode(String.self, forKey: .statement),
            visibility: try container.decodeIfPresent(Visibility.self, forKey: .visibility)
        )
    }
}

/// The retrospective of an engagement: facts, emotions, mistakes, positives, what each side
/// would do differently, and the lessons the club keeps.
public struct Retrospective: Codable, Sendable, Equatable {
    public let id: String
    public let engagementId: String
    public let facts: [String]
    public let emotions: [String]
    public let mistakes: [Mistake]
    public let positives: [String]
    public let differently: [DoDifferently]
    public let lessons: [String]
    public let recordedBy: String
    public let recordedAt: Date

    public init(id: String, engagementId: String, input: RetrospectiveInput, by actor: Actor, at now: Date) throws {
        var validator = Validator()
        let facts = validator.textList(input.facts, "facts", allowEmpty: false)
        let emotions = validator.textList(input.emotions ?? [], "emotions")
        validator.check((input.mistakes ?? []).count <= Limits.listCount, "mistakes", "must have at most \(Limits.listCount) entries")
        validator.check((input.differently ?? []).count <= Limits.listCount, "differently", "must have at most \(Limits.listCount) entries")
        let mistakes = (input.mistakes ?? []).enumerated().map { index, mistake in
            Mistake(
                side: mistake.side,
                statement: validator.text(mistake.statement, "mistakes[\(index)].statement", maxLength: Limits.longText),
                counterfactual: validator.text(mistake.counterfactual, "mistakes[\(index)].counterfactual", maxLength: Limits.longText),
                visibility: mistake.visibility
            )
        }
        let positives = validator.textList(input.positives ?? [], "positives")
        let differently = (input.differently ?? []).enumerated().map { index, item in
            DoDifferently(
                side: item.side,
                statement: validator.text(item.statement, "differently[\(index)].statement", maxLength: Limits.longText),
                visibility: item.visibility
            )
        }
        let lessons = validator.textList(input.lessons, "lessons", allowEmpty: false)
        try validator.finish()
        self.id = id
        self.engagementId = engagementId
        self.facts = facts
        self.emotions = emotions
        self.mistakes = mistakes
        self.positives = positives
        self.differently = differently
        self.lessons = lessons
        self.recordedBy = actor.name
        self.recordedAt = now
    }
}

extension Retrospective: Identified {}

/// Input of `POST /v1/engagements/{id}/retrospective`.
public struct RetrospectiveInput: Codable, Sendable {
    public let facts: [String]
    public let emotions: [String]?
    public let mistakes: [Mistake]?
    public let positives: [String]?
    public let differently: [DoDifferently]?
    public let lessons: [String]

    public init(
        facts: [String],
        emotions: [String]? = nil,
        mistakes: [Mistake]? = nil,
        positives: [String]? = nil,
        differently: [DoDifferently]? = nil,
        lessons: [String]
    ) {
        self.facts = facts
        self.emotions = emotions
        self.mistakes = mistakes
        self.positives = positives
        self.differently = differently
        self.lessons = lessons
    }
}

/// A lesson found by `GET /v1/lessons?q=`.
public struct Lesson: Codable, Sendable, Equatable {
    public let lesson: String
    public let engagementId: String
    public let retrospectiveId: String
    public let recordedAt: Date

    public init(lesson: String, engagementId: String, retrospectiveId: String, recordedAt: Date) {
        self.lesson = lesson
        self.engagementId = engagementId
        self.retrospectiveId = retrospectiveId
        self.recordedAt = recordedAt
    }
}
