import ClubCore
import ClubDemo
import ClubStore
import Foundation
import GRDB
import Testing

@Suite("The reference case and its case files")
struct CaseFileTests {
    static func demo() async throws -> (AppDatabase, ReferenceCase.Summary) {
        let (database, summary, _) = try await demoWithClock()
        return (database, summary)
    }

    static func demoWithClock() async throws -> (AppDatabase, ReferenceCase.Summary, ManualClock) {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let database = try AppDatabase.inMemory(clock: clock)
        return (database, try await ReferenceCase(database: database, clock: clock).load(), clock)
    }

    /// The reference case with a unique marker written into internal fields: those of the
    /// landing engagement's records (a second complaint, a check-in) and the studio's own.
    struct Marked {
        let database: AppDatabase
        let summary: ReferenceCase.Summary
        let head: Principal
        let client: Principal
        /// Markers in records a case file holds.
        let inCaseFile: [String]
        /// Markers in the studio's registry record, which no case file holds.
        let inRegistry: [String]
    }

    static func marked() async throws -> Marked {
        let (database, summary, clock) = try await demoWithClock()
        let head = try #require(try await database.authenticate(secret: summary.headToken))
        let client = try #require(try await database.authenticate(secret: summary.clientToken))
        let marker = { (field: String) in "MARKER-\(field)-\(UUID().uuidString)" }
        let (emotion, notes, upsell, goal, step, complaintNote, checkInNote) = (
            marker("emotions"), marker("notes"), marker("upsell"), marker("goal"), marker("step"), marker("complaint-note"), marker("check-in-note")
        )
        let (conduct, vetting) = (marker("conduct"), marker("vetting"))
        let landing = try await database.engagementRecord(summary.landingEngagementId, for: head).engagement
        let complaint = try await database.createComplaint(
            landing.id,
            ComplaintInput(
                channel: "phone",
                summary: "prices on two yacht cards are wrong",
                demand: ComplaintDemand(kind: .redo),
                internalNote: complaintNote
            ),
            by: head
        )
        _ = try await database.recordMeeting(
            complaint.id,
            MeetingInput(heldAt: clock.now(), studiosPresent: false, facts: ["two cards show last year's prices"], emotions: [emotion], notes: notes),
            by: head
        )
        _ = try await database.proposePlan(
            complaint.id,
            PlanInput(
                goals: ["correct the prices", PlanGoal(goal, visibility: .internal)],
                steps: [
                    PlanInput.Step(
                        action: "correct the two cards",
                        owner: .studio,
                        due: Day(containing: clock.now().addingTimeInterval(7 * 24 * 3600), in: .gmt)
                    ),
                    PlanInput.Step(
                        action: step,
                        owner: .club,
                        due: Day(containing: clock.now().addingTimeInterval(7 * 24 * 3600), in: .gmt),
                        visibility: .internal
                    ),
                ],
                upsell: upsell
            ),
            by: head
        )
        _ = try await database.addCheckIn(
            landing.id,
            CheckInInput(heldAt: clock.now(), attendees: ["Oleg"], studioReport: "prices corrected", clientSentiment: 1, internalNote: checkInNote),
            by: head
        )
        _ = try await database.addConductNote(landing.studioId, ConductNoteInput(note: conduct), by: head)
        // The landing studio's vetting is closed: an applicant's notes stand for it.
        let applicant = try await database.createStudio(
            StudioInput(name: "Harbour Web", competences: ["landing"], regions: ["RU-MOW"], budgetMin: 50_000, budgetMax: 500_000, capacity: 2),
            by: head
        )
        _ = try await database.recordVettingCheck(applicant.id, VettingCheckInput(kind: .portfolio, passed: true, notes: vetting), by: head)
        return Marked(
            database: database,
            summary: summary,
            head: head,
            client: client,
            inCaseFile: [emotion, notes, upsell, goal, step, complaintNote, checkInNote],
            inRegistry: [conduct, vetting]
        )
    }

