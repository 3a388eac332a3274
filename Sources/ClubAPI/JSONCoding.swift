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

    /// A JSON answer with the given status, plus `ETag` for versioned objects.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, etag: Int? = nil) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let etag { headers[.eTag] = ETag.format(etag) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
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
}

/// A short, unpaged collection answered as `{"items": [...]}`, like a page without a cursor.
struct ItemList<Item: Encodable>: Encodable {
    let items: [Item]
}
