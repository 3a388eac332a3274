import Foundation

/// A studio (agency) in the club's network. Status changes only through `record(_:)` and
/// `decide(_:)`; no caller writes `status` directly.
public struct Studio: Codable, Sendable, Equatable {
    public let id: String
    public private(set) var name: String
    public private(set) var competences: [String]
    public private(set) var regions: [String]
    public private(set) var budgetMin: Int
    public private(set) var budgetMax: Int
    /// How many engagements the studio can carry at once.
    public private(set) var capacity: Int
    public private(set) var status: StudioStatus
    public private(set) var vettingChecks: [VettingCheck]
    public private(set) var decisions: [StudioDecisionRecord]
    public private(set) var conductNotes: [ConductNote]
    /// Its web address: part of the public profile the clients it works with read.
    public private(set) var website: String?
    /// The club's own note on the studio (internal).
    public private(set) var internalNote: String?
    /// Grows by one on every change; the API's `ETag`.
    public private(set) var version: Int
    public let createdAt: Date
    public private(set) var updatedAt: Date

    /// Registers a new applicant from validated input.
    public init(id: String, input: StudioInput, rules: ClubRules, at now: Date) throws {
        let fields = try input.validated(rules: rules)
        self.id = id
        self.name = fields.name
        self.competences = fields.competences
        self.regions = fields.regions
        self.budgetMin = fields.budgetMin
        self.budgetMax = fields.budgetMax
        self.capacity = fields.capacity
        self.status = .applicant
        self.vettingChecks = []
        self.decisions = []
        self.conductNotes = []
        self.website = fields.website
        self.internalNote = fields.internalNote
        self.version = 1
        self.createdAt = now
        self.updatedAt = now
    }

    /// Applies a partial update; the result is validated as a whole (budgetMin ≤ budgetMax even
    /// when only one of them changes). A patch that changes nothing leaves the version alone.
    public mutating func apply(_ patch: StudioPatch, rules: ClubRules, at now: Date) throws {
        let merged = StudioInput(
            name: patch.name ?? name,
            competences: patch.competences ?? competences,
            regions: patch.regions ?? regions,
            budgetMin: patch.budgetMin ?? budgetMin,
            budgetMax: patch.budgetMax ?? budgetMax,
            capacity: patch.capacity ?? capacity,
            website: patch.website ?? website,
            internalNote: patch.internalNote ?? internalNote
        )
        let fields = try merged.validated(rules: rules)
        guard
            fields
                != StudioInput.Fields(
                    name: name,
                    competences: competences,
                    regions: regions,
                    budgetMin: budgetMin,
                    budgetMax: budgetMax,
                    capacity: capacity,
                    website: website,
                    internalNote: internalNote
                )
        else {
            return
        }
        name = fields.name
        competences = fields.competences
        regions = fields.regions
        budgetMin = fields.budgetMin
        budgetMax = fields.budgetMax
        capacity = fields.capacity
        website = fields.website
        internalNote = fields.internalNote
        touch(at: now)
    }

    /// Records a vetting check; the first one moves an applicant into vetting.
    public mutating func record(_ check: VettingCheckInput, by actor: Actor, at now: Date) throws {
        guard status.acceptsVettingChecks else {
            throw DomainError.ruleBroken(
                .vettingClosed,
                detail: "vetting checks are recorded only for applicants and studios in vetting; this studio is \(status.rawValue)"
            )
        }
        var validator = Validator()
        let notes = validator.optionalText(check.notes, "notes")
        try validator.finish()
        vettingChecks.append(VettingCheck(kind: check.kind, passed: check.passed, notes: notes, recordedAt: now, recordedBy: actor.name))
        if status == .applicant { status = .vetting }
        touch(at: now)
    }

    /// The latest result of each kind of check: a failed check may be retaken.
    public var latestChecks: [VettingCheckKind: Bool] {
        vettingChecks.reduce(into: [:]) { latest, check in latest[check.kind] = check.passed }
    }

    /// Applies a coordinator's decision through the state machine.
    public mutating func decide(_ input: DecisionInput, by principal: Principal, rules: ClubRules, at now: Date) throws {
        var validator = Validator()
        let reason = validator.text(input.reason, "reason", maxLength: Limits.longText)
        try validator.finish()
        if input.decision == .expel {
            try Policy.require(principal, .expelStudio)
        }
        guard let next = status.after(input.decision) else {
            throw DomainError.illegalTransition(entity: "studio", from: status.rawValue, action: input.decision.rawValue)
        }
        if input.decision == .admit {
            let latest = latestChecks
            let missing = rules.requiredChecks.filter { latest[$0] != true }.map(\.rawValue).sorted()
            if !missing.isEmpty {
                throw DomainError.ruleBroken(
                    .admissionNeedsPassedChecks,
                    detail: "admission needs every required check passed; not yet passed: \(missing.joined(separator: ", "))"
                )
            }
        }
        decisions.append(
            StudioDecisionRecord(decision: input.decision, from: status, to: next, reason: reason, decidedAt: now, decidedBy: principal.name)
        )
        status = next
        touch(at: now)
    }

    /// Keeps an ethics incident on the studio's record.
    public mutating func addConductNote(_ input: ConductNoteInput, by actor: Actor, at now: Date) throws {
        var validator = Validator()
        let note = validator.text(input.note, "note", maxLength: Limits.longText)
        try validator.finish()
        conductNotes.append(ConductNote(note: note, recordedAt: now, recordedBy: actor.name))
        touch(at: now)
    }

    private mutating func touch(at now: Date) {
        version += 1
        updatedAt = now
    }
}
