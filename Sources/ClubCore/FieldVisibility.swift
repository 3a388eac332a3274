/// Which party reads which field of every object the club hands out (DESIGN §2), in one table.
/// Shapes are named as `docs/openapi.yaml` names its schemas, and the contract test checks each
/// property's `x-visibility` against this table; a field without a row is never shown to a
/// studio or a client (and a test fails), so a new field is internal until someone decides.
public enum FieldVisibility {
    // swift-format-ignore
    public static let table: [String: [String: FieldRule]] = [
        // The registry. A studio's public profile is its name, website, competences and regions;
        // how the club vetted it and what it noted about its conduct stay with the club.
        "Studio": [
            "id": .shared, "name": .shared, "website": .shared, "competences": .shared, "regions": .shared,
            "budgetMin": .studio, "budgetMax": .studio, "capacity": .studio, "status": .studio,
            "vettingChecks": .list("VettingCheck"), "decisions": .studio, "conductNotes": .internal,
            "internalNote": .internal, "version": .shared, "createdAt": .shared, "updatedAt": .shared,
        ],
        "VettingCheck": [
            "kind": .studio, "passed": .studio, "notes": .internal, "recordedAt": .studio, "recordedBy": .studio,
        ],
        "Client": [
            "id": .shared, "name": .shared, "contacts": .shared, "internalNote": .internal,
            "version": .shared, "createdAt": .shared, "updatedAt": .shared,
        ],
        // Requests: the client's own words and the club's reframing are shared with the studios
        // it is offered to; the club's own remarks are not.
        "Lead": [
            "id": .shared, "clientId": .shared, "statedAsk": .shared, "businessGoal": .shared,
            "requiredCompetences": .shared, "proposedApproach": .shared, "rationale": .shared, "budget": .shared,
            "deadline": .shared, "region": .shared, "referralReason": .shared, "status": .shared, "rush": .shared,
            "sharedResponsibility": .shared, "closingReason": .shared, "internalNote": .internal,
            "version": .shared, "createdAt": .shared, "updatedAt": .shared,
        ],
        // Shortlists rank studios against each other: the ranking is the club's.
        "Shortlist": [
            "id": .internal, "requestId": .internal, "scope": .internal, "excluded": .internal,
            "candidates": .internal, "createdAt": .internal, "createdBy": .internal,
        ],
        "Referral": [
            "id": .shared, "requestId": .shared, "studioId": .shared, "shortlistId": .internal, "status": .shared,
            "offeredAt": .shared, "dueAt": .shared, "offeredBy": .shared, "handedOverFrom": .internal,
            "answeredAt": .shared, "note": .shared, "version": .shared,
            // The club's word to the client about this candidate; the studio does not read it.
            "recommendation": .client,
        ],
        // A studio that accepted, as the client reads it before choosing (docs/design.md §3.4): a
        // studio never reads its rivals (`readCandidates` refuses it), nor any ranking.
        "Candidate": [
            "referralId": .client, "requestId": .client, "studioId": .client, "scope": .client, "status": .client,
            "answeredAt": .client, "answerNote": .client, "recommendation": .client,
            "studio": .object("CandidateProfile"), "figures": .object("CandidateFigures"), "engagementId": .client,
        ],
        "CandidateProfile": ["id": .client, "name": .client, "website": .client, "competences": .client, "regions": .client],
        "CandidateFigures": ["averageFeedback": .client, "feedbackCount": .client, "fixesOnTimeShare": .client],
        // Engagements and what is written on them.
        "Engagement": [
            "id": .shared, "requestId": .shared, "clientId": .shared, "studioId": .shared, "referralId": .shared,
            "scope": .shared, "status": .shared, "keyStages": .shared, "stagesReached": .shared, "startedAt": .shared,
            "endedAt": .shared, "internalNote": .internal, "version": .shared, "updatedAt": .shared,
            "chosenBy": .shared, "choiceNote": .shared,
            "agreements": .list("Agreement"), "checkIns": .list("CheckIn"), "feedback": .list("StageFeedback"),
            "stagesAwaitingFeedback": .shared, "unconfirmedAgreements": .shared, "overdueAgreements": .shared,
        ],
        "Agreement": [
            "id": .shared, "engagementId": .shared, "what": .shared, "owner": .shared, "due": .shared,
            "consequence": .shared, "clientConfirmation": .shared, "studioConfirmation": .shared,
            "fulfilledAt": .shared, "createdAt": .shared, "createdBy": .shared, "version": .shared,
            "internalNote": .internal, "confirmed": .shared, "overdue": .shared,
        ],
        // The coordinator's reading of the client's mood is the club's.
        "CheckIn": [
            "id": .shared, "engagementId": .shared, "heldAt": .shared, "attendees": .shared, "studioReport": .shared,
            "clientSentiment": .internal, "risks": .shared, "recordedBy": .shared, "internalNote": .internal,
        ],
        "StageFeedback": [
            "id": .shared, "engagementId": .shared, "studioId": .shared, "stage": .shared, "score": .shared,
            "comment": .shared, "givenBy": .shared, "givenAt": .shared,
        ],
        // The final correction list is the one thing both sides read alike.
        "FixList": [
            "id": .shared, "engagementId": .shared, "status": .shared, "revision": .shared,
            "clientConfirmation": .shared, "studioConfirmation": .shared, "agreedAt": .shared, "createdAt": .shared,
            "createdBy": .shared, "version": .shared, "updatedAt": .shared, "internalNote": .internal,
            "items": .list("FixItem"), "progress": .shared, "overdueItems": .shared,
        ],
        "FixItem": [
            "id": .shared, "fixListId": .shared, "position": .shared, "statement": .shared, "acceptance": .shared,
            "due": .shared, "assignedStudioId": .shared, "state": .shared, "pending": .shared, "isRemoved": .shared,
            "struckAt": .shared, "struckBy": .shared, "strikeNote": .shared, "reopenedAt": .shared,
            "reopenedBy": .shared, "reopenReason": .shared, "reopenCount": .shared, "version": .shared,
            "internalNote": .internal, "rounds": .shared, "acceptedAt": .shared, "acceptedBy": .shared, "acceptNote": .shared,
            "autoAccepted": .shared, "findingId": .shared,
        ],
        "FixItemComment": [
            "id": .shared, "fixItemId": .shared, "fixListId": .shared, "side": .shared, "authorName": .shared, "text": .shared, "createdAt": .shared,
        ],
        "ShareLink": [
            "id": .client, "fixListId": .client, "expiresAt": .client, "createdAt": .client, "createdBy": .client,
            "revokedAt": .client, "token": .client, "url": .client,
        ],
        // Complaints: the meeting is held without the studio; what the club felt and thought
        // about it, and the upsell it has in mind, stay with the club (seed 004's tact).
        "Complaint": [
            "id": .shared, "engagementId": .shared, "studioId": .shared, "clientId": .shared, "receivedAt": .shared,
            "channel": .shared, "summary": .shared, "demand": .shared, "status": .shared,
            "meeting": .object("ComplaintMeeting"), "plan": .object("RecoveryPlan"),
            "resolution": .object("ComplaintResolution"), "studioAccount": .object("StudioAccount"),
            "internalNote": .internal, "version": .shared, "updatedAt": .shared,
            "acknowledgement": .object("ComplaintAcknowledgement"), "updates": .list("ComplaintUpdate"),
            "resolutionAnswers": .list("ResolutionAnswer"),
        ],
        "ComplaintMeeting": [
            "heldAt": .shared, "studiosPresent": .shared, "facts": .client, "emotions": .internal, "notes": .internal,
            "recordedBy": .shared, "mode": .shared, "attendees": .client,
        ],
        // What the club says to the client (seed 004's etiquette) is between the club and the client.
        "ComplaintAcknowledgement": [
            "sentAt": .client, "channel": .client, "message": .client, "apology": .client, "by": .client, "recordedAt": .client,
        ],
        "ComplaintUpdate": ["sentAt": .client, "channel": .client, "summary": .client, "by": .client],
        "ResolutionAnswer": [
            "satisfied": .shared, "comment": .client, "by": .client, "onBehalf": .client, "at": .shared,
            "resolution": .object("ComplaintResolution"),
        ],
        "RecoveryPlan": [
            "goals": .list("PlanGoal"), "steps": .list("PlanStep"), "followUps": .client, "upsell": .internal, "updateEveryDays": .client,
            "proposedBy": .shared, "proposedAt": .shared, "approvedBy": .shared, "approvedAt": .shared,
        ],
        "PlanGoal": ["text": .shared, "visibility": .internal],
        "PlanStep": [
            "id": .shared, "action": .shared, "owner": .shared, "due": .shared, "doneAt": .shared,
            "visibility": .internal,
        ],
        "ComplaintResolution": [
            "outcome": .shared, "amount": .client, "notes": .client, "upsell": .internal, "upheld": .studio,
            "upheldReason": .studio, "resolvedBy": .shared, "resolvedAt": .shared,
        ],
        "StudioAccount": ["account": .studio, "by": .studio, "at": .studio],
        // Audits are answered point by point; the letter quotes all of it.
        "Audit": [
            "id": .shared, "engagementId": .shared, "studioId": .shared, "clientId": .shared, "auditor": .shared,
            "receivedAt": .shared, "subject": .shared, "findings": .list("AuditFinding"), "status": .shared,
            "answeredAt": .shared, "outcome": .shared, "internalNote": .internal, "version": .shared,
            "updatedAt": .shared, "answeredBy": .shared,
        ],
        "AuditFinding": [
            "id": .shared, "position": .shared, "statement": .shared, "severity": .shared, "category": .shared,
            "proposal": .shared, "constructive": .shared, "rebuttal": .shared, "studioArguments": .shared,
            "internalNote": .internal, "fixItemId": .shared, "fixListId": .shared,
        ],
        // Parting ways and the consulting that keeps the client's loyalty are the client's.
        "EngagementExit": [
            "id": .shared, "engagementId": .shared, "clientId": .shared, "reason": .shared, "decidedBy": .shared,
            "decidedAt": .shared, "internalNote": .internal,
        ],
        "ConsultingOffer": [
            "id": .client, "exitId": .client, "clientId": .client, "sessions": .client, "validUntil": .client,
            "status": .client, "answeredAt": .client, "offeredBy": .client, "offeredAt": .client, "version": .client,
        ],
        "ConsultingSession": [
            "id": .client, "offerId": .client, "scheduledAt": .client, "topic": .client, "status": .client,
            "notes": .client, "version": .client,
        ],
        // A retrospective: each side reads the mistakes and intentions that are its own, the
        // facts and what went well; emotions and lessons are the club's.
        "Retrospective": [
            "id": .shared, "engagementId": .shared, "facts": .shared, "emotions": .internal,
            "mistakes": .list("Mistake"), "positives": .shared, "differently": .list("DoDifferently"),
            "lessons": .internal, "recordedBy": .shared, "recordedAt": .shared,
        ],
        "Mistake": ["side": .shared, "statement": .shared, "counterfactual": .shared, "visibility": .internal],
        "DoDifferently": ["side": .shared, "statement": .shared, "visibility": .internal],
        // The client's rating of the club is between the client and the club: no studio reads it
        // (and it never feeds a scorecard).
        "ClubRating": [
            "id": .client, "engagementId": .client, "clientId": .client, "occasion": .client, "complaintId": .client,
            "score": .client, "comment": .client, "recordedBy": .client, "onBehalf": .client, "givenAt": .client,
        ],
        "ClubRatingStatus": ["engagementId": .client, "awaited": .list("ClubRatingMoment"), "ratings": .list("ClubRating")],
        "ClubRatingMoment": ["occasion": .client, "complaintId": .client, "since": .client],
        // Evidence files (docs/design.md §11): whoever reads the object reads its files; the file itself is evidence
        // shown to both sides, so nothing of its record is withheld.
        "EvidenceFile": [
            "id": .shared, "objectType": .shared, "objectId": .shared, "engagementId": .shared, "sha256": .shared,
            "size": .shared, "type": .shared, "width": .shared, "height": .shared, "name": .shared, "caption": .shared,
            "uploadedBy": .shared, "uploadedById": .shared, "uploadedAt": .shared,
        ],
        // People of the console (DESIGN §9). Only coordinators reach them (`Policy`: createPerson,
        // readPerson, …), so the table decides nothing today; a person's record holds nothing the
        // club keeps from the person it describes, so that a later "your profile" reads it whole.
        // `invitation` (its link and expiry) is answered once, to whoever invited the person.
        "Person": [
            "id": .shared, "email": .shared, "name": .shared, "role": .shared, "head": .shared, "studioId": .shared,
            "clientId": .shared, "language": .shared, "timeZone": .shared, "status": .shared, "passwordSet": .shared,
            "invitationExpiresAt": .shared, "createdAt": .shared, "createdBy": .shared, "updatedAt": .shared,
            "deactivatedAt": .shared, "version": .shared, "invitation": .shared, "notifications": .shared,
        ],
    ]

