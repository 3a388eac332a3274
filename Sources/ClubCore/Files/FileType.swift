/// The kinds of evidence file the club accepts (DESIGN §11): screenshots, the auditor's PDF, a call-tracking export.
///
/// The type is always decided from the content by `FileSniffer`, never from a name or a header the uploader chose.
public enum FileType: String, Codable, CaseIterable, Sendable {
    case png, jpeg, webp, pdf, text, csv

    /// Every type is accepted unless the configuration narrows the list.
    public static let defaultAllowed: Set<FileType> = Set(allCases)

    /// The type the file is served with; text is always UTF-8, since the sniffer refuses anything else.
    public var mediaType: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .webp: "image/webp"
        case .pdf: "application/pdf"
        case .text: "text/plain; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        }
    }

    /// Images are shown inline and get thumbnails; everything else is served as an attachment.
    public var isImage: Bool { self == .png || self == .jpeg || self == .webp }

    /// How a refusal names the type to a person: "a PDF", "plain text".
    public var spokenName: String {
        switch self {
        case .png: "a PNG"
        case .jpeg: "a JPEG"
        case .webp: "a WebP image"
        case .pdf: "a PDF"
        case .text: "plain text"
        case .csv: "a CSV"
        }
    }

    /// The media type without its parameters, as a refusal quotes it.
    var essence: String { String(mediaType.prefix { $0 != ";" }) }

    var isText: Bool { self == .text || self == .csv }

    /// A CSV is text and text may be a one-line CSV, so a claim of either agrees with both.
    func agrees(with claimed: FileType) -> Bool { self == claimed || (isText && claimed.isText) }

    /// The type a display name's extension announces, if it is one of ours.
    init?(extensionOf name: String) {
        guard let dot = name.lastIndex(of: ".") else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "png": self = .png
        case "jpg", "jpeg": self = .jpeg
        case "webp": self = .webp
        case "pdf": self = .pdf
        case "txt": self = .text
        case "csv": self = .csv
        default: return nil
        }
    }

    /// The type a Content-Type names, if it is one of ours (with the aliases browsers are known to send).
    init?(claimedMediaType essence: String) {
        switch essence {
        case "image/png": self = .png
        case "image/jpeg", "image/jpg", "image/pjpeg": self = .jpeg
        case "image/webp": self = .webp
        case "application/pdf", "application/x-pdf": self = .pdf
        case "text/plain": self = .text
        case "text/csv", "application/csv", "text/x-csv", "text/comma-separated-values": self = .csv
        default: return nil
        }
    }
}

/// What the sniffer concluded about a whole upload.
public struct SniffedFile: Equatable, Sendable {
    public let type: FileType
    /// Bytes fed, in all.
    public let size: Int
    /// Declared pixel dimensions, for images only.
    public let width: Int?
    public let height: Int?

    public init(type: FileType, size: Int, width: Int? = nil, height: Int? = nil) {
        self.type = type
        self.size = size
        self.width = width
        self.height = height
    }
}

/// Why an upload is refused (DESIGN §11). `detail` names what was found, so the uploader knows what to fix.
///
/// The API answers `tooLarge`, `objectTooLarge` and `objectFull` with 413 and every other case with 415.
public enum FileRefusal: Error, Equatable, Sendable {
    case empty
    /// Content the club recognises and never accepts (an executable, an archive, a GIF), or cannot recognise at all.
    case notAllowed(found: String)
    /// A type the club knows but this server's configuration does not accept.
    case typeNotAllowed(FileType)
    /// The header declares more pixels than a thumbnailer may safely decode: the shape of a decompression bomb.
    case imageTooLarge(width: Int, height: Int, limit: Int)
    /// Starts like the type but its header cannot be read; such a file would break the thumbnailer, not inform anyone.
    case malformed(FileType, reason: String)
    /// The name or the Content-Type announces another type than the content is.
    case mismatch(found: FileType, claimed: String)
    /// More bytes than the limit; decided while the body streams, never after reading it whole.
    case tooLarge(limit: Int)
    /// The object's files together would pass their limit (`FileLimits.maxObjectBytes`).
    case objectTooLarge(limit: Int)
    /// The object already holds as many files as it may.
    case objectFull(files: Int)

