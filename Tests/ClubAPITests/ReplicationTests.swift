import ClubCore
import ClubStore
import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Continuous replication with Litestream (issue 20; docs/design.md §11.4). `Scripts/replication-test` loses the machine:
/// the real clubd and Litestream replicating to a folder, 16 concurrent HTTPS writers, both killed with SIGKILL at the
/// same instant, the data folder deleted, the database restored from the replica and served; three rounds measure the
/// recovery point, then a restore to a point in time between two phases of writes. The other tests drive
/// `ReplicaRestore` against the real Litestream binary and a real replica.
@Suite("Replication with Litestream", .serialized)
struct ReplicationTests {
    /// The Litestream binary of `Scripts/lib/litestream.sh` (fetched once, checked by SHA-256).
    static func litestream() async throws -> String {
        let (status, output) = try await Subprocess.run("/bin/bash", [Subprocess.root.appendingPathComponent("Scripts/lib/litestream.sh").path])
        try #require(status == 0, "Scripts/lib/litestream.sh failed:\n\(output)")
        return try #require(output.split(separator: "\n").first.map(String.init))
    }

    @Test(.timeLimit(.minutes(10)))
    func losingTheMachineLosesOnlyTheLastSecondAndAPointInTimeComesBack() async throws {
        let (status, text) = try await Subprocess.script("replication-test")
        #expect(status == 0, "Scripts/replication-test failed:\n\(text)")
        let rounds = text.split(separator: "\n").filter { $0.hasPrefix("round ") }
        #expect(rounds.count == 3, "\(text)")
        #expect(text.components(separatedBy: "integrity ok; journal intact").count - 1 == 4, "three rounds and the point in time:\n\(text)")
        let worst = text.split(separator: "\n").first { $0.hasPrefix("measured recovery point: worst ") }
        let seconds = worst.flatMap { line in line.split(separator: " ").dropFirst(4).first.flatMap { Double($0) } }
        #expect((0..<5).contains(seconds ?? -1), "the measured recovery point: \(worst ?? "none")")
        #expect(text.contains("25 of 25 earlier clients back, 0 of 20 later ones"))
        #expect(text.contains("evidence files: 3 uploaded, copied off by the unit's rsync, 3 back in files/"))
        #expect(text.contains("without the evidence files: exit 1, Error: restore refused, nothing changed"))
        // clubd's /metrics counted the five writes Litestream had not replicated, and caught up.
        #expect(text.contains("watching the lag: with Litestream stopped, clubd said 5 events"), "\(text)")
        #expect(!text.contains("WRONG"))
        #expect(text.contains("clubd's graceful stop left the WAL to Litestream; 1 generation(s) in the replica"))
        #expect(text.contains("replication test passed"))
        print(
            text.split(separator: "\n").filter { line in ["round", "measured", "point", "watching"].contains { line.hasPrefix($0) } }
                .joined(separator: "\n")
        )
    }

