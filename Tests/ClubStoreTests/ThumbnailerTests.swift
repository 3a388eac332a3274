import ClubCore
import Foundation
import Testing

@testable import ClubStore

/// Thumbnails made by the real `vips` from real files in a real vault (docs/design.md §11.3).
@Suite("Thumbnailer")
struct ThumbnailerTests {
    /// A vault in a fresh temporary folder, holding `content` under its hash.
    static func vault(holding content: Data) throws -> (vault: FileVault, sha256: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("thumbs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let vault = FileVault(directory: directory)
        let loose = "\(directory)/loose"
        try content.write(to: URL(fileURLWithPath: loose))
        let sha256 = try FileVault.sha256(ofFileAt: loose)
        try FileManager.default.moveItem(atPath: loose, toPath: vault.contentPath(sha256))
        return (vault, sha256)
    }

    static func remove(_ vault: FileVault) {
        try? FileManager.default.removeItem(atPath: vault.directory)
    }

    /// The pixel size a WebP declares in its VP8/VP8L/VP8X header.
    static func webpSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data)
        guard bytes.count >= 30, bytes[0..<4] == [0x52, 0x49, 0x46, 0x46][...], bytes[8..<12] == [0x57, 0x45, 0x42, 0x50][...]
        else { return nil }
        let chunk = String(decoding: bytes[12..<16], as: UTF8.self)
        func little(_ at: Int, _ count: Int) -> Int { (0..<count).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        switch chunk {
        case "VP8 ": return (little(26, 2) & 0x3FFF, little(28, 2) & 0x3FFF)
        case "VP8L":
            let bits = little(21, 4)
            return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        case "VP8X": return (little(24, 3) + 1, little(27, 3) + 1)
        default: return nil
        }
    }

    @Test("a PNG becomes a WebP at most 320 pixels on a side, kept in the vault and found there the next time")
    func png() async throws {
        try #require(Thumbnailer.isAvailable, "vips must be installed (Scripts/test installs libvips-tools)")
        let (vault, sha256) = try Self.vault(holding: TestPNG.gradient(width: 800, height: 400))
        defer { Self.remove(vault) }
        let path = await Thumbnailer().thumbnail(sha256: sha256, type: .png, in: vault)
        #expect(path == vault.thumbnailPath(sha256))
        let thumbnail = try Data(contentsOf: URL(fileURLWithPath: vault.thumbnailPath(sha256)))
        let size = try #require(Self.webpSize(thumbnail))
        #expect(size.width == 320 && size.height == 160, "\(size)")
        #expect(!FileManager.default.fileExists(atPath: vault.noThumbnailPath(sha256)))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: "\(vault.directory)/tmp")
        #expect(leftovers.isEmpty, "\(leftovers)")
        // Found, not made again: a thumbnailer that cannot run vips still answers with it.
        #expect(await Thumbnailer(tools: nil).thumbnail(sha256: sha256, type: .png, in: vault) == path)
    }

    @Test("a small image is not enlarged")
    func small() async throws {
        try #require(Thumbnailer.isAvailable)
        let (vault, sha256) = try Self.vault(holding: TestPNG.gradient(width: 40, height: 30))
        defer { Self.remove(vault) }
        let path = try #require(await Thumbnailer().thumbnail(sha256: sha256, type: .png, in: vault))
        let size = try #require(Self.webpSize(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(size.width == 40 && size.height == 30, "\(size)")
    }

    @Test("concurrent requests for one thumbnail all end with the same good file")
    func concurrent() async throws {
        try #require(Thumbnailer.isAvailable)
        let (vault, sha256) = try Self.vault(holding: TestPNG.gradient(width: 1200, height: 900))
        defer { Self.remove(vault) }
        let paths = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<4 { group.addTask { await Thumbnailer().thumbnail(sha256: sha256, type: .png, in: vault) } }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(paths.count == 4)
        #expect(paths.allSatisfy { $0 == vault.thumbnailPath(sha256) }, "\(paths)")
        let size = try #require(Self.webpSize(try Data(contentsOf: URL(fileURLWithPath: vault.thumbnailPath(sha256)))))
        #expect(size.width == 320 && size.height == 240, "\(size)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(vault.directory)/tmp").isEmpty)
    }

    @Test("a PNG with a valid header and garbage pixels gives no thumbnail and is marked not to be tried again")
    func garbagePNG() async throws {
        try #require(Thumbnailer.isAvailable)
        let (vault, sha256) = try Self.vault(holding: TestPNG.garbage(width: 800, height: 400))
        defer { Self.remove(vault) }
        #expect(await Thumbnailer().thumbnail(sha256: sha256, type: .png, in: vault) == nil)
        #expect(FileManager.default.fileExists(atPath: vault.noThumbnailPath(sha256)))
        #expect(!FileManager.default.fileExists(atPath: vault.thumbnailPath(sha256)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(vault.directory)/tmp").isEmpty)
        #expect(await Thumbnailer().thumbnail(sha256: sha256, type: .png, in: vault) == nil)
    }