    public var detail: String {
        switch self {
        case .empty: "the file is empty"
        case .notAllowed(let found): "the file is \(found), which is not accepted"
        case .typeNotAllowed(let type): "the file is \(type.spokenName) (\(type.essence)), which this server does not accept"
        case .imageTooLarge(let width, let height, let limit):
            "the image declares \(width)×\(height) pixels; at most \(limit) pixels and \(FileSniffer.maxImageSide) per side are accepted"
        case .malformed(let type, let reason): "the file starts like \(type.spokenName) but \(reason)"
        case .mismatch(let found, let claimed): "the file is \(found.spokenName) (\(found.essence)), not \(claimed)"
        case .tooLarge(let limit): "the file is larger than the limit of \(Self.spoken(bytes: limit))"
        case .objectTooLarge(let limit): "the object's files together would pass their limit of \(Self.spoken(bytes: limit))"
        case .objectFull(let files): "the object already holds \(files) files, as many as it may"
        }
    }

    /// Whether the refusal is about size (413) rather than content (415).
    public var isAboutSize: Bool {
        switch self {
        case .tooLarge, .objectTooLarge, .objectFull: true
        default: false
        }
    }

    static func spoken(bytes: Int) -> String {
        let mebibyte = 1024 * 1024
        return bytes % mebibyte == 0 ? "\(bytes / mebibyte) MiB" : "\(bytes) bytes"
    }
}

/// Decides what an upload is from its content while it streams (DESIGN §11), holding at most its first 8 KiB.
///
/// Feed the body as it arrives, then `finish()`. Every refusal that the first bytes allow is thrown by `feed`, so the
/// server answers before reading the rest: an executable at its first bytes, an image bomb at its header, an oversized
/// body as soon as the count passes the limit. Text is validated to its last byte, sequences split between feeds
/// included. A refusal is final: later calls throw it again.
public struct FileSniffer: Sendable {
    public static let defaultMaxBytes = 20 * 1024 * 1024
    public static let defaultMaxPixels = 40_000_000
    /// The largest side accepted whatever the pixel count: a 100000×1 strip is no screenshot.
    public static let maxImageSide = 16_384
    /// Where `%PDF-` may start, as PDF readers tolerate leading junk.
    static let pdfWindow = 1024
    /// The lines inspected to tell a CSV from plain text; also all the sniffer keeps of the content.
    static let csvWindow = 8 * 1024
    /// How far a JPEG's frame header is looked for among its leading segments (EXIF, ICC profiles).
    static let jpegWindow = 256 * 1024

    public let allowed: Set<FileType>
    public let maxBytes: Int
    public let maxPixels: Int

    private var size = 0
    private var head: [UInt8] = []
    private var text = TextValidator()
    private var progress = Progress.undecided
    /// Set once no image signature and no PDF marker can appear any more, which spares looking for them again.
    private var onlyTextRemains = false
    private var refusal: FileRefusal?

    private enum Progress: Sendable {
        /// Text, PDF or a signature still possible.
        case undecided
        /// A PNG or WebP whose header has not fully arrived.
        case awaitingHeader(FileType)
        /// A JPEG whose frame header is still being looked for.
        case scanningJPEG(JPEGFrameScanner)
        /// Nothing more to learn but the size.
        case decided(FileType, width: Int?, height: Int?)
    }

    public init(allowed: Set<FileType> = FileType.defaultAllowed, maxBytes: Int = defaultMaxBytes, maxPixels: Int = defaultMaxPixels) {
        self.allowed = allowed
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
        head.reserveCapacity(Self.csvWindow)
    }