    static func text(of file: CaseFile) throws -> String { String(decoding: try file.jsonData(), as: UTF8.self) }

    /// Every key of a JSON value, at any depth.
    static func keys(in value: Any?) -> Set<String> {
        switch value {
        case let object as [String: Any]: Set(object.keys).union(object.values.flatMap { keys(in: $0) })
        case let list as [Any]: Set(list.flatMap { keys(in: $0) })
        default: []
        }
    }

    /// The keys of the events' images, at any depth, as the file carries them.
    static func imageKeys(in file: CaseFile) -> Set<String> {
        Set(
            file.journal.events.flatMap { event in
                [event.before, event.after].flatMap { keys(in: try? JSONSerialization.jsonObject(with: Data($0.utf8))) }
            }
        )
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
        #expect(file.format == "clubd-case-file/2" && file.reader == .coordinator && file.engagementId == summary.landingEngagementId)
        #expect((file.section("complaints") as? [Any])?.count == 1 && (file.section("fixLists") as? [Any])?.count == 1)
        #expect((file.section("referrals") as? [Any])?.count == 1)
        #expect(file.journal.events.allSatisfy { $0.hashScheme == 2 && $0.redactedFields == nil }, "the club reads every event whole")
        #expect(file.journal.events.allSatisfy { $0.fieldKey == nil && $0.fieldSalts != nil }, "salts leave the club, field keys do not")

        // Write the document as the API sends it and read it back as `clubd journal verify --case-file` does.
        let roundTrip = try CaseFile(jsonData: try file.jsonData())
        #expect(roundTrip.verify() == file.verify(), "the file verifies after travelling as JSON")
        var json = try #require(try JSONSerialization.jsonObject(with: try file.jsonData()) as? [String: Any])
        var journal = try #require(json["journal"] as? [String: Any])
        var events = try #require(journal["events"] as? [[String: Any]])
        let victim = try #require(events[2]["id"] as? String)
        events[2]["action"] = "nothing-happened"
        journal["events"] = events
        json["journal"] = journal
        let tampered = try CaseFile(jsonData: try JSONSerialization.data(withJSONObject: json))
        guard case .broken(_, let id, _) = tampered.verify() else {
            Issue.record("tampering went unnoticed")
            return
        }
        #expect(id == victim)

        json["format"] = "clubd-case-file/1"
        #expect(try CaseFile(jsonData: try JSONSerialization.data(withJSONObject: json)).format == "clubd-case-file/1", "old files are read")
        json["format"] = "clubd-case-file/9"
        #expect(throws: CaseFileError.self) { try CaseFile(jsonData: try JSONSerialization.data(withJSONObject: json)) }
    }

