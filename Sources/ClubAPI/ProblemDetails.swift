import ClubCore
import ClubStore
import Foundation
import HTTPTypes

/// An RFC 9457 problem: the body of every error answer.
struct ProblemDetails: Encodable, Sendable {
    let type: String
    let title: String
    let status: Int
    let detail: String
    var errors: [FieldError]?

    init(status: HTTPResponse.Status, type: String = "about:blank", detail: String, errors: [FieldError]? = nil) {
        self.type = type
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.errors = errors
    }

    /// Problem types name the rule or the kind of failure; documented in docs/openapi.yaml.
    static func type(_ slug: String) -> String { "/problems/\(slug)" }
}

extension ProblemDetails {
    /// The one place where domain and storage errors become HTTP statuses.
    init?(_ error: any Error) {
        switch error {
        case let error as DomainError:
            self.init(domain: error)
        case StoreError.versionMismatch(let current):
            self.init(
                status: .preconditionFailed,
                type: Self.type("stale-etag"),
                detail: "the object changed since you read it; its current ETag is \"\(current)\". Read it again and retry."
            )
        case let error as RequestInputError:
            self.init(status: error.status, type: Self.type(error.slug), detail: error.detail, errors: error.errors)
        // Evidence files (docs/design.md §11.1): size is 413, content 415, each naming what was found.
        case let refusal as FileRefusal where refusal.isAboutSize:
            self.init(status: .contentTooLarge, type: Self.type("file-too-large"), detail: refusal.detail)
        case let refusal as FileRefusal:
            self.init(status: .unsupportedMediaType, type: Self.type("file-type-refused"), detail: refusal.detail)
        case let refusal as FileNameRefusal:
            self.init(
                status: .unprocessableContent,
                type: Self.type("validation"),
                detail: "invalid fields: name",
                errors: [FieldError(field: "name", message: refusal.detail)]
            )
        default:
            return nil
        }
    }

    private init(domain error: DomainError) {
        switch error {
        case .invalid(let errors):
            let fields = errors.map(\.field).joined(separator: ", ")
            self.init(status: .unprocessableContent, type: Self.type("validation"), detail: "invalid fields: \(fields)", errors: errors)
        case .notFound(let entity, let id):
            self.init(status: .notFound, type: Self.type("not-found"), detail: "no \(entity) '\(id)' within your reach")
        case .forbidden(let reason):
            self.init(status: .forbidden, type: Self.type("forbidden"), detail: reason)
        case .illegalTransition(let entity, let from, let action):
            self.init(status: .conflict, type: Self.type("illegal-transition"), detail: "the \(entity) is \(from) and cannot \(action)")
        case .ruleBroken(let rule, let detail):
            self.init(status: rule.isStateConflict ? .conflict : .unprocessableContent, type: Self.type(rule.rawValue), detail: detail)
        }
    }
}
