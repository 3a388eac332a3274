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
        static let configuration = CommandConfiguration(
            abstract: "Check every event's hash and link; exits 1 naming the first broken event (or evidence file, for a case file)."
        )

        @OptionGroup var common: CommonOptions
        @Option(
            name: .customLong("case-file"),
            help: "Check an exported case file offline instead of the database, and the evidence files beside it."
        )
        var caseFile: String?

        func run() async throws {
            guard let caseFile else {
                try Self.report(try await common.openDatabase().verifyJournal(), of: nil)
                return
            }
            let file = try CaseFileReader.read(caseFile)
            let journalIntact = try Self.report(file.verify(), of: caseFile)
            // Files beside the case file are checked even when its journal is broken: the operator wants all of it.
            let checks = try file.verifyFiles(besideCaseFileAt: caseFile)
            for check in checks { print(check) }
            if !checks.isEmpty { print(FileCheck.summary(checks)) }
            let failed = checks.filter(\.failed)
            if let first = failed.first {
                let more = failed.count > 1 ? " and \(failed.count - 1) more" : ""
                print("case file broken: file \(first.file.id) \"\(first.file.name)\" fails its check\(more)")
            }
            if !journalIntact || !failed.isEmpty { throw ExitCode(1) }
        }

        /// Prints the journal's verdict; exits at once for the database, returns whether it holds for a case file.
        @discardableResult
        private static func report(_ result: JournalVerification, of caseFile: String?) throws -> Bool {
            switch result {
            case .intact(let events, let head):
                print(caseFile == nil ? "journal intact: \(events) events, head \(head)" : "case file intact: \(events) events, chain head \(head)")
                return true
            case .broken(let seq, let id, let reason):
                print("journal broken at event \(seq) (\(id)): \(reason)")
                if caseFile == nil { throw ExitCode(1) }
                return false
            }
        }
    }
}
