import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird

/// Turns a `FileDelivery` into a Hummingbird answer whose body streams from disk (docs/design.md §11.3).
///
/// Every decision (status, headers, which bytes) is the delivery's; this only reads the request's conditional
/// headers, copies the headers over and streams the bytes with Hummingbird's `FileIO`, never holding the content
/// whole. The console's adapter is the same few lines.
enum FileResponse {
    /// The content of `file`, as the request's `If-None-Match`, `Range` and `If-Range` ask for it.
    static func content(
        of file: EvidenceFile,
        in vault: FileVault,
        for request: Request,
        context: some RequestContext,
        fileIO: FileIO = FileIO()
    ) async throws -> Response {
        let conditions = Conditions(request.headers)
        let delivery = FileDelivery(file: file, ifNoneMatch: conditions.ifNoneMatch, range: conditions.range, ifRange: conditions.ifRange)
        return try await response(delivery, streaming: vault.contentPath(file.sha256), context: context, fileIO: fileIO)
    }

    /// The thumbnail at `path` (as `Thumbnailer` returned it) of the content `sha256`.
    static func thumbnail(
        at path: String,
        sha256: String,
        for request: Request,
        context: some RequestContext,
        fileIO: FileIO = FileIO()
    ) async throws -> Response {
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
        return try await response(delivery, streaming: path, context: context, fileIO: fileIO)
    }

    /// The delivery's answer, with `delivery.bytes` of the file at `path` as its body.
    static func response(
        _ delivery: FileDelivery,
        streaming path: String,
        context: some RequestContext,
        fileIO: FileIO = FileIO()
    ) async throws -> Response {
        var headers = HTTPFields()
        for header in delivery.headers {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        let status = HTTPResponse.Status(code: delivery.status.rawValue)
        guard let bytes = delivery.bytes else {
            var response = Response(status: status, headers: headers, body: ResponseBody())
            // RFC 9110 §8.6: a 304 may only state the length the 200 would have had, so it states none.
            if delivery.status == .notModified { response.headers[.contentLength] = nil }
            return response
        }
        let body = try await fileIO.loadFile(path: path, range: bytes, context: context)
        return Response(status: status, headers: headers, body: body)
    }

    /// The request headers a delivery depends on; repeated lines are joined, as lists are (RFC 9110 §5.3), so that
    /// two `Range` lines read as two ranges (the whole is served) and two `If-Range` lines match nothing.
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
