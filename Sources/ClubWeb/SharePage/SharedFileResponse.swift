import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird

/// A `FileDelivery` as a Hummingbird answer for the share page's images (docs/design.md §11.3, §11.5): the delivery
/// decides status and headers, this copies them and streams the chosen bytes from disk with `FileIO`.
enum SharedFileResponse {
    /// The whole image, or the part a `Range` asks for.
    static func content(of file: EvidenceFile, in vault: FileVault, for request: Request, context: some RequestContext) async throws -> Response {
        let conditions = Conditions(request.headers)
        let delivery = FileDelivery(file: file, ifNoneMatch: conditions.ifNoneMatch, range: conditions.range, ifRange: conditions.ifRange)
        return try await response(delivery, streaming: vault.contentPath(file.sha256), context: context)
    }

    /// The thumbnail at `path`, as `Thumbnailer` made it, of the content `sha256`.
    static func thumbnail(at path: String, sha256: String, for request: Request, context: some RequestContext) async throws -> Response {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = (attributes?[.size] as? NSNumber)?.intValue else { throw HTTPError(.notFound) }
        let conditions = Conditions(request.headers)
        let delivery = FileDelivery.thumbnail(
            sha256: sha256,
            size: size,
            ifNoneMatch: conditions.ifNoneMatch,
            range: conditions.range,
            ifRange: conditions.ifRange
        )
        return try await response(delivery, streaming: path, context: context)
    }

    static func response(_ delivery: FileDelivery, streaming path: String, context: some RequestContext) async throws -> Response {
        var headers = HTTPFields()
        for header in delivery.headers {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        // The page's link is a capability: the image must not leak it either.
        headers[.referrerPolicy] = "no-referrer"
        let status = HTTPResponse.Status(code: delivery.status.rawValue)
        guard let bytes = delivery.bytes else { return Response(status: status, headers: headers, body: ResponseBody()) }
        return Response(status: status, headers: headers, body: try await FileIO().loadFile(path: path, range: bytes, context: context))
    }

    /// The request headers a delivery depends on, repeated lines joined as lists are (RFC 9110 §5.3).
    struct Conditions {
        let ifNoneMatch: String?
        let range: String?
        let ifRange: String?

        init(_ headers: HTTPFields) {
            func joined(_ name: HTTPField.Name) -> String? {
                let values = headers[values: name]
                return values.isEmpty ? nil : values.joined(separator: ", ")
            }
            ifNoneMatch = joined(.ifNoneMatch)
            range = joined(.range)
            ifRange = joined(.ifRange)
        }
    }
}
