import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `DATA/clubd.lock`, held with an exclusive `flock` by `clubd serve` for its whole life and by `clubd restore` while it
/// works (docs/design.md §11.4): a second daemon on the same folder, or a restore under a running one, is refused.
/// The kernel lets go of the lock when its holder dies, so a crash never leaves the folder locked.
public struct ServingLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock without waiting, creating the data folder when missing; writes the holder's pid into the file so
    /// that a refusal can name it.
    public static func acquire(_ folder: DataFolder) throws -> ServingLock {
        try folder.create()
        let path = folder.path + "/clubd.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ServingLockError.unusable(path: path, errno: errno) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            guard code == EWOULDBLOCK else { throw ServingLockError.unusable(path: path, errno: code) }
            throw ServingLockError.held(folder: folder.path, pid: holder(path))
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return ServingLock(path: path, descriptor: descriptor)
    }

    /// Lets go of the lock; the file stays (removing it would race with the next holder).
    public func release() {
        _ = ftruncate(descriptor, 0)
        close(descriptor)
    }

    /// The pid the holder wrote, when it is readable.
    private static func holder(_ path: String) -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Why the data folder's lock was not taken; said in one line naming the folder.
public enum ServingLockError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Another process holds it: a running `clubd serve`, or a `clubd restore` at work.
    case held(folder: String, pid: Int32?)
    case unusable(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .held(let folder, let pid):
            "the data folder \(folder) is in use by another clubd\(pid.map { " (pid \($0))" } ?? ""); stop it first"
        case .unusable(let path, let code): "cannot lock \(path): \(String(cString: strerror(code)))"
        }
    }
}
