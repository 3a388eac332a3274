import ClubStore
import Foundation
import GRDB
import Testing

@testable import ClubServer

/// How clubd reads Litestream's metrics and works out the replica's lag (docs/design.md §11.4).
@Suite("The replica's lag from Litestream's report")
struct ReplicaLagTests {
    /// As Litestream 0.3.11 wrote it for a database with one file replica.
    static let metrics = """
        # HELP litestream_total_wal_bytes Total number of bytes written to shadow WAL
        # TYPE litestream_total_wal_bytes counter
        litestream_total_wal_bytes{db="/var/lib/clubd/clubd.sqlite"} 4.4252920e+07
        litestream_replica_wal_bytes{db="/var/lib/clubd/clubd.sqlite",name="offsite"} 43915368
        litestream_replica_wal_index{db="/var/lib/clubd/clubd.sqlite",name="offsite"} 4
        # Beside Litestream's own, Go's: some beyond what an Int64 holds.
        process_virtual_memory_max_bytes 1.8446744073709552e+19
        go_gc_duration_seconds{quantile="0.25"} 2.5e-05
        litestream_total_wal_bytes{db="/srv/other.sqlite"} 12
        litestream_replica_wal_bytes{db="/srv/other.sqlite",name="offsite"} 12
        """

    @Test func theReportNamesReadAndShippedBytesOfThisDatabaseOnly() {
        let report = LitestreamReport.parse(Self.metrics, databasePath: "/var/lib/clubd/clubd.sqlite")
        #expect(report == LitestreamReport(readBytes: 44_252_920, shippedBytes: 43_915_368))
        #expect(LitestreamReport.parse(Self.metrics, databasePath: "/var/lib/clubd/other.sqlite") == nil)
        #expect(LitestreamReport.parse("", databasePath: "/var/lib/clubd/clubd.sqlite") == nil)
    }

    @Test func aRelativeOrLinkedPathFindsTheSameDatabase() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("replica-lag-\(UUID().uuidString)")
        let real = folder.appendingPathComponent("real")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("link"), withDestinationURL: real)
        let text =
            #"litestream_total_wal_bytes{db="\#(real.path)/clubd.sqlite"} 10"# + "\n"
            + #"litestream_replica_wal_bytes{db="\#(real.path)/clubd.sqlite",name="a"} 9"#
        let report = LitestreamReport.parse(text, databasePath: folder.appendingPathComponent("link/./clubd.sqlite").path)
        #expect(report == LitestreamReport(readBytes: 10, shippedBytes: 9))
    }

    @Test func withTwoReplicasTheOneFurthestBehindCounts() {
        let text = """
            litestream_total_wal_bytes{db="/d/clubd.sqlite"} 1000
            litestream_replica_wal_bytes{db="/d/clubd.sqlite",name="near"} 1000
            litestream_replica_wal_bytes{db="/d/clubd.sqlite",name="far"} 400
            """
        #expect(LitestreamReport.parse(text, databasePath: "/d/clubd.sqlite")?.shippedBytes == 400)
    }

    @Test func labelsWithEscapesAndBrokenLinesAreReadOrSkipped() {
        let escaped = PrometheusSample(#"m{db="a\"b\\c",name="x"} 3"#)
        #expect(escaped?.name == "m")
        #expect(escaped?.labels == ["db": #"a"b\c"#, "name": "x"])
        #expect(escaped?.value == 3)
        #expect(PrometheusSample("m 2.5e+03")?.value == 2500)
        #expect(PrometheusSample(#"m{db="unclosed} 3"#) == nil)
        #expect(PrometheusSample("m{db=\"a\"} NaN") == nil)
        #expect(PrometheusSample("m{db=\"a\"}") == nil)
        #expect(PrometheusSample("process_virtual_memory_max_bytes 1.8446744073709552e+19") == nil)
    }

    @Test func caughtUpHoldsEveryEventOfTheTickBeforeAndNoneOfThisOne() {
        var lag = ReplicaLag(head: 10)
        // Caught up: the shipped count runs 32 bytes ahead, a segment's header.
        lag.observe(head: 10, report: LitestreamReport(readBytes: 5_000, shippedBytes: 5_032))
        #expect(lag.backlogBytes == 0)
        #expect(lag.eventsBehind(head: 10) == 0)
        // Five events; Litestream read them but has not shipped them yet.
        lag.observe(head: 15, report: LitestreamReport(readBytes: 25_000, shippedBytes: 5_032))
        #expect(lag.backlogBytes == 20_000)
        #expect(lag.eventsBehind(head: 15) == 5)
        // Shipped, and two more events meanwhile: those two may not be in the replica yet.
        lag.observe(head: 17, report: LitestreamReport(readBytes: 25_000, shippedBytes: 25_032))
        #expect(lag.backlogBytes == 0)
        #expect(lag.replicatedThrough == 15)
        #expect(lag.eventsBehind(head: 17) == 2)
        // A new WAL segment adds a header: still nothing pending.
        lag.observe(head: 17, report: LitestreamReport(readBytes: 29_000, shippedBytes: 29_064))
        #expect(lag.backlogBytes == 0)
        #expect(lag.eventsBehind(head: 17) == 0)
    }

    @Test func underASteadyStreamOfWritesTheReplicaIsNeverCaughtUpYetItsPositionAdvances() {
        var lag = ReplicaLag(head: 0)
        lag.observe(head: 0, report: LitestreamReport(readBytes: 0, shippedBytes: 32))
        // Each second: 100 events, 400 kB read; Litestream ships what it had read a second before.
        for second in 1...10 {
            let read = Int64(second) * 400_000
            lag.observe(head: Int64(second) * 100, report: LitestreamReport(readBytes: read, shippedBytes: read - 400_000 + 32))
            #expect(lag.backlogBytes == 400_000)
        }
        // Shipped now: what was read at second 9, which held the events up to second 8's head.
        #expect(lag.replicatedThrough == 800)
        #expect(lag.eventsBehind(head: 1_000) == 200)
    }

    @Test func whenLitestreamDoesNotAnswerNothingMoreIsTakenAsReplicated() {
        var lag = ReplicaLag(head: 3)
        lag.observe(head: 3, report: LitestreamReport(readBytes: 100, shippedBytes: 132))
        for head in 4...8 { lag.observe(head: Int64(head), report: nil) }
        #expect(lag.backlogBytes == nil)
        #expect(lag.replicatedThrough == 3)
        #expect(lag.eventsBehind(head: 8) == 5)
    }

    @Test func aFirstReportBehindIsABacklogAndARestartedLitestreamCountsAgain() {
        var lag = ReplicaLag(head: 0)
        lag.observe(head: 2, report: LitestreamReport(readBytes: 9_000, shippedBytes: 1_000))
        #expect(lag.backlogBytes == 8_000)
        #expect(lag.eventsBehind(head: 2) == 2)
        lag.observe(head: 2, report: LitestreamReport(readBytes: 9_000, shippedBytes: 9_000 + 32 * 50))
        #expect(lag.eventsBehind(head: 2) == 0)
        // Litestream restarted: its counters begin again, and 100 bytes behind is behind.
        lag.observe(head: 3, report: LitestreamReport(readBytes: 600, shippedBytes: 500))
        #expect(lag.backlogBytes == 100)
        #expect(lag.eventsBehind(head: 3) == 1)
    }
}

