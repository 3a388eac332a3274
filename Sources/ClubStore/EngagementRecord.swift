import ClubCore
import Foundation

/// An engagement with everything written on it (the API answers it from `GET /v1/engagements/{id}`).
public struct EngagementRecord: Sendable {
    public let engagement: Engagement
    public let agreements: [Agreement]
    public let checkIns: [CheckIn]
    public let feedback: [StageFeedback]
    /// Stages reached whose feedback the client has not given yet.
    public let stagesAwaitingFeedback: [String]
    /// Agreements still missing a side's confirmation.
    public let unconfirmedAgreements: [String]
    /// Agreements past their due date and not fulfilled.
    public let overdueAgreements: [String]

    init(engagement: Engagement, agreements: [Agreement], checkIns: [CheckIn], feedback: [StageFeedback], at now: Date, in zone: TimeZone) {
        self.engagement = engagement
        self.agreements = agreements
        self.checkIns = checkIns
        self.feedback = feedback
        stagesAwaitingFeedback = engagement.stagesAwaitingFeedback(given: Set(feedback.map(\.stage)))
        unconfirmedAgreements = agreements.filter { !$0.isConfirmed }.map(\.id)
        overdueAgreements = agreements.filter { $0.isOverdue(at: now, in: zone) }.map(\.id)
    }
}

/// An agreement with its state spelled out, for `GET /v1/agreements`.
public struct AgreementStatusView: Sendable {
    public let agreement: Agreement
    public let confirmed: Bool
    public let overdue: Bool
}
