import ArgumentParser
import ClubCore
import ClubStore
import Foundation

/// Reads a case file as `GET /v1/engagements/{id}/case-file` wrote it, of any format this build reads.
enum CaseFileReader {
    static func read(_ path: String) throws -> CaseFile {
        do {
            return try CaseFile(jsonData: try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let error as CaseFileError {
            throw ValidationError("\(path) is \(error)")
        }
    }
}

struct Journal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Work with the hash-chained journal.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every event's hash and link; exits 1 naming the first broken event.")

        @OptionGroup var common: CommonOptions
        @Option(name: .customLong("case-file"), help: "Check an exported case file offline instead of the database.")
        var caseFile: String?

        func run() async throws {
            let result: JournalVerification
            if let caseFile {
                result = try CaseFileReader.read(caseFile).verify()
            } else {
                result = try await common.openDatabase().verifyJournal()
            }
            switch result {
            case .intact(let events, let head):
                print(caseFile == nil ? "journal intact: \(events) events, head \(head)" : "case file intact: \(events) events, chain head \(head)")
            case .broken(let seq, let id, let reason):
                print("journal broken at event \(seq) (\(id)): \(reason)")
                throw ExitCode(1)
            }
        }
    }
}
