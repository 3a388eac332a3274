import Foundation

/// One thing a studio or a client must do next, as its Home and its notices badge show it
/// (docs/design.md §9.6). Each case names the object to open and what makes it urgent.
public enum AwaitingItem: Sendable, Equatable {
    /// A referral offered to the studio, to accept or decline before `dueAt` (the 48-hour rule).
    case answerReferral(Referral)
    /// An agreement of an engagement that this side has not confirmed yet.
    case confirmAgreement(Agreement)
    /// A fix list (or its amendment) that this side has not confirmed yet.
    case confirmFixList(FixList)
    /// An item the client reopened: the studio fixes it again, by its new due day.
    case fixReopened(FixItem)
    /// An open item assigned to the studio, due within `Awaiting.soonDays` days or overdue.
    case fixDue(FixItem, overdue: Bool)
    /// A complaint about the studio's work without its account yet.
    case giveAccount(Complaint)
    /// An audit of the studio's work still taking arguments, with a finding it has not argued.
    case argueAudit(Audit)
    /// A request of the client with studios that accepted, none chosen yet.
    case chooseStudio(Lead)
    /// An item the studio struck: the client checks it (accepts or reopens) by `deadline`.
    case checkFix(FixItem, deadline: Date?)
    /// Key stages of an engagement reached without the client's feedback.
    case giveFeedback(Engagement, stages: [String])
    /// A consulting offer still open for the client's answer.
    case answerConsultingOffer(ConsultingOffer, engagementId: String)
    /// A resolved complaint whose resolution the client has not answered.
    case answerResolution(Complaint)
    /// The club asks the client how likely it is to recommend the club.
    case rateClub(Engagement)
}

/// The records of one party that can await it; the store reads them within the party's reach.
public struct PartyRecords: Sendable {
    public var referrals: [Referral] = []
    public var leads: [Lead] = []
    public var engagements: [Engagement] = []
    public var agreements: [Agreement] = []
    public var fixLists: [FixList] = []
    public var fixItems: [FixItem] = []
    public var complaints: [Complaint] = []
    public var audits: [Audit] = []
    /// Stages with the client's feedback, by engagement id.
    public var feedbackGiven: [String: Set<String>] = [:]
    /// Consulting offers with the engagement each follows.
    public var consultingOffers: [(offer: ConsultingOffer, engagementId: String)] = []
    public var clubRatings: [String: ClubRatingStatus] = [:]

    public init() {}
}

/// What awaits a studio or a client, newest duty last within each kind, in the order Home shows
/// them. Decided here, from the records, so that Home, the badge and tests agree.
public enum Awaiting {
    /// How many days ahead an item counts as "due soon".
    public static let soonDays = 3

    public static func of(
        _ principal: Principal,
        in records: PartyRecords,
        at now: Date,
        zone: TimeZone,
        checkDays: Int
    ) -> [AwaitingItem] {
        switch principal.role {
        case .coordinator: []
        case .studio: principal.studioId.map { studio($0, records, now: now, zone: zone) } ?? []
        case .client: principal.clientId.map { client($0, records, now: now, checkDays: checkDays) } ?? []
        }
    }

    private static func studio(_ studioId: String, _ records: PartyRecords, now: Date, zone: TimeZone) -> [AwaitingItem] {
        var items: [AwaitingItem] = []
        let own = Set(records.engagements.filter { $0.studioId == studioId }.map(\.id))
        items += records.referrals.filter { $0.studioId == studioId && $0.status == .offered }.sorted { $0.dueAt < $1.dueAt }
            .map(AwaitingItem.answerReferral)
        items += records.agreements.filter { own.contains($0.engagementId) && $0.studioConfirmation == nil && $0.fulfilledAt == nil }
            .map(AwaitingItem.confirmAgreement)
        items += records.fixLists.filter { own.contains($0.engagementId) && awaitsConfirmation($0) && $0.studioConfirmation == nil }
            .map(AwaitingItem.confirmFixList)
        let mine = records.fixItems.filter { $0.assignedStudioId == studioId && !$0.isRemoved && isWorkable($0, records.fixLists) }
        items += mine.filter { $0.state == .reopened }.sorted { $0.due < $1.due }.map(AwaitingItem.fixReopened)
        let horizon = Day(containing: now, in: zone).adding(days: soonDays)
        items += mine.filter { $0.state == .open && $0.due <= horizon }.sorted { $0.due < $1.due }.map {
            AwaitingItem.fixDue($0, overdue: $0.isOverdue(at: now, in: zone))
        }
        items += records.complaints.filter { $0.studioId == studioId && $0.status != .resolved && $0.studioAccount == nil }
            .map(AwaitingItem.giveAccount)
        items += records.audits.filter { audit in
            audit.studioId == studioId && [.received, .underReview].contains(audit.status)
                && audit.findings.contains { $0.studioArguments.isEmpty }
        }
        .map(AwaitingItem.argueAudit)
        return items
    }

    private static func client(_ clientId: String, _ records: PartyRecords, now: Date, checkDays: Int) -> [AwaitingItem] {
        var items: [AwaitingItem] = []
        let engagements = records.engagements.filter { $0.clientId == clientId }
        let own = Set(engagements.map(\.id))
        let started = Set(records.engagements.map(\.requestId))
        items += records.leads.filter { lead in
            lead.clientId == clientId && lead.status.isOpen && !started.contains(lead.id)
                && records.referrals.contains { $0.requestId == lead.id && $0.status == .accepted }
        }
        .map(AwaitingItem.chooseStudio)
        items += records.agreements.filter { own.contains($0.engagementId) && $0.clientConfirmation == nil && $0.fulfilledAt == nil }
            .map(AwaitingItem.confirmAgreement)
        items += records.fixLists.filter { own.contains($0.engagementId) && awaitsConfirmation($0) && $0.clientConfirmation == nil }
            .map(AwaitingItem.confirmFixList)
        let ownLists = Set(records.fixLists.filter { own.contains($0.engagementId) }.map(\.id))
        items += records.fixItems.filter { ownLists.contains($0.fixListId) && !$0.isRemoved && $0.state == .struck }.map {
            AwaitingItem.checkFix($0, deadline: $0.checkDeadline(days: checkDays))
        }
        for engagement in engagements where engagement.status != .terminated {
            let stages = engagement.stagesAwaitingFeedback(given: records.feedbackGiven[engagement.id] ?? [])
            if !stages.isEmpty { items.append(.giveFeedback(engagement, stages: stages)) }
        }
        items += records.consultingOffers.filter { $0.offer.clientId == clientId && $0.offer.currentStatus(at: now) == .offered }.map {
            AwaitingItem.answerConsultingOffer($0.offer, engagementId: $0.engagementId)
        }
        items += records.complaints.filter { complaint in
            guard complaint.clientId == clientId, complaint.status == .resolved, let resolution = complaint.resolution else { return false }
            return complaint.resolutionAnswers.last?.resolution != resolution
        }
        .map(AwaitingItem.answerResolution)
        items += engagements.filter { !(records.clubRatings[$0.id]?.awaited.isEmpty ?? true) }.map(AwaitingItem.rateClub)
        return items
    }

    /// A list with a revision waiting for the parties' confirmations.
    private static func awaitsConfirmation(_ list: FixList) -> Bool { list.status == .draft || list.status == .amending }

    /// Items are worked on once their list was agreed (a draft's items are not the studio's duty yet).
    private static func isWorkable(_ item: FixItem, _ lists: [FixList]) -> Bool {
        lists.first { $0.id == item.fixListId }?.isFinal ?? false
    }
}
