import Foundation
import ServiceLifecycle

/// Tells open share pages that their list changed. Handlers publish after each committed change
/// to a list; each page's event stream subscribes to its list.
public actor ShareUpdates {
    public enum Signal: Sendable {
        case changed
        /// Nothing happened; a chance to notice a closed connection or an expired link.
        case heartbeat
    }

    private var subscribers: [String: [UUID: AsyncStream<Signal>.Continuation]] = [:]

    public init() {}

    /// A page's subscription; finishing `continuation` ends its stream (the daemon shutting down).
    public func subscribe(to listId: String) -> (id: UUID, signals: AsyncStream<Signal>, continuation: AsyncStream<Signal>.Continuation) {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: Signal.self, bufferingPolicy: .bufferingNewest(8))
        subscribers[listId, default: [:]][id] = continuation
        return (id, stream, continuation)
    }

    public func unsubscribe(_ id: UUID, from listId: String) {
        subscribers[listId]?[id]?.finish()
        subscribers[listId]?[id] = nil
        if subscribers[listId]?.isEmpty == true { subscribers[listId] = nil }
    }

    public func publish(_ listId: String) {
        for continuation in subscribers[listId, default: [:]].values { continuation.yield(.changed) }
    }

    func heartbeat() {
        for continuation in subscribers.values.flatMap(\.values) { continuation.yield(.heartbeat) }
    }

    func finishAll() {
        for continuation in subscribers.values.flatMap(\.values) { continuation.finish() }
        subscribers = [:]
    }
}

/// Sends heartbeats to open pages and ends their streams when the daemon stops.
struct ShareUpdatesService: Service {
    let updates: ShareUpdates
    let interval: Duration

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    try await Task.sleep(for: interval)
                    await updates.heartbeat()
                }
            }
        } catch is CancellationError {}
        await updates.finishAll()
    }
}
