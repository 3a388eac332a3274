import ClubCore
import ClubDemo
import ClubStore
import Foundation
import Testing

/// `GET /v1/engagements/{id}/complaints` and `…/audits`: how a party finds what concerns its
/// engagement without a notification to follow.
@Suite("An engagement's complaints and audits")
struct EngagementObjectsTests {
    static func party(_ role: Role, studio: String? = nil, client: String? = nil) -> Principal {
        Principal(tokenId: "tok_probe", name: "probe", role: role, studioId: studio, clientId: client)
    }

    @Test func theEngagementsPartiesReadThemAndNobodyElseLearnsOfThem() async throws {
        let (database, summary) = try await CaseFileTests.demo()
        let landing = try await database.engagementRecord(summary.landingEngagementId, for: .system).engagement
        let advertising = try await database.engagementRecord(summary.advertisingEngagementId, for: .system).engagement
        try #require(landing.studioId != advertising.studioId && landing.clientId == advertising.clientId)

        let complaints = try await database.complaints(ofEngagement: landing.id, for: .system).map(\.id)
        #expect(!complaints.isEmpty, "the reference case has a complaint about the landing page")
        #expect(try await database.complaints(ofEngagement: landing.id, for: Self.party(.studio, studio: landing.studioId)).map(\.id) == complaints)
        #expect(try await database.complaints(ofEngagement: landing.id, for: Self.party(.client, client: landing.clientId)).map(\.id) == complaints)
        await #expect(throws: DomainError.notFound(entity: "engagement", id: landing.id)) {
            try await database.complaints(ofEngagement: landing.id, for: Self.party(.studio, studio: advertising.studioId))
        }
        await #expect(throws: DomainError.notFound(entity: "engagement", id: landing.id)) {
            try await database.complaints(ofEngagement: landing.id, for: Self.party(.client, client: "cli_other"))
        }

        let audit = try await database.audit(summary.auditId, for: .system)
        let audited = audit.engagementId == landing.id ? landing : advertising
        let other = audited.id == landing.id ? advertising : landing
        #expect(try await database.audits(ofEngagement: audited.id, for: Self.party(.studio, studio: audited.studioId)).map(\.id) == [audit.id])
        #expect(try await database.audits(ofEngagement: audited.id, for: Self.party(.client, client: audited.clientId)).map(\.id) == [audit.id])
        await #expect(throws: DomainError.notFound(entity: "engagement", id: audited.id)) {
            try await database.audits(ofEngagement: audited.id, for: Self.party(.studio, studio: other.studioId))
        }
        await #expect(throws: DomainError.notFound(entity: "engagement", id: "eng_none")) {
            try await database.audits(ofEngagement: "eng_none", for: .system)
        }
        #expect(try await database.audits(ofEngagement: other.id, for: Self.party(.studio, studio: other.studioId)).isEmpty, "its own: none")
    }
}
