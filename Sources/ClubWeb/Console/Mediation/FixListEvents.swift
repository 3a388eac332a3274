import ClubStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

extension ConsoleController {
    /// `refresh` once a committed change touches the list (its items or links), then the stream
    /// ends and the browser reconnects after `retry`, fetching the list again as it does; a
    /// comment on every heartbeat meanwhile. One event per connection keeps a page that missed
    /// nothing from holding a subscription to every change of the club. The retry is short (half
    /// a second): a change made while the page reconnects still reaches every viewer within about
    /// a second (docs/design.md §9.6). Past a limit of `streams` (per person, per address, in
    /// total), 429 or 503 instead, and the page says live updates stopped.
    func fixListEvents(_ listId: String, claim: StreamClaim, logger: Logger) -> Response {
        let database = database
        let heartbeat = heartbeat
        return EventStreamAnswer.admitted(by: streams, claim) { writer in
            let stream = database.changes.subscribe(buffer: 64)
            let (signals, continuation) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .bufferingNewest(4))
            do {
                try await writer.write(ByteBuffer(string: "retry: 500\n: connected\n\n"))
                try await withGracefulShutdownHandler {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await change in stream where try await database.fixListId(touchedBy: change) == listId {
                                continuation.yield(true)
                                break
                            }
                            continuation.finish()
                        }
                        group.addTask {
                            while !Task.isCancelled {
                                try await Task.sleep(for: heartbeat)
                                continuation.yield(false)
                            }
                        }
                        for await changed in signals {
                            try await writer.write(ByteBuffer(string: changed ? "event: refresh\ndata: refresh\n\n" : ": heartbeat\n\n"))
                            if changed { break }
                        }
                        group.cancelAll()
                    }
                } onGracefulShutdown: {
                    continuation.finish()
                }
            } catch {
                logger.debug("fix list stream ended", metadata: ["reason": "\(error)"])
            }
            continuation.finish()
            try? await writer.finish(nil)
        }
    }
}
