import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

/// The club's internal notes, the studio's website and account, and the reads between the
/// parties, as the store keeps and answers them (DESIGN §2).
@Suite("Internal notes and the parties' reads in the store")
struct InternalNoteStoreTests {
    /// A club with one engagement of studio 0 for the fixture's client; studio 1 works for nobody.
    static func engaged() async throws -> (club: MatchingFixture, engagement: Engagement, studio: Principal, client: Principal) {
        let club = try await MatchingFixture(studios: [["landing", "context_ads"], ["context_ads"]])
        let database = club.database
        _ = try await database.makeShortlist(club.lead.id, ShortlistInput(), by: head)
        let studio = try await club.studioPrincipal(0)
        let referral = try await database.offerReferrals(club.lead.id, ReferralOffer(studioIds: [club.studios[0]]), by: head)[0]
        _ = try await database.answerReferral(referral.id, ReferralAnswer(accept: true), by: studio)
        let engagement = try await database.startEngagement(
            club.lead.id,
            EngagementInput(studioId: club.studios[0], internalNote: "first engagement of this studio"),
            by: head
        ).engagement
        let issued = try await database.issueToken(TokenGrant(role: .client, clientId: club.lead.clientId, name: "Oleg"), by: head)
        let client = try #require(try await database.authenticate(secret: issued.secret))
        return (club, engagement, studio, client)
    }

    @Test func aCoordinatorsNotesAreStoredJournaledAndReadBack() async throws {
        let (club, engagement, _, _) = try await Self.engaged()
        let database = club.database
        let due = try #require(Day("2027-02-01"))
        var studio = try await database.createStudio(
            StudioInput(
                name: "Landing Lab",
                competences: ["landing"],
                budgetMin: 0,
                budgetMax: 10,
                capacity: 1,
                website: "https://landing.example",
                internalNote: "note: studio"
            ),
            by: head
        )
        studio = try await database.updateStudio(studio.id, StudioPatch(internalNote: "note: studio, again"), ifVersion: nil, by: head)
        let client = try await database.createClient(ClientInput(name: "Boat Rental", internalNote: "note: client"), by: head)
        let lead = try await database.updateLead(club.lead.id, LeadPatch(internalNote: "note: request"), ifVersion: nil, by: head)
        let record = try await database.updateEngagement(engagement.id, EngagementPatch(internalNote: "note: engagement"), ifVersion: nil, by: head)
        let agreement = try await database.addAgreement(
            engagement.id,
            AgreementInput(what: "texts", owner: .client, due: due, consequence: "later", internalNote: "note: agreement"),
            by: head
        )
        let checkIn = try await database.addCheckIn(
            engagement.id,
            CheckInInput(
                heldAt: club.test.clock.now(),
                attendees: ["Oleg"],
                studioReport: "draft",
                clientSentiment: 4,
                internalNote: "note: check-in"
            ),
            by: head
        )
        let list = try await database.createFixList(
            engagement.id,
            FixListInput(
                items: [FixItemInput(statement: "The form sends leads", acceptance: "a lead arrives", due: due, internalNote: "note: item")],
                internalNote: "note: list"
            ),
            by: head
        )
        let reworded = try await database.updateFixItem(list.items[0].id, FixItemPatch(internalNote: "note: item, again"), ifVersion: nil, by: head)
        let complaint = try await database.createComplaint(
            engagement.id,
            ComplaintInput(channel: "email", summary: "late", demand: ComplaintDemand(kind: .redo), internalNote: "note: complaint"),
            by: head
        )
        let audit = try await database.createAudit(
            engagement.id,
            AuditInput(
                auditor: "Northwind",
                receivedAt: club.test.clock.now(),
                subject: "ads",
                findings: [AuditInput.Finding(statement: "few keywords", severity: "high", category: "keywords", internalNote: "note: finding")],
                internalNote: "note: audit"
            ),
            by: head
        )
        let exit = try await database.exitEngagement(engagement.id, ExitInput(reason: "parting", internalNote: "note: exit"), by: head)

        // Read back as a coordinator, from the database rather than from what the writes returned.
        #expect(try await database.studio(studio.id, for: head).internalNote == "note: studio, again")
        #expect(try await database.studio(studio.id, for: head).website == "https://landing.example")
        #expect(try await database.client(client.id, for: head).internalNote == "note: client")
        #expect(try await database.lead(lead.id, for: head).internalNote == "note: request")
        let reread = try await database.engagementRecord(record.engagement.id, for: head)
        #expect(reread.engagement.internalNote == "note: engagement")
        #expect(reread.agreements.first { $0.id == agreement.id }?.internalNote == "note: agreement")
        #expect(reread.checkIns.first { $0.id == checkIn.id }?.internalNote == "note: check-in")
        let fixList = try await database.fixList(list.list.id, for: head)
        #expect(fixList.list.internalNote == "note: list" && fixList.items[0].internalNote == "note: item, again")
        #expect(reworded.list.status == .draft && reworded.items[0].pending == .wording)
        #expect(try await database.complaint(complaint.id, for: head).internalNote == "note: complaint")
        let storedAudit = try await database.audit(audit.id, for: head)
        #expect(storedAudit.internalNote == "note: audit" && storedAudit.findings[0].internalNote == "note: finding")
        let storedExit = try await database.writer.read { db in try EngagementExit.fetchOne(db, key: exit.id) }
        #expect(storedExit?.internalNote == "note: exit")

        // Journaled like any field.
        let journal = try await database.journal(entityType: nil, entityId: nil, page: PageRequest(limit: 200), for: head).items
        let written = journal.map(\.after).joined(separator: "\n")
        for note in [
            "note: studio, again", "note: client", "note: request", "note: engagement", "note: agreement", "note: check-in", "note: list",
            "note: item, again", "note: complaint", "note: audit", "note: finding", "note: exit", "first engagement of this studio",
        ] {
            #expect(written.contains(note), "\(note) is journaled")
        }
        #expect(journal.last { $0.entityId == list.items[0].id }?.before.contains("note: item") == true)
    }

