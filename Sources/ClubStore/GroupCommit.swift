import GRDB
import Synchronization

/// Group commit (docs/design.md §5): mutations wait here for the writer, which takes whatever is
/// waiting (up to `limit`) and runs each in its own savepoint inside one `BEGIN IMMEDIATE … COMMIT`.
/// One `fsync` then serves the whole group; a mutation that fails rolls back to its savepoint only
/// and gets its own error; every caller is answered only once the commit that holds its mutation
/// is durable. Mutations run one after another in the order they arrived, so the journal's chain
/// is in commit order. With nothing else waiting, a mutation is a transaction of its own, as before.
final class GroupCommit: Sendable {
    private let writer: any DatabaseWriter
    private let limit: Int
    private let state = Mutex(State())

    private struct State {
        var waiting: [Mutation] = []
        var draining = false
        var commits = 0
    }

    init(writer: any DatabaseWriter, limit: Int = 32) {
        self.writer = writer
        self.limit = limit
    }

    /// Transactions committed so far (each holding one or more mutations), and mutations waiting; for tests.
    var commits: Int { state.withLock { $0.commits } }
    var waiting: Int { state.withLock { $0.waiting.count } }

    /// Runs `body` in the next group, and returns its value once that group has committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let mutation = Mutation(
                apply: { db in
                    let value = try body(db)
                    return { continuation.resume(returning: value) }
                },
                fail: { continuation.resume(throwing: $0) }
            )
            let startsDraining = state.withLock { state in
                state.waiting.append(mutation)
                defer { state.draining = true }
                return !state.draining
            }
            // One drain at a time: what arrives while a group commits waits for the next group.
            if startsDraining { writer.asyncWriteWithoutTransaction { db in self.drain(db) } }
        }
    }

    /// Commits group after group on the writer's own queue while mutations wait. Staying there, and
    /// never awaiting between groups, keeps the writer from idling until a busy cooperative pool
    /// schedules the next group (the cost measured in docs/performance.md, fourth round). After
    /// `groupsPerTurn` groups the drain yields the writer's queue to whoever else waits for it
    /// (a backup, a migration) and carries on behind them.
    private func drain(_ db: Database) {
        for _ in 0..<Self.groupsPerTurn {
            guard let group = nextGroup() else { return }
            let outcome = commit(group, in: db)
            for answer in outcome.answers { answer() }
            if !outcome.retry.isEmpty { state.withLock { $0.waiting.insert(contentsOf: outcome.retry, at: 0) } }
        }
        writer.asyncWriteWithoutTransaction { db in self.drain(db) }
    }

    private static let groupsPerTurn = 16

    /// The next mutations to commit together, or nil (and no longer draining) when none wait.
    private func nextGroup() -> [Mutation]? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.draining = false
                return nil
            }
            let group = Array(state.waiting.prefix(limit))
            state.waiting.removeFirst(group.count)
            return group
        }
    }

    /// Commits `group`; returns each mutation's answer, to give once the commit is durable, and the
    /// mutations to run again because another's failure ended the whole transaction before them.
    private func commit(_ group: [Mutation], in db: Database) -> (answers: [@Sendable () -> Void], retry: [Mutation]) {
        defer { state.withLock { $0.commits += 1 } }
        var outcome = GroupResult()
        do {
            try db.inTransaction(.immediate) {
                outcome = Self.apply(group, in: db)
                return outcome.rollback ? .rollback : .commit
            }
        } catch {
            // BEGIN or COMMIT failed: nothing of the group is durable.
            return (group.map { mutation in { mutation.fail(error) } }, [])
        }
        return (outcome.answers, outcome.retry)
    }

    private static func apply(_ group: [Mutation], in db: Database) -> GroupResult {
        var outcome = GroupResult()
        // Alone in its transaction, a mutation needs no savepoint: its failure rolls the transaction back.
        let savepoints = group.count > 1
        for (index, mutation) in group.enumerated() {
            do {
                var answer: (@Sendable () -> Void)?
                if savepoints {
                    try db.inSavepoint {
                        answer = try mutation.apply(db)
                        return .commit
                    }
                } else {
                    answer = try mutation.apply(db)
                }
                if let answer { outcome.answers.append(answer) }
            } catch {
                outcome.answers.append { mutation.fail(error) }
                // Without a savepoint, or after an error that ends the whole transaction (a full disk, an
                // I/O error), the transaction is rolled back: what ran before is gone with it and runs again
                // in the next group, as does what follows.
                if !savepoints || !db.isInsideTransaction {
                    return GroupResult(answers: [{ mutation.fail(error) }], retry: Array(group[..<index] + group[(index + 1)...]), rollback: true)
                }
            }
        }
        return outcome
    }
}

/// One mutation waiting for its group: its work, which returns how to answer once committed, and how to fail.
private struct Mutation: Sendable {
    let apply: @Sendable (Database) throws -> @Sendable () -> Void
    let fail: @Sendable (any Error) -> Void
}

private struct GroupResult: Sendable {
    var answers: [@Sendable () -> Void] = []
    var retry: [Mutation] = []
    var rollback = false
}
