import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix
import Synchronization

/// Evidence files (docs/design.md §11): uploaded raw to the object they belong to, listed with it, served to whoever
/// may read it, removed by their uploader or a coordinator.
///
/// These routes live outside `IdempotencyMiddleware`, which collects a POST's body whole: an upload is streamed to
/// disk, and its `Idempotency-Key` is honoured here, keyed by what was uploaded rather than by the raw body.
struct FilesController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        for kind in FileOwnerKind.allCases {
            group.post("\(kind.collection)/:id/files") { request, context in
                try await upload(request, context, to: kind, context.parameters.require("id"))
            }
            group.get("\(kind.collection)/:id/files") { _, context in
                let files = try await database.files(on: kind, context.parameters.require("id"), for: context.caller())
                return try JSONCoding.listResponse(ItemList(items: files), itemShape: "EvidenceFile", for: context.caller())
            }
        }
        group.get("files/:id") { request, context in
            let file = try await database.file(context.parameters.require("id"), for: context.caller())
            return try await FileResponse.content(of: file, in: database.vault, for: request, context: context)
        }
        group.get("files/:id/thumbnail") { request, context in
            let file = try await database.file(context.parameters.require("id"), for: context.caller())
            guard let path = await Thumbnailer().thumbnail(of: file, in: database.vault) else {
                throw DomainError.notFound(entity: "thumbnail of file", id: file.id)
            }
            return try await FileResponse.thumbnail(at: path, sha256: file.sha256, for: request, context: context)
        }
        group.delete("files/:id") { _, context in
            try await database.removeFile(context.parameters.require("id"), by: context.caller())
            return Response(status: .noContent)
        }
    }

    /// Checks everything that does not need the body first (rights, the object being open, its limits, the name), then
    /// streams the body to disk through the sniffer, then records it.
    private func upload(_ request: Request, _ context: Context, to kind: FileOwnerKind, _ id: String) async throws -> Response {
        let principal = try context.caller()
        let sniffer = try await database.fileSniffer(for: kind, id, by: principal)
        let query = request.uri.queryParameters
        guard let name = query["name"].map(String.init) else {
            throw RequestInputError.badField("name", "is required: the file's name, shown to people (?name=…)")
        }
        _ = try FileDisplayName(name)
        let caption = query["caption"].map(String.init)
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > sniffer.maxBytes {
            throw database.rules.files.refusalForBody(over: sniffer.maxBytes)
        }
        let staged = try await UploadStream(idleTimeout: context.bodyTimeout).receive(request.body, into: database.vault, sniffer: sniffer)
        do {
            try FileSniffer.checkClaim(name: name, contentType: request.headers[.contentType], sniffed: staged.content.type)
        } catch {
            database.vault.discard(staged)
            throw error
        }
        let once = request.headers[.idempotencyKey].map { key in
            let upload = [staged.sha256, name, caption ?? ""].joined(separator: "\n")
            return IdempotentRequest(tokenId: principal.tokenId, key: key, method: "POST", path: request.uri.path, body: Data(upload.utf8))
        }
        if let once, let stored = try await database.storedResponse(for: once) {
            database.vault.discard(staged)
            return Response(
                status: .init(code: stored.status),
                headers: [.contentType: "application/json", .idempotentReplayed: "true"],
                body: .init(byteBuffer: ByteBuffer(bytes: stored.body))
            )
        }
        let file = try await database.attachFile(staged, to: kind, id, name: name, caption: caption, by: principal)
        var response = try JSONCoding.response(file, shape: "EvidenceFile", for: principal, status: .created)
        response.headers[.location] = "/v1/files/\(file.id)"
        if let once {
            let collector = BodyCollector()
            try await response.body.write(collector)
            let body = collector.box.data
            try await database.storeResponse(StoredResponse(status: 201, headers: [:], body: body), for: once)
            response.body = .init(byteBuffer: ByteBuffer(bytes: body))
        }
        return response
    }
}

/// Streams an upload's body to the vault, refusing it as soon as the sniffer can, and with 408 when the body stops
/// coming for `idleTimeout`: a large file may take minutes, but not minutes of silence.
struct UploadStream {
    let idleTimeout: Duration

    func receive(_ body: RequestBody, into vault: FileVault, sniffer: FileSniffer) async throws -> StagedFile {
        let upload = try vault.beginUpload(sniffer: sniffer)
        do {
            let lastProgress = LastProgress()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await buffer in body {
                        try buffer.withUnsafeReadableBytes { try upload.write($0) }
                        lastProgress.touch()
                    }
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: .milliseconds(500))
                        if lastProgress.silence > idleTimeout {
                            throw RequestInputError(
                                status: .requestTimeout,
                                slug: "request-timeout",
                                detail: "the upload stopped arriving for \(idleTimeout)"
                            )
                        }
                    }
                }
                defer { group.cancelAll() }
                try await group.next()
            }
            // Syncing the file to disk blocks; it is done off the cooperative threads.
            return try await NIOThreadPool.singleton.runIfActive { try upload.finish() }
        } catch {
            upload.abandon()
            throw error
        }
    }
}

/// When an upload's body last brought bytes, shared by its reader and its watchdog.
private final class LastProgress: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    func touch() { instant.withLock { $0 = .now } }

    var silence: Duration { instant.withLock { $0 }.duration(to: .now) }
}
