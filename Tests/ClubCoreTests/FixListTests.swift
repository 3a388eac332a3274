import ClubCore
import Foundation
import Testing

@Suite("Fix lists")
struct FixListTests {
    static let client = Principal(tokenId: "t_c", name: "Oleg", role: .client, clientId: "cli_1")
    static let studio = Principal(tokenId: "t_s", name: "Pixel Hands", role: .studio, studioId: "stu_1")
    static let otherStudio = Principal(tokenId: "t_o", name: "Ad Minds", role: .studio, studioId: "stu_2")

    static func input(_ statement: String, due: String = "2027-01-20") -> FixItemInput {
        FixItemInput(statement: statement, acceptance: "checked together on a call", due: Day(due) ?? Day(containing: epoch, in: .gmt))
    }

    /// A draft with two items assigned to the engagement's studio.
    static func draft() throws -> (FixList, [FixItem]) {
        let list = FixList(id: "fxl", engagementId: "eng", by: coordinator.actor, at: epoch)
        var items: [FixItem] = []
        for (index, statement) in ["The contact form sends leads to the CRM", "The page loads fast on mobile"].enumerated() {
            items.append(
                try FixItem(
                    id: "fxi_\(index + 1)",
                    fixListId: "fxl",
                    position: index + 1,
                    input: input(statement),
                    defaultStudioId: "stu_1",
                    existing: items
                )
            )
        }
        return (list, items)
    }

    static func agreed() throws -> (FixList, [FixItem]) {
        var (list, items) = try draft()
        try list.confirm(by: client, items: &items, at: epoch)
        try list.confirm(by: studio, items: &items, at: epoch)
        return (list, items)
    }