    /// The rule for one field; a field without a row is internal.
    public static func rule(_ field: String, of shape: String) -> FieldRule {
        table[shape]?[field] ?? .internal
    }

    /// The roles that read anything of an object of `shape`: those that read at least one of
    /// its fields, nested ones included.
    public static func readers(of shape: String) -> Set<Role> {
        readers(of: shape, visiting: [])
    }

    /// Who reads a field: its own visibility, or, for an object or a list of objects, the
    /// narrowest visibility that admits everyone who reads anything of its shape (a studio's
    /// vetting checks, of which a client reads nothing, are the studio's).
    public static func visibility(of field: String, in shape: String) -> Visibility {
        readings[shape]?[field]?.visibility ?? .internal
    }

    /// Every field of `shape` with its rule and who reads it, looked up once per object redacted.
    static func fields(of shape: String) -> [String: (rule: FieldRule, visibility: Visibility)] {
        readings[shape] ?? [:]
    }

    /// Worked out once: answers ask it for every field of every object.
    private static let readings: [String: [String: (rule: FieldRule, visibility: Visibility)]] = Dictionary(
        uniqueKeysWithValues: table.map { shape, rules in
            (shape, Dictionary(uniqueKeysWithValues: rules.map { field, rule in (field, (rule, resolve(field, in: shape))) }))
        }
    )

