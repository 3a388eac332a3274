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
/// 404 and a revoked or expired one 410, each with a page that reveals nothing else. Pages speak
/// the language `PageLanguage` chooses and show times in the club's `timeZone`.
/// `GET /share/{token}/files/{id}` and `…/thumbnail`: an image on one of the list's items, whole or as a thumbnail;
/// 404 for anything else, a dead link included (docs/design.md §11.5).
struct SharePageController<Context: RequestContext> {
    let database: AppDatabase
    let updates: ShareUpdates
    /// Bounds the live streams per link, per address and in total (docs/design.md §6.1).
    let streams: StreamGate
    let library: MustacheLibrary
    let catalogs: Catalogs
    let timeZone: TimeZone
    let peerAddress: @Sendable (Request, Context) -> String?

    func addRoutes(to router: Router<Context>) {
        router.get("/share/:token") { request, context in
            let nonce = Self.nonce()
            let language = PageLanguage(request: request, catalogs: catalogs)
            let token = try context.parameters.require("token")
            var response: Response
            switch try await database.sharedFixList(token: token) {
            case .available(let record, let link, let shareContext):
                let view = SharePageView(
                    record: record,
                    context: shareContext,
                    link: link,
                    token: token,
                    images: try await database.sharedImages(ofList: record.list.id),
                    language: language,
                    timeZone: timeZone,
                    nonce: nonce,
                    now: database.clock.now()
                )
                response = html(library.render(view, withTemplate: "page") ?? "", status: .ok, nonce: nonce, language: language.code)
            case .gone:
                response = notice(.gone, language: language, titleKey: "share.gone.title", messageKey: "share.gone.message", nonce: nonce)
            case .unknown:
                response = notice(.notFound, language: language, titleKey: "share.unknown.title", messageKey: "share.unknown.message", nonce: nonce)
            }
            if let cookie = language.cookie { response.setCookie(cookie) }
            return response
        }
        router.get("/share/:token/files/:file") { request, context in
            let file = try await sharedImage(context)
            return try await FileAnswer.content(of: file, in: database.vault, for: request, context: context)
        }
        router.get("/share/:token/files/:file/thumbnail") { request, context in
            let file = try await sharedImage(context)
            guard let path = await Thumbnailer().thumbnail(of: file, in: database.vault) else {
                // As in the console: without a thumbnail (no vips, or an image it could not read) the image stands in;
                // it was sniffed and bounded on upload, and the page reserves its box.
                return try await FileAnswer.content(of: file, in: database.vault, for: request, context: context)
            }
            return try await FileAnswer.thumbnail(at: path, sha256: file.sha256, for: request, context: context)
        }
        router.get("/share/:token/events") { request, context in
            let token = try context.parameters.require("token")
            switch try await database.sharedFixList(token: token) {
            case .unknown: throw HTTPError(.notFound, message: "no live updates for this link")
            case .gone: throw HTTPError(.gone, message: "this link has expired or was revoked")
            case .available(let record, let link, let shareContext):
                return eventStream(
                    claim: StreamClaim(link: link.id, address: peerAddress(request, context)),
                    listId: record.list.id,
                    linkId: link.id,
                    token: token,
                    shareContext: shareContext,
                    language: PageLanguage(request: request, catalogs: catalogs),
                    logger: context.logger
                )
            }
        }
    }

    /// One stream per open page: an `update` event with the re-rendered list on every change, a
    /// comment on every heartbeat, and `gone` when the link stops working. The stream ends when
    /// the page goes away, the link dies, or the daemon shuts down. Past a limit of `streams`, 429
    /// or 503 instead (the page then says that live updates stopped).
    private func eventStream(
        claim: StreamClaim,
        listId: String,
        linkId: String,
        token: String,
        shareContext: ShareContext,
        language: PageLanguage,
        logger: Logger
    ) -> Response {
        let database = database
        let updates = updates
        let library = library
        let timeZone = timeZone
        return EventStreamAnswer.admitted(by: streams, claim) { writer in
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
                            let view = SharePageView(
                                record: record,
                                context: shareContext,
                                link: link,
                                token: token,
                                images: try await database.sharedImages(ofList: listId),
                                language: language,
                                timeZone: timeZone,
                                nonce: "",
                                now: database.clock.now()
                            )
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
    }

    /// The image a share page's link names, or 404: an unknown or dead link, a file elsewhere, a file that is no image.
    private func sharedImage(_ context: Context) async throws -> EvidenceFile {
        let token = try context.parameters.require("token")
        let fileId = try context.parameters.require("file")
        guard let file = try await database.sharedImage(fileId, token: token) else { throw HTTPError(.notFound, message: "no such image") }
        return file
    }

    /// An SSE event: every line of the data gets its own `data:` prefix.
    static func event(_ name: String, data: String) -> String {
        "event: \(name)\n" + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)" }.joined(separator: "\n") + "\n\n"
    }

    private func notice(_ status: HTTPResponse.Status, language: PageLanguage, titleKey: String, messageKey: String, nonce: String) -> Response {
        html(
            library.render(ShareNoticeView(language: language, nonce: nonce, titleKey: titleKey, messageKey: messageKey), withTemplate: "notice")
                ?? "",
            status: status,
            nonce: nonce,
            language: language.code
        )
    }

    /// HTML with a strict policy: nothing loads from elsewhere, only this response's own inline
    /// style and script run, and the capability URL never leaks through a referrer.
    private func html(_ text: String, status: HTTPResponse.Status, nonce: String, language: String) -> Response {
        PageSecurity.html(text, status: status, nonce: nonce, language: language, formAction: "'none'")
    }

    static func nonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }
}
