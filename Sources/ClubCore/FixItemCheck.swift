import Foundation

/// One round of a fix item: the studio's strike, judged against the due day in force when it was
/// struck, and the reopening that ended it, if any (docs/design.md §3.7). A reopened item starts
/// a new round on its new due day, so a first strike on time stays on time.
public struct FixRound: Codable, Sendable, Equatable {
    public let number: Int
    /// The due day this round was judged against.
    public let due: Day
    public let struckAt: Date
    public let struckBy: String
    public let strikeNote: String
    /// Struck before the end of `due` on the club's clock.
    public let onTime: Bool
    public private(set) var reopenedAt: Date?
    public private(set) var reopenedBy: String?
    public private(set) var reopenReason: String?
    /// The due day agreed with the reopening: the next round's.
    public private(set) var newDue: Day?

    public init(number: Int, due: Day, struckAt: Date, struckBy: String, strikeNote: String, onTime: Bool) {
        self.number = number
        self.due = due
        self.struckAt = struckAt
        self.struckBy = struckBy
        self.strikeNote = strikeNote
        self.onTime = onTime
    }

    mutating func reopened(at now: Date, by name: String, reason: String, newDue: Day) {
        reopenedAt = now
        reopenedBy = name
        reopenReason = reason
        self.newDue = newDue
    }
}

/// Who wrote a comment on a fix item: one of the list's parties.
public enum CommentAuthorSide: String, Codable, Sendable, CaseIterable {
    case client
    case studio
    case club
}

/// One remark in an item's thread, from the client, a studio working on it or the club.
public struct FixItemComment: Codable, Sendable, Equatable {
    public let id: String
    public let fixItemId: String
    /// The item's list, so that a comment reaches the list's live views like any change of it.
    public let fixListId: String
    public let side: CommentAuthorSide
    public let authorName: String
    public let text: String
    public let createdAt: Date

    /// A comment by `principal`, its text checked (required, at most a long text).
    public init(id: String, item: FixItem, input: FixItemCommentInput, by principal: Principal, at now: Date) throws {
        try Policy.require(principal, .commentOnFixItem)
        var validator = Validator()
        let text = validator.text(input.text, "text", maxLength: Limits.longText)
        try validator.finish()
        self.id = id
        self.fixItemId = item.id
        self.fixListId = item.fixListId
        self.side =
            switch principal.role {
            case .client: .client
            case .studio: .studio
            case .coordinator: .club
            }
        self.authorName = principal.name
        self.text = text
        self.createdAt = now
    }
}

/// Input of `POST /v1/fix-items/{id}/comments`.
public struct FixItemCommentInput: Codable, Sendable {
    public let text: String

    public init(text: String) {
        self.text = text
    }
}
