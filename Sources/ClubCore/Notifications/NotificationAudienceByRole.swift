/// Which kinds of notification a person of each role can receive (docs/design.md §10): the kinds
/// `NotificationRules.triggers` sends to the parties a role stands for, plus the time-based kinds
/// the daemon raises. A person chooses (and the console and the API show) only these.
public enum NotificationAudienceByRole {
    /// The kinds a role hears of, in `NotificationKind`'s order.
    public static func kinds(for role: Role) -> [NotificationKind] {
        let heard: Set<NotificationKind> =
            switch role {
            case .coordinator:
                [.complaintFiled, .referralExpired, .agreementOverdue, .dailyDigest, .webhookDisabled]
            case .studio:
                [
                    .referralOffered, .referralDueSoon, .referralExpired, .agreementAwaitingConfirmation, .agreementOverdue,
                    .fixListAwaitingConfirmation, .fixItemReopened, .complaintFiled, .planApproved, .auditLetterReady,
                ]
            case .client:
                [
                    .agreementAwaitingConfirmation, .agreementOverdue, .fixListAwaitingConfirmation, .fixItemStruck, .planApproved,
                    .auditLetterReady, .consultingScheduled,
                ]
            }
        return NotificationKind.allCases.filter(heard.contains)
    }

    /// The roles a rule's party stands for: a studio's or a client's people, the coordinators, or,
    /// for the sides that have not confirmed an agreement or a fix list, both parties' people.
    public static func roles(of party: NotificationRules.Party) -> Set<Role> {
        switch party {
        case .coordinators: [.coordinator]
        case .studio: [.studio]
        case .client: [.client]
        case .unconfirmedSides: [.studio, .client]
        }
    }
}
