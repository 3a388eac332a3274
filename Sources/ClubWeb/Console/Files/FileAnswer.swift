import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird

/// The pages' adapter from a `FileDelivery` to a Hummingbird answer (docs/design.md §11.3), for the console and the
/// share page alike: the delivery decides status, headers and bytes; this copies them over and streams the bytes from
/// disk with `FileIO`. The API has the same few lines (`FileResponse`): the two doors do not import each other.
enum FileAnswer {
    static func content(of file: EvidenceFile, in vault: FileVault, for request: Request, context: some RequestContext) async throws -> Response {
        let conditions = Conditions(request.headers)
        let delivery = FileDelivery(file: file, ifNoneMatch: conditions.ifNoneMatch, range: conditions.range, ifRange: conditions.ifRange)
        return try await response(delivery, streaming: vault.contentPath(file.sha256), context: context)
    }

    /// The thumbnail at `path` of the content `sha256`.
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

    private static func response(_ delivery: FileDelivery, streaming path: String, context: some RequestContext) async throws -> Response {
        var headers = HTTPFields()
        for header in delivery.headers {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        // Neither a console address nor a share link (a capability) may leak from an image through its referrer.
        headers[.referrerPolicy] = "no-referrer"
        let status = HTTPResponse.Status(code: delivery.status.rawValue)
        guard let bytes = delivery.bytes else {
            var response = Response(status: status, headers: headers, body: ResponseBody())
            // RFC 9110 §8.6: a 304 states no length.
            if delivery.status == .notModified { response.headers[.contentLength] = nil }
            return response
        }
        let body = try await FileIO().loadFile(path: path, range: bytes, context: context)
        return Response(status: status, headers: headers, body: body)
    }

    /// The request headers a delivery depends on; repeated lines joined, as lists are (RFC 9110 §5.3).
    private struct Conditions {
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
