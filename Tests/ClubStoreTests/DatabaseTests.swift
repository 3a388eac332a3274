import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

@Suite("Database setup")
struct DatabaseTests {
    @Test func theWriterIsDurable() throws {
        let database = try TestDatabase().openFile()
        let settings = try database.durabilitySettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2, "synchronous must be FULL (2), not NORMAL (1)")
        #expect(settings.foreignKeys)
    }

    @Test func migrationsCreateTheSchemaAndAreIdempotent() throws {
        let test = try TestDatabase()
        let first = try test.openFile()
        try first.close()
        let again = try test.openFile()
        let tables = try again.writer.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name"
            )
        }
        #expect(
            tables == [
                "accessToken", "agreement", "audit", "auditFinding", "checkIn", "client", "clubRating", "complaint", "consultingOffer",
                "consultingSession", "engagement", "engagementExit", "evidenceFile", "fixItem", "fixItemComment", "fixList", "idempotentResponse",
                "invitation",
                "journal", "lead", "notification", "person",
                "referral", "retrospective", "session", "shareLink", "shortlist", "stageFeedback", "studio", "studioCompetence", "studioMatch",
                "webhook", "webhookAttempt", "webhookDelivery",
            ]
        )
        #expect(try again.integrityCheck() == "ok")
    }

    @Test func everythingSurvivesAReopen() async throws {
        let test = try TestDatabase()
        let database = try test.openFile()
        let studio = try await database.createStudio(pixelHands(), by: head)
        let client = try await database.createClient(ClientInput(name: "Yacht Charter Ltd"), by: head)
        let secret = try #require(try await database.bootstrapHeadToken())
        try database.close()

        let reopened = try test.openFile()
        #expect(try await reopened.studio(studio.id, for: head) == studio)
        #expect(try await reopened.client(client.id, for: head) == client)
        #expect(try await reopened.authenticate(secret: secret)?.isHead == true)
        #expect(try await reopened.bootstrapHeadToken() == nil, "the bootstrap token is issued once")
        #expect(try await reopened.journalHead().seq == 3)
    }

    @Test func onlineBackupIsAConsistentCopy() async throws {
        let test = try TestDatabase()
        let database = try test.openFile()
        let studio = try await database.createStudio(pixelHands(), by: head)
        let copyPath = test.folder.appendingPathComponent("copy.sqlite").path
        try database.backup(to: copyPath)
        let copy = try AppDatabase(path: copyPath)
        #expect(try copy.integrityCheck() == "ok")
        #expect(try await copy.studio(studio.id, for: head) == studio)
        #expect(try copy.verifyJournal() == database.verifyJournal())
    }
}
