/// Where a studio stands with the club (DESIGN §3):
/// `applicant → vetting → active ⇄ suspended → expelled`, and `applicant|vetting → rejected`.
public enum StudioStatus: String, Codable, Sendable, CaseIterable {
    case applicant
    case vetting
    case active
    case suspended
    case expelled
    case rejected
}

/// What a coordinator decides about a studio.
public enum StudioDecision: String, Codable, Sendable, CaseIterable {
    case admit
    case reject
    case suspend
    case reinstate
    case expel
}

extension StudioStatus {
    /// The state a decision leads to from this one, or `nil` when the decision does not apply here.
    /// Expulsion is allowed from `active` as well as `suspended`: an ethics incident does not wait
    /// for a suspension first.
    public func after(_ decision: StudioDecision) -> StudioStatus? {
        switch (self, decision) {
        case (.applicant, .admit), (.vetting, .admit): .active
        case (.applicant, .reject), (.vetting, .reject): .rejected
        case (.active, .suspend): .suspended
        case (.suspended, .reinstate): .active
        case (.active, .expel), (.suspended, .expel): .expelled
        default: nil
        }
    }

    /// Whether vetting checks may still be recorded.
    public var acceptsVettingChecks: Bool { self == .applicant || self == .vetting }
}
