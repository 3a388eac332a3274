import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A daemon that cannot start says what to fix, in one line, and exits non-zero (issue 14, item 1): the real clubd,
/// started as an operator would start it.
@Suite("Start-up errors say what to fix")
struct StartupErrorTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-startup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func serve(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try #require(FileManager.default.isExecutableFile(atPath: ProcessTests.binary.path), "build clubd first")
        return try await Subprocess.run(ProcessTests.binary.path, ["serve", "--port", "0"] + arguments)
    }

    @Test func aConfigurationThatIsNotJSONIsNamedWithItsLineAndColumn() async throws {
        let folder = try Self.folder()
        let config = folder.appendingPathComponent("bad.json")
        try Data("{\n  \"port\": 8443,\n  \"host\" \"127.0.0.1\"\n}\n".utf8).write(to: config)
        let (status, output) = try await Self.serve(["--config", config.path, "--data", folder.appendingPathComponent("data").path])
        #expect(status != 0)
        #expect(output.contains("\(config.path):3:"), "\(output)")
        #expect(output.contains("not valid JSON"), "\(output)")
        #expect(!output.contains("NSCocoaErrorDomain"), "\(output)")
    }

    @Test func aKeyOfTheWrongTypeStopsTheDaemonNamingIt() async throws {
        let folder = try Self.folder()
        let config = folder.appendingPathComponent("clubd.json")
        try Data(#"{"host": "127.0.0.1", "port": "abc"}"#.utf8).write(to: config)
        // No --port flag here: the file's value is the one read.
        let (status, output) = try await Subprocess.run(
            ProcessTests.binary.path,
            ["serve", "--config", config.path, "--data", folder.appendingPathComponent("data").path]
        )
        #expect(status != 0)
        #expect(output.contains("configuration key 'port'"), "\(output)")
        #expect(!output.contains("listening"), "the daemon never listened on a default port: \(output)")
    }

    @Test func aDataFolderThatIsAFileIsSaidInOneLine() async throws {
        let folder = try Self.folder()
        let file = folder.appendingPathComponent("passwd")
        try Data("root:x:0:0\n".utf8).write(to: file)
        let (status, output) = try await Self.serve(["--data", file.path])
        #expect(status != 0)
        #expect(output.contains("the data folder \(file.path) is a file, not a folder"), "\(output)")
        #expect(!output.contains("NSCocoaErrorDomain"), "\(output)")
    }

    /// A folder the daemon's user may not write to. As root permissions do not bind, so the daemon is started as
    /// `nobody` (`setpriv`, util-linux), as a service's own user would meet a folder it does not own.
    @Test func aDataFolderThatIsNotWritableIsSaidInOneLine() async throws {
        let folder = try Self.folder()
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o555])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        let serve = [ProcessTests.binary.path, "serve", "--port", "0", "--data", data.path]
        let asUser = getuid() == 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + serve : serve
        let (status, output) = try await Subprocess.run("/usr/bin/env", asUser)
        #expect(status != 0)
        #expect(output.contains("the data folder \(data.path) is not writable by this user (permission denied)"), "\(output)")
        #expect(!output.contains("NSCocoaErrorDomain") && !output.contains("listening"), "\(output)")
    }

    /// A data folder on a read-only file system, existing or not: a read-only tmpfs mounted in a mount namespace of
    /// its own (`unshare -rm`, which needs no privilege where user namespaces are on, and none as root).
    @Test func aDataFolderOnAReadOnlyFileSystemIsSaidInOneLine() async throws {
        let folder = try Self.folder()
        let mount = folder.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        let binary = ProcessTests.binary.path
        let script = """
            set -e
            mount -t tmpfs tmpfs "$1" && mkdir "$1/existing" && mount -o remount,ro "$1"
            "$2" serve --port 0 --data "$1/existing" 2>&1 || echo "exit $?"
            "$2" serve --port 0 --data "$1/new/data" 2>&1 || echo "exit $?"
            """
        let (_, output) = try await Subprocess.run("/usr/bin/unshare", ["-rm", "sh", "-c", script, "sh", mount.path, binary])
        #expect(output.contains("the data folder \(mount.path)/existing is not writable by this user (the file system is read-only)"), "\(output)")
        #expect(output.contains("the data folder \(mount.path)/new/data cannot be created (the file system is read-only)"), "\(output)")
        #expect(output.components(separatedBy: "exit ").count == 3, "both starts exited non-zero: \(output)")
        #expect(!output.contains("NSCocoaErrorDomain") && !output.contains("listening"), "\(output)")
    }

    @Test func aPortInUseIsNamedWithItsAddress() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        try #require(bound == 0 && listen(listener, 1) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let folder = try Self.folder()
        let (status, output) = try await Subprocess.run(
            ProcessTests.binary.path,
            ["serve", "--host", "127.0.0.1", "--port", String(port), "--data", folder.appendingPathComponent("data").path]
        )
        #expect(status != 0)
        #expect(output.contains("port \(port) on 127.0.0.1 is already in use"), "\(output)")
    }
}
