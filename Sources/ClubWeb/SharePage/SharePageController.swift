import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mustache
import NIOCore
import ServiceLifecycle

/// `GET /share/{token}`: the client's read-only page of one fix list, and
/// `GET /share/{token}/events`: its live updates as Server-Sent Events. An unknown link answers
/// 404 and a revoked or expired one 410, each with a page that reveals nothing else.
struct SharePageController<Context: RequestContext> {
    let database: AppDatabase
    let updates: ShareUpdates
    let library: MustacheLibrary

    func addRoutes(to router: Router<Context>) {
        router.get("/share/:token") { _, context in
            let nonce = Self.nonce()
            switch try await database.sharedFixList(token: context.parameters.require("token")) {
            case .available(let record, let link, let shareContext):
                let view = SharePageView(record: record, context: shareContext, link: link, nonce: nonce, now: database.clock.now())
                return html(library.render(view, withTemplate: "page") ?? "", status: .ok, nonce: nonce)
            case .gone:
                return notice(
                    .gone,
                    title: "This link no longer works",
                    message: "It has expired or was withdrawn. Ask the club for a new one.",
                    nonce: nonce
                )
            case .unknown:
                return notice(.notFound, title: "Page not found", message: "Check the link you were sent.", nonce: nonce)
            }
        }
        router.get("/share/:token/events") { _, context in
            switch try await database.sharedFixList(token: context.parameters.require("token")) {
            case .unknown: throw HTTPError(.notFound, message: "no live updates for this link")
            case .gone: throw HTTPError(.gone, message: "this link has expired or was revoked")
            case .available(let record, let link, let shareContext):
                return eventStream(listId: record.list.id, linkId: link.id, shareContext: shareContext, logger: context.logger)
            }
        }
    }

    /// One stream per open page: an `update` event with the re-rendered list on every change, a
    /// comment on every heartbeat, and `gone` when the link stops working. The stream ends when
    /// the page goes away, the link dies, or the daemon shuts down.
    private func eventStream(listId: String, linkId: String, shareContext: ShareContext, logger: Logger) -> Response {
        let database = database
        let updates = updates
        let library = library
        let body = ResponseBody { writer in
            let subscription = await updates.subscribe(to: listId)
            do {
                try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
                // A shutting-down server waits for requests in flight: end this one when it asks.
                try await withGracefulShutdownHandler {
                    for await signal in subscription.signals {
                        guard case .available(let record, let link, _) = try await database.sharedFixList(linkId: linkId) else {
                            try await writer.write(ByteBuffer(string: "event: gone\ndata: gone\n\n"))
                            break
                        }
                        switch signal {
                        case .heartbeat:
                            try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                        case .changed:
                            let view = SharePageView(record: record, context: shareContext, link: link, nonce: "", now: database.clock.now())
                            let fragment = library.render(view, withTemplate: "list") ?? ""
                            try await writer.write(ByteBuffer(string: Self.event("update", data: fragment)))
                        }
                    }
                } onGracefulShutdown: {
                    subscription.continuation.finish()
                }
            } catch {
                logger.debug("share page stream ended", metadata: ["reason": "\(error)"])
            }
            await updates.unsubscribe(subscription.id, from: listId)
            try? await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", .accelBuffering: "no"],
            body: body
        )
    }

    /// An SSE event: every line of the data gets its own `data:` prefix.
    static func event(_ name: String, data: String) -> String {
        "event: \(name)\n" + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)" }.joined(separator: "\n") + "\n\n"
    }

    private func notice(_ status: HTTPResponse.Status, title: String, message: String, nonce: String) -> Response {
        html(
            library.render(ShareNoticeView(nonce: nonce, title: title, message: message), withTemplate: "notice") ?? "",
            status: status,
            nonce: nonce
        )
    }

    /// HTML with a strict policy: nothing loads from elsewhere, only this response's own inline
    /// style and script run, and the capability URL never leaks through a referrer.
    private func html(_ text: String, status: HTTPResponse.Status, nonce: String) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-store",
                .contentSecurityPolicy: [
                    "default-src 'none'", "style-src 'nonce-\(nonce)'", "script-src 'nonce-\(nonce)'", "connect-src 'self'",
                    "img-src 'self' data:", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
                ].joined(separator: "; "),
                .referrerPolicy: "no-referrer",
                .contentTypeOptions: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    static func nonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }
}