    private static func resolve(_ field: String, in shape: String) -> Visibility {
        switch rule(field, of: shape) {
        case .field(let visibility):
            return visibility
        case .object(let inner), .list(let inner):
            let readers = readers(of: inner)
            switch (readers.contains(.studio), readers.contains(.client)) {
            case (true, true): return .shared
            case (true, false): return .studio
            case (false, true): return .client
            case (false, false): return .internal
            }
        }
    }

    private static func readers(of shape: String, visiting: Set<String>) -> Set<Role> {
        guard !visiting.contains(shape) else { return [] }
        var readers: Set<Role> = []
        for rule in (table[shape] ?? [:]).values {
            switch rule {
            case .field(let visibility): readers.formUnion(Role.allCases.filter { visibility.isReadable(by: $0) })
            case .object(let inner), .list(let inner): readers.formUnion(Self.readers(of: inner, visiting: visiting.union([shape])))
            }
        }
        return readers
    }
}

/// Removes from an answer, in JSON form, what a reader may not read. A coordinator reads everything
/// and is told, in each object's `fieldVisibility`, which of its fields a studio or a client would
/// not see: a redaction is never silent for the club.
public struct Redactor: Sendable {
    public let role: Role

    public init(role: Role) {
        self.role = role
    }

    /// The key under which a coordinator's answer names the fields that are not shared.
    public static let annotationKey = "fieldVisibility"

