import ArgumentParser
import ClubStore

struct Journal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Work with the hash-chained journal.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every event's hash and link; exits 1 naming the first broken event.")

        @OptionGroup var common: CommonOptions

        func run() async throws {
            let database = try await common.openDatabase()
            switch try database.verifyJournal() {
            case .intact(let events, let head):
                print("journal intact: \(events) events, head \(head)")
            case .broken(let seq, let id, let reason):
                print("journal broken at event \(seq) (\(id)): \(reason)")
                throw ExitCode(1)
            }
        }
    }
}
