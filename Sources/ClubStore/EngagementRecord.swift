import ClubCore
import Foundation

/// An engagement with everything written on it, as `GET /v1/engagements/{id}` shows it.
public struct EngagementRecord: Sendable, Encodable {
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

    init(engagement: Engagement, agreements: [Agreement], checkIns: [CheckIn], feedback: [StageFeedback], at now: Date) {
        self.engagement = engagement
        self.agreements = agreements
        self.checkIns = checkIns
        self.feedback = feedback
        stagesAwaitingFeedback = engagement.stagesAwaitingFeedback(given: Set(feedback.map(\.stage)))
        unconfirmedAgreements = agreements.filter { !$0.isConfirmed }.map(\.id)
        overdueAgreements = agreements.filter { $0.isOverdue(at: now) }.map(\.id)
    }

    enum CodingKeys: String, CodingKey { case agreements, checkIns, feedback, stagesAwaitingFeedback, unconfirmedAgreements, overdueAgreements }

    public func encode(to encoder: any Encoder) throws {
        try engagement.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(agreements, forKey: .agreements)
        try container.encode(checkIns, forKey: .checkIns)
        try container.encode(feedback, forKey: .feedback)
        try container.encode(stagesAwaitingFeedback, forKey: .stagesAwaitingFeedback)
        try container.encode(unconfirmedAgreements, forKey: .unconfirmedAgreements)
        try container.encode(overdueAgreements, forKey: .overdueAgreements)
    }
}

/// An agreement with its state spelled out, for `GET /v1/agreements`.
public struct AgreementStatusView: Sendable, Encodable {
    public let agreement: Agreement
    public let confirmed: Bool
    public let overdue: Bool

    enum CodingKeys: String, CodingKey { case confirmed, overdue }

    public func encode(to encoder: any Encoder) throws {
        try agreement.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(confirmed, forKey: .confirmed)
        try container.encode(overdue, forKey: .overdue)
    }
}
