import Foundation

/// An item's progress: `open → struck`, and a struck item `reopened` (strikable again) by the
/// client or a coordinator with a reason.
public enum FixItemState: String, Codable, Sendable, CaseIterable {
    case open
    case struck
    case reopened
}

/// What an item still needs from both sides before it is part of the agreed list.
public enum PendingChange: String, Codable, Sendable {
    /// New, or reworded: not strikable until both sides confirm.
    case wording
    /// Removal proposed: the item stays until both sides confirm.
    case removal
}

/// One remark on the final correction list.
public struct FixItem: Codable, Sendable, Equatable {
    public let id: String
    public let fixListId: String
    public let position: Int
    public private(set) var statement: String
    /// How both sides will know the item is done.
    public private(set) var acceptance: String
    public private(set) var due: Day
    public private(set) var assignedStudioId: String
    public private(set) var state: FixItemState
    /// Set while an amendment (or the draft) awaits both confirmations.
    public private(set) var pending: PendingChange?
    public private(set) var isRemoved: Bool
    public private(set) var struckAt: Date?
    public private(set) var struckBy: String?
    public private(set) var strikeNote: String?
    public private(set) var reopenedAt: Date?
    public private(set) var reopenedBy: String?
    public private(set) var reopenReason: String?
    public private(set) var reopenCount: Int
    public private(set) var version: Int
    /// The club's own note on the item (internal); changing it is no amendment.
    public private(set) var internalNote: String?

    public init(id: String, fixListId: String, position: Int, input: FixItemInput, defaultStudioId: String, existing: [FixItem]) throws {
        let fields = try input.validated(defaultStudioId: defaultStudioId, existing: existing, excluding: nil)
        self.id = id
        self.fixListId = fixListId
        self.position = position
        self.statement = fields.statement
        self.acceptance = fields.acceptance
        self.due = fields.due
        self.assignedStudioId = fields.studioId
        self.state = .open
        self.pending = .wording
        self.isRemoved = false
        self.reopenCount = 0
        self.version = 1
        self.internalNote = fields.internalNote
    }

    /// Whether the studio may strike it: agreed, not being amended, not already struck.
    public var isStrikable: Bool { pending == nil && !isRemoved && state != .struck }

    /// Whether it was struck after the end of its due day.
    public var isLate: Bool { struckAt.map { $0 >= due.end } ?? false }

    public func isOverdue(at now: Date) -> Bool { !isRemoved && state != .struck && due.hasPassed(at: now) }

    /// Rewording: in a draft a plain edit; after agreement an amendment both sides confirm again.
    /// Returns whether the wording changed (an amendment); a new internal note alone is not one.
    @discardableResult
    public mutating func reword(_ patch: FixItemPatch, existing: [FixItem], listIsFinal: Bool) throws -> Bool {
        guard !isRemoved, pending != .removal else {
            throw DomainError.illegalTransition(entity: "fix item", from: isRemoved ? "removed" : "pending removal", action: "be reworded")
        }
        let merged = FixItemInput(
            statement: patch.statement ?? statement,
            acceptance: patch.acceptance ?? acceptance,
            due: patch.due ?? due,
            assignedStudioId: patch.assignedStudioId ?? assignedStudioId,
            internalNote: patch.internalNote ?? internalNote
        )
        let fields = try merged.validated(defaultStudioId: assignedStudioId, existing: existing, excluding: id)
        guard fields.statement != statement || fields.acceptance != acceptance || fields.due != due || fields.studioId != assignedStudioId else {
            if fields.internalNote != internalNote {
                internalNote = fields.internalNote
                version += 1
            }
            return false
        }
        internalNote = fields.internalNote
        statement = fields.statement
        acceptance = fields.acceptance
        due = fields.due
        assignedStudioId = fields.studioId
        if listIsFinal {
            pending = .wording
            // A reworded item is a new promise: whatever was struck under the old wording is open again.
            if state == .struck {
                state = .open
                struckAt = nil
                struckBy = nil
                strikeNote = nil
            }
        }
        version += 1
        return true
    }

    /// Removal: in a draft at once; after agreement proposed, effective once both sides confirm.
    public mutating func remove(listIsFinal: Bool) throws {
        guard !isRemoved, pending != .removal else {
            throw DomainError.illegalTransition(entity: "fix item", from: isRemoved ? "removed" : "pending removal", action: "be removed")
        }
        if listIsFinal { pending = .removal } else { isRemoved = true }
        version += 1
    }

