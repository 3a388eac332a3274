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

    /// Creates the folder and its parents when missing.
    public func create() throws {
        try Self.createPrivateDirectory(atPath: path)
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
