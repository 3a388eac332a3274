import Foundation

/// Where a final correction list stands: a `draft` the coordinator edits freely, `agreed` once
/// the client and the studio both confirmed it, `amending` while an amendment awaits both
/// confirmations (the items agreed before stay strikable), `done` when every item is accepted.
public enum FixListStatus: String, Codable, Sendable, CaseIterable {
    case draft
    case agreed
    case amending
    case done
}

/// The final correction list of an engagement: each item stated so that both sides read it the
/// same way, with how both will know it is done and by when. Done means accepted: the studio
/// strikes, the client checks (docs/design.md §3.7).
public struct FixList: Codable, Sendable, Equatable {
    public let id: String
    public let engagementId: String
    public private(set) var status: FixListStatus
    /// Grows with every amendment after the first agreement; confirmations are for a revision.
    public private(set) var revision: Int
    public private(set) var clientConfirmation: Confirmation?
    public private(set) var studioConfirmation: Confirmation?
    public private(set) var agreedAt: Date?
    public let createdAt: Date
    public let createdBy: String
    public private(set) var version: Int
    public private(set) var updatedAt: Date
    /// The club's own note on the list (internal).
    public let internalNote: String?

    /// `internalNote` comes validated (`FixListInput.validatedNote`).
    public init(id: String, engagementId: String, internalNote: String? = nil, by actor: Actor, at now: Date) {
        self.id = id
        self.engagementId = engagementId
        self.status = .draft
        self.revision = 1
        self.clientConfirmation = nil
        self.studioConfirmation = nil
        self.agreedAt = nil
        self.createdAt = now
        self.createdBy = actor.name
        self.version = 1
        self.updatedAt = now
        self.internalNote = internalNote
    }

    /// A list as storage holds it, every field given: the store reads it by hand, as it reads
    /// its items (docs/performance.md). Nothing is checked here.
    public init(
        stored id: String,
        engagementId: String,
        status: FixListStatus,
        revision: Int,
        confirmations: (client: Confirmation?, studio: Confirmation?),
        agreedAt: Date?,
        created: (at: Date, by: String),
        version: Int,
        updatedAt: Date,
        internalNote: String?
    ) {
        self.id = id
        self.engagementId = engagementId
        self.status = status
        self.revision = revision
        (clientConfirmation, studioConfirmation) = confirmations
        self.agreedAt = agreedAt
        (createdAt, createdBy) = created
        self.version = version
        self.updatedAt = updatedAt
        self.internalNote = internalNote
    }

    /// Whether the list was ever agreed: from then on every change is an amendment.
    public var isFinal: Bool { status != .draft }

    /// Records one side's confirmation of the current revision. When both sides have confirmed,
    /// every pending item becomes agreed (and every pending removal takes effect) and the list is
    /// agreed — or done, if every item is already accepted. Returns whether the revision was agreed now.
    @discardableResult
    public mutating func confirm(by principal: Principal, items: inout [FixItem], at now: Date) throws -> Bool {
        guard status == .draft || status == .amending else {
            throw DomainError.ruleBroken(.alreadyConfirmed, detail: "fix list \(id) has no changes awaiting confirmation")
        }
        guard items.contains(where: { !$0.isRemoved }) else {
            throw DomainError.ruleBroken(.fixListEmpty, detail: "a fix list needs at least one item before it can be agreed")
        }
        switch principal.role {
        case .client:
            guard clientConfirmation == nil else {
                throw DomainError.ruleBroken(.alreadyConfirmed, detail: "the client already confirmed revision \(revision)")
            }
            clientConfirmation = Confirmation(by: principal.name, at: now)
        case .studio:
            guard studioConfirmation == nil else {
                throw DomainError.ruleBroken(.alreadyConfirmed, detail: "the studio already confirmed revision \(revision)")
            }
            studioConfirmation = Confirmation(by: principal.name, at: now)
        case .coordinator:
            throw DomainError.forbidden("only the engagement's client and studio confirm a fix list")
        }
        touch(at: now)
        guard clientConfirmation != nil, studioConfirmation != nil else { return false }
        for index in items.indices { items[index].settleAgreement() }
        if agreedAt == nil { agreedAt = now }
        status = .agreed
        refreshDone(items: items)
        return true
    }

    /// A change to the items. In a draft it withdraws any confirmation already given (nobody
    /// agrees to items they never saw); after agreement it is an amendment that awaits both
    /// confirmations again.
    public mutating func openAmendment(at now: Date) {
        guard isFinal else {
            clientConfirmation = nil
            studioConfirmation = nil
            touch(at: now)
            return
        }
        if status != .amending {
            revision += 1
            clientConfirmation = nil
            studioConfirmation = nil
            status = .amending
        }
        touch(at: now)
    }

    /// `done` exactly when the list is agreed (not amending) and every remaining item is accepted;
    /// a struck item still awaits the client's check.
    public mutating func refreshDone(items: [FixItem]) {
        guard status == .agreed || status == .done else { return }
        let remaining = items.filter { !$0.isRemoved }
        status = !remaining.isEmpty && remaining.allSatisfy({ $0.state == .accepted }) ? .done : .agreed
    }

    /// Any change to the list or its items is a new version, so its `ETag` follows the content.
    public mutating func touch(at now: Date) {
        version += 1
        updatedAt = now
    }
}

/// Input of `POST /v1/engagements/{id}/fix-lists`.
public struct FixListInput: Codable, Sendable {
    public let items: [FixItemInput]?
    /// The club's own note on the list (internal).
    public let internalNote: String?

    public init(items: [FixItemInput]? = nil, internalNote: String? = nil) {
        self.items = items
        self.internalNote = internalNote
    }

    /// The list's own fields checked: at most `Limits.listCount` items, the note within its size.
    public func validatedNote() throws -> String? {
        var validator = Validator()
        validator.check((items ?? []).count <= Limits.listCount, "items", "must have at most \(Limits.listCount) entries")
        let note = validator.internalNote(internalNote)
        try validator.finish()
        return note
    }
}
