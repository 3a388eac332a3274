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
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date))
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be an RFC 3339 time such as 2027-01-10T09:00:00Z")
            }
            return date
        }
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
