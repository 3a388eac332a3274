import ClubCore
import Foundation
import Testing

/// The club's own clock (docs/design.md §3.13): a due day ends at the club's local midnight, not
/// at midnight UTC, and a day is the day of the zone it is read in.
@Suite("The club's clock")
struct ClubTimeTests {
    static let moscow = TimeZone(identifier: "Europe/Moscow") ?? .gmt
    static let newYork = TimeZone(identifier: "America/New_York") ?? .gmt

    static func instant(_ text: String) throws -> Date { try #require(RFC3339.date(from: text)) }

    @Test func aDueDayEndsAtTheLocalMidnightOfTheZoneThatJudgesIt() throws {
        let due = try #require(Day("2027-01-20"))
        #expect(due.end(in: Self.moscow) == (try Self.instant("2027-01-20T21:00:00Z")))
        #expect(due.end(in: .gmt) == (try Self.instant("2027-01-21T00:00:00Z")))
        #expect(due.end(in: Self.newYork) == (try Self.instant("2027-01-21T05:00:00Z")))

        // 22:30 UTC on the 20th is already the 21st in Moscow and still the 20th west of UTC.
        let lateEvening = try Self.instant("2027-01-20T22:30:00Z")
        #expect(due.hasPassed(at: lateEvening, in: Self.moscow))
        #expect(!due.hasPassed(at: lateEvening, in: .gmt))
        #expect(!due.hasPassed(at: lateEvening, in: Self.newYork))
        #expect(Day(containing: lateEvening, in: Self.moscow) == Day("2027-01-21"))
        #expect(Day(containing: lateEvening, in: Self.newYork) == Day("2027-01-20"))
    }

    @Test func anAgreementIsOverdueByTheClubsZone() throws {
        let agreement = try Agreement(
            id: "agr_1",
            engagementId: "eng_1",
            input: AgreementInput(what: "texts and photos", owner: .client, due: try #require(Day("2027-01-20")), consequence: "release moves"),
            by: Actor(id: "tok", name: "Anna", role: "coordinator"),
            at: try Self.instant("2027-01-10T09:00:00Z")
        )
        let afterMoscowMidnight = try Self.instant("2027-01-20T21:30:00Z")
        #expect(agreement.isOverdue(at: afterMoscowMidnight, in: Self.moscow))
        #expect(!agreement.isOverdue(at: afterMoscowMidnight, in: Self.newYork))
        #expect(agreement.isOverdue(at: try Self.instant("2027-01-21T05:00:00Z"), in: Self.newYork))
    }

    @Test func aDayOfADaylightSavingChangeLastsAsLongAsOnTheWallClock() throws {
        // New York moves its clocks forward on 2027-03-14: that day has 23 hours.
        let day = try #require(Day("2027-03-14"))
        #expect(day.end(in: Self.newYork).timeIntervalSince(day.start(in: Self.newYork)) == 23 * 3600)
        #expect(day.end(in: Self.moscow).timeIntervalSince(day.start(in: Self.moscow)) == 24 * 3600)
    }

    @Test func rushIsJudgedOnTheClubsClock() throws {
        let deadline = try #require(Day("2027-01-27"))
        // Seven days before the end of the 27th in Moscow is 20 Jan 21:00 UTC.
        let moscowClub = ClubRules(rushThresholdDays: 7, timeZone: Self.moscow)
        let utcClub = ClubRules(rushThresholdDays: 7, timeZone: .gmt)
        let now = try Self.instant("2027-01-20T22:00:00Z")
        #expect(moscowClub.isRush(deadline, at: now))
        #expect(!utcClub.isRush(deadline, at: now))
        #expect(moscowClub.today(at: now) == Day("2027-01-21"))
        #expect(utcClub.today(at: now) == Day("2027-01-20"))
    }

    @Test func theClubsZoneIsNamedAsAPersonsZoneIs() {
        #expect(ClubRules(timeZone: .gmt).timeZoneName == "UTC")
        #expect(ClubRules(timeZone: Self.moscow).timeZoneName == "Europe/Moscow")
    }

    /// A day is written with its zeros, as `%04d-%02d-%02d` writes it, and reads back as itself.
    @Test func aDayIsWrittenWithItsZeros() throws {
        for text in ["2027-01-09", "0999-12-31", "2028-02-29", "0001-03-04"] {
            let day = try #require(Day(text))
            #expect(day.description == text)
            #expect(day.description == String(format: "%04d-%02d-%02d", day.year, day.month, day.day))
        }
    }

    /// A day is read from exactly `YYYY-MM-DD` in ASCII digits, and only a real date.
    @Test func onlyARealDateInItsOneFormIsADay() throws {
        for text in ["2027-01-09", "0999-12-31", "2028-02-29", "0001-03-04", "9999-12-31"] {
            #expect(Day(text)?.description == text)
        }
        let refused = [
            "2027-02-29", "2027-13-01", "2027-00-10", "2027-01-00", "2027-04-31", "27-01-01", "2027-1-01", "2027-01-1",
            "2027-+1-05", "2027-01-+5", "+027-01-05", "2027/01/05", "2027-01-05 ", " 2027-01-05", "2027-01-05T00:00", "",
            "２０２７-01-05", "2027-01-0٥", "2027–01–05",
        ]
        for text in refused { #expect(Day(text) == nil, "\(text)") }
        // Every day of four years, leap day included, reads back as itself.
        var day = try #require(Day("2027-01-01"))
        for _ in 0..<(4 * 366) {
            #expect(Day(day.description) == day)
            day = day.adding(days: 1)
        }
    }

    @Test func daysAddUpAcrossMonthsAndYears() throws {
        #expect(try #require(Day("2027-12-30")).adding(days: 3) == Day("2028-01-02"))
        #expect(try #require(Day("2028-03-01")).adding(days: -1) == Day("2028-02-29"))
    }
}
