import Foundation

/// The data folder and the names of what lives in it: the database, the bootstrap token, the
/// TLS material. Created private to the daemon's user (mode 0700) wherever it is made.
public struct DataFolder: Sendable, Equatable {
    public let path: String

    public init(_ path: String) {
        self.path = path
    }

    public var databasePath: String { path + "/clubd.sqlite" }
    public var bootstrapTokenPath: String { path + "/bootstrap-token" }
    public var tlsDirectory: String { path + "/tls" }

    /// Creates the folder and its parents when missing, and makes sure the daemon can write in it: a file where the
    /// folder should be, a folder it may not write to, or a read-only file system is said in one line.
    public func create() throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
            throw DataFolderError(path: path, problem: "is a file, not a folder")
        }
        do {
            try Self.createPrivateDirectory(atPath: path)
        } catch {
            throw DataFolderError(path: path, problem: "cannot be created (\(Self.reason(errno: Self.posixCode(of: error))))")
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw DataFolderError(path: path, problem: "is not writable by this user (\(Self.reason(errno: errno)))")
        }
    }

    /// The system's reason under Foundation's error. On Linux the underlying error is an `Error` that bridges to
    /// NSError only through `as NSError`, not through a cast of the `Any` it is kept as.
    private static func posixCode(of error: any Error) -> Int32 {
        guard let underlying = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? any Error).map({ $0 as NSError }),
            underlying.domain == NSPOSIXErrorDomain
        else { return 0 }
        return Int32(underlying.code)
    }

    private static func reason(errno code: Int32) -> String {
        switch code {
        case EROFS: "the file system is read-only"
        case EACCES, EPERM: "permission denied"
        case ENOTDIR: "a part of the path is a file"
        case 0: "unknown reason"
        default: String(cString: strerror(code))
        }
    }

    /// A folder only the daemon's user may enter; the one way clubd makes folders.
    public static func createPrivateDirectory(atPath path: String) throws {
        try FileManager.default.createDirectory(
            atPath: path,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
    }
}

/// The data folder cannot serve: said in one line naming the folder (`clubd serve --data /etc/passwd`).
public struct DataFolderError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let problem: String

    public var description: String { "the data folder \(path) \(problem)" }
}

/// Files that hold secrets: created with mode 0600 before anything is written to them.
public enum PrivateFile {
    public static func write(_ text: String, to path: String) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) { try manager.removeItem(atPath: path) }
        guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(text.utf8))
    }
}
