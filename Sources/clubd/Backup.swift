import ArgumentParser
import ClubStore
import Foundation

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the live database with SQLite's online backup, and its evidence files beside it, while clubd keeps serving."
    )

    @OptionGroup var common: CommonOptions
    @Option(help: "The file to write; it must not exist yet, nor FILE-files, where the evidence files go.") var to: String

    func run() async throws {
        guard !FileManager.default.fileExists(atPath: to) else {
            throw ValidationError("\(to) already exists; choose a new file so that no backup is overwritten")
        }
        let database = try await common.openDatabase()
        let report: BackupReport
        do {
            report = try database.backupWithFiles(to: to)
        } catch let error as FileBackupError {
            throw ValidationError("the backup at \(to) is incomplete: \(error)")
        }
        print("backed up to \(report.path) (integrity ok, \(report.fileCount) files in \(report.filesFolder))")
    }
}
