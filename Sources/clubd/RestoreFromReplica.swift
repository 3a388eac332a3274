import ArgumentParser
import ClubStore
import Foundation

/// `clubd restore --from-replica CONFIG [--timestamp T]` (issue 20): the database comes back from Litestream's replica
/// instead of a backup file, through the same checks as `--from`.
struct ReplicaRestoreOptions: ParsableArguments {
    @Option(
        name: .customLong("from-replica"),
        help: "Litestream's configuration (e.g. /etc/litestream.yml): restore the database from its replica instead of a backup."
    )
    var config: String?

    @Option(help: "With --from-replica: the database as it was at this UTC time (RFC 3339, e.g. 2026-12-06T21:00:00Z).")
    var timestamp: String?

    @Option(help: "With --from-replica: the litestream executable.")
    var litestream: String = "litestream"

    @Option(help: "With --from-replica: the folder of the evidence files the database names (default: the data folder's files/).")
    var files: String?

    var isRequested: Bool { config != nil }

    func validate() throws {
        if config == nil, timestamp != nil || files != nil {
            throw ValidationError("--timestamp and --files go with --from-replica")
        }
        if let timestamp { _ = try Self.parse(timestamp) }
    }

    /// Litestream fetches, `DatabaseRestore` checks and swaps; the folder is unchanged when either refuses.
    func restore(into folder: DataFolder) throws -> RestoreReport {
        guard let config else { throw ValidationError("--from-replica CONFIG is missing") }
        let replica = ReplicaRestore(configPath: config, timestamp: try timestamp.map(Self.parse), litestream: litestream)
        do {
            return try replica.restore(into: folder, filesFolder: files)
        } catch let refusal as RestoreRefusal {
            throw RestoreRefused(backup: source, refusal: refusal)
        } catch let error as ReplicaRestoreError {
            throw ReplicaRestoreFailed(error: error)
        }
    }

    /// How the report names where the database came from.
    var source: String {
        "the replica of \(config ?? "")" + (timestamp.map { " as at \($0)" } ?? "")
    }

    private static func parse(_ text: String) throws -> ReplicaTimestamp {
        do {
            return try ReplicaTimestamp(text)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

extension Restore {
    /// What `run()` does when `--from-replica` is given: the same report lines as a restore from a backup, the time of the
    /// last recovered event among them.
    func run(fromReplica replica: ReplicaRestoreOptions) async throws {
        let folder = try await common.storeSettings().dataFolder
        let report = try replica.restore(into: folder)
        for line in Self.describe(report, from: replica.source, into: folder) { print(line) }
    }
}

/// Litestream brought nothing back; said in one line, with a non-zero exit code.
struct ReplicaRestoreFailed: Error, CustomStringConvertible {
    let error: ReplicaRestoreError

    var description: String { "restore refused, nothing changed: \(error)" }
}
