import Foundation

/// A request offered to one studio: `offered → accepted | declined | expired`, and
/// `accepted → not_chosen` once the client chose another studio for everything this one was asked
/// for (docs/design.md §3.4). `not_chosen` is the polite notice itself: the studio said yes and
/// reads that the client went another way, not that it was declined.
public enum ReferralStatus: String, Codable, Sendable, CaseIterable {
    case offered
    case accepted
    case declined
    case expired
    case notChosen = "not_chosen"

    /// The studio said yes to the offer, whether or not the client then chose it.
    public var wasAccepted: Bool { self == .accepted || self == .notChosen }
}

/// The offer of a request to one studio, with its answer deadline and answer.
public struct Referral: Codable, Sendable, Equatable {
    public let id: String
    public let requestId: String
    public let studioId: String
    /// The shortlist whose order decides who is asked next if this one declines or expires.
    public let shortlistId: String?
    public private(set) var status: ReferralStatus
    public let offeredAt: Date
    public let dueAt: Date
    public let offeredBy: String
    /// The referral this one replaced after a decline or an expiry, when the club handed over by itself.
    public let handedOverFrom: String?
    public private(set) var answeredAt: Date?
    public private(set) var note: String?
    /// The coordinator's recommendation to the client about this candidate (read by the client,
    /// not by the studio).
    public private(set) var recommendation: String?
    public private(set) var version: Int

    public init(
        id: String,
        requestId: String,
        studioId: String,
        shortlistId: String?,
        offeredBy: String,
        handedOverFrom: String? = nil,
        answerHours: Int,
        at now: Date
    ) {
        self.id = id
        self.requestId = requestId
        self.studioId = studioId
        self.shortlistId = shortlistId
        self.status = .offered
        self.offeredAt = now
        self.dueAt = now.addingTimeInterval(Double(answerHours) * 3600)
        self.offeredBy = offeredBy
        self.handedOverFrom = handedOverFrom
        self.answeredAt = nil
        self.note = nil
        self.recommendation = nil
        self.version = 1
    }

    /// The studio's answer. Only an open offer within its deadline can be answered.
    public mutating func answer(_ input: ReferralAnswer, at now: Date) throws {
        guard status == .offered, now < dueAt else {
            let state = status == .offered ? "past its deadline" : status.rawValue
            throw DomainError.ruleBroken(.referralNotOpen, detail: "referral \(id) is \(state) and can no longer be answered")
        }
        var validator = Validator()
        note = validator.optionalText(input.note, "note")
        try validator.finish()
        status = input.accept ? .accepted : .declined
        answeredAt = now
        version += 1
    }

    /// An unanswered offer whose deadline has passed.
    public func isOverdue(at now: Date) -> Bool { status == .offered && now >= dueAt }

    public mutating func expire(at now: Date) throws {
        guard isOverdue(at: now) else {
            throw DomainError.ruleBroken(.referralNotOpen, detail: "referral \(id) is \(status.rawValue) and not past its deadline")
        }
        status = .expired
        version += 1
    }

    /// The coordinator's recommendation for the client's choice; an empty text clears it. Only
    /// while the referral can still be chosen: offered or accepted.
    public mutating func apply(_ patch: ReferralPatch) throws {
        guard status == .offered || status == .accepted else {
            throw DomainError.illegalTransition(entity: "referral", from: status.rawValue, action: "take a recommendation")
        }
        var validator = Validator()
        let recommendation = patch.recommendation.map { validator.optionalText($0, "recommendation", maxLength: Limits.longText) } ?? recommendation
        try validator.finish()
        guard recommendation != self.recommendation else { return }
        self.recommendation = recommendation
        version += 1
    }

    /// The client chose another studio for everything this one accepted to do.
    public mutating func closeNotChosen() throws {
        guard status == .accepted else {
            throw DomainError.illegalTransition(entity: "referral", from: status.rawValue, action: "close as not chosen")
        }
        status = .notChosen
        version += 1
    }

    /// Hours from offer to answer, for the scorecard.
    public var answerHours: Double? {
        answeredAt.map { $0.timeIntervalSince(offeredAt) / 3600 }
    }
}

/// Input of `POST /v1/referrals/{id}/answer`.
public struct ReferralAnswer: Codable, Sendable {
    public let accept: Bool
    public let note: String?

    public init(accept: Bool, note: String? = nil) {
        self.accept = accept
        self.note = note
    }
}

/// Input of `PATCH /v1/referrals/{id}` (coordinators).
public struct ReferralPatch: Codable, Sendable {
    /// What the club tells the client about this candidate; an empty text clears it.
    public let recommendation: String?

    public init(recommendation: String? = nil) {
        self.recommendation = recommendation
    }
}

/// Input of `POST /v1/requests/{id}/referrals`.
public struct ReferralOffer: Codable, Sendable {
    public let studioIds: [String]

    public init(studioIds: [String]) {
        self.studioIds = studioIds
    }
}

/// A stored ranking for a request or part of its scope.
public struct Shortlist: Codable, Sendable, Equatable {
    public let id: String
    public let requestId: String
    public let scope: [String]
    public let excluded: [String]
    public let candidates: [ShortlistCandidate]
    public let createdAt: Date
    public let createdBy: String

    public init(
        id: String,
        requestId: String,
        scope: [String],
        excluded: [String],
        candidates: [ShortlistCandidate],
        createdAt: Date,
        createdBy: String
    ) {
        self.id = id
        self.requestId = requestId
        self.scope = scope
        self.excluded = excluded
        self.candidates = candidates
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    /// The best-ranked studio not yet asked about this request that is still `eligible`.
    public func nextCandidate(alreadyAsked: Set<String>, eligible: (String) -> Bool) -> String? {
        candidates.first { !alreadyAsked.contains($0.studioId) && eligible($0.studioId) }?.studioId
    }
}

/// Input of `POST /v1/requests/{id}/shortlist`.
public struct ShortlistInput: Codable, Sendable {
    public let size: Int?
    public let scope: [String]?
    public let exclude: [String]?

    public init(size: Int? = nil, scope: [String]? = nil, exclude: [String]? = nil) {
        self.size = size
        self.scope = scope
        self.exclude = exclude
    }

    /// The scope to match (the request's competences, or the named part of them), the size, and
    /// the studios to leave out.
    public func resolvedScope(of lead: Lead) throws -> (scope: [String], size: Int, exclude: [String]) {
        var validator = Validator()
        let size = size ?? 5
        validator.check((1...50).contains(size), "size", "must be from 1 to 50")
        let scope = validator.textList(scope ?? lead.requiredCompetences, "scope", allowEmpty: false)
        let exclude = validator.textList(exclude ?? [], "exclude")
        try validator.finish()
        let outside = scope.filter { !lead.requiredCompetences.contains($0) }
        if !outside.isEmpty {
            throw DomainError.ruleBroken(
                .scopeOutsideRequest,
                detail: "scope names competences the request does not need: \(outside.joined(separator: ", "))"
            )
        }
        return (scope, size, exclude)
    }
}