    @Test("a JPEG that is only a header gives nothing and no crash")
    func truncatedJPEG() async throws {
        try #require(Thumbnailer.isAvailable)
        let header: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0x90, 0x03, 0x20, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03]
        let (vault, sha256) = try Self.vault(holding: Data(header + [UInt8](repeating: 0x42, count: 4096)))
        defer { Self.remove(vault) }
        #expect(await Thumbnailer().thumbnail(sha256: sha256, type: .jpeg, in: vault) == nil)
        #expect(FileManager.default.fileExists(atPath: vault.noThumbnailPath(sha256)))
    }

    @Test("a PDF or a text gets no thumbnail, and vips is not asked")
    func notImages() async throws {
        let (vault, sha256) = try Self.vault(holding: Data("%PDF-1.7\n%%EOF\n".utf8))
        defer { Self.remove(vault) }
        for type in [FileType.pdf, .text, .csv] {
            #expect(await Thumbnailer().thumbnail(sha256: sha256, type: type, in: vault) == nil)
        }
        #expect(!FileManager.default.fileExists(atPath: vault.noThumbnailPath(sha256)))
        #expect(!FileManager.default.fileExists(atPath: "\(vault.directory)/tmp"))
    }

    @Test("without vips an image gets no thumbnail and no marker, so it is made once vips is installed")
    func withoutVips() async throws {
        let (vault, sha256) = try Self.vault(holding: TestPNG.gradient(width: 64, height: 64))
        defer { Self.remove(vault) }
        #expect(await Thumbnailer(tools: nil).thumbnail(sha256: sha256, type: .png, in: vault) == nil)
        #expect(!FileManager.default.fileExists(atPath: vault.noThumbnailPath(sha256)))
        let missing = Thumbnailer.Tools(vips: "/nonexistent/vips", timeout: "/nonexistent/timeout", prlimit: "/nonexistent/prlimit")
        #expect(await Thumbnailer(tools: missing).thumbnail(sha256: sha256, type: .png, in: vault) == nil)
        #expect(!FileManager.default.fileExists(atPath: vault.noThumbnailPath(sha256)))
    }

    @Test("a content missing from the vault gives nothing and marks nothing")
    func missingContent() async throws {
        let (vault, _) = try Self.vault(holding: Data("x".utf8))
        defer { Self.remove(vault) }
        let absent = String(repeating: "f", count: 64)
        #expect(await Thumbnailer().thumbnail(sha256: absent, type: .png, in: vault) == nil)
        #expect(!FileManager.default.fileExists(atPath: vault.noThumbnailPath(absent)))
    }
}

/// The limit on vips processes running at once.
@Suite("Run gate")
struct RunGateTests {
    /// Counts who is inside, and the most there ever were.
    actor Room {
        private(set) var inside = 0
        private(set) var most = 0
        private(set) var entries = 0

        func arrive() {
            inside += 1
            entries += 1
            most = max(most, inside)
        }

        func depart() { inside -= 1 }
    }

    @Test("no more than the limit are ever inside at once, and everyone gets in", arguments: [1, 2, 3])
    func limit(limit: Int) async {
        let gate = RunGate(limit: limit)
        let room = Room()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    await gate.enter()
                    await room.arrive()
                    for _ in 0..<5 { await Task.yield() }
                    await room.depart()
                    await gate.leave()
                }
            }
        }
        #expect(await room.entries == 12)
        #expect(await room.most <= limit)
        #expect(await room.inside == 0)
    }
}

/// Minimal PNG files written byte by byte: stored (uncompressed) deflate blocks need no zlib.
enum TestPNG {
    /// An RGB image whose pixels vary with their place.
    static func gradient(width: Int, height: Int) -> Data {
        var raw: [UInt8] = []
        raw.reserveCapacity((width * 3 + 1) * height)
        for y in 0..<height {
            raw.append(0)
            for x in 0..<width {
                raw += [UInt8(x % 256), UInt8(y % 256), UInt8((x + y) % 256)]
            }
        }
        return file(width: width, height: height, idat: zlibStored(raw))
    }

    /// A valid signature and header followed by image data that is no zlib stream at all.
    static func garbage(width: Int, height: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return file(width: width, height: height, idat: (0..<5000).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func file(width: Int, height: Int, idat: [UInt8]) -> Data {
        var header = bigEndian(width, 4) + bigEndian(height, 4)
        header += [8, 2, 0, 0, 0]  // 8 bits, RGB, deflate, adaptive filtering, no interlace
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", idat) + chunk("IEND", [])
        return Data(bytes)
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian(data.count, 4) + typed + bigEndian(Int(crc32(typed)), 4)
    }

    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(start + 65_535, data.count)
            let length = end - start
            out.append(end == data.count ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[start..<end]
            start = end
        } while start < data.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + bigEndian(Int(b << 16 | a), 4)
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian(_ value: Int, _ count: Int) -> [UInt8] {
        (0..<count).reversed().map { UInt8((value >> (8 * $0)) & 0xFF) }
    }
}