    @Test func eachPartyReadsItsOwnCaseFileWithoutTheClubsInternals() async throws {
        let marked = try await Self.marked()
        let id = marked.summary.landingEngagementId
        let club = try await marked.database.caseFile(id, for: marked.head)
        let clubText = try Self.text(of: club)
        for marker in marked.inCaseFile { #expect(clubText.contains(marker), "the club's case file holds \(marker)") }
        #expect(club.verify() == .intact(events: club.journal.events.count, head: try await marked.database.journalHead().hash))
        #expect(Self.keys(in: club.section("checkIns")).contains("clientSentiment"))
        #expect(clubText.contains(Redactor.annotationKey), "the club is told what the parties do not see")

        // The client exports its own; a studio exports none, so its reading is made from the club's file.
        let client = try await marked.database.caseFile(id, for: marked.client)
        let studio = try club.redacted(for: .studio)
        for (party, file) in [("client", client), ("studio", studio)] {
            let text = try Self.text(of: file)
            for marker in marked.inCaseFile + marked.inRegistry { #expect(!text.contains(marker), "the \(party)'s case file holds \(marker)") }
            let recordKeys = Self.keys(in: try JSONSerialization.jsonObject(with: file.records))
            #expect(!recordKeys.contains("clientSentiment") && !recordKeys.contains("internalNote"), "\(party)")
            #expect(!recordKeys.contains(Redactor.annotationKey), "\(party)")
            #expect(!Self.imageKeys(in: file).contains("emotions"), "\(party)")
            // Withheld fields go unnamed: not even the name of the club's reading of the client's mood.
            #expect(!text.contains("clientSentiment") && !text.contains("internalNote"), "\(party)")
            #expect((file.section("shortlists") as? [Any])?.isEmpty != false, "shortlists rank other studios")
            #expect(file.reader == (party == "client" ? .client : .studio))

            // Offline, as `clubd journal verify --case-file` reads it: the chain holds and every event checks.
            let saved = try CaseFile(jsonData: try file.jsonData())
            #expect(saved.verify() == .intact(events: file.journal.events.count, head: try await marked.database.journalHead().hash), "\(party)")
            let withheld = file.journal.events.filter { $0.redactedFields != nil }
            #expect(withheld.contains { $0.entityType == "check-in" && $0.action == "created" && $0.redactedFields?.after.isEmpty == false })
            #expect(withheld.contains { $0.action == "meeting-held" && $0.fieldSalts?.after["meeting"] == nil }, "read in part, withheld whole")
            // Salts only for the fields shown: a withheld value out of five cannot be tried against its digest.
            for event in file.journal.events {
                let shown = Set((try JSONSerialization.jsonObject(with: Data(event.after.utf8)) as? [String: Any] ?? [:]).keys)
                #expect(Set(event.fieldSalts?.after.keys ?? [:].keys) == shown)
            }
            #expect(!text.contains("fieldKey"))
        }
        // The parts the parties read are all there: the complaint, its shared plan step, the check-in's report.
        let complaints = try #require(client.section("complaints") as? [[String: Any]])
        #expect(complaints.count == 2 && complaints.allSatisfy { $0["summary"] != nil })
        let plan = try #require(complaints.last?["plan"] as? [String: Any])
        #expect((plan["steps"] as? [Any])?.count == 1 && (plan["goals"] as? [Any])?.count == 1)
        #expect((client.section("checkIns") as? [[String: Any]])?.allSatisfy { $0["studioReport"] != nil } == true)
        let shortlistEvents = club.journal.events.filter { $0.entityType == "shortlist" }.count
        #expect(client.journal.events.count == club.journal.events.count - shortlistEvents, "every scheme-2 event is in, redacted")
        #expect(client.journal.chain == club.journal.chain)
    }

    @Test func alteringWhatAPartyReadsInItsCaseFileIsNamed() async throws {
        let marked = try await Self.marked()
        let file = try await marked.database.caseFile(marked.summary.landingEngagementId, for: marked.client)
        let events = file.journal.events
        let index = try #require(events.lastIndex { $0.entityType == "check-in" && $0.redactedFields?.after.isEmpty == false })
        let victim = events[index]

        func tampered(_ change: (inout [String: Any]) -> Void) throws -> JournalVerification {
            var json = try #require(try JSONSerialization.jsonObject(with: try file.jsonData()) as? [String: Any])
            var journal = try #require(json["journal"] as? [String: Any])
            var list = try #require(journal["events"] as? [[String: Any]])
            change(&list[index])
            journal["events"] = list
            json["journal"] = journal
            return try CaseFile(jsonData: try JSONSerialization.data(withJSONObject: json)).verify()
        }
        func brokenAtVictim(_ result: JournalVerification) -> Bool {
            if case .broken(let seq, let id, _) = result { return seq == victim.seq && id == victim.id }
            return false
        }

        // A visible field of a redacted event, changed.
        var after = try #require(try JSONSerialization.jsonObject(with: Data(victim.after.utf8)) as? [String: Any])
        #expect(after["studioReport"] as? String == "prices corrected")
        after["studioReport"] = "all fine"
        let alteredText = String(decoding: try JSONSerialization.data(withJSONObject: after, options: [.sortedKeys]), as: UTF8.self)
        #expect(brokenAtVictim(try tampered { $0["after"] = alteredText }))
        // A withheld field's digest, changed.
        #expect(
            brokenAtVictim(
                try tampered { event in
                    var redacted = event["redactedFields"] as? [String: Any] ?? [:]
                    var afterDigests = redacted["after"] as? [String] ?? []
                    afterDigests[0] = String(repeating: "0", count: 64)
                    redacted["after"] = afterDigests
                    event["redactedFields"] = redacted
                }
            )
        )
        // A shown field's salt, changed.
        #expect(
            brokenAtVictim(
                try tampered { event in
                    var salts = event["fieldSalts"] as? [String: Any] ?? [:]
                    var afterSalts = salts["after"] as? [String: Any] ?? [:]
                    afterSalts["studioReport"] = String(repeating: "1", count: 32)
                    salts["after"] = afterSalts
                    event["fieldSalts"] = salts
                }
            )
        )
        // A withheld field dropped from the list of digests.
        #expect(brokenAtVictim(try tampered { $0["redactedFields"] = nil }))
        // The scheme, lowered.
        #expect(brokenAtVictim(try tampered { $0["hashScheme"] = 1 }))
    }

