import ClubCore
import Foundation
import Testing

/// The redactor against DESIGN §2: what the club keeps to itself never reaches a studio or a
/// client, a coordinator reads everything and is told what the parties do not see, and a field
/// the table does not know is shown to nobody but the club.
@Suite("Field visibility")
struct VisibilityTests {
    static let asCoordinator = Redactor(role: .coordinator)
    static let asStudio = Redactor(role: .studio)
    static let asClient = Redactor(role: .client)

    /// A complaint as the JSON door has it, with something in every field the table knows.
    static func complaint() -> [String: Any] {
        [
            "id": "cmp_1", "engagementId": "eng_1", "studioId": "stu_1", "clientId": "cli_1",
            "receivedAt": "2027-01-15T08:00:00Z", "channel": "email", "summary": "The site is late",
            "demand": ["kind": "redo"], "status": "plan_proposed", "version": 3, "updatedAt": "2027-01-16T08:00:00Z",
            "internalNote": "INTERNAL-complaint",
            "meeting": [
                "heldAt": "2027-01-15T10:00:00Z", "studiosPresent": false, "facts": ["the form is broken"],
                "emotions": ["INTERNAL-emotion: Oleg feels ignored"],
                "notes": "INTERNAL: client likely exaggerating; do not offer refund", "recordedBy": "Anna",
            ] as [String: Any],
            "plan": [
                "goals": [
                    ["text": "the site works before the season", "visibility": "shared"],
                    ["text": "INTERNAL-goal: talk to the studio that criticised unconstructively", "visibility": "internal"],
                ],
                "steps": [
                    ["id": "stp_1", "action": "fix the form", "owner": "studio", "due": "2027-01-20", "visibility": "shared"],
                    ["id": "stp_2", "action": "INTERNAL-step", "owner": "club", "due": "2027-01-21", "visibility": "internal"],
                    ["id": "stp_3", "action": "call the client", "owner": "club", "due": "2027-01-22", "visibility": "client"],
                ],
                "followUps": ["call in a week"], "upsell": "INTERNAL-upsell: context ads", "proposedBy": "Anna",
                "proposedAt": "2027-01-16T08:00:00Z",
            ] as [String: Any],
            "resolution": [
                "outcome": "partial_refund", "amount": 10_000, "notes": "refund agreed", "upsell": "INTERNAL-resolution-upsell",
                "upheld": true, "resolvedBy": "Anna", "resolvedAt": "2027-01-30T08:00:00Z",
            ] as [String: Any],
            "studioAccount": ["account": "the brief changed twice", "by": "Pixel Hands", "at": "2027-01-17T08:00:00Z"],
        ]
    }

    static func checkIn() -> [String: Any] {
        [
            "id": "chk_1", "engagementId": "eng_1", "heldAt": "2027-01-15T08:00:00Z", "attendees": ["Oleg"],
            "studioReport": "on track", "clientSentiment": 2, "risks": [], "recordedBy": "Anna",
            "internalNote": "INTERNAL-check-in",
        ]
    }

    static func studio() -> [String: Any] {
        [
            "id": "stu_1", "name": "Pixel Hands", "website": "https://pixel.example", "competences": ["landing"],
            "regions": ["RU-MOW"], "budgetMin": 100_000, "budgetMax": 2_000_000, "capacity": 3, "status": "active",
            "vettingChecks": [
                [
                    "kind": "portfolio", "passed": true, "notes": "INTERNAL-vetting: weak references", "recordedAt": "2027-01-15T08:00:00Z",
                    "recordedBy": "Anna",
                ] as [String: Any]
            ],
            "decisions": [], "conductNotes": [["note": "INTERNAL-conduct: rude to the client", "recordedAt": "2027-01-15T08:00:00Z"]],
            "internalNote": "INTERNAL-studio", "version": 2, "createdAt": "2027-01-15T08:00:00Z", "updatedAt": "2027-01-15T08:00:00Z",
        ]
    }

    static func retrospective() -> [String: Any] {
        [
            "id": "rtr_1", "engagementId": "eng_1", "facts": ["launched late"], "emotions": ["INTERNAL-retro-emotion"],
            "mistakes": [
                ["side": "studio", "statement": "we missed the brief", "counterfactual": "ask earlier", "visibility": "studio"],
                ["side": "client", "statement": "we changed the brief", "counterfactual": "decide first", "visibility": "client"],
                ["side": "club", "statement": "INTERNAL-mistake", "counterfactual": "check sooner", "visibility": "internal"],
            ],
            "positives": ["good design"],
            "differently": [["side": "studio", "statement": "weekly demos", "visibility": "shared"]],
            "lessons": ["INTERNAL-lesson"], "recordedBy": "Anna", "recordedAt": "2027-02-01T08:00:00Z",
        ]
    }

