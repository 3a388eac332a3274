import ClubCore
import Testing

/// The kinds each role may choose about (docs/design.md §10) agree with who the rules tell.
@Suite("Notification kinds by role")
struct NotificationChoicesTests {
    /// Every (entity, action) `NotificationRules.triggers` names; `everyRuledEventRaisesSomething`
    /// fails when the rules rename one, so that this list follows them.
    static let ruledEvents: [(String, String)] = [
        ("referral", "created"), ("referral", "expired"), ("agreement", "created"), ("fix-item", "created"), ("fix-item", "reworded"),
        ("fix-item", "removed"),
        ("fix-item", "removal-proposed"), ("fix-item", "struck"), ("fix-item", "reopened"), ("complaint", "created"),
        ("complaint", "plan-approved"), ("audit", "answered"), ("consulting-session", "created"),
    ]
    /// The kinds the daemon raises by the clock or by itself, and the roles it raises them to.
    static let timedKinds: [(NotificationKind, Set<Role>)] = [
        (.referralDueSoon, [.studio]), (.agreementOverdue, [.coordinator, .studio, .client]), (.dailyDigest, [.coordinator]),
        (.webhookDisabled, [.coordinator]),
    ]

    /// Who hears each kind, as the rules and the daemon's passes say.
    static func heard() -> [NotificationKind: Set<Role>] {
        var heard: [NotificationKind: Set<Role>] = [:]
        for (entity, action) in ruledEvents {
            for trigger in NotificationRules.triggers(entityType: entity, action: action) {
                for party in trigger.parties { heard[trigger.kind, default: []].formUnion(NotificationAudienceByRole.roles(of: party)) }
            }
        }
        for (kind, roles) in timedKinds { heard[kind, default: []].formUnion(roles) }
        return heard
    }

    @Test func everyRuledEventRaisesSomething() {
        for (entity, action) in Self.ruledEvents {
            #expect(!NotificationRules.triggers(entityType: entity, action: action).isEmpty, "\(entity).\(action)")
        }
        #expect(NotificationRules.triggers(entityType: "fix-item", action: "accepted").isEmpty)
    }

    @Test(arguments: Role.allCases)
    func aRoleChoosesExactlyTheKindsItCanHear(_ role: Role) {
        let heard = Self.heard()
        let expected = NotificationKind.allCases.filter { heard[$0, default: []].contains(role) }
        #expect(NotificationAudienceByRole.kinds(for: role) == expected)
    }

    @Test func everyKindReachesSomeRole() {
        let reached = Set(Role.allCases.flatMap(NotificationAudienceByRole.kinds(for:)))
        #expect(reached == Set(NotificationKind.allCases))
    }

    @Test func theBriefsExamplesHold() {
        #expect(!NotificationAudienceByRole.kinds(for: .client).contains(.referralOffered))
        #expect(!NotificationAudienceByRole.kinds(for: .studio).contains(.fixItemStruck))
        #expect(!NotificationAudienceByRole.kinds(for: .client).contains(.fixItemReopened))
        #expect(
            NotificationAudienceByRole.kinds(for: .coordinator) == [
                .referralExpired, .agreementOverdue, .complaintFiled, .dailyDigest, .webhookDisabled,
            ]
        )
    }
}
