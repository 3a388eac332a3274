import ClubStore
import Foundation
import ServiceLifecycle

/// Tells open share pages that their list changed. Pages subscribe by list; `ShareUpdatesService`
/// feeds it from the store's change feed, so a change made by any door or service reaches them.
public actor ShareUpdates {
    public enum Signal: Sendable {
        case changed
        /// Nothing happened; a chance to notice a closed connection or an expired link.
        case heartbeat
    }

    private var subscribers: [String: [UUID: AsyncStream<Signal>.Continuation]] = [:]

    public init() {}

    /// A page's subscription; finishing `continuation` ends its stream (the daemon shutting down).
    public func subscribe(
        to listId: String
    ) -> (id: UUID, signals: AsyncStream<Signal>, continuation: AsyncStream<Signal>.Continuation) {
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

    /// The number of pages watching `listId`.
    public func watchers(of listId: String) -> Int {
        subscribers[listId]?.count ?? 0
    }

    /// Whether any page watches any list: while none does, a change needs no lookup of its list.
    public var isWatched: Bool { !subscribers.isEmpty }

    func publish(_ listId: String) {
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

/// Listens to the store's change feed and wakes the pages of every fix list a committed change
/// touched; sends heartbeats to open pages; ends their streams when the daemon stops.
public struct ShareUpdatesService: Service {
    let database: AppDatabase
    let updates: ShareUpdates
    let heartbeatInterval: Duration

    public init(database: AppDatabase, updates: ShareUpdates, heartbeatInterval: Duration = .seconds(15)) {
        self.database = database
        self.updates = updates
        self.heartbeatInterval = heartbeatInterval
    }

    public func run() async throws {
        // Subscribe before anything else so that no change committed after start is missed.
        let changes = database.changes.subscribe()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await forward(changes) }
                group.addTask { await beat() }
            }
        }
        await updates.finishAll()
    }

    private func forward(_ changes: AsyncStream<Change>) async {
        for await change in changes {
            // Most changes happen with no share page open; each lookup would be a read for nobody.
            guard await updates.isWatched, let listId = try? await database.fixListId(touchedBy: change) else { continue }
            await updates.publish(listId)
        }
    }

    private func beat() async {
        while !Task.isCancelled {
            guard (try? await Task.sleep(for: heartbeatInterval)) != nil else { return }
            await updates.heartbeat()
        }
    }
}
