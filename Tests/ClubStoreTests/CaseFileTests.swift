import ClubCore
import ClubDemo
import ClubStore
import Foundation
import GRDB
import Testing

@Suite("The reference case and its case files")
struct CaseFileTests {
    static func demo() async throws -> (AppDatabase, ReferenceCase.Summary) {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let database = try AppDatabase.inMemory(clock: clock)
        return (database, try await ReferenceCase(database: database, clock: clock).load())
    }

    @Test func allEightStepsLoadAndTheJournalHolds() async throws {
        let (database, summary) = try await Self.demo()
        guard case .intact(let events, _) = try database.verifyJournal() else {
            Issue.record("the demo's journal does not verify")
            return
        }
        #expect(events > 80)
        let landing = try await database.engagementRecord(summary.landingEngagementId, for: .system)
        #expect(landing.engagement.status == .released)
        let advertising = try await database.engagementRecord(summary.advertisingEngagementId, for: .system)
        #expect(advertising.engagement.status == .terminated)
        #expect(try await database.fixList(summary.fixListId, for: .system).list.status == .done)
        #expect(try await database.audit(summary.auditId, for: .system).status == .answered)
        #expect(try await database.retrospective(of: summary.advertisingEngagementId, for: .system).lessons.count == 3)
        await #expect(throws: ReferenceCaseError.self, "only into a fresh data folder") {
            try await ReferenceCase(database: database, clock: ManualClock(Date())).load()
        }
    }

    @Test func aCaseFileVerifiesAndTamperingIsNamed() async throws {
        let (database, summary) = try await Self.demo()
        let file = try await database.caseFile(summary.landingEngagementId, for: .system)
        guard case .intact(let count, let head) = file.verify() else {
            Issue.record("a fresh case file does not verify")
            return
        }
        #expect(count == file.journal.events.count)
        #expect(head == (try await database.journalHead()).hash)
        #expect(file.complaints.count == 1 && file.fixLists.count == 1 && file.referrals.count == 1)

        // Re-encode as the API does, alter one event, and decode again.
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date))
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            return RFC3339.date(from: try container.decode(String.self)) ?? .distantPast
        }
        let roundTrip = try decoder.decode(CaseFile.self, from: try encoder.encode(file))
        #expect(roundTrip.verify() == file.verify(), "the file verifies after travelling as JSON")
        var json = try #require(try JSONSerialization.jsonObject(with: try encoder.encode(file)) as? [String: Any])
        var journal = try #require(json["journal"] as? [String: Any])
        var events = try #require(journal["events"] as? [[String: Any]])
        let victim = try #require(events[2]["id"] as? String)
        events[2]["action"] = "nothing-happened"
        journal["events"] = events
        json["journal"] = journal
        let tampered = try decoder.decode(CaseFile.self, from: try JSONSerialization.data(withJSONObject: json))
        guard case .broken(_, let id, _) = tampered.verify() else {
            Issue.record("tampering went unnoticed")
            return
        }
        #expect(id == victim)
    }

    @Test func theFollowUpsListWhatNeedsDoing() async throws {
        let (database, summary) = try await Self.demo()
        let followUps = try await database.followUps(for: .system)
        #expect(followUps.stagesWithoutFeedback.contains { $0.engagementId == summary.landingEngagementId && $0.stages == ["development"] })
        #expect(followUps.overdueFixItems.isEmpty, "every item was struck on time")
    }
}
