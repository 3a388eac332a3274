/// What a token or a person is bound to (DESIGN §2): a role, whether a coordinator is the head,
/// and for studios and clients the one studio or client. Tokens and people share the rule.
public enum RoleBinding {
    /// A studio's token or person is bound to exactly one studio, a client's to one client, a
    /// coordinator to neither, and only a coordinator can be head. `noun` names what is bound in
    /// the messages ("a studio token must name its studio", "a studio person must name its studio").
    public static func check(
        role: Role,
        head: Bool,
        studioId: String?,
        clientId: String?,
        noun: String,
        into validator: inout Validator
    ) {
        switch role {
        case .coordinator:
            validator.check(studioId == nil, "studioId", "a coordinator \(noun) is not bound to a studio")
            validator.check(clientId == nil, "clientId", "a coordinator \(noun) is not bound to a client")
        case .studio:
            validator.check(studioId != nil, "studioId", "a studio \(noun) must name its studio")
            validator.check(clientId == nil, "clientId", "a studio \(noun) is not bound to a client")
            validator.check(!head, "head", "only a coordinator can be head")
        case .client:
            validator.check(clientId != nil, "clientId", "a client \(noun) must name its client")
            validator.check(studioId == nil, "studioId", "a client \(noun) is not bound to a studio")
            validator.check(!head, "head", "only a coordinator can be head")
        }
    }
}