    /// `value` read as `shape`: an object, or a list of objects of that shape. The answers' path.
    public func redact(_ value: JSONTree, as shape: String) -> JSONTree {
        redactTree(value, as: shape)
    }

    /// The same for Foundation's `JSONSerialization` objects (journal images, the case file).
    public func redact(_ value: Any, as shape: String) -> Any {
        redactTree(AnyJSON(value), as: shape).value
    }

    private func redactTree<Tree: RedactableTree>(_ value: Tree, as shape: String) -> Tree {
        if let list = value.elements { return Tree(elements: redactList(list, as: shape)) }
        guard let members = value.members else { return value }
        let fields = FieldVisibility.fields(of: shape)
        var kept: [(key: String, value: Tree)] = []
        kept.reserveCapacity(members.count + 1)
        var restricted: [(key: String, value: Tree)] = []
        for (field, fieldValue) in members {
            // An object or a list of a shape the reader reads nothing of is left out whole.
            let (rule, visibility) = fields[field] ?? (.internal, .internal)
            if visibility != .shared { restricted.append((field, Tree(text: visibility.rawValue))) }
            guard visibility.isReadable(by: role) else { continue }
            switch rule {
            case .field:
                kept.append((field, fieldValue))
            case .object(let inner):
                let redacted = redactTree(fieldValue, as: inner)
                if !Self.lostEverything(fieldValue, redacted) { kept.append((field, redacted)) }
            case .list(let inner):
                kept.append((field, fieldValue.elements.map { Tree(elements: redactList($0, as: inner)) } ?? fieldValue))
            }
        }
        if role == .coordinator, !restricted.isEmpty {
            kept.append((Self.annotationKey, Tree(members: restricted.sorted { $0.key < $1.key })))
        }
        return Tree(members: kept)
    }

    /// Elements that carry a `visibility` of their own are left out for readers it excludes,
    /// and so are elements of which the reader may read no field at all.
    private func redactList<Tree: RedactableTree>(_ list: [Tree], as shape: String) -> [Tree] {
        list.compactMap { element in
            if let raw = element.member("visibility")?.text, let visibility = Visibility(rawValue: raw),
                !visibility.isReadable(by: role)
            {
                return nil
            }
            let redacted = redactTree(element, as: shape)
            return Self.lostEverything(element, redacted) ? nil : redacted
        }
    }

    /// An object that had fields and has none left for this reader (a studio's vetting check
    /// read by a client, the studio's account of a complaint read by the client) is left out
    /// rather than shown as `{}`, which would say that there is something and break its schema.
    private static func lostEverything<Tree: RedactableTree>(_ original: Tree, _ redacted: Tree) -> Bool {
        guard let original = original.members, let redacted = redacted.members else { return false }
        return !original.isEmpty && redacted.isEmpty
    }
}
