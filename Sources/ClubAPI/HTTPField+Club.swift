import HTTPTypes

/// The header names the JSON API uses beyond those HTTPTypes predefines, spelled once.
extension HTTPField.Name {
    static let idempotencyKey = named("Idempotency-Key")
    static let idempotentReplayed = named("Idempotent-Replayed")

    /// The literals above are valid header tokens; a typo here is a programming error caught by
    /// the first test that touches the header.
    private static func named(_ name: String) -> HTTPField.Name {
        guard let field = HTTPField.Name(name) else { preconditionFailure("'\(name)' is not a valid header name") }
        return field
    }
}