    /// Takes the next bytes of the upload; throws as soon as they settle a refusal.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(FileRefusal) {
        if let refusal { throw refusal }
        let found =
            bytes.withContiguousStorageIfAvailable { consume($0) }
            ?? Array(bytes).withUnsafeBufferPointer { consume($0) }
        if let found {
            refusal = found
            throw found
        }
    }

    /// Concludes once the body has ended.
    public mutating func finish() throws(FileRefusal) -> SniffedFile {
        if let refusal { throw refusal }
        switch conclude() {
        case .success(let file): return file
        case .failure(let found):
            refusal = found
            throw found
        }
    }

    /// Refuses a name or a Content-Type announcing another type than the content (DESIGN §11).
    ///
    /// Unknown extensions and unknown media types are no claim: names are display-only, and browsers guess for types
    /// they do not know (Windows sends `application/vnd.ms-excel` for a CSV). `application/octet-stream` says nothing.
    public static func checkClaim(name: String?, contentType: String?, sniffed: FileType) throws(FileRefusal) {
        if let name, let claimed = FileType(extensionOf: name), !sniffed.agrees(with: claimed) {
            let dot = name.lastIndex(of: ".") ?? name.startIndex
            throw .mismatch(found: sniffed, claimed: "\(claimed.spokenName) (\(name[dot...].lowercased()))")
        }
        if let contentType {
            let essence = String(contentType.prefix { $0 != ";" }.filter { !$0.isWhitespace }).lowercased()
            if let claimed = FileType(claimedMediaType: essence), !sniffed.agrees(with: claimed) {
                throw .mismatch(found: sniffed, claimed: "\(claimed.spokenName) (\(essence))")
            }
        }
    }

    // MARK: Feeding

    private mutating func consume(_ chunk: UnsafeBufferPointer<UInt8>) -> FileRefusal? {
        size += chunk.count
        guard size <= maxBytes else { return .tooLarge(limit: maxBytes) }
        let kept = min(chunk.count, Self.csvWindow - head.count)
        head.append(contentsOf: chunk[..<kept])
        switch progress {
        case .decided: return nil
        case .awaitingHeader(let type): return readHeader(of: type, atEnd: false)
        case .scanningJPEG(var scanner):
            return scan(&scanner, chunk)
        case .undecided:
            text.consume(chunk)
            return classify(atEnd: false, unkept: UnsafeBufferPointer(rebasing: chunk[kept...]))
        }
    }

    /// Decides what it can from what has arrived; `unkept` is the part of the last chunk beyond `head`.
    private mutating func classify(atEnd: Bool, unkept: UnsafeBufferPointer<UInt8>) -> FileRefusal? {
        if !onlyTextRemains {
            switch Signature.image(at: head) {
            case .found(let type):
                guard allowed.contains(type) else { return .typeNotAllowed(type) }
                if type != .jpeg {
                    progress = .awaitingHeader(type)
                    return readHeader(of: type, atEnd: atEnd)
                }
                // Copied (at most 8 KiB, once) so that scanning, which updates `progress`, does not overlap a read of `head`.
                var scanner = JPEGFrameScanner()
                if let refusal = Array(head.dropFirst(2)).withUnsafeBufferPointer({ scan(&scanner, $0) }) { return refusal }
                return if case .scanningJPEG = progress { scan(&scanner, unkept) } else { nil }
            case .partial where !atEnd: return nil
            case .partial, .none: break
            }
            if Signature.hasPDFMarker(head.prefix(Self.pdfWindow)) {
                guard allowed.contains(.pdf) else { return .typeNotAllowed(.pdf) }
                progress = .decided(.pdf, width: nil, height: nil)
                return nil
            }
            guard head.count >= Self.pdfWindow || atEnd else {
                // A binary file named by its signature need not wait for a PDF marker it cannot have.
                if text.flaw != nil, case .found(let name) = Signature.refused(at: head) { return .notAllowed(found: name) }
                return nil
            }
            onlyTextRemains = true
        }
        if text.flaw != nil {
            if case .found(let name) = Signature.refused(at: head) { return .notAllowed(found: name) }
            return .notAllowed(found: describeNonText())
        }
        if !allowed.contains(.text) && !allowed.contains(.csv) { return .typeNotAllowed(.text) }
        return nil
    }

    private mutating func scan(_ scanner: inout JPEGFrameScanner, _ bytes: UnsafeBufferPointer<UInt8>) -> FileRefusal? {
        switch scanner.consume(bytes) {
        case .needMore:
            progress = .scanningJPEG(scanner)
            return nil
        case .size(let width, let height): return decideImage(.jpeg, width: width, height: height)
        case .malformed(let reason): return .malformed(.jpeg, reason: reason)
        }
    }

    /// Reads a PNG's or WebP's dimensions from `head`, where they always lie within its first 30 bytes.
    private mutating func readHeader(of type: FileType, atEnd: Bool) -> FileRefusal? {
        switch type == .png ? ImageHeader.png(head) : ImageHeader.webp(head) {
        case .needMore: return atEnd ? .malformed(type, reason: "it ends before its header does") : nil
        case .malformed(let reason): return .malformed(type, reason: reason)
        case .size(let width, let height): return decideImage(type, width: width, height: height)
        }
    }

    private mutating func decideImage(_ type: FileType, width: Int, height: Int) -> FileRefusal? {
        guard width > 0, height > 0 else { return .malformed(type, reason: "it declares an empty image") }
        guard width <= Self.maxImageSide, height <= Self.maxImageSide, width * height <= maxPixels else {
            return .imageTooLarge(width: width, height: height, limit: maxPixels)
        }
        progress = .decided(type, width: width, height: height)
        return nil
    }

    /// Says whether the refused content looks like binary data or like text in another encoding (a CSV saved as
    /// Windows-1251 by a spreadsheet), which its uploader can fix by saving it as UTF-8.
    private func describeNonText() -> String {
        if head.contains(where: TextValidator.isForbiddenControl) { return "unrecognised binary data" }
        guard let flaw = text.flaw else { return "unrecognised binary data" }
        return switch flaw.kind {
        case .invalidUTF8: "text that is not valid UTF-8 (at byte \(flaw.offset)); save it as UTF-8"
        case .controlCharacter: "text with a control character at byte \(flaw.offset)"
        }
    }

    // MARK: Concluding

    private mutating func conclude() -> Result<SniffedFile, FileRefusal> {
        guard size > 0 else { return .failure(.empty) }
        text.finish()
        if case .undecided = progress, let refusal = classify(atEnd: true, unkept: UnsafeBufferPointer(start: nil, count: 0)) {
            return .failure(refusal)
        }
        if case .awaitingHeader(let type) = progress, let refusal = readHeader(of: type, atEnd: true) { return .failure(refusal) }
        switch progress {
        case .decided(let type, let width, let height):
            return .success(SniffedFile(type: type, size: size, width: width, height: height))
        case .scanningJPEG:
            return .failure(.malformed(.jpeg, reason: "it ends before declaring its dimensions"))
        case .awaitingHeader(let type):
            return .failure(.malformed(type, reason: "it ends before its header does"))
        case .undecided:
            // Valid UTF-8 text to its end, or classify would have refused it.
            let looksLikeCSV = CSVShape.matches(head, isWholeFile: size == head.count)
            let type: FileType = looksLikeCSV && allowed.contains(.csv) ? .csv : .text
            guard allowed.contains(type) else { return .failure(.typeNotAllowed(type)) }
            return .success(SniffedFile(type: type, size: size))
        }
    }
}

