/// A broken rule or a refused action, named so that the HTTP layer can explain it to the caller.
///
/// The API maps each case to one status in one place: `invalid` 422, `notFound` 404,
/// `forbidden` 403, `illegalTransition` 409, `ruleBroken` 422 (or 409 where the rule is about state).
public enum DomainError: Error, Equatable, Sendable {
    /// One or more fields of the input are unacceptable.
    case invalid([FieldError])
    /// The object does not exist, or lies outside the caller's reach (never say which).
    case notFound(entity: String, id: String)
    /// The caller's role never may do this.
    case forbidden(String)
    /// The object's state does not allow the action.
    case illegalTransition(entity: String, from: String, action: String)
    /// A business rule of the club refuses the action.
    case ruleBroken(Rule, detail: String)

    /// Shorthand for a single invalid field.
    public static func invalid(_ field: String, _ message: String) -> DomainError {
        .invalid([FieldError(field: field, message: message)])
    }
}

/// One field that failed validation, with a message a person can act on.
public struct FieldError: Codable, Equatable, Sendable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// The club's named rules. The raw value is the slug the API shows in a problem's `type`.
public enum Rule: String, Sendable, CaseIterable {
    case admissionNeedsPassedChecks = "admission-needs-passed-checks"
    case lastHeadToken = "last-head-token"
    case tokenAlreadyRevoked = "token-already-revoked"
    case vettingClosed = "vetting-closed"
    case idempotencyKeyReused = "idempotency-key-reused"
    case idempotentSecret = "idempotent-secret-not-replayed"
    case rushNeedsSharedResponsibility = "rush-needs-shared-responsibility"
    case referralNeedsAcceptance = "engagement-needs-accepted-referral"
    case choiceNeedsAcceptedReferral = "choice-needs-accepted-referral"
    case completionFeedbackNeedsCompletion = "completion-feedback-needs-completion"
    case rematchTakesWholeScope = "rematch-takes-whole-scope"
    case noFreeCapacity = "no-free-capacity"
    case studioDeclinedBefore = "studio-declined-before"
    case referralAlreadyOffered = "referral-already-offered"
    case referralNotOpen = "referral-not-open"
    case studioNotActive = "studio-not-active"
    case scopeOutsideRequest = "scope-outside-request"
    case feedbackAlreadyGiven = "feedback-already-given"
    case alreadyConfirmed = "already-confirmed"
    case fixListEmpty = "fix-list-empty"
    case fixItemNotStrikable = "fix-item-not-strikable"
    case fixItemNotAwaitingCheck = "fix-item-not-awaiting-check"
    case releaseNeedsDoneFixList = "release-needs-done-fix-list"
    case shareLinkExpiry = "share-link-expiry"
    case auditNeedsEveryPosition = "audit-needs-every-position"
    case findingNeedsCorrection = "finding-needs-correction"
    case findingCorrectionExists = "finding-correction-exists"
    case consultingOfferClosed = "consulting-offer-closed"
    case consultingSessionsExhausted = "consulting-sessions-exhausted"
    case retrospectiveExists = "retrospective-exists"
    case clubRatingNotDue = "club-rating-not-due"
    case clubRatingAlreadyGiven = "club-rating-already-given"
    case fileObjectClosed = "file-object-closed"

    /// Whether breaking the rule is a conflict with the object's current state (409) rather than
    /// an unacceptable request (422).
    public var isStateConflict: Bool {
        switch self {
        case .lastHeadToken, .tokenAlreadyRevoked, .idempotentSecret, .vettingClosed, .referralNotOpen, .referralAlreadyOffered,
            .feedbackAlreadyGiven, .alreadyConfirmed, .noFreeCapacity, .fixItemNotStrikable, .fixItemNotAwaitingCheck,
            .releaseNeedsDoneFixList, .findingCorrectionExists,
            .consultingOfferClosed, .consultingSessionsExhausted, .retrospectiveExists, .clubRatingNotDue, .clubRatingAlreadyGiven, .fileObjectClosed:
            true
        // The client's choice and the small ones of issue 19 (docs/design.md §3.4, §3.5).
        case .completionFeedbackNeedsCompletion, .rematchTakesWholeScope: true
        default: false
        }
    }
}

extension DomainError: CustomStringConvertible {
    /// A sentence for the command line, where there is no problem+json to carry the details.
    public var description: String {
        switch self {
        case .invalid(let errors): errors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        case .notFound(let entity, let id): "no \(entity) '\(id)'"
        case .forbidden(let reason): reason
        case .illegalTransition(let entity, let from, let action): "the \(entity) is \(from) and cannot \(action)"
        case .ruleBroken(let rule, let detail): "\(detail) (\(rule.rawValue))"
        }
    }
}