    @Test func anOldEventThatHoldsAnInternalFieldIsLeftOutOfAPartysFileButStaysInTheChain() async throws {
        let marked = try await Self.marked()
        let id = marked.summary.landingEngagementId
        let complaintId = try #require(
            (try await marked.database.caseFile(id, for: marked.head).section("complaints") as? [[String: Any]])?.last?["id"] as? String
        )
        let marker = "MARKER-old-\(UUID().uuidString)"
        // Two events hashed by scheme 1, as written before field digests: one with an internal field, one without.
        let internalEvent = try await JournalTests.appendSchemeOneEvent(
            to: marked.database,
            entityType: "complaint",
            entityId: complaintId,
            after: #"{"meeting":{"emotions":["\#(marker)"],"facts":["x"]},"status":"met"}"#
        )
        let sharedEvent = try await JournalTests.appendSchemeOneEvent(
            to: marked.database,
            entityType: "complaint",
            entityId: complaintId,
            after: #"{"summary":"prices on two yacht cards are wrong, and one photo"}"#
        )
        #expect(try marked.database.verifyJournal() == .intact(events: Int(sharedEvent.seq), head: sharedEvent.hash))

        let club = try await marked.database.caseFile(id, for: marked.head)
        #expect(club.journal.events.contains { $0.id == internalEvent.id } && club.journal.events.contains { $0.id == sharedEvent.id })
        let client = try await marked.database.caseFile(id, for: marked.client)
        #expect(!client.journal.events.contains { $0.id == internalEvent.id }, "its hash covers the whole text: it cannot be redacted")
        #expect(client.journal.events.contains { $0 == sharedEvent }, "an old event with nothing internal is carried whole")
        #expect(client.journal.chain.contains { $0.seq == internalEvent.seq && $0.hash == internalEvent.hash })
        #expect(!(try Self.text(of: client)).contains(marker))
        #expect(try CaseFile(jsonData: try client.jsonData()).verify() == .intact(events: client.journal.events.count, head: sharedEvent.hash))
    }

    @Test func theFollowUpsListWhatNeedsDoing() async throws {
        let (database, summary) = try await Self.demo()
        let followUps = try await database.followUps(for: .system)
        #expect(followUps.stagesWithoutFeedback.contains { $0.engagementId == summary.landingEngagementId && $0.stages == ["development"] })
        #expect(followUps.overdueFixItems.isEmpty, "every item was struck on time")
    }
}