/// A name an uploader gave a file, checked for display (DESIGN §11). It is never used as a path: files are stored
/// under their SHA-256. The checks refuse what could still mislead: a path, a hidden control, a reversed extension.
public struct FileDisplayName: Hashable, Sendable, CustomStringConvertible {
    public static let maxBytes = 255

    public let value: String

    public init(_ name: String) throws(FileNameRefusal) {
        guard !name.allSatisfy(\.isWhitespace) else { throw .empty }
        guard name.utf8.count <= Self.maxBytes else { throw .tooLong(bytes: name.utf8.count, limit: Self.maxBytes) }
        guard !name.unicodeScalars.contains(where: Self.isHidden) else { throw .controlCharacter }
        let components = name.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }
        guard !components.contains("..") else { throw .parentDirectory }
        guard !name.contains(where: { $0 == "/" || $0 == "\\" }) else { throw .pathSeparator }
        value = name
    }

    public var description: String { value }

    /// Controls (NUL, C0, DEL, C1) and the bidirectional overrides that can show `exe.pdf` as `fdp.exe`.
    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }
}

/// Why an upload's name is refused; the API answers 422, as for any invalid field.
public enum FileNameRefusal: Error, Equatable, Sendable {
    case empty
    case tooLong(bytes: Int, limit: Int)
    case controlCharacter
    case parentDirectory
    case pathSeparator