    @Test func checkpointsAreLeftToLitestreamOnlyWhenTheConfigurationSaysSo() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func autocheckpoint(_ checkpoints: Checkpoints, _ name: String) throws -> Int? {
            let database = try AppDatabase(path: "\(folder)/\(name).sqlite", checkpoints: checkpoints)
            defer { try? database.close() }
            return try database.writer.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") }
        }
        #expect(try autocheckpoint(.leftToLitestream, "replicated") == 0)
        #expect(try autocheckpoint(.automatic, "alone") == 1000)
        let settings = StoreSettings(dataFolder: DataFolder(folder), litestream: true)
        let opened = try AppDatabase.open(settings)
        defer { try? opened.close() }
        #expect(try opened.writer.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 0)
    }

    @Test(.timeLimit(.minutes(3)))
    func aReplicaComesBackThroughTheChecksAndADamagedOneOrARunningDaemonIsRefused() async throws {
        let litestream = try await Self.litestream()
        let root = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let data = DataFolder("\(root)/data")
        let replica = "\(root)/replica"
        let config = "\(root)/litestream.yml"
        try """
        dbs:
          - path: \(data.databasePath)
            replicas:
              - type: file
                path: \(replica)
        """.write(toFile: config, atomically: true, encoding: .utf8)

        let database = try AppDatabase.open(StoreSettings(dataFolder: data, litestream: true))
        for name in ["Harbour Ltd", "Quay Ltd", "Pier Ltd"] { _ = try await database.createClient(ClientInput(name: name), by: .system) }
        let events = try await database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM journal") }
        let replicating = Process()
        replicating.executableURL = URL(fileURLWithPath: litestream)
        replicating.arguments = ["replicate", "-config", config]
        replicating.standardOutput = FileHandle.nullDevice
        replicating.standardError = FileHandle.nullDevice
        try replicating.run()
        try await Self.poll("Litestream's first snapshot") { Self.files(under: replica).contains { $0.hasSuffix(".snapshot.lz4") } }
        _ = try await database.createClient(ClientInput(name: "Slipway Ltd"), by: .system)
        try await Self.poll("the write after the snapshot replicated") { Self.files(under: replica).count { $0.hasSuffix(".wal.lz4") } >= 2 }
        // SIGTERM: Litestream syncs one last time and lets go of the database.
        replicating.terminate()
        // Waited for on a thread of its own: the cooperative pool's few threads are every other test's (Subprocess.swift).
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                replicating.waitUntilExit()
                continuation.resume()
            }
        }
        try database.close()

        // The machine is lost: nothing of the data folder remains.
        try FileManager.default.removeItem(atPath: data.path)
        let restore = ReplicaRestore(configPath: config, litestream: litestream)
        let report = try restore.restore(into: data)
        #expect(report.events == (events ?? 0) + 1)
        #expect(report.lastEventAt.map { abs($0.timeIntervalSinceNow) < 120 } == true, "\(String(describing: report.lastEventAt))")
        #expect(report.previousDatabase == nil)
        let left = Self.files(under: data.path).filter { $0.contains(".replica-") }
        #expect(left.isEmpty, "the fetched file is removed: \(left)")
        let restored = try AppDatabase(path: data.databasePath)
        #expect(try restored.integrityCheck() == "ok")
        let names = try await restored.writer.read { try String.fetchAll($0, sql: "SELECT name FROM client ORDER BY name") }
        #expect(names == ["Harbour Ltd", "Pier Ltd", "Quay Ltd", "Slipway Ltd"])
        try restored.close()

        // A running daemon's folder: refused before Litestream is asked.
        let lock = try ServingLock.acquire(data)
        #expect(throws: RestoreRefusal.self) { try restore.restore(into: data) }
        lock.release()

        // A damaged replica: Litestream cannot bring it back, and the folder keeps the database it has.
        let before = try Data(contentsOf: URL(fileURLWithPath: data.databasePath))
        for path in Self.files(under: replica) where path.hasSuffix(".lz4") {
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            for index in stride(from: bytes.count / 3, to: bytes.count, by: 7) { bytes[index] ^= 0x5A }
            try bytes.write(to: URL(fileURLWithPath: path))
        }
        #expect(throws: ReplicaRestoreError.self) { try restore.restore(into: data) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: data.databasePath)) == before)

        // A time before the replica existed has nothing to restore.
        let early = ReplicaRestore(configPath: config, timestamp: try ReplicaTimestamp("2001-01-01T00:00:00Z"), litestream: litestream)
        #expect(throws: ReplicaRestoreError.self) { try early.restore(into: data) }
        #expect(throws: ReplicaRestoreError.badTimestamp("yesterday")) { try ReplicaTimestamp("yesterday") }
    }

    static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-replication-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func files(under folder: String) -> [String] {
        let names = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? []
        return names.map { "\(folder)/\($0)" }
    }

    /// Waits for a condition with a generous deadline (the full suite shares two cores).
    static func poll(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !condition() {
            try #require(ContinuousClock.now < deadline, "\(what) did not happen within 60 s")
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
