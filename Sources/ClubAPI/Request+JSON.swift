import ClubCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

extension Request {
    /// Reads the body as JSON of type `T`. Bodies over the limit answer 413, a wrong content
    /// type 415, and anything undecodable 400 naming the field, never a 500.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: some APIRequestContext) async throws -> T {
        if let contentType = headers[.contentType]?.lowercased(), !contentType.hasPrefix("application/json") {
            throw RequestInputError(status: .unsupportedMediaType, slug: "unsupported-media-type", detail: "send the body as application/json")
        }
        let data = try await collectBody(within: context.bodyTimeout, upTo: context.maxUploadSize)
        let value: T
        do {
            value = try JSONCoding.decoder.decode(T.self, from: data.isEmpty ? Data("{}".utf8) : data)
        } catch let error as DecodingError {
            throw RequestInputError(decoding: error)
        }
        try Self.refuseUnknownFields(in: data, of: value)
        return value
    }

    /// A field the request type does not have is most likely a typo, or an attempt to write
    /// something that changes only through its own action (a studio's `status`): say so rather
    /// than ignore it. The input types' stored properties are their JSON keys.
    private static func refuseUnknownFields(in data: Data, of value: some Decodable) throws {
        guard !data.isEmpty, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        let known = Set(Mirror(reflecting: value).children.compactMap(\.label))
        let unknown = object.keys.filter { !known.contains($0) }.sorted()
        guard !unknown.isEmpty else { return }
        throw RequestInputError(
            status: .badRequest,
            slug: "malformed-request",
            detail: "unknown fields: \(unknown.joined(separator: ", "))",
            errors: unknown.map { FieldError(field: $0, message: "is not a field of this request") }
        )
    }
}

extension Request {
    /// The body, refused with 408 when it does not arrive in time: a client that opens a request
    /// and trickles (or never sends) its body cannot hold a handler forever.
    /// A declared length over the limit is refused before a byte is read; a body without one
    /// is counted as it comes and cut at the limit.
    func collectBody(within timeout: Duration, upTo limit: Int) async throws -> Data {
        if let declared = headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw HTTPError(.contentTooLarge, message: "the body may be at most \(limit) bytes")
        }
        let body = body
        return try await withThrowingTaskGroup(of: Data?.self) { group in
            group.addTask { Data(try await body.collect(upTo: limit).readableBytesView) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let data = first else {
                throw RequestInputError(status: .requestTimeout, slug: "request-timeout", detail: "the request body did not arrive within \(timeout)")
            }
            return data
        }
    }
}

extension RequestInputError {
    /// Names the field a `DecodingError` is about, in the API's own path notation
    /// (`contacts[0].email`).
    init(decoding error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            self = .badField(Self.path(context.codingPath + [key]), "is required")
        case .valueNotFound(_, let context):
            self = .badField(Self.path(context.codingPath), "must not be null")
        case .typeMismatch(let type, let context):
            self = .badField(Self.path(context.codingPath), "must be \(Self.describe(type))")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self = .malformed("the body is not valid JSON")
        case .dataCorrupted(let context):
            let message = context.debugDescription.hasPrefix("Cannot initialize") ? "is not one of the allowed values" : context.debugDescription
            self = .badField(Self.path(context.codingPath), message)
        @unknown default:
            self = .malformed("the body could not be read")
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return path.isEmpty ? "body" : path
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: type == [String: Any].self ? "an object" : "of type \(type)"
        }
    }
}

extension Request {
    /// A query parameter that, when present, must be one of an enum's values.
    func queryEnum<T: RawRepresentable>(_ name: String, as type: T.Type) throws -> T? where T.RawValue == String {
        guard let raw = uri.queryParameters.get(name) else { return nil }
        guard let value = T(rawValue: raw) else { throw RequestInputError.badField(name, "'\(raw)' is not one of the allowed values") }
        return value
    }

    /// The page the caller asks for through `limit` and `cursor`.
    func pageRequest() throws -> PageRequest {
        do {
            return try PageRequest.parse(limit: uri.queryParameters.get("limit"), cursor: uri.queryParameters.get("cursor"))
        } catch DomainError.invalid(let errors) {
            throw RequestInputError(status: .badRequest, slug: "malformed-request", detail: "invalid query parameters", errors: errors)
        }
    }
}

extension Request {
    /// A `true`/`false` query parameter, when present.
    func queryBool(_ name: String) throws -> Bool? {
        guard let raw = uri.queryParameters.get(name) else { return nil }
        switch raw {
        case "true": return true
        case "false": return false
        default: throw RequestInputError.badField(name, "must be true or false")
        }
    }

    /// A day query parameter (`2027-01-31`), when present.
    func queryDay(_ name: String) throws -> Day? {
        guard let raw = uri.queryParameters.get(name) else { return nil }
        guard let day = Day(raw) else { throw RequestInputError.badField(name, "must be a date such as 2027-01-31") }
        return day
    }

    /// A time query parameter: an RFC 3339 time, or a date meaning its start (UTC).
    func queryTime(_ name: String) throws -> Date? {
        guard let raw = uri.queryParameters.get(name) else { return nil }
        if let day = Day(raw) { return day.start(in: .gmt) }
        guard let date = RFC3339.date(from: raw) else {
            throw RequestInputError.badField(name, "must be a date (2027-01-31) or an RFC 3339 time")
        }
        return date
    }
}

/// The body of an action that takes no fields (`confirm`, `approve`, `answer`): `{}` or nothing;
/// any field is refused like every unknown field.
struct EmptyBody: Decodable {}
