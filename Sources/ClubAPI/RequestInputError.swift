import ClubCore
import HTTPTypes

/// A request the server could not read: not JSON, a wrong type, a missing field, a bad header.
struct RequestInputError: Error, Sendable {
    let status: HTTPResponse.Status
    let slug: String
    let detail: String
    var errors: [FieldError]?

    static func badField(_ field: String, _ message: String) -> RequestInputError {
        RequestInputError(
            status: .badRequest,
            slug: "malformed-request",
            detail: "\(field): \(message)",
            errors: [FieldError(field: field, message: message)]
        )
    }

    static func malformed(_ detail: String) -> RequestInputError {
        RequestInputError(status: .badRequest, slug: "malformed-request", detail: detail)
    }
}
