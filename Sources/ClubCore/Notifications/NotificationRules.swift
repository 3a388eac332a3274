/// Which changes someone must hear of, and who (DESIGN §10, docs/design.md §10.1). The store
/// asks this for every journal event it writes and resolves the parties named here to people
/// through its own tables, never through what an event's payload says.
public enum NotificationRules {
    /// A referral's studio is reminded this many hours before its answer is due.
    public static let referralDueSoonHours = 6

    /// A party to tell, as the object itself names it.
    public enum Party: Hashable, Sendable {
        /// Every coordinator.
        case coordinators
        /// The studio the object is about (a referral's, an engagement's, a complaint's, an
        /// audit's; for a reopened fix item, the studio it is assigned to, else the engagement's).
        case studio
        /// The client the object is about.
        case client
        /// Of an agreement or a fix list's revision, each side that has not confirmed it.
        case unconfirmedSides
    }

    /// One notification a change raises.
    public struct Trigger: Hashable, Sendable {
        public let kind: NotificationKind
        public let parties: [Party]
        /// When set, the kind is raised once per object (and revision) and person, however often
        /// the change repeats: adding a third item to a draft list does not tell anyone again.
        public let once: Bool

        public init(_ kind: NotificationKind, to parties: [Party], once: Bool = false) {
            self.kind = kind
            self.parties = parties
            self.once = once
        }
    }

    /// What a journal event (`entityType`, `action`) raises. Time-based kinds (a referral's answer
    /// due soon, an agreement overdue, the daily digest) are raised by the daemon's passes, not here.
    public static func triggers(entityType: String, action: String) -> [Trigger] {
        switch (entityType, action) {
        case ("referral", "created"): [Trigger(.referralOffered, to: [.studio])]
        case ("referral", "expired"): [Trigger(.referralExpired, to: [.studio, .coordinators])]
        case ("agreement", "created"): [Trigger(.agreementAwaitingConfirmation, to: [.unconfirmedSides], once: true)]
        // Every change to a draft or an amendment is a revision the sides confirm; they hear of it
        // once per revision, when its first item is written.
        case ("fix-item", "created"), ("fix-item", "reworded"), ("fix-item", "removed"), ("fix-item", "removal-proposed"):
            [Trigger(.fixListAwaitingConfirmation, to: [.unconfirmedSides], once: true)]
        case ("fix-item", "struck"): [Trigger(.fixItemStruck, to: [.client])]
        case ("fix-item", "reopened"): [Trigger(.fixItemReopened, to: [.studio])]
        case ("complaint", "created"): [Trigger(.complaintFiled, to: [.coordinators, .studio])]
        case ("complaint", "plan-approved"): [Trigger(.planApproved, to: [.client, .studio])]
        case ("audit", "answered"): [Trigger(.auditLetterReady, to: [.client, .studio])]
        case ("consulting-session", "created"): [Trigger(.consultingScheduled, to: [.client])]
        default: []
        }
    }

    /// The choice a person has not made: every kind at once.
    public static let defaultChoice = DeliveryChoice.immediately
}
