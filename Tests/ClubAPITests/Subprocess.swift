import Foundation

/// Runs a program of the project (a script, the clubd binary) to its end, and returns its exit
/// status and everything it printed.
enum Subprocess {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func run(
        _ executable: String,
        _ arguments: [String],
        environment extra: [String: String] = [:]
    ) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = root
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Reading to the end and waiting block a thread for as long as the program runs (minutes
        // for a browser journey): not one of the cooperative pool's few threads, which every
        // other test of this process needs (on 2 cores, two such scripts would stop them all).
        let data = await withCheckedContinuation { continuation in
            // A thread of its own: Dispatch's pool adds threads for blocked ones only now and then on Linux.
            Thread.detachNewThread {
                let data = (try? pipe.fileHandleForReading.readToEnd()) ?? Data()
                process.waitUntilExit()
                continuation.resume(returning: data)
            }
        }
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A script of `Scripts/`, given the already built clubd.
    static func script(_ name: String, _ arguments: [String] = []) async throws -> (status: Int32, output: String) {
        try await run(
            "/bin/bash",
            [root.appendingPathComponent("Scripts/\(name)").path] + arguments,
            environment: ["CLUBD_BINARY": ProcessTests.binary.path]
        )
    }
}
