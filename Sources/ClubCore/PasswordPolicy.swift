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

    /// Why a password is refused. The raw value names the reason for the catalogs
    /// (`console.password.<reason>`); `message` is the API's English wording.
    public enum Problem: String, Sendable, CaseIterable {
        case short, long, control, personal, common

        public var message: String {
            switch self {
            case .short: "must be at least \(PasswordPolicy.minimumLength) characters"
            case .long: "must be at most \(PasswordPolicy.maximumBytes) bytes in UTF-8 (72 Latin or 36 Cyrillic letters)"
            case .control: "must not contain control characters"
            case .personal: "must not be your e-mail address or your name"
            case .common: "is one of the most common passwords"
            }
        }
    }

    /// Every reason `password` is refused for the person with this e-mail address and name;
    /// empty when it is acceptable.
    public func reasons(_ password: String, email: String, name: String) -> [Problem] {
        var reasons: [Problem] = []
        if password.count < Self.minimumLength { reasons.append(.short) }
        if password.utf8.count > Self.maximumBytes { reasons.append(.long) }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { reasons.append(.control) }
        let folded = password.lowercased()
        let email = EmailAddress.normalized(email)
        let localPart = email.split(separator: "@", maxSplits: 1).first.map(String.init) ?? email
        let name = name.trimmingWhitespace().lowercased()
        let personal = [email, localPart, name, name.filter { !$0.isWhitespace }].filter { !$0.isEmpty }
        if personal.contains(folded) { reasons.append(.personal) }
        if commonPasswords.contains(folded) { reasons.append(.common) }
        return reasons
    }

    /// The same reasons in the API's words.
    public func problems(_ password: String, email: String, name: String) -> [String] {
        reasons(password, email: email, name: name).map(\.message)
    }

    /// Throws `invalid` naming `field` with every reason the password is refused.
    public func check(_ password: String, email: String, name: String, field: String = "password") throws {
        let problems = problems(password, email: email, name: name)
        guard problems.isEmpty else { throw DomainError.invalid(problems.map { FieldError(field: field, message: $0) }) }
    }
}
