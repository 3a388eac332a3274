import Foundation
import Hummingbird
import Logging

/// One log line per request, with its id (Hummingbird's `hb.request.id`), method, path, status
/// and duration. Capability tokens in share-page and invitation paths are redacted and query strings left out:
/// no secret reaches the logs.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ClubRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let path = Self.redacted(request.uri.path)
        do {
            let response = try await next(request, context)
            log(context, request, path, status: response.status.code, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(context, request, path, status: status, since: start)
            throw error
        }
    }

    private func log(_ context: Context, _ request: Request, _ path: String, status: Int, since start: ContinuousClock.Instant) {
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "path": "\(path)", "status": "\(status)",
                "ms": "\(Self.milliseconds(ContinuousClock.now - start))",
            ]
        )
    }

    /// `12.3`: the duration in milliseconds to a tenth, rounded as `%.1f` rounds it, but without
    /// `String(format:)`, which is slow on Linux and ran for every request (docs/performance.md).
    static func milliseconds(_ elapsed: Duration) -> String {
        let attosecondsPerTenth: Int64 = 100_000_000_000_000
        let tenths = elapsed.components.seconds * 10_000 + (elapsed.components.attoseconds + attosecondsPerTenth / 2) / attosecondsPerTenth
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `/share/shr_abc/events` → `/share/…/events`; `/invitations/inv_abc` → `/invitations/…`.
    static func redacted(_ path: String) -> String {
        guard path.hasPrefix("/share/") || path.hasPrefix("/invitations/") else { return path }
        var parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count > 2 { parts[2] = "…" }
        return parts.joined(separator: "/")
    }
}
