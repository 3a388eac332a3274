import ClubCore
import Foundation
import Testing

/// The data the field visibility presumes (DESIGN §2, §3): the club's internal notes, a studio's
/// website, plan goals and steps with a visibility of their own, the sides of a retrospective,
/// and the studio's account of a complaint.
@Suite("Internal notes and what each party may read")
struct InternalNoteTests {
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try decoder.decode(type, from: Data(json.utf8))
    }

    @Test func aStudioKeepsItsWebsiteAndTheClubsNote() throws {
        var input = try Self.decode(
            StudioInput.self,
            """
            {"name":"Pixel Hands","competences":["landing"],"budgetMin":0,"budgetMax":10,"capacity":1,
             "website":"https://pixel.example","internalNote":" late twice "}
            """
        )
        var studio = try Studio(id: "stu_1", input: input, rules: rules, at: epoch)
        #expect(studio.website == "https://pixel.example" && studio.internalNote == "late twice")
        try studio.apply(StudioPatch(website: "http://pixel.example/about"), rules: rules, at: epoch)
        #expect(studio.website == "http://pixel.example/about" && studio.internalNote == "late twice" && studio.version == 2)
        try studio.apply(StudioPatch(internalNote: ""), rules: rules, at: epoch)
        #expect(studio.internalNote == nil, "an empty text clears the note")
        for bad in ["pixel.example", "ftp://pixel.example", "https://", "https://pixel example", String(repeating: "a", count: 300)] {
            input = StudioInput(name: "x", competences: ["web"], budgetMin: 0, budgetMax: 1, capacity: 1, website: bad)
            #expect(invalidFields { _ = try Studio(id: "stu_2", input: input, rules: rules, at: epoch) } == ["website"], "\(bad)")
        }
    }

    @Test func anInternalNoteIsAtMost2000Characters() throws {
        let long = String(repeating: "n", count: 2001)
        #expect(
            invalidFields { _ = try Client(id: "cli_1", input: ClientInput(name: "Yacht Charter", internalNote: long), at: epoch) } == [
                "internalNote"
            ]
        )
        let client = try Client(id: "cli_1", input: ClientInput(name: "Yacht Charter", internalNote: String(long.dropFirst())), at: epoch)
        #expect(client.internalNote?.count == 2000)
        #expect(
            invalidFields {
                _ = try EngagementExit(
                    id: "ext",
                    engagement: try EngagementTests.engagement(),
                    input: ExitInput(reason: "x", internalNote: long),
                    by: coordinator.actor,
                    at: epoch
                )
            } == ["internalNote"]
        )
    }

    @Test func everyObjectACoordinatorWritesTakesANote() throws {
        let engagement = try EngagementTests.engagement()
        let due = try #require(Day("2027-02-01"))
        let agreement = try Agreement(
            id: "agr",
            engagementId: engagement.id,
            input: AgreementInput(what: "texts", owner: .client, due: due, consequence: "later release", internalNote: "client is slow"),
            by: coordinator.actor,
            at: epoch
        )
        let checkIn = try CheckIn(
            id: "chk",
            engagementId: engagement.id,
            input: CheckInInput(heldAt: epoch, attendees: ["Oleg"], studioReport: "draft", clientSentiment: 3, internalNote: "tense"),
            by: coordinator.actor,
            at: epoch
        )
        let audit = try Audit(
            id: "aud",
            engagement: engagement,
            input: AuditInput(
                auditor: "Northwind",
                receivedAt: epoch,
                subject: "ads",
                findings: [AuditInput.Finding(statement: "few keywords", severity: "high", category: "keywords", internalNote: "they are right")],
                internalNote: "the auditor sells ads"
            ),
            findingIds: ["afn"],
            at: epoch
        )
        #expect(agreement.internalNote == "client is slow" && checkIn.internalNote == "tense")
        #expect(audit.internalNote == "the auditor sells ads" && audit.findings[0].internalNote == "they are right")
        var patched = engagement
        try patched.apply(EngagementPatch(internalNote: "watch the deadline"), at: epoch)
        #expect(patched.internalNote == "watch the deadline" && patched.version == engagement.version + 1)
        var lead = try LeadTests.lead()
        try lead.apply(LeadPatch(internalNote: "a friend of the head"), rules: rules, at: epoch)
        #expect(lead.internalNote == "a friend of the head")
    }

    /// A new internal note on an agreed item is not an amendment: nobody confirms the club's notes.
    @Test func aNoteOnAFixItemIsNoAmendment() throws {
        let due = try #require(Day("2027-02-01"))
        var item = try FixItem(
            id: "fxi",
            fixListId: "fxl",
            position: 1,
            input: FixItemInput(statement: "The form sends leads", acceptance: "a test lead arrives", due: due, internalNote: "first"),
            defaultStudioId: "stu_1",
            existing: []
        )
        #expect(item.internalNote == "first")
        #expect(try item.reword(FixItemPatch(internalNote: "second"), existing: [item], listIsFinal: true) == false)
        #expect(item.internalNote == "second" && item.version == 2 && item.pending == .wording, "pending only from its creation")
        #expect(try item.reword(FixItemPatch(statement: "The form sends every lead"), existing: [item], listIsFinal: true))
        #expect(item.internalNote == "second")
    }

    @Test func planGoalsAreReadFromStringsAndObjectsAndWrittenAsObjects() throws {
        let input = try Self.decode(
            PlanInput.self,
            """
            {"goals":["release",{"text":"talk to the critic","visibility":"internal"},{"text":"win back loyalty"}],
             "steps":[{"action":"agree the list","owner":"club","due":"2027-02-01"},
                      {"action":"call the other studio","owner":"club","due":"2027-02-01","visibility":"internal"}]}
            """
        )
        #expect(input.goals == [PlanGoal("release"), PlanGoal("talk to the critic", visibility: .internal), PlanGoal("win back loyalty")])
        var complaint = try ComplaintTests.complaint()
        try complaint.recordMeeting(MeetingInput(heldAt: epoch, studiosPresent: false, facts: ["late"]), by: coordinator.actor, at: epoch)
        try complaint.proposePlan(input, stepIds: ["s1", "s2"], by: coordinator.actor, at: epoch)
        let plan = try #require(complaint.plan)
        #expect(plan.goals.map(\.visibility) == [.shared, .internal, .shared])
        #expect(plan.steps.map(\.visibility) == [.shared, .internal])
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(plan)) as? [String: Any]
        #expect((encoded?["goals"] as? [[String: String]])?.first == ["text": "release", "visibility": "shared"])
        // A plan stored before goals had a visibility reads as shared.
        let stored = try Self.decode(
            RecoveryPlan.self,
            """
            {"goals":["release"],"steps":[{"id":"s1","action":"fix","owner":"studio","due":"2027-02-01"}],"followUps":[],
             "proposedBy":"Anna","proposedAt":"2027-01-15T08:00:00Z"}
            """
        )
        #expect(stored.goals == ["release"] && stored.steps.first?.visibility == .shared)
        let blank = PlanInput(goals: [PlanGoal(" ", visibility: .internal)], steps: ComplaintTests.plan.steps)
        #expect(invalidFields { try complaint.proposePlan(blank, stepIds: [], by: coordinator.actor, at: epoch) } == ["goals[0]"])
    }

    @Test func eachSideOfARetrospectiveIsReadByThatSideUnlessTheCoordinatorSaysOtherwise() throws {
        let input = try Self.decode(
            RetrospectiveInput.self,
            """
            {"facts":["late"],"lessons":["ask early"],
             "mistakes":[{"side":"studio","statement":"no test","counterfactual":"no lost lead"},
                         {"side":"client","statement":"late texts","counterfactual":"on time"},
                         {"side":"club","statement":"bad deadline","counterfactual":"agreed delay"},
                         {"side":"studio","statement":"criticised a colleague","counterfactual":"calm","visibility":"internal"}],
             "differently":[{"side":"client","statement":"texts first"},{"side":"club","statement":"shared responsibility"},
                            {"side":"studio","statement":"test early","visibility":"shared"}]}
            """
        )
        let retrospective = try Retrospective(id: "rtr", engagementId: "eng_1", input: input, by: coordinator.actor, at: epoch)
        #expect(retrospective.mistakes.map(\.visibility) == [.studio, .client, .internal, .internal])
        #expect(retrospective.differently.map(\.visibility) == [.client, .internal, .shared])
        #expect(Mistake(side: .club, statement: "s", counterfactual: "c").visibility == .internal)
        #expect(DoDifferently(side: .studio, statement: "s").visibility == .studio)
    }

    @Test func onlyTheStudioComplainedAboutGivesItsAccount() throws {
        var complaint = try ComplaintTests.complaint()
        let own = Principal(tokenId: "tok_s", name: "Pixel Hands", role: .studio, studioId: complaint.studioId)
        let other = Principal(tokenId: "tok_o", name: "Ad Minds", role: .studio, studioId: "stu_other")
        let client = Principal(tokenId: "tok_k", name: "Oleg", role: .client, clientId: complaint.clientId)
        #expect(throws: DomainError.self) { try complaint.recordStudioAccount(StudioAccountInput(account: "x"), by: other, at: epoch) }
        #expect(throws: DomainError.self) { try complaint.recordStudioAccount(StudioAccountInput(account: "x"), by: client, at: epoch) }
        #expect(throws: DomainError.self) { try complaint.recordStudioAccount(StudioAccountInput(account: "x"), by: head, at: epoch) }
        #expect(invalidFields { try complaint.recordStudioAccount(StudioAccountInput(account: "  "), by: own, at: epoch) } == ["account"])
        #expect(complaint.studioAccount == nil && complaint.version == 1)
        try complaint.recordStudioAccount(StudioAccountInput(account: "the CRM refused two fields"), by: own, at: epoch)
        #expect(complaint.studioAccount == StudioAccount(account: "the CRM refused two fields", by: "Pixel Hands", at: epoch))
        let later = epoch.addingTimeInterval(3600)
        try complaint.recordStudioAccount(StudioAccountInput(account: "we fixed the mapping"), by: own, at: later)
        #expect(complaint.studioAccount?.account == "we fixed the mapping" && complaint.studioAccount?.at == later && complaint.version == 3)
    }
}
