import ArgumentParser
import ClubStore
import Foundation

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Copy the live database with SQLite's online backup, while clubd keeps serving.")

    @OptionGroup var common: CommonOptions
    @Option(help: "The file to write; it must not exist yet.") var to: String

    func run() async throws {
        guard !FileManager.default.fileExists(atPath: to) else {
            throw ValidationError("\(to) already exists; choose a new file so that no backup is overwritten")
        }
        let database = try await common.openDatabase()
        try database.backup(to: to)
        let copy = try AppDatabase(path: to)
        let integrity = try copy.integrityCheck()
        guard integrity == "ok" else { throw ValidationError("the copy failed its integrity check: \(integrity)") }
        print("backed up to \(to) (integrity ok)")
    }
}