    public var detail: String {
        switch self {
        case .empty: "the file name is empty"
        case .tooLong(let bytes, let limit): "the file name is \(bytes) bytes long in UTF-8, over the limit of \(limit)"
        case .controlCharacter: "the file name contains a control character"
        case .parentDirectory: "the file name contains “..” as a path component"
        case .pathSeparator: "the file name contains a slash or a backslash"
        }
    }
}

// MARK: - Readers of the first bytes

/// The signatures the sniffer knows, at the very start of the content.
private enum Signature {
    enum Match<Found> {
        case found(Found)
        /// The bytes so far are the start of a signature: wait for more.
        case partial
        case none
    }

    static let images: [(bytes: [UInt8?], found: FileType)] = [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], .png),
        ([0xFF, 0xD8, 0xFF], .jpeg),
        // RIFF, a 4-byte size, WEBP.
        ([0x52, 0x49, 0x46, 0x46, nil, nil, nil, nil, 0x57, 0x45, 0x42, 0x50], .webp),
    ]

    /// Content refused on sight, named in the refusal.
    static let refused: [(bytes: [UInt8?], found: String)] = [
        ([0x7F, 0x45, 0x4C, 0x46], "an ELF executable"),
        ([0x4D, 0x5A], "a Windows executable"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive"),
        ([0x1F, 0x8B], "a gzip archive"),
        ([0x47, 0x49, 0x46, 0x38], "a GIF image"),
    ]

    static func image(at head: [UInt8]) -> Match<FileType> { match(head, images) }

    static func refused(at head: [UInt8]) -> Match<String> { match(head, refused) }

    private static func match<Found>(_ head: [UInt8], _ table: [(bytes: [UInt8?], found: Found)]) -> Match<Found> {
        var partial = false
        for (bytes, found) in table {
            let common = min(head.count, bytes.count)
            guard zip(head.prefix(common), bytes.prefix(common)).allSatisfy({ $1 == nil || $0 == $1 }) else { continue }
            if common == bytes.count { return .found(found) }
            partial = true
        }
        return partial ? .partial : .none
    }

    static func hasPDFMarker(_ window: ArraySlice<UInt8>) -> Bool {
        let marker: [UInt8] = Array("%PDF-".utf8)
        guard window.count >= marker.count else { return false }
        return (window.startIndex...(window.endIndex - marker.count)).contains { window[$0..<$0 + marker.count].elementsEqual(marker) }
    }
}

/// Dimensions read from the fixed headers of PNG and WebP.
private enum ImageHeader {
    enum Outcome {
        case needMore
        case size(width: Int, height: Int)
        case malformed(String)
    }

    /// The signature, then an IHDR chunk of length 13 whose first fields are width and height, big-endian.
    static func png(_ head: [UInt8]) -> Outcome {
        guard head.count >= 24 else { return .needMore }
        guard bigEndian(head, 8, 4) == 13, head[12..<16].elementsEqual("IHDR".utf8) else {
            return .malformed("its first chunk is not a 13-byte IHDR header")
        }
        return .size(width: bigEndian(head, 16, 4), height: bigEndian(head, 20, 4))
    }

