import Foundation

/// An item's progress: `open → struck → accepted`. A struck item awaits the client's check: the
/// client (or a coordinator on its behalf, or the daemon once the check is overdue) accepts it, or
/// the client or a coordinator `reopened` it (strikable again) with a reason and a new due day.
public enum FixItemState: String, Codable, Sendable, CaseIterable {
    case open
    case struck
    case reopened
    case accepted
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
    /// Every strike with the due day of its round, whether it came on time, and its reopening
    /// (docs/design.md §3.7): lateness is judged per round, and no strike is ever forgotten.
    public private(set) var rounds: [FixRound]
    public private(set) var acceptedAt: Date?
    /// The client's name, a coordinator's (on the client's behalf), or the daemon's.
    public private(set) var acceptedBy: String?
    public private(set) var acceptNote: String?
    /// Accepted by the daemon because nobody checked it in time.
    public private(set) var autoAccepted: Bool
    public private(set) var version: Int
    /// The club's own note on the item (internal); changing it is no amendment.
    public private(set) var internalNote: String?
    /// The audit finding whose acceptance put this item on the list (docs/design.md §3.8).
    public let findingId: String?

    public init(
        id: String,
        fixListId: String,
        position: Int,
        input: FixItemInput,
        defaultStudioId: String,
        existing: [FixItem],
        findingId: String? = nil
    ) throws {
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
        self.rounds = []
        self.autoAccepted = false
        self.version = 1
        self.internalNote = fields.internalNote
        self.findingId = findingId
    }

    /// An item as storage holds it, every field given: the store reads the hottest rows by hand
    /// rather than through `Decodable` (docs/performance.md). Nothing is checked here.
    public init(
        stored id: String,
        fixListId: String,
        position: Int,
        statement: String,
        acceptance: String,
        due: Day,
        assignedStudioId: String,
        state: FixItemState,
        pending: PendingChange?,
        isRemoved: Bool,
        strike: (at: Date?, by: String?, note: String?),
        reopening: (at: Date?, by: String?, reason: String?, count: Int),
        rounds: [FixRound],
        accepted: (at: Date?, by: String?, note: String?, automatic: Bool),
        version: Int,
        internalNote: String?,
        findingId: String?
    ) {
        self.id = id
        self.fixListId = fixListId
        self.position = position
        self.statement = statement
        self.acceptance = acceptance
        self.due = due
        self.assignedStudioId = assignedStudioId
        self.state = state
        self.pending = pending
        self.isRemoved = isRemoved
        (struckAt, struckBy, strikeNote) = strike
        (reopenedAt, reopenedBy, reopenReason, reopenCount) = reopening
        self.rounds = rounds
        (acceptedAt, acceptedBy, acceptNote, autoAccepted) = accepted
        self.version = version
        self.internalNote = internalNote
        self.findingId = findingId
    }

    /// Whether the studio may strike it: agreed, not being amended, open or reopened.
    public var isStrikable: Bool { pending == nil && !isRemoved && (state == .open || state == .reopened) }

    /// Whether it awaits the client's check: struck, and not on its way out of the list.
    public var awaitsCheck: Bool { state == .struck && !isRemoved && pending != .removal }

    /// Whether the latest strike came after the end of its round's due day. Judged when struck
    /// (`FixRound.onTime`); an item struck before rounds were kept is judged now.
    public func isLate(in zone: TimeZone) -> Bool {
        if let last = rounds.last { return !last.onTime }
        return struckAt.map { $0 >= due.end(in: zone) } ?? false
    }

    /// Not yet struck (or reopened) past the end of its due day; struck and accepted items are not.
    public func isOverdue(at now: Date, in zone: TimeZone) -> Bool {
        awaitsStrike && due.hasPassed(at: now, in: zone)
    }

    /// The ids of the overdue items among `items`, in order, each judged as `isOverdue(at:in:)`
    /// judges it, but with each distinct due day's end worked out once: the calendar's arithmetic
    /// is slow on Linux, and every read of a list asks this of each item (docs/performance.md).
    public static func overdueIds(of items: [FixItem], at now: Date, in zone: TimeZone) -> [String] {
        var passed: [Day: Bool] = [:]
        return items.filter { item in
            guard item.awaitsStrike else { return false }
            if let known = passed[item.due] { return known }
            let hasPassed = item.due.hasPassed(at: now, in: zone)
            passed[item.due] = hasPassed
            return hasPassed
        }.map(\.id)
    }

    /// On the list and not struck (or reopened since): the studio still owes it.
    private var awaitsStrike: Bool { !isRemoved && (state == .open || state == .reopened) }

