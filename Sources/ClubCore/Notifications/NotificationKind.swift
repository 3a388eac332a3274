/// What a notification is about (DESIGN §10): one kind per change or moment someone must act on
/// or know of. The raw value is the name webhooks carry as the event's `type` and that a person's
/// preferences and a webhook endpoint's subscriptions name.
public enum NotificationKind: String, Codable, CaseIterable, Sendable {
    /// A studio was offered a referral (to the studio's people).
    case referralOffered = "referral.offered"
    /// A referral's answer is due within `NotificationRules.referralDueSoonHours` (to the studio).
    case referralDueSoon = "referral.due-soon"
    /// A referral went unanswered past its deadline and the request was handed on (to the old
    /// studio and the coordinators; the next studio hears `referralOffered`).
    case referralExpired = "referral.expired"
    /// An agreement waits for this party's confirmation (to whichever side has not confirmed).
    case agreementAwaitingConfirmation = "agreement.awaiting-confirmation"
    /// An agreement's day passed and it is not fulfilled (to the coordinators and both sides).
    case agreementOverdue = "agreement.overdue"
    /// A fix list (or its amendment) waits for this party's confirmation.
    case fixListAwaitingConfirmation = "fix-list.awaiting-confirmation"
    /// The studio struck an item: the client checks it.
    case fixItemStruck = "fix-item.struck"
    /// The client reopened an item: the studio works on it again.
    case fixItemReopened = "fix-item.reopened"
    /// A client filed a complaint (to the coordinators and the studio).
    case complaintFiled = "complaint.filed"
    /// The recovery plan was approved (to the client and the studio).
    case planApproved = "complaint.plan-approved"
    /// The club answered an audit: its letter is ready (to the client and the studio).
    case auditLetterReady = "audit.letter-ready"
    /// A consulting session was scheduled (to the client).
    case consultingScheduled = "consulting.scheduled"
    /// The daily digest of Today (to each coordinator, at the configured local hour).
    case dailyDigest = "digest.daily"
    /// A webhook endpoint failed for three days in a row and was disabled (to the coordinators).
    case webhookDisabled = "webhook.disabled"
}

/// Who hears of an event, as the club's rights name them (DESIGN §10): never an address someone
/// supplied, always the people bound to a party (or the coordinators) at the moment it is raised.
public enum NotificationAudience: Hashable, Sendable {
    /// Every active coordinator.
    case coordinators
    /// Every active person of the studio.
    case studio(String)
    /// Every active person of the client.
    case client(String)
}

/// How a person wants one kind of notification (DESIGN §10): mailed at once, gathered into the
/// daily digest, or not mailed at all. The console's notices show every notification whatever
/// the choice.
public enum DeliveryChoice: String, Codable, CaseIterable, Sendable {
    case immediately
    case digest
    case never
}
