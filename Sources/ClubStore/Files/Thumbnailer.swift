import ClubCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Makes an image's thumbnail on first request (docs/design.md §11.3): a WebP at most 320 pixels on a side, stored
/// beside the content as `<sha256>.thumb.webp` and served from there ever after.
///
/// Decoding an uploaded image is the riskiest thing the daemon does with one, so it is never done in-process: Debian's
/// `vips` (libvips-tools) runs as a subprocess under a wall-clock limit (`timeout`), an address-space and CPU limit
/// (`prlimit`), with libvips's untrusted loaders blocked and one worker thread. The sniffer has already refused
/// images declaring more pixels than that budget allows. An image vips cannot read is marked `<sha256>.nothumb`, so
/// that it is not tried on every request; it is still served whole.
public struct Thumbnailer: Sendable {
    /// The longest side of a thumbnail, in pixels.
    public static let side = 320
    static let timeLimitSeconds = 20
    static let memoryLimitBytes = 1 << 30
    /// How many vips may run at once, whoever asks: each may take a gigabyte and a core for 20 seconds, and a page
    /// of thumbnails must not start dozens of them.
    static let gate = RunGate(limit: 2)

    /// The programs it runs, found once.
    struct Tools: Sendable, Equatable {
        let vips: String
        let timeout: String
        let prlimit: String

        static let installed: Tools? = {
            guard let vips = find("vips"), let timeout = find("timeout"), let prlimit = find("prlimit") else { return nil }
            return Tools(vips: vips, timeout: timeout, prlimit: prlimit)
        }()

        /// Looked for where Debian installs them, then along `PATH`.
        static func find(_ program: String) -> String? {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
            let folders = ["/usr/bin", "/bin"] + path.split(separator: ":").map(String.init)
            return folders.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
    }

    /// Whether thumbnails can be made here; without `vips` images are served whole and the daemon says so once.
    public static var isAvailable: Bool { Tools.installed != nil }

    let tools: Tools?

    public init() {
        tools = Tools.installed
    }

    /// A thumbnailer using `tools`, or none at all to stand for a machine without vips.
    init(tools: Tools?) {
        self.tools = tools
    }

    /// The path of the file's thumbnail, made now if need be; nil for a file that is no image, an image vips could
    /// not read, or when vips is not installed. Never throws: a missing thumbnail is no reason to fail a request.
    public func thumbnail(of file: EvidenceFile, in vault: FileVault) async -> String? {
        await thumbnail(sha256: file.sha256, type: file.type, in: vault)
    }

    /// As above, for the content `sha256` of `type`.
    public func thumbnail(sha256: String, type: FileType, in vault: FileVault) async -> String? {
        guard type.isImage else { return nil }
        let target = vault.thumbnailPath(sha256)
        let manager = FileManager.default
        if manager.fileExists(atPath: target) { return target }
        guard let tools, !manager.fileExists(atPath: vault.noThumbnailPath(sha256)), vault.hasContent(sha256) else { return nil }
        // A name of its own in tmp/, so that two requests for one thumbnail never write the same file; whichever
        // renames last replaces an identical thumbnail, atomically.
        let temporary = "\(vault.stagingDirectory)/thumb-\(UUID().uuidString.lowercased()).webp"
        defer { unlink(temporary) }
        do {
            try manager.createDirectory(atPath: vault.stagingDirectory, withIntermediateDirectories: true)
        } catch {
            return nil
        }
        await Self.gate.enter()
        // Whoever held the place before may have made this very thumbnail.
        let outcome = manager.fileExists(atPath: target) ? nil : await run(tools, content: vault.contentPath(sha256), output: temporary)
        await Self.gate.leave()
        switch outcome {
        case nil: return target
        case .made where Self.isWebP(at: temporary):
            guard rename(temporary, target) == 0 else { return nil }
            return target
        case .made, .refused:
            // Unreadable, or too costly to read within the limits: either way it would fail again.
            _ = manager.createFile(atPath: vault.noThumbnailPath(sha256), contents: nil)
            return nil
        case .notRun:
            return nil
        }
    }

    enum Outcome {
        case made
        /// vips ran and failed, or was stopped by a limit.
        case refused
        /// vips could not be started at all: nothing is learnt about the image.
        case notRun
    }

    /// Runs vips on `content`, awaiting its exit without holding a thread of the cooperative pool.
    func run(_ tools: Tools, content: String, output: String) async -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tools.timeout)
        process.arguments = [
            "--kill-after=5", String(Self.timeLimitSeconds),
            tools.prlimit, "--as=\(Self.memoryLimitBytes)", "--cpu=\(Self.timeLimitSeconds)",
            tools.vips, "thumbnail", content, "\(output)[Q=80,strip]", String(Self.side),
            "--height", String(Self.side), "--size", "down",
            // By default vips turns a broken image into a black one with warnings; such a thumbnail would mislead.
            "--fail-on", "error",
        ]
        process.environment = ["VIPS_BLOCK_UNTRUSTED": "1", "VIPS_CONCURRENCY": "1", "PATH": "/usr/bin:/bin"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return await withCheckedContinuation { continuation in
            process.terminationHandler = { finished in
                let succeeded = finished.terminationReason == .exit && finished.terminationStatus == 0
                continuation.resume(returning: succeeded ? .made : .refused)
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(returning: .notRun)
            }
        }
    }

    /// Whether the file starts as a WebP does: `RIFF`, a size, `WEBP`.
    static func isWebP(at path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 12), head.count == 12 else { return false }
        return head.prefix(4) == Data("RIFF".utf8) && head.suffix(4) == Data("WEBP".utf8)
    }
}

/// Lets at most `limit` callers through at once; the others wait their turn, first come first served.
actor RunGate {
    let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = limit
    }

    func enter() async {
        guard running >= limit else {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the place to the first waiter, if any.
    func leave() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