    /// Both sides confirmed: pending wording is agreed, a pending removal takes effect.
    mutating func settleAgreement() {
        switch pending {
        case .wording: pending = nil
        case .removal:
            pending = nil
            isRemoved = true
        case nil: return
        }
        version += 1
    }

    /// Only the assigned studio strikes its own item, only once the list is agreed, with a note.
    public mutating func strike(_ input: StrikeInput, by principal: Principal, at now: Date) throws {
        try Policy.require(principal, .strikeFixItem)
        guard principal.studioId == assignedStudioId else { throw DomainError.forbidden("this item is assigned to another studio of the engagement") }
        guard isStrikable else {
            let reason = pending != nil ? "awaiting both sides' confirmation" : (isRemoved ? "removed" : "already struck")
            throw DomainError.ruleBroken(.fixItemNotStrikable, detail: "item \(position) cannot be struck: it is \(reason)")
        }
        var validator = Validator()
        let note = validator.text(input.note, "note", maxLength: Limits.longText)
        try validator.finish()
        state = .struck
        struckAt = now
        struckBy = principal.name
        strikeNote = note
        version += 1
    }

    /// The client or a coordinator does not accept a struck item; a reason is required.
    public mutating func reopen(_ input: ReopenInput, by principal: Principal, at now: Date) throws {
        try Policy.require(principal, .reopenFixItem)
        guard state == .struck, !isRemoved, pending != .removal else {
            throw DomainError.illegalTransition(
                entity: "fix item",
                from: isRemoved || pending == .removal ? "removed" : state.rawValue,
                action: "be reopened"
            )
        }
        var validator = Validator()
        let reason = validator.text(input.reason, "reason", maxLength: Limits.longText)
        try validator.finish()
        state = .reopened
        reopenedAt = now
        reopenedBy = principal.name
        reopenReason = reason
        reopenCount += 1
        version += 1
    }
}

/// Input of an item, on creating a list or adding to it.
public struct FixItemInput: Codable, Sendable {
    public let statement: String
    public let acceptance: String
    public let due: Day
    public let assignedStudioId: String?
    /// The club's own note on the item (internal).
    public let internalNote: String?

    public init(statement: String, acceptance: String, due: Day, assignedStudioId: String? = nil, internalNote: String? = nil) {
        self.statement = statement
        self.acceptance = acceptance
        self.due = due
        self.assignedStudioId = assignedStudioId
        self.internalNote = internalNote
    }

    struct Fields: Equatable {
        let statement: String
        let acceptance: String
        let due: Day
        let studioId: String
        let internalNote: String?
    }

    /// Statements and criteria are required; a statement may appear only once in a list.
    func validated(defaultStudioId: String, existing: [FixItem], excluding id: String?, field prefix: String = "") throws -> Fields {
        var validator = Validator()
        let statement = validator.text(statement, prefix + "statement", maxLength: Limits.longText)
        let acceptance = validator.text(acceptance, prefix + "acceptance", maxLength: Limits.longText)
        let duplicate = existing.contains { $0.id != id && !$0.isRemoved && $0.statement.lowercased() == statement.lowercased() }
        if !statement.isEmpty { validator.check(!duplicate, prefix + "statement", "duplicates an item already on the list") }
        let internalNote = validator.internalNote(internalNote, prefix + "internalNote")
        try validator.finish()
        return Fields(
            statement: statement,
            acceptance: acceptance,
            due: due,
            studioId: assignedStudioId ?? defaultStudioId,
            internalNote: internalNote
        )
    }
}

/// Input of `PATCH /v1/fix-items/{id}`.
public struct FixItemPatch: Codable, Sendable {
    public let statement: String?
    public let acceptance: String?
    public let due: Day?
    public let assignedStudioId: String?
    /// An empty text clears it; a new note alone is no amendment.
    public let internalNote: String?

    public init(
        statement: String? = nil,
        acceptance: String? = nil,
        due: Day? = nil,
        assignedStudioId: String? = nil,
        internalNote: String? = nil
    ) {
        self.statement = statement
        self.acceptance = acceptance
        self.due = due
        self.assignedStudioId = assignedStudioId
        self.internalNote = internalNote
    }
}

/// Input of `POST /v1/fix-items/{id}/strike`.
public struct StrikeInput: Codable, Sendable {
    public let note: String

    public init(note: String) {
        self.note = note
    }
}

/// Input of `POST /v1/fix-items/{id}/reopen`.
public struct ReopenInput: Codable, Sendable {
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }
}
