import ArgumentParser
import ClubStore
import Foundation

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace a stopped daemon's database by a backup, once its integrity, schema, journal and files have been checked.",
        discussion: """
            Refused, changing nothing, while clubd serves the data folder or when the backup fails a check. The replaced \
            database is kept beside it as clubd.sqlite.before-restore-<UTC time>.
            """
    )

    @OptionGroup var common: CommonOptions
    @Option(help: "The backup that `clubd backup --to FILE` wrote; its evidence files are read from FILE-files.") var from: String?
    @OptionGroup var replica: ReplicaRestoreOptions

    func validate() throws {
        guard (from != nil) != replica.isRequested else { throw ValidationError("give one of --from FILE and --from-replica CONFIG") }
    }

    func run() async throws {
        if replica.isRequested { return try await run(fromReplica: replica) }
        guard let from else { throw ValidationError("--from FILE is missing") }
        let folder = try await common.storeSettings().dataFolder
        let report: RestoreReport
        do {
            report = try DatabaseRestore(dataFolder: folder).restore(.backup(at: from))
        } catch let refusal as RestoreRefusal {
            throw RestoreRefused(backup: from, refusal: refusal)
        }
        for line in Self.describe(report, from: from, into: folder) { print(line) }
    }

    static func describe(_ report: RestoreReport, from: String, into folder: DataFolder) -> [String] {
        let last = report.lastEventAt.map { "the last at \($0.ISO8601Format()) (the recovery point)" } ?? "none yet"
        var lines = [
            "restored \(folder.databasePath) from \(from): \(report.events) journal events, chain intact, \(last)",
            report.fileCount == 0
                ? "no evidence files"
                : "\(report.fileCount) evidence files: \(report.filesCopied) copied into \(folder.path)/files, "
                    + "\(report.fileCount - report.filesCopied) already there",
        ]
        if !report.migrationsApplied.isEmpty { lines.append("schema brought up to date: \(report.migrationsApplied.joined(separator: ", "))") }
        if let previous = report.previousDatabase {
            lines.append("the previous database is kept as \(previous)")
        } else {
            lines.append("there was no previous database")
        }
        if let files = report.previousFiles { lines.append("the files present before are kept in \(files)") }
        return lines
    }
}

/// A refused restore, said in one line; the exit code is not 0.
struct RestoreRefused: Error, CustomStringConvertible {
    let backup: String
    let refusal: RestoreRefusal

    var description: String { "restore refused, nothing changed: \(refusal)" }
}