/// `database.litestreamMetrics`: read only when Litestream replicates, an http(s) URL or the daemon does not start.
@Suite("Where Litestream's metrics are")
struct LitestreamMetricsSettingsTests {
    @Test func theWatchRunsOnlyWithLitestreamAndAtItsDefaultAddress() async throws {
        #expect(try await MailSettingsTests.settings("{}").litestreamMetricsURL == nil)
        #expect(try await MailSettingsTests.settings(#"{"database":{"litestreamMetrics":"http://127.0.0.1:1/metrics"}}"#).litestreamMetricsURL == nil)
        let standard = try await MailSettingsTests.settings(#"{"database":{"litestream":true}}"#)
        #expect(standard.litestreamMetricsURL == "http://127.0.0.1:9090/metrics")
        let moved = try await MailSettingsTests.settings(#"{"database":{"litestream":true,"litestreamMetrics":"http://127.0.0.1:9091/metrics"}}"#)
        #expect(moved.litestreamMetricsURL == "http://127.0.0.1:9091/metrics")
    }

    @Test func anAddressThatIsNoHTTPURLStopsTheDaemonNamingTheKey() async throws {
        await #expect(throws: SettingsError.invalid(key: "database.litestreamMetrics", value: "127.0.0.1:9090 (an http:// or https:// URL)")) {
            _ = try await MailSettingsTests.settings(#"{"database":{"litestream":true,"litestreamMetrics":"127.0.0.1:9090"}}"#)
        }
    }

    /// A journal that cannot be read when the watch begins is logged and tried again: the watch
    /// does not end, which would end the service group and the daemon with it. The failure is
    /// logged once however long it lasts, and its end once.
    @Test func aWatchThatCannotReadTheJournalAtFirstKeepsTrying() async throws {
        let database = try AppDatabase.inMemory()
        try await database.writer.write { try $0.execute(sql: "ALTER TABLE journal RENAME TO journal_away") }
        let captured = JSONLinesLogHandlerTests.Captured()
        let service = ReplicaWatchService(
            database: database,
            metricsURL: "http://127.0.0.1:9/metrics",
            databasePath: "/nowhere/clubd.sqlite",
            interval: .milliseconds(20),
            logger: JSONLinesLogHandlerTests.logger(captured)
        )
        let watch = Task { try await service.run() }
        func logged(_ message: String) -> Int { captured.text.components(separatedBy: message).count - 1 }
        while logged("could not read the journal's head") == 0 { try await Task.sleep(for: .milliseconds(10)) }
        // Ten looks' worth of time, all of them failing.
        try await Task.sleep(for: .milliseconds(200))
        #expect(logged("Litestream's metrics do not answer") == 0, "no look is taken before the head is known")

        try await database.writer.write { try $0.execute(sql: "ALTER TABLE journal_away RENAME TO journal") }
        while logged("Litestream's metrics do not answer") == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(logged("could not read the journal's head") == 1, "a lasting failure is logged once")
        #expect(logged("replica watch reads the journal again") == 1)

        // Lost again while watching: logged once more, and its end once more.
        try await database.writer.write { try $0.execute(sql: "ALTER TABLE journal RENAME TO journal_away") }
        while logged("could not read the journal;") == 0 { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(200))
        try await database.writer.write { try $0.execute(sql: "ALTER TABLE journal_away RENAME TO journal") }
        while logged("replica watch reads the journal again") < 2 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(logged("could not read the journal;") == 1, "a lasting failure is logged once")
        watch.cancel()
        try await watch.value
    }
}
