/// What a password must be (DESIGN §9): at least 12 characters; not the person's e-mail address,
/// the part before its `@`, or their name (ignoring case); and not one of the most common
/// passwords. The list is an input — the store ships it as a resource and reads it once — so that
/// the rule itself does no I/O.
public struct PasswordPolicy: Sendable {
    public static let minimumLength = 12
    /// bcrypt reads no more than 72 bytes of a password; a longer one would be silently cut, so
    /// that two passwords alike in their first 72 bytes would be the same. Refused instead.
    public static let maximumBytes = 72

    /// Common passwords in lower case.
    public let commonPasswords: Set<String>

    public init(commonPasswords: Set<String>) {
        self.commonPasswords = commonPasswords
    }

    /// Every reason `password` is refused for the person with this e-mail address and name;
    /// empty when it is acceptable.
    public func problems(_ password: String, email: String, name: String) -> [String] {
        var problems: [String] = []
        if password.count < Self.minimumLength { problems.append("must be at least \(Self.minimumLength) characters") }
        if password.utf8.count > Self.maximumBytes {
            problems.append("must be at most \(Self.maximumBytes) bytes in UTF-8 (72 Latin or 36 Cyrillic letters)")
        }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problems.append("must not contain control characters")
        }
        let folded = password.lowercased()
        let email = EmailAddress.normalized(email)
        let localPart = email.split(separator: "@", maxSplits: 1).first.map(String.init) ?? email
        let name = name.trimmingWhitespace().lowercased()
        let personal = [email, localPart, name, name.filter { !$0.isWhitespace }].filter { !$0.isEmpty }
        if personal.contains(folded) { problems.append("must not be your e-mail address or your name") }
        if commonPasswords.contains(folded) { problems.append("is one of the most common passwords") }
        return problems
    }

    /// Throws `invalid` naming `field` with every reason the password is refused.
    public func check(_ password: String, email: String, name: String, field: String = "password") throws {
        let problems = problems(password, email: email, name: name)
        guard problems.isEmpty else { throw DomainError.invalid(problems.map { FieldError(field: field, message: $0) }) }
    }
}