    @Test func statementsAndCriteriaAreRequiredAndDuplicatesRefused() throws {
        let (_, items) = try Self.draft()
        let empty = FixItemInput(statement: " ", acceptance: "", due: Day(containing: epoch, in: .gmt))
        #expect(
            invalidFields { _ = try FixItem(id: "x", fixListId: "fxl", position: 3, input: empty, defaultStudioId: "stu_1", existing: items) } == [
                "statement", "acceptance",
            ]
        )
        #expect(
            invalidFields {
                _ = try FixItem(
                    id: "x",
                    fixListId: "fxl",
                    position: 3,
                    input: Self.input("the contact form sends leads to the CRM"),
                    defaultStudioId: "stu_1",
                    existing: items
                )
            } == ["statement"]
        )
    }

    @Test func theEngagementsStudioIsAssignedByDefault() throws {
        let (_, items) = try Self.draft()
        #expect(items.allSatisfy { $0.assignedStudioId == "stu_1" && $0.pending == .wording })
    }

    @Test func bothSidesConfirmBeforeTheListIsAgreedAndNoCoordinatorConfirms() throws {
        var (list, items) = try Self.draft()
        #expect(throws: DomainError.forbidden("only the engagement's client and studio confirm a fix list")) {
            try list.confirm(by: coordinator, items: &items, at: epoch)
        }
        let first = try list.confirm(by: Self.client, items: &items, at: epoch)
        #expect(!first && list.status == .draft)
        #expect(throws: DomainError.self) { try list.confirm(by: Self.client, items: &items, at: epoch) }
        let second = try list.confirm(by: Self.studio, items: &items, at: epoch)
        #expect(second && list.status == .agreed && list.agreedAt == epoch)
        #expect(items.allSatisfy { $0.pending == nil && $0.isStrikable })
    }

    @Test func editingADraftWithdrawsConfirmationsAlreadyGiven() throws {
        var (list, items) = try Self.draft()
        try list.confirm(by: Self.client, items: &items, at: epoch)
        try items[0].reword(FixItemPatch(statement: "The form sends every lead to the CRM"), existing: items, listIsFinal: list.isFinal)
        list.openAmendment(at: epoch)
        #expect(list.clientConfirmation == nil, "the client never saw the new wording")
        try list.confirm(by: Self.studio, items: &items, at: epoch)
        #expect(list.status == .draft)
    }

    @Test func anEmptyListCannotBeAgreed() {
        var list = FixList(id: "fxl", engagementId: "eng", by: coordinator.actor, at: epoch)
        var items: [FixItem] = []
        #expect(throws: DomainError.ruleBroken(.fixListEmpty, detail: "a fix list needs at least one item before it can be agreed")) {
            try list.confirm(by: Self.client, items: &items, at: epoch)
        }
    }

    @Test func nothingIsStruckBeforeAgreement() throws {
        var (_, items) = try Self.draft()
        #expect(throws: DomainError.ruleBroken(.fixItemNotStrikable, detail: "item 1 cannot be struck: it is awaiting both sides' confirmation")) {
            try items[0].strike(StrikeInput(note: "done"), by: Self.studio, at: epoch, in: .gmt)
        }
    }

    @Test func onlyTheAssignedStudioStrikesWithANote() throws {
        var (_, items) = try Self.agreed()
        #expect(throws: DomainError.forbidden("only the studio assigned to an item strikes it")) {
            try items[0].strike(StrikeInput(note: "ok"), by: Self.client, at: epoch, in: .gmt)
        }
        #expect(throws: DomainError.forbidden("only the studio assigned to an item strikes it")) {
            try items[0].strike(StrikeInput(note: "ok"), by: coordinator, at: epoch, in: .gmt)
        }
        #expect(throws: DomainError.forbidden("this item is assigned to another studio of the engagement")) {
            try items[0].strike(StrikeInput(note: "ok"), by: Self.otherStudio, at: epoch, in: .gmt)
        }
        #expect(invalidFields { try items[0].strike(StrikeInput(note: ""), by: Self.studio, at: epoch, in: .gmt) } == ["note"])
        try items[0].strike(StrikeInput(note: "deployed to production"), by: Self.studio, at: epoch, in: .gmt)
        #expect(
            items[0].state == .struck && items[0].struckBy == "Pixel Hands" && items[0].struckAt == epoch
                && items[0].strikeNote == "deployed to production"
        )
        #expect(throws: DomainError.self) { try items[0].strike(StrikeInput(note: "again"), by: Self.studio, at: epoch, in: .gmt) }
    }

    @Test func theClientOrACoordinatorReopensWithAReasonNeverTheStudio() throws {
        var (_, items) = try Self.agreed()
        #expect(throws: DomainError.ruleBroken(.fixItemNotAwaitingCheck, detail: "item 1 cannot be reopened: it is not struck")) {
            try items[0].reopen(ReopenInput(reason: "x"), by: Self.client, at: epoch, in: .gmt)
        }
        try items[0].strike(StrikeInput(note: "done"), by: Self.studio, at: epoch, in: .gmt)
        #expect(throws: DomainError.forbidden("only the client or a coordinator reopens an item")) {
            try items[0].reopen(ReopenInput(reason: "x"), by: Self.studio, at: epoch, in: .gmt)
        }
        #expect(invalidFields { try items[0].reopen(ReopenInput(reason: " "), by: Self.client, at: epoch, in: .gmt) } == ["reason"])
        try items[0].reopen(ReopenInput(reason: "still broken on mobile"), by: Self.client, at: epoch, in: .gmt)
        #expect(items[0].state == .reopened && items[0].reopenCount == 1 && items[0].reopenReason == "still broken on mobile")
        #expect(items[0].isStrikable)
    }

    @Test func theListIsDoneWhenEveryItemIsAcceptedNotWhenStruckOrReopened() throws {
        var (list, items) = try Self.agreed()
        for index in items.indices { try items[index].strike(StrikeInput(note: "done"), by: Self.studio, at: epoch, in: .gmt) }
        list.refreshDone(items: items)
        #expect(list.status == .agreed, "struck items still await the client's check")
        try items[0].accept(AcceptInput(), by: Self.client, at: epoch)
        try items[1].reopen(ReopenInput(reason: "slow on 3G"), by: coordinator, at: epoch, in: .gmt)
        list.refreshDone(items: items)
        #expect(list.status == .agreed)
        try items[1].strike(StrikeInput(note: "cached"), by: Self.studio, at: epoch, in: .gmt)
        try items[1].accept(AcceptInput(), by: Self.client, at: epoch)
        list.refreshDone(items: items)
        #expect(list.status == .done)
    }

    @Test func anAmendmentAwaitsBothSidesWhileAgreedItemsStayStrikable() throws {
        var (list, items) = try Self.agreed()
        items.append(
            try FixItem(
                id: "fxi_3",
                fixListId: "fxl",
                position: 3,
                input: Self.input("Ads exclude job seekers"),
                defaultStudioId: "stu_1",
                existing: items
            )
        )
        list.openAmendment(at: epoch)
        #expect(list.status == .amending && list.revision == 2 && list.clientConfirmation == nil)
        #expect(!items[2].isStrikable)
        try items[0].strike(StrikeInput(note: "done"), by: Self.studio, at: epoch, in: .gmt)
        try list.confirm(by: Self.client, items: &items, at: epoch)
        try list.confirm(by: Self.studio, items: &items, at: epoch)
        #expect(list.status == .agreed && items[2].isStrikable)
    }

    @Test func rewordingAnAgreedItemIsAnAmendmentAndRemovalTakesEffectOnAgreement() throws {
        var (list, items) = try Self.agreed()
        try items[0].strike(StrikeInput(note: "done"), by: Self.studio, at: epoch, in: .gmt)
        try items[0].reword(FixItemPatch(acceptance: "a test lead appears in the CRM within a minute"), existing: items, listIsFinal: list.isFinal)
        #expect(items[0].pending == .wording && items[0].state == .open, "a reworded item is a new promise")
        try items[1].remove(listIsFinal: list.isFinal)
        #expect(items[1].pending == .removal && !items[1].isRemoved)
        list.openAmendment(at: epoch)
        try list.confirm(by: Self.client, items: &items, at: epoch)
        try list.confirm(by: Self.studio, items: &items, at: epoch)
        #expect(items[1].isRemoved && items[0].pending == nil)
    }

    @Test func inADraftEditsAndRemovalsArePlain() throws {
        var (list, items) = try Self.draft()
        try items[0].reword(FixItemPatch(statement: "The form sends leads to the CRM"), existing: items, listIsFinal: list.isFinal)
        try items[1].remove(listIsFinal: list.isFinal)
        #expect(items[1].isRemoved && items[0].statement == "The form sends leads to the CRM")
        list.openAmendment(at: epoch)
        #expect(list.status == .draft && list.revision == 1)
    }

    @Test func itemsStruckAfterTheirDueDayAreLateAndOpenOnesOverdue() throws {
        var (_, items) = try Self.agreed()
        let afterDue = Day("2027-01-21")?.start(in: .gmt) ?? epoch
        #expect(items[0].isOverdue(at: afterDue, in: .gmt))
        try items[0].strike(StrikeInput(note: "finally"), by: Self.studio, at: afterDue, in: .gmt)
        #expect(items[0].isLate(in: .gmt) && !items[0].isOverdue(at: afterDue, in: .gmt))
        try items[1].strike(StrikeInput(note: "on time"), by: Self.studio, at: epoch, in: .gmt)
        #expect(!items[1].isLate(in: .gmt))
    }

    /// A list's overdue items are worked out with each due day's end computed once; the answer
    /// must be the items' own judgement, at every moment around the ends of their days.
    @Test func aListsOverdueItemsAreThoseEachItemJudgesOverdue() throws {
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        var items: [FixItem] = []
        for (index, due) in ["2027-01-18", "2027-01-19", "2027-01-20", "2027-01-20", "2027-03-14", "2027-03-15"].enumerated() {
            let input = Self.input("Fix number \(index + 1) is done as agreed", due: due)
            items.append(
                try FixItem(id: "fxi_\(index)", fixListId: "fxl", position: index + 1, input: input, defaultStudioId: "stu_1", existing: items)
            )
        }
        var list = FixList(id: "fxl", engagementId: "eng", by: coordinator.actor, at: epoch)
        try list.confirm(by: Self.client, items: &items, at: epoch)
        try list.confirm(by: Self.studio, items: &items, at: epoch)
        try items[1].strike(StrikeInput(note: "done"), by: Self.studio, at: epoch, in: zone)
        var seen: Set<[String]> = []
        for day in ["2027-01-18", "2027-01-19", "2027-01-20", "2027-03-14", "2027-03-15"] {
            let end = try #require(Day(day)).end(in: zone)
            for moment in [end.addingTimeInterval(-1), end, end.addingTimeInterval(1)] {
                let overdue = FixItem.overdueIds(of: items, at: moment, in: zone)
                #expect(overdue == items.filter { $0.isOverdue(at: moment, in: zone) }.map(\.id), "at \(moment)")
                seen.insert(overdue)
            }
        }
        #expect(!FixItem.overdueIds(of: items, at: epoch, in: zone).contains("fxi_1"), "a struck item is never overdue")
        #expect(seen.count >= 5, "the moments chosen tell the days apart")
    }

    @Test func anEngagementInRecoveryIsReleasedOnlyWhenItsAgreedListIsDone() throws {
        var engagement = try EngagementTests.engagement()
        try engagement.enterRecovery(at: epoch)
        #expect(
            throws: DomainError.ruleBroken(
                .releaseNeedsDoneFixList,
                detail: "an engagement in recovery is released only when its agreed fix list is done (every item struck)"
            )
        ) {
            try engagement.apply(EngagementPatch(status: .released), fixLists: [.agreed], at: epoch)
        }
        #expect(throws: DomainError.self) { try engagement.apply(EngagementPatch(status: .released), fixLists: [.draft], at: epoch) }
        try engagement.apply(EngagementPatch(status: .released), fixLists: [.done, .draft], at: epoch)
        #expect(engagement.status == .released)
    }

    @Test func shareLinksExpireWithinLimitsAndCanBeRevoked() throws {
        #expect(throws: DomainError.self) {
            _ = try ShareLink(id: "s", fixListId: "fxl", input: ShareLinkInput(expiresAt: epoch), by: coordinator.actor, at: epoch)
        }
        #expect(throws: DomainError.self) {
            _ = try ShareLink(
                id: "s",
                fixListId: "fxl",
                input: ShareLinkInput(expiresAt: epoch.addingTimeInterval(200 * 24 * 3600)),
                by: coordinator.actor,
                at: epoch
            )
        }
        var link = try ShareLink(id: "s", fixListId: "fxl", input: ShareLinkInput(), by: coordinator.actor, at: epoch)
        #expect(link.expiresAt == epoch.addingTimeInterval(30 * 24 * 3600))
        #expect(link.isUsable(at: epoch) && !link.isUsable(at: link.expiresAt))
        try link.revoke(at: epoch)
        #expect(!link.isUsable(at: epoch))
    }

    @Test func fixesFeedTheScorecard() {
        var outcomes = StudioOutcomes()
        outcomes.fixItemsStruck = 4
        outcomes.fixItemsStruckLate = 1
        outcomes.fixItemsReopened = 2
        let card = Scorecard(studioId: "s", name: "S", outcomes: outcomes, answerWindowHours: 48)
        #expect(card.fixesOnTimeShare == 0.75)
        #expect(card.rating == 0.625)
    }
}
