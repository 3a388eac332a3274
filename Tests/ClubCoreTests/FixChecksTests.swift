import ClubCore
import Foundation
import Testing

/// The client checks each fix (docs/design.md §3.7): a struck item awaits the client's check,
/// lateness is judged per round, and the thread of comments belongs to the list's parties.
@Suite("Fix items: the client's check, rounds and comments")
struct FixChecksTests {
    static let client = FixListTests.client
    static let studio = FixListTests.studio
    static let moscow = TimeZone(identifier: "Europe/Moscow") ?? .gmt
    static let newYork = TimeZone(identifier: "America/New_York") ?? .gmt
    /// 2027-01-20 is the items' due day; `epoch` is 2027-01-15T08:00Z.
    static let afterDue = Date(timeIntervalSince1970: 1_800_000_000 + 7 * 24 * 3600)

    @Test func onlyAStruckItemAwaitsTheClientsCheckAndOnlyTheClientSideAccepts() throws {
        var (_, items) = try FixListTests.agreed()
        #expect(throws: DomainError.ruleBroken(.fixItemNotAwaitingCheck, detail: "item 1 cannot be accepted: it is not struck")) {
            try items[0].accept(AcceptInput(), by: Self.client, at: epoch)
        }
        try items[0].strike(StrikeInput(note: "deployed"), by: Self.studio, at: epoch, in: .gmt)
        #expect(items[0].awaitsCheck && !items[0].isStrikable)
        #expect(throws: DomainError.forbidden("only the client, or a coordinator on its behalf, accepts a struck item")) {
            try items[0].accept(AcceptInput(), by: Self.studio, at: epoch)
        }
        #expect(invalidFields { try items[0].accept(AcceptInput(), by: coordinator, at: epoch) } == ["note"], "the club says how the client agreed")
        try items[0].accept(AcceptInput(note: "  "), by: Self.client, at: epoch)
        #expect(items[0].state == .accepted && items[0].acceptedBy == "Oleg" && items[0].acceptNote == nil && !items[0].autoAccepted)
        #expect(!items[0].isStrikable && !items[0].isOverdue(at: Self.afterDue, in: .gmt))
        #expect(throws: DomainError.ruleBroken(.fixItemNotAwaitingCheck, detail: "item 1 cannot be reopened: it is already accepted")) {
            try items[0].reopen(ReopenInput(reason: "changed my mind"), by: Self.client, at: epoch, in: .gmt)
        }
        try items[1].strike(StrikeInput(note: "cached"), by: Self.studio, at: epoch, in: .gmt)
        try items[1].accept(AcceptInput(note: "the client confirmed on the phone"), by: coordinator, at: epoch)
        #expect(items[1].acceptedBy == "Anna" && items[1].acceptNote == "the client confirmed on the phone")
    }

    @Test func aReopeningAfterTheDueDayNamesTheNewDueDayNeverInThePast() throws {
        var (_, items) = try FixListTests.agreed()
        try items[0].strike(StrikeInput(note: "deployed"), by: Self.studio, at: Self.afterDue, in: .gmt)
        #expect(invalidFields { try items[0].reopen(ReopenInput(reason: "broken"), by: Self.client, at: Self.afterDue, in: .gmt) } == ["due"])
        let past = try #require(Day("2027-01-21"))
        #expect(
            invalidFields { try items[0].reopen(ReopenInput(reason: "broken", due: past), by: Self.client, at: Self.afterDue, in: .gmt) } == ["due"]
        )
        let newDue = try #require(Day("2027-01-25"))
        try items[0].reopen(ReopenInput(reason: "broken on iOS", due: newDue), by: Self.client, at: Self.afterDue, in: .gmt)
        #expect(items[0].state == .reopened && items[0].due == newDue && items[0].reopenCount == 1)
        #expect(items[0].rounds.count == 1 && items[0].rounds[0].reopenReason == "broken on iOS" && items[0].rounds[0].newDue == newDue)
        #expect(items[0].rounds[0].due == Day("2027-01-20") && !items[0].rounds[0].onTime)
        try items[0].strike(StrikeInput(note: "fixed on iOS"), by: Self.studio, at: Self.afterDue.addingTimeInterval(3600), in: .gmt)
        #expect(items[0].rounds.map(\.onTime) == [false, true], "the second round is judged against its own due day")
        #expect(!items[0].isLate(in: .gmt) && items[0].rounds[1].due == newDue)
    }

    @Test func aFirstStrikeOnTimeStaysOnTimeWhenItsItemIsReopened() throws {
        var (_, items) = try FixListTests.agreed()
        try items[0].strike(StrikeInput(note: "deployed"), by: Self.studio, at: epoch, in: .gmt)
        // Reopened before the due day passed: no new due day needed, the item keeps its own.
        try items[0].reopen(ReopenInput(reason: "the phone number is lost"), by: Self.client, at: epoch, in: .gmt)
        #expect(items[0].due == Day("2027-01-20") && items[0].rounds[0].newDue == Day("2027-01-20"))
        try items[0].strike(StrikeInput(note: "phone number kept"), by: Self.studio, at: Self.afterDue, in: .gmt)
        #expect(items[0].rounds.map(\.onTime) == [true, false])
        #expect(items[0].rounds.map(\.strikeNote) == ["deployed", "phone number kept"], "the history keeps every strike")
        #expect(items[0].isLate(in: .gmt))
    }

    @Test func aStrikeIsJudgedOnTheClubsClock() throws {
        // 2027-01-20T22:30Z: already the 21st in Moscow, still the 20th in UTC and in New York.
        let lateEvening = Date(timeIntervalSince1970: 1_800_000_000 + 5 * 24 * 3600 + 14.5 * 3600)
        for (zone, onTime) in [(Self.moscow, false), (TimeZone.gmt, true), (Self.newYork, true)] {
            var (_, items) = try FixListTests.agreed()
            try items[0].strike(StrikeInput(note: "deployed"), by: Self.studio, at: lateEvening, in: zone)
            #expect(items[0].rounds[0].onTime == onTime, "\(zone.identifier)")
        }
        // New York's 20th ends at 05:00Z on the 21st: a strike at 03:00Z is on time there only.
        let earlyUTC = Date(timeIntervalSince1970: 1_800_000_000 + 5 * 24 * 3600 + 19 * 3600)
        var (_, items) = try FixListTests.agreed()
        try items[0].strike(StrikeInput(note: "deployed"), by: Self.studio, at: earlyUTC, in: Self.newYork)
        try items[1].strike(StrikeInput(note: "deployed"), by: Self.studio, at: earlyUTC, in: .gmt)
        #expect(items[0].rounds[0].onTime && !items[1].rounds[0].onTime)
    }

    @Test func theDaemonAcceptsAnUncheckedStrikeAfterTheConfiguredDaysAndSaysSo() throws {
        var (_, items) = try FixListTests.agreed()
        var accepted = items[0].autoAccept(at: Self.afterDue, days: 5)
        #expect(!accepted, "an open item is not the daemon's to accept")
        try items[0].strike(StrikeInput(note: "deployed"), by: Self.studio, at: epoch, in: .gmt)
        #expect(items[0].checkDeadline(days: 5) == epoch.addingTimeInterval(5 * 24 * 3600))
        accepted = items[0].autoAccept(at: epoch.addingTimeInterval(5 * 24 * 3600 - 1), days: 5)
        #expect(!accepted && items[0].state == .struck)
        accepted = items[0].autoAccept(at: epoch.addingTimeInterval(5 * 24 * 3600), days: 5)
        #expect(accepted)
        #expect(items[0].state == .accepted && items[0].autoAccepted && items[0].acceptedBy == Actor.system.name)
        #expect(items[0].acceptNote?.contains("not checked within 5 days") == true)
        #expect(items[0].checkDeadline(days: 5) == nil)
    }

    @Test func rewordingAnAcceptedItemOpensItAgainAndKeepsItsRounds() throws {
        var (list, items) = try FixListTests.agreed()
        try items[0].strike(StrikeInput(note: "deployed"), by: Self.studio, at: epoch, in: .gmt)
        try items[0].accept(AcceptInput(), by: Self.client, at: epoch)
        try items[0].reword(FixItemPatch(acceptance: "a test lead arrives with the phone number"), existing: items, listIsFinal: list.isFinal)
        #expect(items[0].state == .open && items[0].acceptedAt == nil && items[0].rounds.count == 1)
        list.refreshDone(items: items)
        #expect(list.status != .done)
    }

    @Test func aCommentNamesItsSideAndNeedsText() throws {
        let (_, items) = try FixListTests.agreed()
        let byStudio = try FixItemComment(id: "fxc_1", item: items[0], input: FixItemCommentInput(text: " on it "), by: Self.studio, at: epoch)
        #expect(byStudio.side == .studio && byStudio.text == "on it" && byStudio.fixListId == "fxl" && byStudio.authorName == "Pixel Hands")
        let byClub = try FixItemComment(id: "fxc_2", item: items[0], input: FixItemCommentInput(text: "call on Friday"), by: coordinator, at: epoch)
        #expect(byClub.side == .club)
        #expect(
            invalidFields { _ = try FixItemComment(id: "fxc_3", item: items[0], input: FixItemCommentInput(text: ""), by: Self.client, at: epoch) }
                == ["text"]
        )
    }
}