    /// RIFF header, then the first chunk: lossy VP8, lossless VP8L or extended VP8X, each storing its size its own way.
    static func webp(_ head: [UInt8]) -> Outcome {
        guard head.count >= 16 else { return .needMore }
        switch String(decoding: head[12..<16], as: UTF8.self) {
        case "VP8 ":
            // A 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height.
            guard head.count >= 30 else { return .needMore }
            guard head[23..<26].elementsEqual([0x9D, 0x01, 0x2A]) else { return .malformed("its VP8 frame has no start code") }
            return .size(width: littleEndian(head, 26, 2) & 0x3FFF, height: littleEndian(head, 28, 2) & 0x3FFF)
        case "VP8L":
            // The signature byte 2F, then 14 bits of width − 1 and 14 bits of height − 1.
            guard head.count >= 25 else { return .needMore }
            guard head[20] == 0x2F else { return .malformed("its VP8L stream has no signature") }
            let bits = littleEndian(head, 21, 4)
            return .size(width: (bits & 0x3FFF) + 1, height: (bits >> 14 & 0x3FFF) + 1)
        case "VP8X":
            // Flags and reserved bytes, then 24 bits of canvas width − 1 and of height − 1.
            guard head.count >= 30 else { return .needMore }
            return .size(width: littleEndian(head, 24, 3) + 1, height: littleEndian(head, 27, 3) + 1)
        default:
            return .malformed("its first chunk is none of VP8, VP8L or VP8X")
        }
    }

    private static func bigEndian(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int {
        bytes[start..<start + count].reduce(0) { $0 << 8 | Int($1) }
    }

    private static func littleEndian(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int {
        bytes[start..<start + count].reversed().reduce(0) { $0 << 8 | Int($1) }
    }
}

/// Walks a JPEG's segments from after its SOI marker to the first frame header (SOFn), which declares its size.
///
/// Fed in pieces as they arrive; it keeps no bytes but the frame header's five it is collecting.
private struct JPEGFrameScanner: Sendable {
    enum Outcome {
        case needMore
        case size(width: Int, height: Int)
        case malformed(String)
    }

    private enum State: Sendable {
        case marker
        case code
        case lengthHigh(code: UInt8)
        case lengthLow(code: UInt8, high: UInt8)
        case skipping(Int)
        case frame([UInt8])
    }

    private var state = State.marker
    /// Where the next byte lies in the file: the scan starts after the two bytes of SOI.
    private var offset = 2

    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard offset < FileSniffer.jpegWindow else { return .malformed("it declares no dimensions in its first 256 KiB") }
            let byte = bytes[index]
            switch state {
            case .marker:
                guard byte == 0xFF else { return .malformed("its segments are damaged") }
                state = .code
            case .code:
                switch byte {
                case 0xFF: break  // Fill bytes may precede a marker.
                case 0x01, 0xD0...0xD7: state = .marker  // Markers without a length.
                case 0x00, 0xD8, 0xD9, 0xDA: return .malformed("no frame header comes before its image data")
                default: state = .lengthHigh(code: byte)
                }
            case .lengthHigh(let code): state = .lengthLow(code: code, high: byte)
            case .lengthLow(let code, let high):
                let length = Int(high) << 8 | Int(byte)
                if Self.isFrameHeader(code) {
                    guard length >= 8 else { return .malformed("its frame header is too short") }
                    state = .frame([])
                } else {
                    guard length >= 2 else { return .malformed("its segments are damaged") }
                    state = length == 2 ? .marker : .skipping(length - 2)
                }
            case .skipping(let remaining):
                let skipped = min(remaining, bytes.endIndex - index, FileSniffer.jpegWindow - offset)
                index += skipped
                offset += skipped
                state = remaining == skipped ? .marker : .skipping(remaining - skipped)
                continue
            case .frame(var fields):
                // Sample precision, then height and width, big-endian.
                fields.append(byte)
                guard fields.count == 5 else {
                    state = .frame(fields)
                    break
                }
                return .size(width: Int(fields[3]) << 8 | Int(fields[4]), height: Int(fields[1]) << 8 | Int(fields[2]))
            }
            index += 1
            offset += 1
        }
        return .needMore
    }

