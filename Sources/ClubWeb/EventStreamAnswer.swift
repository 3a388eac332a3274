import ClubStore
import HTTPTypes
import Hummingbird
import NIOCore

/// The answer to a request for live updates: a Server-Sent Events stream holding one slot of the
/// gate for as long as it is open, or the gate's refusal (docs/design.md §6.1).
enum EventStreamAnswer {
    /// `write` runs as the stream's body, with its slot given back when it returns or throws; a
    /// body that never runs gives it back when the response is dropped (`StreamTicket`'s deinit).
    static func admitted(
        by gate: StreamGate,
        _ claim: StreamClaim,
        _ write: @Sendable @escaping (inout any ResponseBodyWriter) async throws -> Void
    ) -> Response {
        let ticket: StreamTicket
        switch gate.admit(claim) {
        case .success(let admitted): ticket = admitted
        case .failure(let refusal): return refused(refusal)
        }
        let body = ResponseBody { writer in
            defer { ticket.release() }
            try await write(&writer)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", .accelBuffering: "no"],
            body: body
        )
    }

    /// 429 for a caller's own limit, 503 for the daemon's total, with `Retry-After` and a line
    /// naming the limit. A browser's EventSource stops on either; the page's script says so.
    static func refused(_ refusal: StreamRefusal) -> Response {
        Response(
            status: refusal.isOverloaded ? .serviceUnavailable : .tooManyRequests,
            headers: [
                .contentType: "text/plain; charset=utf-8",
                .retryAfter: String(refusal.retryAfterSeconds),
                .cacheControl: "no-store",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: refusal.message + "\n"))
        )
    }
}
