/// Who may read a field (DESIGN §2): the club always; the parties as the field says.
public enum Visibility: String, Codable, Sendable, CaseIterable {
    /// Every party to the engagement (and the club).
    case shared
    /// The studio and the club.
    case studio
    /// The client and the club.
    case client
    /// The club alone: coordinators.
    case `internal`

    public func isReadable(by role: Role) -> Bool {
        switch (self, role) {
        case (_, .coordinator), (.shared, _), (.studio, .studio), (.client, .client): true
        default: false
        }
    }
}

/// How one field of an answer is read: with a visibility of its own, or as an object (or a list
/// of objects) of another shape whose fields have theirs.
public enum FieldRule: Sendable, Equatable {
    case field(Visibility)
    /// An object of the named shape; the field itself is as visible as its parent.
    case object(String)
    /// A list of objects of the named shape. An element may carry a `visibility` of its own
    /// (plan steps and goals, a retrospective's mistakes): a reader who may not read it does
    /// not see the element at all.
    case list(String)
}

extension FieldRule {
    static let shared = FieldRule.field(.shared)
    static let studio = FieldRule.field(.studio)
    static let client = FieldRule.field(.client)
    static let `internal` = FieldRule.field(.internal)
}