    @Test func aClientOnlyFilesAComplaintWithoutTheClubsNote() async throws {
        let (club, engagement, _, client) = try await Self.engaged()
        let input = ComplaintInput(channel: "email", summary: "late", demand: ComplaintDemand(kind: .redo), internalNote: "exaggerating")
        await #expect(throws: DomainError.invalid("internalNote", "is the club's own note: only a coordinator writes it")) {
            try await club.database.createComplaint(engagement.id, input, by: client)
        }
        let filed = try await club.database.createComplaint(
            engagement.id,
            ComplaintInput(channel: "email", summary: "late", demand: ComplaintDemand(kind: .redo)),
            by: client
        )
        #expect(filed.internalNote == nil)
    }

    @Test func theStudioReadsTheComplaintAboutItsWorkAndGivesItsAccount() async throws {
        let (club, engagement, studio, client) = try await Self.engaged()
        let database = club.database
        let other = try await club.studioPrincipal(1)
        let complaint = try await database.createComplaint(
            engagement.id,
            ComplaintInput(channel: "email", summary: "late", demand: ComplaintDemand(kind: .redo)),
            by: client
        )
        #expect(try await database.complaint(complaint.id, for: studio).id == complaint.id)
        await #expect(throws: DomainError.notFound(entity: "complaint", id: complaint.id)) { try await database.complaint(complaint.id, for: other) }

        let account = StudioAccountInput(account: "the CRM refused two fields")
        await #expect(throws: DomainError.notFound(entity: "complaint", id: complaint.id)) {
            try await database.recordStudioAccount(complaint.id, account, by: other)
        }
        await #expect(throws: DomainError.forbidden("only the studio complained about gives its account")) {
            try await database.recordStudioAccount(complaint.id, account, by: client)
        }
        await #expect(throws: DomainError.forbidden("only the studio complained about gives its account")) {
            try await database.recordStudioAccount(complaint.id, account, by: head)
        }
        let recorded = try await database.recordStudioAccount(complaint.id, account, by: studio)
        #expect(recorded.studioAccount?.account == "the CRM refused two fields" && recorded.studioAccount?.by == studio.name)
        let replaced = try await database.recordStudioAccount(complaint.id, StudioAccountInput(account: "we fixed the mapping"), by: studio)
        #expect(try await database.complaint(complaint.id, for: head).studioAccount?.account == "we fixed the mapping")
        #expect(replaced.version == complaint.version + 2)
        let events = try await database.journal(entityType: "complaint", entityId: complaint.id, page: PageRequest(), for: head).items
        #expect(events.map(\.action) == ["created", "studio-account-recorded", "studio-account-replaced"])
    }

    @Test func thePartiesReadEachOthersRecordsAndNobodyElses() async throws {
        let (club, _, studio, client) = try await Self.engaged()
        let database = club.database
        let idle = try await club.studioPrincipal(1)
        let stranger = try await database.createClient(ClientInput(name: "Other Ltd"), by: head)
        #expect(try await database.studio(club.studios[0], for: client).id == club.studios[0], "its studio")
        await #expect(throws: DomainError.notFound(entity: "studio", id: club.studios[1])) { try await database.studio(club.studios[1], for: client) }
        #expect(try await database.client(club.lead.clientId, for: studio).id == club.lead.clientId, "its client")
        await #expect(throws: DomainError.notFound(entity: "client", id: club.lead.clientId)) {
            try await database.client(club.lead.clientId, for: idle)
        }
        await #expect(throws: DomainError.notFound(entity: "client", id: stranger.id)) { try await database.client(stranger.id, for: studio) }

        // An accepted referral is enough for the client; an offer is not.
        let second = try await database.createLead(
            LeadInput(
                clientId: club.lead.clientId,
                statedAsk: "ads",
                businessGoal: "bookings",
                budget: 100_000,
                deadline: try #require(Day("2027-04-01"))
            ),
            by: head
        )
        _ = try await database.updateLead(second.id, LeadPatch(requiredCompetences: ["context_ads"], rationale: "bookings"), ifVersion: nil, by: head)
        _ = try await database.makeShortlist(second.id, ShortlistInput(), by: head)
        let offer = try await database.offerReferrals(second.id, ReferralOffer(studioIds: [club.studios[1]]), by: head)[0]
        await #expect(throws: DomainError.notFound(entity: "studio", id: club.studios[1])) { try await database.studio(club.studios[1], for: client) }
        _ = try await database.answerReferral(offer.id, ReferralAnswer(accept: true), by: idle)
        #expect(try await database.studio(club.studios[1], for: client).id == club.studios[1])
        await #expect(throws: DomainError.notFound(entity: "client", id: club.lead.clientId)) {
            try await database.client(club.lead.clientId, for: idle)
        }
    }
}
