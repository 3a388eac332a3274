import Foundation

/// Who chose the studio of an engagement (docs/design.md §3.4): the client, or a coordinator, who
/// either records the choice the client made elsewhere (with a note) or starts the engagement
/// itself (`POST /v1/requests/{id}/engagements`).
public enum ChoiceParty: String, Codable, Sendable, CaseIterable {
    case client
    case coordinator
}

/// Input of `POST /v1/requests/{id}/choice`.
public struct ChoiceInput: Codable, Sendable {
    public let studioId: String
    /// The part of the request this studio takes; by default what its referral was offered for.
    public let scope: [String]?
    /// The client's words, or, when a coordinator records the choice, how the client made it.
    public let note: String?

    public init(studioId: String, scope: [String]? = nil, note: String? = nil) {
        self.studioId = studioId
        self.scope = scope
        self.note = note
    }
}

/// A studio that accepted a request, as its client reads it before choosing: the studio's public
/// profile, its answer, the coordinator's recommendation and the few figures of its scorecard the
/// club shows to clients. Never the shortlist's score or its breakdown, never a comparison.
public struct Candidate: Codable, Sendable, Equatable {
    public let referralId: String
    public let requestId: String
    public let studioId: String
    /// The part of the request the studio was asked for (its shortlist's scope).
    public let scope: [String]
    /// `accepted` while it can be chosen or once chosen, `not_chosen` when the client went another way.
    public let status: ReferralStatus
    public let answeredAt: Date?
    public let answerNote: String?
    public let recommendation: String?
    public let studio: CandidateProfile
    public let figures: CandidateFigures
    /// The engagement the choice started, once this candidate was chosen.
    public let engagementId: String?

    public init(referral: Referral, scope: [String], studio: CandidateProfile, figures: CandidateFigures, engagementId: String?) {
        referralId = referral.id
        requestId = referral.requestId
        studioId = referral.studioId
        self.scope = scope
        status = referral.status
        answeredAt = referral.answeredAt
        answerNote = referral.note
        recommendation = referral.recommendation
        self.studio = studio
        self.figures = figures
        self.engagementId = engagementId
    }
}

/// A studio's public profile: what `FieldVisibility` shares of a `Studio`.
public struct CandidateProfile: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let website: String?
    public let competences: [String]
    public let regions: [String]

    public init(_ studio: Studio) {
        id = studio.id
        name = studio.name
        website = studio.website
        competences = studio.competences
        regions = studio.regions
    }
}

/// The figures of a studio's record the club shows a client choosing: how its clients rated it and
/// how often it fixed what it promised on time. The rating that ranks studios stays with the club.
public struct CandidateFigures: Codable, Sendable, Equatable {
    public let averageFeedback: Double?
    public let feedbackCount: Int
    public let fixesOnTimeShare: Double?

    public init(_ scorecard: Scorecard?) {
        averageFeedback = scorecard?.averageFeedback
        feedbackCount = scorecard?.feedbackCount ?? 0
        fixesOnTimeShare = scorecard?.fixesOnTimeShare
    }
}

/// The rules of a choice (docs/design.md §3.4), kept apart from the store that applies them.
public enum ClientChoice {
    /// The engagement a choice starts: only a studio whose referral for this request was accepted
    /// and not yet used (`choice-needs-accepted-referral`), on a scope within what it accepted to
    /// do; a coordinator recording the client's choice says how it was made (`note`).
    public static func engagementInput(
        _ input: ChoiceInput,
        by principal: Principal,
        candidate: Referral?,
        candidateScope: [String]
    ) throws -> (input: EngagementInput, party: ChoiceParty, note: String?) {
        var validator = Validator()
        let studioId = validator.text(input.studioId, "studioId", maxLength: 64)
        let note = validator.optionalText(input.note, "note")
        let party: ChoiceParty = principal.role == .client ? .client : .coordinator
        if party == .coordinator, note == nil {
            validator.fail("note", "a coordinator recording the client's choice says how it was made (\"chosen on the phone\")")
        }
        let scope = input.scope.map { validator.textList($0, "scope", allowEmpty: false) } ?? candidateScope
        try validator.finish()
        guard let candidate, candidate.status == .accepted, candidate.studioId == studioId else {
            throw DomainError.ruleBroken(
                .choiceNeedsAcceptedReferral,
                detail: "studio \(studioId) has no accepted referral for this request that is still open to a choice"
            )
        }
        let outside = scope.filter { !candidateScope.contains($0) }
        if !outside.isEmpty {
            throw DomainError.invalid(
                "scope",
                "the studio accepted \(candidateScope.joined(separator: ", ")), not \(outside.joined(separator: ", "))"
            )
        }
        return (EngagementInput(studioId: studioId, scope: scope), party, note)
    }

    /// The other accepted referrals that close as `not_chosen` once a choice is made: those whose
    /// whole part of the request now has a studio (`covered`: the scopes of the request's open
    /// engagements, the new one included). A candidate asked for more than was given keeps its chance.
    public static func notChosen(_ accepted: [(referral: Referral, scope: [String])], chosen: String, covered: Set<String>) -> [Referral] {
        accepted.filter { $0.referral.id != chosen && $0.referral.status == .accepted && Set($0.scope).isSubset(of: covered) }.map(\.referral)
    }
}