    /// SOF0 to SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    private static func isFrameHeader(_ code: UInt8) -> Bool {
        (0xC0...0xCF).contains(code) && code != 0xC4 && code != 0xC8 && code != 0xCC
    }
}

/// Checks UTF-8 incrementally, a sequence split between two pieces included, and refuses controls other than
/// TAB, LF, FF and CR: what a person can read and a spreadsheet can open.
private struct TextValidator: Sendable {
    enum Kind: Sendable {
        case invalidUTF8
        case controlCharacter
    }

    struct Flaw: Sendable {
        let kind: Kind
        let offset: Int
    }

    private(set) var flaw: Flaw?
    private var offset = 0
    /// Continuation bytes still expected, and the range the next one must lie in (narrower after E0, ED, F0, F4,
    /// which is how overlong forms, surrogates and code points beyond U+10FFFF are refused).
    private var pending = 0
    private var low: UInt8 = 0x80
    private var high: UInt8 = 0xBF

    static func isForbiddenControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0C && byte != 0x0D) || byte == 0x7F
    }

    mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard flaw == nil else { return }
        for byte in bytes {
            if pending > 0 {
                guard (low...high).contains(byte) else { return fail(.invalidUTF8) }
                pending -= 1
                low = 0x80
                high = 0xBF
            } else if byte < 0x80 {
                if Self.isForbiddenControl(byte) { return fail(.controlCharacter) }
            } else {
                switch byte {
                case 0xC2...0xDF: pending = 1
                case 0xE0: (pending, low) = (2, 0xA0)
                case 0xE1...0xEC, 0xEE, 0xEF: pending = 2
                case 0xED: (pending, high) = (2, 0x9F)
                case 0xF0: (pending, low) = (3, 0x90)
                case 0xF1...0xF3: pending = 3
                case 0xF4: (pending, high) = (3, 0x8F)
                default: return fail(.invalidUTF8)
                }
            }
            offset += 1
        }
    }

    /// A sequence still open at the end is a truncated character.
    mutating func finish() {
        if flaw == nil && pending > 0 { fail(.invalidUTF8) }
    }

    private mutating func fail(_ kind: Kind) {
        flaw = Flaw(kind: kind, offset: offset)
    }
}

/// Tells a CSV from plain text by its first lines (at most 8 KiB of them, at least two): each holds the same number,
/// not zero, of one separator among comma, semicolon and TAB, outside double quotes.
private enum CSVShape {
    static let separators: [UInt8] = [0x2C, 0x3B, 0x09]

    static func matches(_ head: [UInt8], isWholeFile: Bool) -> Bool {
        var lines: [[Int]] = []
        var counts = [0, 0, 0]
        var length = 0
        var quoted = false
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        for byte in head.starts(with: bom) ? head.dropFirst(3) : head[...] {
            if byte == 0x22 {
                quoted.toggle()  // A doubled quote inside a field toggles twice.
            } else if byte == 0x0A && !quoted {
                if length > 0 { lines.append(counts) }
                (counts, length) = ([0, 0, 0], 0)
                continue
            } else if !quoted, let which = separators.firstIndex(of: byte) {
                counts[which] += 1
            }
            if byte != 0x0D { length += 1 }
        }
        // The last line counts only if the file ends with it; otherwise the 8 KiB cut may have shortened it.
        if isWholeFile && length > 0 { lines.append(counts) }
        guard lines.count >= 2, let first = lines.first else { return false }
        return separators.indices.contains { which in first[which] > 0 && lines.allSatisfy { $0[which] == first[which] } }
    }
}
