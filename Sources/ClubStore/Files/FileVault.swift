import ClubCore
import Crypto
import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// Where evidence files live (docs/design.md §11.2): `DATA/files/<sha256>`, each content once, beside its thumbnail.
///
/// An upload is written to `tmp/` while it is hashed and sniffed, synced, then renamed `tmp/<sha256>.<random>.staged`;
/// only once the row and its journal event have committed is it renamed into place. A crash between the two leaves a
/// staged copy that `AppDatabase.repairFiles()` moves in at the next start, so no committed row lacks its content.
/// Contents are only ever added while the daemon serves; unreferenced ones are removed by that start-up check, under
/// the exclusive lock, while `clubd backup` copies under the shared one.
public struct FileVault: Sendable {
    public let directory: String

    /// The folder is made with the first upload, so that opening a database (a backup's copy) creates nothing.
    public init(directory: String) {
        self.directory = directory
    }

    /// The vault of the database file at `databasePath`: `files/` in the same folder.
    public static func beside(databasePath: String) -> FileVault {
        FileVault(directory: URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("files").path)
    }

    var stagingDirectory: String { directory + "/tmp" }
    var lockPath: String { directory + "/.lock" }

    /// The content with this hash. Hashes come from our own rows, always 64 hex digits, never from a request.
    public func contentPath(_ sha256: String) -> String { "\(directory)/\(sha256)" }
    /// The image's thumbnail, made once on first request (`Thumbnailer`).
    public func thumbnailPath(_ sha256: String) -> String { "\(directory)/\(sha256).thumb.webp" }
    /// Marks an image the thumbnailer could not read, so that it is not tried again.
    public func noThumbnailPath(_ sha256: String) -> String { "\(directory)/\(sha256).nothumb" }

    public func hasContent(_ sha256: String) -> Bool { FileManager.default.fileExists(atPath: contentPath(sha256)) }

    /// Starts writing an upload that `sniffer` judges as it arrives.
    public func beginUpload(sniffer: FileSniffer) throws -> FileUpload {
        try FileManager.default.createDirectory(atPath: stagingDirectory, withIntermediateDirectories: true)
        return try FileUpload(stagingDirectory: stagingDirectory, sniffer: sniffer)
    }

    /// Moves a staged upload into place once its row has committed; identical content already there is kept.
    public func place(_ staged: StagedFile) throws {
        let target = contentPath(staged.sha256)
        if FileManager.default.fileExists(atPath: target) {
            unlink(staged.path)
            return
        }
        try Self.rename(staged.path, to: target)
        try Self.syncDirectory(directory)
    }

    /// Throws a staged upload away (its change was refused).
    public func discard(_ staged: StagedFile) {
        unlink(staged.path)
    }

    /// Runs `body` holding the vault's lock: shared while copying for a backup, exclusive while removing contents.
    public func withLock<T>(exclusive: Bool, _ body: () throws -> T) throws -> T {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileVaultError.io("cannot open \(lockPath): errno \(errno)") }
        defer { close(descriptor) }
        guard flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) == 0 else { throw FileVaultError.io("cannot lock \(lockPath): errno \(errno)") }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// The SHA-256 of a file on disk, read in pieces.
    public static func sha256(ofFileAt path: String) throws -> String {
        let descriptor = try FileDescriptor.open(FilePath(path), .readOnly)
        defer { try? descriptor.close() }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try descriptor.read(into: $0) }
            if count == 0 { break }
            hasher.update(data: buffer[..<count])
        }
        return HexDigest.hex(hasher.finalize())
    }

    static func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw FileVaultError.io("cannot rename \(from) to \(to): errno \(errno)") }
    }

    /// Makes a rename durable: the directory entry is on disk, not only the file's bytes.
    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileVaultError.io("cannot open \(path): errno \(errno)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileVaultError.io("cannot sync \(path): errno \(errno)") }
    }
}

/// The vault could not read or write its folder; the API answers 500 without a half-written change.
public enum FileVaultError: Error, Equatable, Sendable, CustomStringConvertible {
    case io(String)

    public var description: String {
        switch self {
        case .io(let detail): detail
        }
    }
}

/// An upload whose content is on disk, synced, hashed and sniffed, awaiting its row.
public struct StagedFile: Sendable, Equatable {
    public let path: String
    public let sha256: String
    public let content: SniffedFile
}

/// One upload being written: fed the body as it arrives, never holding it whole (docs/design.md §11.2).
///
/// Used by one task at a time, in order: `write` each piece, then `finish`, or `abandon` on any failure.
public final class FileUpload: @unchecked Sendable {
    private let descriptor: FileDescriptor
    private let partPath: String
    private let stagingDirectory: String
    private var sniffer: FileSniffer
    private var hasher = SHA256()
    private var closed = false

    /// The byte limit this upload is held to (the file's own, or what its object has left).
    public var limit: Int { sniffer.maxBytes }

    init(stagingDirectory: String, sniffer: FileSniffer) throws {
        self.stagingDirectory = stagingDirectory
        self.sniffer = sniffer
        partPath = "\(stagingDirectory)/\(UUID().uuidString.lowercased()).part"
        descriptor = try FileDescriptor.open(
            FilePath(partPath),
            .writeOnly,
            options: [.create, .exclusiveCreate, .closeOnExec],
            permissions: [.ownerReadWrite]
        )
    }

    deinit { abandon() }

    /// Takes the next piece: sniffed first (a refusal stops the upload before the piece is written), then hashed and
    /// written.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try sniffer.feed(bytes.bindMemory(to: UInt8.self))
        hasher.update(bufferPointer: bytes)
        _ = try descriptor.writeAll(bytes)
    }

    /// Concludes the upload: the sniffer's verdict, the content synced and renamed by its hash.
    public func finish() throws -> StagedFile {
        let content = try sniffer.finish()
        guard fsync(descriptor.rawValue) == 0 else { throw FileVaultError.io("cannot sync an upload: errno \(errno)") }
        try descriptor.close()
        closed = true
        let sha256 = HexDigest.hex(hasher.finalize())
        let stagedPath = "\(stagingDirectory)/\(sha256).\(UUID().uuidString.lowercased().prefix(12)).staged"
        try FileVault.rename(partPath, to: stagedPath)
        try FileVault.syncDirectory(stagingDirectory)
        return StagedFile(path: stagedPath, sha256: sha256, content: content)
    }

    /// Closes and removes what was written; safe to call more than once.
    public func abandon() {
        guard !closed else { return }
        closed = true
        try? descriptor.close()
        unlink(partPath)
    }
}