    /// When the daemon accepts it unless the client checks it first: `days` after the strike.
    public func checkDeadline(days: Int) -> Date? {
        guard awaitsCheck, let struckAt else { return nil }
        return struckAt.addingTimeInterval(Double(days) * 24 * 3600)
    }

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
            // A reworded item is a new promise: whatever was struck (or accepted) under the old
            // wording is open again; its rounds stay in the history.
            if state == .struck || state == .accepted {
                state = .open
                struckAt = nil
                struckBy = nil
                strikeNote = nil
                clearAcceptance()
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
    /// The strike opens a round judged against the due day in force, on the club's clock.
    public mutating func strike(_ input: StrikeInput, by principal: Principal, at now: Date, in zone: TimeZone) throws {
        try Policy.require(principal, .strikeFixItem)
        guard principal.studioId == assignedStudioId else { throw DomainError.forbidden("this item is assigned to another studio of the engagement") }
        guard isStrikable else {
            let reason =
                pending != nil ? "awaiting both sides' confirmation" : (isRemoved ? "removed" : state == .accepted ? "accepted" : "already struck")
            throw DomainError.ruleBroken(.fixItemNotStrikable, detail: "item \(position) cannot be struck: it is \(reason)")
        }
        var validator = Validator()
        let note = validator.text(input.note, "note", maxLength: Limits.longText)
        try validator.finish()
        state = .struck
        struckAt = now
        struckBy = principal.name
        strikeNote = note
        rounds.append(
            FixRound(number: rounds.count + 1, due: due, struckAt: now, struckBy: principal.name, strikeNote: note, onTime: now < due.end(in: zone))
        )
        version += 1
    }

    /// The client or a coordinator does not accept a struck item: a reason is required, and the
    /// new due day agreed with the reopening. Without one the item keeps its due day, which is
    /// allowed only while that day has not passed on the club's clock; a new one is never before
    /// today. The struck round keeps its strike, its lateness and now its reopening.
    public mutating func reopen(_ input: ReopenInput, by principal: Principal, at now: Date, in zone: TimeZone) throws {
        try Policy.require(principal, .reopenFixItem)
        guard awaitsCheck else {
            throw DomainError.ruleBroken(.fixItemNotAwaitingCheck, detail: "item \(position) cannot be reopened: \(checkRefusal)")
        }
        var validator = Validator()
        let reason = validator.text(input.reason, "reason", maxLength: Limits.longText)
        let today = Day(containing: now, in: zone)
        if let newDue = input.due {
            validator.check(newDue >= today, "due", "must be today (\(today)) or later")
        } else {
            validator.check(
                !due.hasPassed(at: now, in: zone),
                "due",
                "is required: the item's due day \(due) has passed, so the reopening names the new one agreed with it"
            )
        }
        try validator.finish()
        if let index = rounds.indices.last {
            rounds[index].reopened(at: now, by: principal.name, reason: reason, newDue: input.due ?? due)
        }
        state = .reopened
        due = input.due ?? due
        reopenedAt = now
        reopenedBy = principal.name
        reopenReason = reason
        reopenCount += 1
        version += 1
    }

    /// The client checks a struck item and accepts it; a coordinator may accept on the client's
    /// behalf (the client said so on the phone), and then says so in the note.
    public mutating func accept(_ input: AcceptInput, by principal: Principal, at now: Date) throws {
        try Policy.require(principal, .acceptFixItem)
        guard awaitsCheck else {
            throw DomainError.ruleBroken(.fixItemNotAwaitingCheck, detail: "item \(position) cannot be accepted: \(checkRefusal)")
        }
        var validator = Validator()
        let note = validator.optionalText(input.note, "note", maxLength: Limits.longText)
        if principal.role == .coordinator {
            validator.check(note != nil, "note", "is required when the club accepts on the client's behalf: say how the client agreed")
        }
        try validator.finish()
        state = .accepted
        acceptedAt = now
        acceptedBy = principal.name
        acceptNote = note
        autoAccepted = false
        version += 1
    }

    /// Nobody checked the strike within `days`: the daemon accepts it, and says so. Returns
    /// whether it did (false when the check is not overdue yet).
    public mutating func autoAccept(at now: Date, days: Int) -> Bool {
        guard let deadline = checkDeadline(days: days), now >= deadline else { return false }
        state = .accepted
        acceptedAt = now
        acceptedBy = Actor.system.name
        acceptNote = "accepted by the club's daemon: not checked within \(days) days of the strike"
        autoAccepted = true
        version += 1
        return true
    }

    private var checkRefusal: String {
        if isRemoved || pending == .removal { return "it is removed" }
        switch state {
        case .accepted: return "it is already accepted"
        case .open, .reopened: return "it is not struck"
        case .struck: return "it awaits the check"
        }
    }

    private mutating func clearAcceptance() {
        acceptedAt = nil
        acceptedBy = nil
        acceptNote = nil
        autoAccepted = false
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
    /// The new due day agreed with the reopening; required once the old one has passed.
    public let due: Day?

    public init(reason: String, due: Day? = nil) {
        self.reason = reason
        self.due = due
    }
}

/// Input of `POST /v1/fix-items/{id}/accept`.
public struct AcceptInput: Codable, Sendable {
    /// The client's word on the fix; required from a coordinator accepting on its behalf.
    public let note: String?

    public init(note: String? = nil) {
        self.note = note
    }
}
