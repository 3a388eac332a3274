import ClubCore
import Foundation
import GRDB
import Testing

@testable import ClubStore

/// Group commit (docs/design.md §5): mutations that wait for the writer commit together, each in
/// its own savepoint; one that fails leaves its neighbours committed and itself absent.
@Suite("Group commit")
struct GroupCommitTests {
    /// Refuses the journal event of any change naming "Doomed": the row is inserted, then its event fails.
    static func doomJournalEvents(of database: AppDatabase) async throws {
        try await database.writer.writeWithoutTransaction { db in
            try db.execute(
                sql: """
                    CREATE TEMP TRIGGER refuse_doomed BEFORE INSERT ON journal WHEN NEW.after LIKE '%Doomed%'
                    BEGIN SELECT RAISE(ABORT, 'journal refused'); END
                    """
            )
        }
    }

    static func clientNames(_ database: AppDatabase) async throws -> [String] {
        try await database.writer.read { db in try String.fetchAll(db, sql: "SELECT name FROM client ORDER BY rowid") }
    }

    static func journaledNames(_ database: AppDatabase) async throws -> [String] {
        try await database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT json_extract(after, '$.name') FROM journal WHERE entityType = 'client' ORDER BY seq")
        }
    }

    /// Holds the writer with a first mutation until `mutations` more wait behind it, so that they make one group.
    static func group(
        on database: AppDatabase,
        _ mutations: [@Sendable () async throws -> Client]
    ) async throws -> [Result<Client, any Error>] {
        let entered = DispatchSemaphore(value: 0)
        let gate = DispatchSemaphore(value: 0)
        let holding = Task {
            try await database.transaction { _ in
                entered.signal()
                gate.wait()
            }
        }
        // Waited for on a thread of its own, not one of the cooperative pool's.
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                entered.wait()
                continuation.resume()
            }
        }
        var tasks: [Task<Client, any Error>] = []
        for mutation in mutations {
            let waitingBefore = database.groupCommit.waiting
            tasks.append(Task { try await mutation() })
            while database.groupCommit.waiting == waitingBefore { try await Task.sleep(for: .milliseconds(5)) }
        }
        gate.signal()
        try await holding.value
        var results: [Result<Client, any Error>] = []
        for task in tasks { results.append(await task.result) }
        return results
    }

    static func intact(_ database: AppDatabase) throws -> Bool {
        guard case .intact = try database.verifyJournal() else { return false }
        return true
    }

    @Test func aFailingMutationInAGroupLeavesItsNeighboursCommittedAndItselfAbsentJournalIncluded() async throws {
        let database = try TestDatabase().openFile()
        try await Self.doomJournalEvents(of: database)
        let commitsBefore = database.groupCommit.commits
        let results = try await Self.group(
            on: database,
            ["Harbour Ltd", "Doomed Ltd", "Lighthouse Ltd"].map { name in
                { try await database.createClient(ClientInput(name: name), by: head) }
            }
        )
        #expect((try? results[0].get())?.name == "Harbour Ltd")
        #expect(throws: (any Error).self) { try results[1].get() }
        #expect((try? results[2].get())?.name == "Lighthouse Ltd")
        // The holding mutation alone, then the three together: two commits, one fsync for the group.
        #expect(database.groupCommit.commits - commitsBefore == 2)
        #expect(try await Self.clientNames(database) == ["Harbour Ltd", "Lighthouse Ltd"])
        #expect(try await Self.journaledNames(database) == ["Harbour Ltd", "Lighthouse Ltd"])
        #expect(try Self.intact(database))
    }

    @Test func aMutationAloneThatFailsRollsBackWhole() async throws {
        let database = try TestDatabase().openFile()
        try await Self.doomJournalEvents(of: database)
        await #expect(throws: (any Error).self) { try await database.createClient(ClientInput(name: "Doomed Ltd"), by: head) }
        #expect(try await Self.clientNames(database).isEmpty)
        _ = try await database.createClient(ClientInput(name: "Harbour Ltd"), by: head)
        #expect(try await Self.clientNames(database) == ["Harbour Ltd"])
        #expect(try Self.intact(database))
    }

    @Test func manyConcurrentWritersAreAllCommittedInFewerTransactionsWithTheChainInCommitOrder() async throws {
        let database = try TestDatabase().openFile()
        let commitsBefore = database.groupCommit.commits
        let names = (0..<200).map { "Client \($0)" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names { group.addTask { _ = try await database.createClient(ClientInput(name: name), by: head) } }
            try await group.waitForAll()
        }
        #expect(Set(try await Self.clientNames(database)) == Set(names))
        // The journal lists the clients in the order their rows were inserted: one writer, one order.
        #expect(try await Self.journaledNames(database) == (try await Self.clientNames(database)))
        #expect(try Self.intact(database))
        #expect(database.groupCommit.commits - commitsBefore < names.count, "200 writers at once share commits")
    }
}
