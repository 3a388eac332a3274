import ClubCore
import Foundation
import GRDB
import Synchronization

/// Bearer tokens already looked up (docs/design.md §5), by the SHA-256 of their secret, so that a
/// request does not pay a database read for its token. A revocation through this process empties it
/// as it commits (`TokenCacheInvalidator`), before the revoking request is answered; an entry lives
/// at most `lifetime`, which bounds how long a revocation made by another process (`clubd token
/// revoke` beside a running daemon) takes to reach this one.
final class TokenCache: Sendable {
    static let lifetime: Duration = .seconds(1)
    /// Many more than a club's active tokens; past it the cache starts again empty.
    static let capacity = 10_000

    private struct Entry {
        let principal: Principal
        let until: ContinuousClock.Instant
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Moves on at every invalidation: a lookup that began before it must not fill the cache.
        var generation = 0
    }

    private let state = Mutex(State())

    /// The cached principal of this hash, if any and still fresh, and the generation to fill with.
    func lookup(_ hash: String, now: ContinuousClock.Instant = .now) -> (principal: Principal?, generation: Int) {
        state.withLock { state in
            guard let entry = state.entries[hash], entry.until > now else { return (nil, state.generation) }
            return (entry.principal, state.generation)
        }
    }

    /// Keeps what a lookup found, unless the cache was invalidated since the lookup began.
    func fill(_ hash: String, with principal: Principal, generation: Int, now: ContinuousClock.Instant = .now) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= Self.capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[hash] = Entry(principal: principal, until: now + Self.lifetime)
        }
    }

    func invalidate() {
        state.withLock { state in
            state.generation += 1
            state.entries.removeAll()
        }
    }
}

/// Empties the token cache when a transaction that changed `accessToken` commits, on the writer,
/// before the transaction's caller is answered.
final class TokenCacheInvalidator: TransactionObserver, @unchecked Sendable {
    private let cache: TokenCache
    // Touched only on the writer's queue, as GRDB calls observers there.
    private var changed = false

    init(cache: TokenCache) {
        self.cache = cache
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        switch eventKind {
        case .update(let table, _), .delete(let table): table == "accessToken"
        case .insert: false
        }
    }

    func databaseDidChange(with event: DatabaseEvent) {
        changed = true
    }

    func databaseDidCommit(_ db: Database) {
        if changed { cache.invalidate() }
        changed = false
    }

    func databaseDidRollback(_ db: Database) {
        changed = false
    }
}
