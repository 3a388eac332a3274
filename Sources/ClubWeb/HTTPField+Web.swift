import HTTPTypes

/// The header names pages send beyond those HTTPTypes predefines, spelled once.
extension HTTPField.Name {
    static let referrerPolicy = named("Referrer-Policy")
    static let contentTypeOptions = named("X-Content-Type-Options")
    static let accelBuffering = named("X-Accel-Buffering")
    static let secFetchSite = named("Sec-Fetch-Site")
    static let host = named("Host")

    /// The literals above are valid header tokens; a typo here is a programming error caught by
    /// the first test that touches the header.
    private static func named(_ name: String) -> HTTPField.Name {
        guard let field = HTTPField.Name(name) else { preconditionFailure("'\(name)' is not a valid header name") }
        return field
    }
}
