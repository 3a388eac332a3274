import ClubCore
import Testing

/// Who hears of what (DESIGN §10, docs/design.md §10.2), as ClubCore decides it.
@Suite("Notification rules")
struct NotificationRulesTests {
    typealias Party = NotificationRules.Party

    static func told(_ entityType: String, _ action: String) -> [NotificationKind: [Party]] {
        Dictionary(uniqueKeysWithValues: NotificationRules.triggers(entityType: entityType, action: action).map { ($0.kind, $0.parties) })
    }

    @Test func eachPartyHearsWhatItMustActOn() {
        #expect(Self.told("referral", "created") == [.referralOffered: [.studio]])
        #expect(Self.told("referral", "expired") == [.referralExpired: [.studio, .coordinators]])
        #expect(Self.told("agreement", "created") == [.agreementAwaitingConfirmation: [.unconfirmedSides]])
        #expect(Self.told("fix-item", "created") == [.fixListAwaitingConfirmation: [.unconfirmedSides]])
        #expect(Self.told("fix-item", "struck") == [.fixItemStruck: [.client]])
        #expect(Self.told("fix-item", "reopened") == [.fixItemReopened: [.studio]])
        #expect(Self.told("complaint", "created") == [.complaintFiled: [.coordinators, .studio]])
        #expect(Self.told("complaint", "plan-approved") == [.planApproved: [.client, .studio]])
        #expect(Self.told("audit", "answered") == [.auditLetterReady: [.client, .studio]])
        #expect(Self.told("consulting-session", "created") == [.consultingScheduled: [.client]])
    }

    @Test func confirmationsAreAnnouncedOnceAndEverydayChangesNotAtAll() {
        #expect(NotificationRules.triggers(entityType: "agreement", action: "created").allSatisfy { $0.once })
        #expect(NotificationRules.triggers(entityType: "fix-item", action: "reworded").allSatisfy { $0.once })
        #expect(!NotificationRules.triggers(entityType: "fix-item", action: "struck").contains { $0.once })
        for (entity, action) in [("fix-item", "accepted"), ("referral", "accepted"), ("request", "updated"), ("person", "invited")] {
            #expect(NotificationRules.triggers(entityType: entity, action: action).isEmpty, "\(entity) \(action)")
        }
    }

    @Test func aKindNeverChosenIsMailedAtOnce() {
        #expect(NotificationRules.defaultChoice == .immediately)
        #expect(NotificationRules.referralDueSoonHours == 6)
    }
}
