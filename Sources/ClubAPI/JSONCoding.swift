import ClubCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The API's JSON: camelCase keys as declared, RFC 3339 UTC times. Keys are not sorted: sorting
/// every object of every answer cost measurable time in `Scripts/bench` and clients do not care.
enum JSONCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .rfc3339
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .rfc3339
        return decoder
    }()

    /// A JSON answer with the given status, plus `ETag` for versioned objects. Only for answers
    /// that are not a party's object (tokens, `/v1/me`, health, journal, reports): a party's
    /// object goes through `response(_:shape:for:)`.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, etag: Int? = nil) throws -> Response {
        answer(try encoder.encode(value), status: status, etag: etag)
    }

    /// A party's object answered as `shape` (its schema's name in `docs/openapi.yaml` and in
    /// `FieldVisibility.table`), without the fields `principal` may not read (DESIGN §2). A
    /// coordinator reads all of it and is told in `fieldVisibility` what the parties do not see.
    static func response(
        _ value: some Encodable,
        shape: String,
        for principal: Principal,
        status: HTTPResponse.Status = .ok,
        etag: Int? = nil
    ) throws -> Response {
        try response(tree: try ObjectTreeEncoder().encode(value), shape: shape, for: principal, status: status, etag: etag)
    }

    /// An object already in tree form (written by hand where `Encodable` cost too much), answered
    /// as `shape` for `principal`.
    static func response(
        tree: JSONTree,
        shape: String,
        for principal: Principal,
        status: HTTPResponse.Status = .ok,
        etag: Int? = nil
    ) throws -> Response {
        answer(try JSONTreeWriter().data(Redactor(role: principal.role).redact(tree, as: shape)), status: status, etag: etag)
    }

    static func response<Value: Encodable & Versioned>(
        _ value: Value,
        shape: String,
        for principal: Principal,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        try response(value, shape: shape, for: principal, status: status, etag: value.version)
    }

    /// A page (`{"items": [...], "nextCursor": …}`) or an unpaged `ItemList` of party objects,
    /// each item answered as `shape` for `principal`.
    static func listResponse(
        _ value: some Encodable,
        itemShape shape: String,
        for principal: Principal,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        guard case .object(var members) = try ObjectTreeEncoder().encode(value),
            let index = members.firstIndex(where: { $0.key == "items" })
        else {
            throw HTTPError(.internalServerError, message: "a list answer without items")
        }
        members[index].value = Redactor(role: principal.role).redact(members[index].value, as: shape)
        return answer(try JSONTreeWriter().data(.object(members)), status: status, etag: nil)
    }

    /// The same for items already written as trees (fix lists, as `FixListAnswer` writes them).
    static func listResponse(trees: [JSONTree], itemShape shape: String, for principal: Principal) throws -> Response {
        let items = Redactor(role: principal.role).redact(.array(trees), as: shape)
        return answer(try JSONTreeWriter().data(.object([(key: "items", value: items)])), status: .ok, etag: nil)
    }

    static func response<Value: Encodable & Versioned>(_ value: Value, status: HTTPResponse.Status = .ok) throws -> Response {
        try response(value, status: status, etag: value.version)
    }

    /// An answer that carries a secret shown only once: never cached, never replayed.
    static func secretResponse(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        var response = try response(value, status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// A page of journal events answered to `principal`. A coordinator reads the images whole
    /// (they are what the hashes cover); a party reads each event's `before` and `after` as the
    /// shape `shapes` names for its `entityType`, and nothing of an image of another type.
    static func journalResponse(_ page: some Encodable, shapes: [String: String], for principal: Principal) throws -> Response {
        guard principal.role != .coordinator else { return try response(page) }
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(page))
        guard var list = object as? [String: Any], let items = list["items"] as? [[String: Any]] else {
            throw HTTPError(.internalServerError, message: "a list answer without items")
        }
        let redactor = Redactor(role: principal.role)
        list["items"] = items.map { event in
            var event = event
            let shape = (event["entityType"] as? String).flatMap { shapes[$0] }
            for key in ["before", "after"] {
                guard let image = event[key], !(image is NSNull) else { continue }
                if let shape, image is [String: Any] { event[key] = redactor.redact(image, as: shape) } else { event[key] = NSNull() }
            }
            return event
        }
        return answer(try serialize(list), status: .ok, etag: nil)
    }

    /// A party's object that carries a secret shown only once (a share link), answered as
    /// `shape` for `principal`: never cached, never replayed.
    static func secretResponse(
        _ value: some Encodable,
        shape: String,
        for principal: Principal,
        status: HTTPResponse.Status
    ) throws -> Response {
        var response = try response(value, shape: shape, for: principal, status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private static func serialize(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes, .fragmentsAllowed])
    }

    private static func answer(_ body: Data, status: HTTPResponse.Status, etag: Int?) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let etag { headers[.eTag] = ETag.format(etag) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// A short, unpaged collection answered as `{"items": [...]}`, like a page without a cursor.
struct ItemList<Item: Encodable>: Encodable {
    let items: [Item]
}