    /// Every string anywhere in a JSON value.
    static func texts(_ value: Any) -> [String] {
        switch value {
        case let text as String: [text]
        case let list as [Any]: list.flatMap(texts)
        case let object as [String: Any]: object.keys.map { $0 } + object.values.flatMap(texts)
        default: []
        }
    }

    static func object(_ value: Any, _ path: String...) -> [String: Any]? {
        var current: Any? = value
        for key in path { current = (current as? [String: Any])?[key] }
        return current as? [String: Any]
    }

    @Test func aClientDoesNotSeeTheMeetingsEmotionsNorNotesNorTheClubsPlans() throws {
        let seen = Self.asClient.redact(Self.complaint(), as: "Complaint")
        #expect(!Self.texts(seen).contains { $0.contains("INTERNAL") }, "\(seen)")
        let meeting = try #require(Self.object(seen, "meeting"))
        #expect(meeting["emotions"] == nil)
        #expect(meeting["notes"] == nil)
        #expect(meeting["facts"] != nil, "the facts are the client's own")
        let plan = try #require(Self.object(seen, "plan"))
        #expect((plan["goals"] as? [[String: Any]])?.map { $0["text"] as? String } == ["the site works before the season"])
        #expect((plan["steps"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["stp_1", "stp_3"])
        #expect((plan["steps"] as? [[String: Any]])?.allSatisfy { $0["visibility"] == nil } == true)
        #expect(plan["upsell"] == nil)
        let resolution = try #require(Self.object(seen, "resolution"))
        #expect(resolution["amount"] as? Int == 10_000)
        #expect(resolution["upheld"] == nil, "whether the studio was at fault is not said to the client")
        #expect(Self.object(seen)?["internalNote"] == nil)
        #expect(Self.object(seen)?["studioAccount"] == nil, "the studio's account is the studio's and the club's")
        #expect(Self.object(seen)?[Redactor.annotationKey] == nil)
    }

    @Test func aStudioDoesNotSeeWhatIsTheClientsNorTheClubs() throws {
        let seen = Self.asStudio.redact(Self.complaint(), as: "Complaint")
        #expect(!Self.texts(seen).contains { $0.contains("INTERNAL") }, "\(seen)")
        let meeting = try #require(Self.object(seen, "meeting"))
        #expect(meeting["facts"] == nil, ".client fields are not the studio's")
        #expect(Set(meeting.keys) == ["heldAt", "studiosPresent", "recordedBy"])
        let plan = try #require(Self.object(seen, "plan"))
        #expect((plan["steps"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["stp_1"])
        #expect(plan["followUps"] == nil)
        let resolution = try #require(Self.object(seen, "resolution"))
        #expect(resolution["amount"] == nil)
        #expect(resolution["notes"] == nil)
        #expect(resolution["upheld"] as? Bool == true)
        #expect(Self.object(seen, "studioAccount")?["account"] as? String == "the brief changed twice")
    }

    @Test func theMoodTheClubReadsStaysWithTheClub() {
        for redactor in [Self.asClient, Self.asStudio] {
            let seen = redactor.redact(Self.checkIn(), as: "CheckIn")
            #expect(Self.object(seen)?["clientSentiment"] == nil)
            #expect(Self.object(seen)?["internalNote"] == nil)
            #expect(Self.object(seen)?["studioReport"] as? String == "on track")
        }
    }

    @Test func aStudiosProfileShowsItsPublicPartToTheClientAndItsOwnToTheStudio() throws {
        let byClient = try #require(Self.object(Self.asClient.redact(Self.studio(), as: "Studio")))
        #expect(Set(byClient.keys) == ["id", "name", "website", "competences", "regions", "version", "createdAt", "updatedAt"])
        let byStudio = try #require(Self.object(Self.asStudio.redact(Self.studio(), as: "Studio")))
        #expect(!Self.texts(byStudio).contains { $0.contains("INTERNAL") }, "\(byStudio)")
        #expect(byStudio["conductNotes"] == nil)
        #expect(byStudio["budgetMin"] as? Int == 100_000)
        let check = try #require((byStudio["vettingChecks"] as? [[String: Any]])?.first)
        #expect(check["notes"] == nil)
        #expect(check["kind"] as? String == "portfolio")
    }

    @Test func eachSideReadsTheMistakesThatAreItsOwn() {
        let byStudio = Self.asStudio.redact(Self.retrospective(), as: "Retrospective")
        let byClient = Self.asClient.redact(Self.retrospective(), as: "Retrospective")
        let sides = { (seen: Any) in (Self.object(seen)?["mistakes"] as? [[String: Any]])?.compactMap { $0["side"] as? String } }
        #expect(sides(byStudio) == ["studio"])
        #expect(sides(byClient) == ["client"])
        for seen in [byStudio, byClient] {
            #expect(!Self.texts(seen).contains { $0.contains("INTERNAL") }, "\(seen)")
            #expect(Self.object(seen)?["lessons"] == nil)
            #expect(Self.object(seen)?["emotions"] == nil)
        }
    }

