import ClubCore
import GRDB
import Synchronization

/// One committed change as the journal recorded it.
public struct Change: Sendable, Equatable {
    public let seq: Int64
    public let entityType: String
    public let entityId: String
    public let action: String

    public init(seq: Int64, entityType: String, entityId: String, action: String) {
        self.seq = seq
        self.entityType = entityType
        self.entityId = entityId
        self.action = action
    }
}

/// The in-process feed of committed changes (DESIGN §5). The store announces every journal
/// event once its transaction has committed, and never one that rolled back; live pages and
/// later consumers subscribe here, so no route handler has to remember to publish anything.
public final class ChangeFeed: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<Change>.Continuation]>([:])
    private let nextId = Atomic<Int>(0)

    public init() {}

    /// A stream of every change committed from now on. It ends when the subscriber stops
    /// iterating (or is cancelled); a slow subscriber loses the oldest changes beyond `buffer`.
    public func subscribe(buffer: Int = 256) -> AsyncStream<Change> {
        let id = nextId.wrappingAdd(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(of: Change.self, bufferingPolicy: .bufferingNewest(buffer))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    /// The number of open subscriptions (for tests and metrics).
    public var subscriberCount: Int { subscribers.withLock { $0.count } }

    func publish(_ changes: [Change]) {
        guard !changes.isEmpty else { return }
        let continuations = subscribers.withLock { Array($0.values) }
        for continuation in continuations {
            for change in changes { continuation.yield(change) }
        }
    }
}

/// Watches inserts into the journal and hands them to the feed when their transaction commits.
/// GRDB calls it on the writer's queue only, one transaction at a time, hence unchecked.
final class JournalObserver: TransactionObserver, @unchecked Sendable {
    private let feed: ChangeFeed
    private var pending: [Int64] = []

    init(feed: ChangeFeed) {
        self.feed = feed
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { return table == "journal" }
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) {
        pending.append(event.rowID)
    }

    func databaseDidCommit(_ db: Database) {
        defer { pending = [] }
        guard let first = pending.min(), let last = pending.max() else { return }
        // The rows were written by this very transaction, so reading them back cannot fail
        // short of a broken disk; a change that cannot be read is not announced.
        let changes =
            (try? Row.fetchAll(
                db.cachedStatement(sql: "SELECT seq, entityType, entityId, action FROM journal WHERE seq BETWEEN ? AND ? ORDER BY seq"),
                arguments: [first, last]
            ))?.map { Change(seq: $0["seq"], entityType: $0["entityType"], entityId: $0["entityId"], action: $0["action"]) }
        feed.publish(changes ?? [])
    }

    func databaseDidRollback(_ db: Database) {
        pending = []
    }
}
