import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

/// The club's own score as the store keeps it (docs/design.md §3.12).
@Suite("The club's own score in the store")
struct ClubRatingStoreTests {
    /// The fixture's engagement, parted: the client may now rate the club.
    static func parted() async throws -> (club: MatchingFixture, engagement: Engagement, studio: Principal, client: Principal) {
        let (club, engagement, studio, client) = try await InternalNoteStoreTests.engaged()
        _ = try await club.database.exitEngagement(engagement.id, ExitInput(reason: "parting while keeping loyalty"), by: head)
        return (club, engagement, studio, client)
    }

    @Test func aRatingIsAwaitedUntilGivenThenStoredAndJournaledOnce() async throws {
        let (club, engagement, _, client) = try await Self.engaged()
        let database = club.database
        let open = try await database.clubRatingStatus(engagement.id, for: client)
        #expect(open.awaited.isEmpty, "nothing is asked while the engagement runs")
        await #expect(throws: DomainError.self) { _ = try await database.rateClub(engagement.id, ClubRatingInput(score: 9), by: client) }

        _ = try await database.exitEngagement(engagement.id, ExitInput(reason: "parting while keeping loyalty"), by: head)
        let asked = try await database.clubRatingStatus(engagement.id, for: client)
        #expect(asked.awaited.map(\.occasion) == [.engagementEnded] && asked.ratings.isEmpty)

        let rating = try await database.rateClub(engagement.id, ClubRatingInput(score: 9, comment: "the club kept its word"), by: client)
        #expect(rating.occasion == .engagementEnded && rating.score == 9 && !rating.onBehalf && rating.clientId == engagement.clientId)
        let answered = try await database.clubRatingStatus(engagement.id, for: head)
        #expect(answered.awaited.isEmpty && answered.ratings == [rating])
        do {
            _ = try await database.rateClub(engagement.id, ClubRatingInput(score: 3), by: head)
            Issue.record("a second rating of the same occasion was taken")
        } catch DomainError.ruleBroken(let rule, _) {
            #expect(rule == .clubRatingAlreadyGiven)
        }
        let events = try await database.journal(entityType: "club-rating", entityId: nil, page: PageRequest(limit: 10), for: head).items
        #expect(events.map(\.action) == ["created"] && events.map(\.entityId) == [rating.id])
    }

    static func engaged() async throws -> (club: MatchingFixture, engagement: Engagement, studio: Principal, client: Principal) {
        try await InternalNoteStoreTests.engaged()
    }

    @Test func aStudioIsRefusedAndAnotherClientFindsNoEngagement() async throws {
        let (club, engagement, studio, _) = try await Self.parted()
        let database = club.database
        await #expect(throws: DomainError.forbidden(Action.rateClub.refusal)) {
            _ = try await database.rateClub(engagement.id, ClubRatingInput(score: 10), by: studio)
        }
        await #expect(throws: DomainError.forbidden(Action.readClubRating.refusal)) {
            _ = try await database.clubRatingStatus(engagement.id, for: studio)
        }
        let other = try await database.createClient(ClientInput(name: "Other Ltd"), by: head)
        let issued = try await database.issueToken(TokenGrant(role: .client, clientId: other.id, name: "Other"), by: head)
        let stranger = try #require(try await database.authenticate(secret: issued.secret))
        await #expect(throws: DomainError.notFound(entity: "engagement", id: engagement.id)) {
            _ = try await database.rateClub(engagement.id, ClubRatingInput(score: 10), by: stranger)
        }
    }

    @Test func theStudiosScorecardIsUnchangedByARating() async throws {
        let (club, engagement, _, client) = try await Self.parted()
        let database = club.database
        let before = try await database.scorecards(page: PageRequest(limit: 50), for: head).items
        _ = try await database.rateClub(engagement.id, ClubRatingInput(score: 0, comment: "nobody called us back"), by: client)
        let after = try await database.scorecards(page: PageRequest(limit: 50), for: head).items
        #expect(after == before)
        #expect(try await database.clubScore(from: nil, to: nil, for: head).summary.detractors == 1, "the rating was counted by the club")
    }

    @Test func theReportCountsTheRatingsOfItsDaysWithTheirCommentsAndNames() async throws {
        let (club, engagement, _, client) = try await Self.parted()
        let database = club.database
        let today = database.rules.today(at: club.test.clock.now())
        let empty = try await database.clubScore(from: nil, to: nil, for: head)
        #expect(empty.summary.count == 0 && empty.summary.score == nil && empty.comments.isEmpty)
        _ = try await database.rateClub(engagement.id, ClubRatingInput(score: 10, comment: "the club stood by us"), by: client)

        let report = try await database.clubScore(from: nil, to: nil, for: head)
        #expect(report.to == today && report.from == today.adding(days: -89) && report.timeZone == "GMT")
        #expect(report.summary == ClubScore(scores: [10]) && report.summary.score == 100)
        let comment = try #require(report.comments.first)
        #expect(comment.clientName == "Yacht Charter Ltd" && comment.studioName == "Studio 0" && comment.score == 10)
        #expect(comment.comment == "the club stood by us" && comment.engagementId == engagement.id)

        let tomorrow = try await database.clubScore(from: today.adding(days: 1), to: today.adding(days: 1), for: head)
        #expect(tomorrow.summary.count == 0 && tomorrow.summary.score == nil)
        let justToday = try await database.clubScore(from: today, to: today, for: head)
        #expect(justToday.summary.count == 1)

        // Ninety days on, the rating has left the default period.
        club.test.clock.advance(by: 90 * 24 * 3600)
        #expect(try await database.clubScore(from: nil, to: nil, for: head).summary.count == 0)
        #expect(try await database.clubScore(from: today, to: nil, for: head).summary.count == 1)
        await #expect(throws: DomainError.self) { _ = try await database.clubScore(from: today, to: today.adding(days: -1), for: head) }
        await #expect(throws: DomainError.forbidden(Action.readClubScore.refusal)) {
            _ = try await database.clubScore(from: nil, to: nil, for: client)
        }
    }

    @Test func thePeriodIsCountedInDaysOfTheClubsZone() async throws {
        // 2027-01-15T22:30Z is already 16 January in Moscow (UTC+3).
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000 + 14.5 * 3600))
        let moscow = try #require(TimeZone(identifier: "Europe/Moscow"))
        let database = try AppDatabase.inMemory(clock: clock, rules: ClubRules(timeZone: moscow))
        let report = try await database.clubScore(from: nil, to: nil, for: head)
        #expect(report.to == Day("2027-01-16") && report.from == Day("2026-10-19") && report.timeZone == "Europe/Moscow")
    }
}