    @Test func aCoordinatorSeesEverythingAndIsToldWhatThePartiesDoNot() throws {
        let original = Self.complaint()
        let seen = try #require(Self.object(Self.asCoordinator.redact(original, as: "Complaint")))
        let seenTexts = Self.texts(seen)
        for text in Self.texts(original) where text.contains("INTERNAL") { #expect(seenTexts.contains(text), "\(text)") }
        #expect(seen[Redactor.annotationKey] as? [String: String] == ["internalNote": "internal", "studioAccount": "studio"])
        #expect(
            Self.object(seen, "meeting", Redactor.annotationKey) as? [String: String] == [
                "facts": "client", "emotions": "internal", "notes": "internal",
            ]
        )
        #expect(
            Self.object(seen, "resolution", Redactor.annotationKey) as? [String: String] == [
                "amount": "client", "notes": "client", "upsell": "internal", "upheld": "studio",
            ]
        )
        let steps = try #require(Self.object(seen, "plan")?["steps"] as? [[String: Any]])
        #expect(steps.count == 3, "internal steps are the club's, and it reads them")
        #expect(steps.allSatisfy { ($0[Redactor.annotationKey] as? [String: String]) == ["visibility": "internal"] })
        let studio = try #require(Self.object(Self.asCoordinator.redact(Self.studio(), as: "Studio")))
        #expect((studio[Redactor.annotationKey] as? [String: String])?["conductNotes"] == "internal")
        #expect(
            Self.object(Self.asCoordinator.redact(["id": "x", "name": "y"], as: "Client"))?[Redactor.annotationKey] == nil,
            "an object of shared fields only carries no annotation"
        )
    }

    @Test func aFieldTheTableDoesNotKnowIsShownToNoParty() {
        var complaint = Self.complaint()
        complaint["newlyAddedField"] = "INTERNAL-unknown"
        #expect(Self.object(Self.asClient.redact(complaint, as: "Complaint"))?["newlyAddedField"] == nil)
        #expect(Self.object(Self.asStudio.redact(complaint, as: "Complaint"))?["newlyAddedField"] == nil)
        let byCoordinator = Self.object(Self.asCoordinator.redact(complaint, as: "Complaint"))
        #expect(byCoordinator?["newlyAddedField"] as? String == "INTERNAL-unknown")
        #expect((byCoordinator?[Redactor.annotationKey] as? [String: String])?["newlyAddedField"] == "internal")
        #expect(Self.object(Self.asClient.redact(["id": "x", "secret": "y"], as: "NoSuchShape"))?.isEmpty == true)
    }

    /// The letter goes to the auditor and is read by both parties: the club's notes on the
    /// audit and on each finding stay out of it, in either format.
    @Test func theResponseLetterCarriesNoInternalNote() throws {
        var audit = try Audit(
            id: "aud",
            engagement: try EngagementTests.engagement(),
            input: AuditInput(
                auditor: "Northwind",
                receivedAt: epoch,
                subject: "advertising campaign",
                findings: [
                    AuditInput.Finding(
                        statement: "too few negative keywords",
                        severity: "critical",
                        category: "keywords",
                        internalNote: "INTERNAL-finding: they are right"
                    )
                ],
                internalNote: "INTERNAL-audit: the auditor sells ads"
            ),
            findingIds: ["f1"],
            at: epoch
        )
        let correction = CorrectionInput(acceptance: "the search-term report is clean", due: Day(containing: epoch, in: .gmt))
        try audit.rebut(
            findingId: "f1",
            RebuttalInput(position: .partial, argument: "quality is not count", correction: correction),
            by: coordinator,
            at: epoch
        )
        try audit.answer(at: epoch)
        for format in [ResponseLetter.Format.plainText, .markdown] {
            let letter = try ResponseLetter(audit: audit, studioName: "Ad Minds", clientName: "Yacht Charter").render(format)
            #expect(letter.contains("quality is not count"))
            #expect(!letter.contains("INTERNAL"), "\(letter)")
        }
    }

    @Test func everyNestedShapeHasARow() {
        for row in FieldVisibility.table.values {
            for rule in row.values {
                switch rule {
                case .object(let shape), .list(let shape):
                    #expect(FieldVisibility.table[shape] != nil, "\(shape) has no row")
                case .field: break
                }
            }
        }
    }

    @Test func theDesignsInternalFieldsAreInternal() {
        let internalFields: [(String, String)] = [
            ("ComplaintMeeting", "emotions"), ("ComplaintMeeting", "notes"), ("CheckIn", "clientSentiment"),
            ("Studio", "conductNotes"), ("VettingCheck", "notes"), ("Shortlist", "candidates"),
        ]
        for (shape, field) in internalFields { #expect(FieldVisibility.rule(field, of: shape) == .field(.internal), "\(shape).\(field)") }
        for (shape, row) in FieldVisibility.table where row["internalNote"] != nil {
            #expect(row["internalNote"] == .field(.internal), "\(shape).internalNote")
        }
    }
}
