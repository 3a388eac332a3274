import ClubCore
import ClubStore
import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// Why an upload form was refused before its file reached the store.
enum UploadProblem: Error, Equatable {
    /// No `multipart/form-data` with a usable boundary: not sent by our form.
    case badForm
    /// The file part came before a valid CSRF token, or the token never came: nothing was written.
    case forged
    /// The form was sent without a file chosen.
    case noFile
    /// More than one file in one form.
    case secondFile
    case refused(FileRefusal)
}

/// The upload form of the console (docs/design.md §11.5), read as it streams: `csrf` first, then the other fields,
/// then the file, whose bytes go to the vault's `FileUpload` piece by piece, never held whole.
///
/// The CSRF token is checked as soon as its part ends, and a file part before it is refused before a byte of it is
/// written, so a forged form leaves nothing behind. Fields other than the file are small, and the whole body is held
/// to the file's limit plus a little, so that no part, header or field can grow without end.
struct UploadForm {
    /// The longest boundary RFC 2046 allows.
    static let maxBoundary = 70
    static let maxFieldBytes = 16 * 1024
    /// What the fields, headers and boundaries may add to the file's own bytes.
    static let overhead = 256 * 1024

    let staged: StagedFile
    /// The name the browser gave the file (Content-Disposition `filename`), for display only.
    let fileName: String
    /// The part's Content-Type, which is no more than a claim to check against the content.
    let contentType: String?
    let fields: [String: String]

    /// The boundary of a `multipart/form-data` Content-Type, if it has a usable one.
    static func boundary(of contentType: String?) -> String? {
        guard let contentType else { return nil }
        let parameters = HeaderParameters(contentType)
        guard parameters.value.lowercased() == "multipart/form-data", let boundary = parameters["boundary"],
            !boundary.isEmpty, boundary.count <= maxBoundary
        else { return nil }
        return boundary
    }

    /// Reads `body` into the vault; throws `UploadProblem` for every refusal, having removed whatever it wrote.
    static func read(
        _ body: RequestBody,
        contentType: String?,
        csrfSecret: String,
        vault: FileVault,
        sniffer: FileSniffer,
        limits: FileLimits
    ) async throws -> UploadForm {
        guard let boundary = boundary(of: contentType) else { throw UploadProblem.badForm }
        let parts = PartReader(csrfSecret: csrfSecret, vault: vault, sniffer: sniffer, limits: limits)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in parts.header(name, value) }
        parser.onBody = { buffer in parts.body(&buffer) }
        parser.onPartComplete = { parts.complete() }
        let limit = sniffer.maxBytes + overhead
        var total = 0
        do {
            for try await chunk in body {
                total += chunk.readableBytes
                guard total <= limit else { throw UploadProblem.refused(limits.refusalForBody(over: sniffer.maxBytes)) }
                do {
                    try parser.execute(chunk)
                } catch {
                    throw UploadProblem.badForm
                }
                if let failure = parts.failure { throw failure }
            }
            if let failure = parts.failure { throw failure }
            guard parts.csrfValid else { throw UploadProblem.forged }
            guard let staged = parts.staged else { throw UploadProblem.noFile }
            return UploadForm(staged: staged, fileName: parts.fileName ?? "", contentType: parts.fileType, fields: parts.fields)
        } catch {
            parts.abandon()
            throw error
        }
    }
}

/// The parser's callbacks: which part is being read, the fields so far, and the upload of the file part.
///
/// Used by the one task reading the body, through the parser's synchronous callbacks; a failure is kept and thrown
/// by that task after the piece it came from, and every later byte is ignored.
private final class PartReader {
    private let csrfSecret: String
    private let vault: FileVault
    private let sniffer: FileSniffer
    private let limits: FileLimits

    private var headers: [(name: String, value: String)] = []
    private var current: Part?
    private(set) var fields: [String: String] = [:]
    private(set) var csrfValid = false
    private(set) var failure: UploadProblem?
    private(set) var staged: StagedFile?
    private(set) var fileName: String?
    private(set) var fileType: String?
    /// Whether the file part had any bytes: a browser sends an empty part with an empty name when none was chosen.
    private var hasBytes = false

    private enum Part {
        case field(name: String, bytes: [UInt8])
        case file(FileUpload)
        /// A part after a failure, or one without a name: read past.
        case skipped
    }

    init(csrfSecret: String, vault: FileVault, sniffer: FileSniffer, limits: FileLimits) {
        self.csrfSecret = csrfSecret
        self.vault = vault
        self.sniffer = sniffer
        self.limits = limits
    }

    func header(_ name: String, _ value: String) {
        headers.append((name, value))
    }

    func body(_ buffer: inout ByteBuffer) {
        let part = begin()
        switch part {
        case .field(let name, var bytes):
            bytes.append(contentsOf: buffer.readableBytesView)
            if bytes.count > UploadForm.maxFieldBytes {
                fail(.badForm)
            } else {
                current = .field(name: name, bytes: bytes)
            }
        case .file(let upload):
            hasBytes = hasBytes || buffer.readableBytes > 0
            do {
                try buffer.withUnsafeReadableBytes { try upload.write($0) }
            } catch let refusal as FileRefusal {
                fail(.refused(refusal.isAboutSize ? limits.refusalForBody(over: upload.limit) : refusal))
            } catch {
                fail(.badForm)
            }
        case .skipped:
            break
        }
        buffer.moveReaderIndex(to: buffer.writerIndex)
    }

    func complete() {
        switch begin() {
        case .field(let name, let bytes):
            let value = String(decoding: bytes, as: UTF8.self)
            fields[name] = value
            if name == "csrf" { csrfValid = SessionSecret.isValid(csrfToken: value, for: csrfSecret) }
        case .file(let upload):
            do {
                if fileName == "", !hasBytes {
                    upload.abandon()
                    fail(.noFile)
                } else {
                    staged = try upload.finish()
                }
            } catch let refusal as FileRefusal {
                upload.abandon()
                fail(.refused(refusal))
            } catch {
                upload.abandon()
                fail(.badForm)
            }
        case .skipped:
            break
        }
        headers = []
        current = nil
        hasBytes = false
    }

    /// Removes what was written: an unfinished upload, or a finished one the request will not use.
    func abandon() {
        if case .file(let upload) = current { upload.abandon() }
        current = .skipped
        if let staged { vault.discard(staged) }
        staged = nil
    }

    /// The current part, decided from its headers when its first bytes (or its end) arrive.
    private func begin() -> Part {
        if let current { return current }
        let part = decide()
        current = part
        return part
    }

    private func decide() -> Part {
        guard failure == nil else { return .skipped }
        let disposition = headers.first { $0.name.lowercased() == "content-disposition" }.map { HeaderParameters($0.value) }
        guard let disposition, let name = disposition["name"] else { return .skipped }
        guard let filename = disposition.filename else { return .field(name: name, bytes: []) }
        // The token must have come, and matched, before a byte of the file is written (docs/design.md §11.5).
        guard csrfValid else {
            fail(.forged)
            return .skipped
        }
        guard staged == nil else {
            fail(.secondFile)
            return .skipped
        }
        do {
            let upload = try vault.beginUpload(sniffer: sniffer)
            fileName = filename
            fileType = headers.first { $0.name.lowercased() == "content-type" }?.value
            return .file(upload)
        } catch {
            fail(.badForm)
            return .skipped
        }
    }

    private func fail(_ problem: UploadProblem) {
        if failure == nil { failure = problem }
        if case .file(let upload) = current { upload.abandon() }
        current = .skipped
    }
}

/// A header value with its parameters, as Content-Type and Content-Disposition write them:
/// `form-data; name="file"; filename="shot.png"`.
///
/// Browsers quote names as the HTML standard says: `"` as `%22`, line breaks as `%0D` and `%0A`, and a backslash as
/// itself, so a backslash escapes nothing here. `filename*` (RFC 5987), when a client sends it, is preferred.
struct HeaderParameters {
    let value: String
    private let parameters: [String: String]

    init(_ header: String) {
        var rest = Substring(header)
        value = String(rest.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces)
        rest = rest.drop { $0 != ";" }
        var parameters: [String: String] = [:]
        while rest.first == ";" {
            rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
            let name = rest.prefix { $0 != "=" && $0 != ";" }.trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest.dropFirst(rest.prefix { $0 != "=" && $0 != ";" }.count)
            guard rest.first == "=" else { continue }
            rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
            let parameterValue: String
            if rest.first == "\"" {
                let quoted = rest.dropFirst().prefix { $0 != "\"" }
                parameterValue = String(quoted)
                rest = rest.dropFirst(quoted.count + 1)
                if rest.first == "\"" { rest = rest.dropFirst() }
                rest = rest.drop { $0 != ";" }
            } else {
                let token = rest.prefix { $0 != ";" }
                parameterValue = token.trimmingCharacters(in: .whitespaces)
                rest = rest.dropFirst(token.count)
            }
            if !name.isEmpty, parameters[name] == nil { parameters[name] = parameterValue }
        }
        self.parameters = parameters
    }

    subscript(name: String) -> String? { parameters[name.lowercased()] }

    /// The file name of a file part, decoded; nil for a part that is not a file.
    var filename: String? {
        if let extended = self["filename*"], let decoded = Self.extended(extended) { return decoded }
        guard let plain = self["filename"] else { return nil }
        return plain.replacingOccurrences(of: "%22", with: "\"").replacingOccurrences(of: "%0D", with: "\r")
            .replacingOccurrences(of: "%0A", with: "\n")
    }

    /// `UTF-8''na%C3%AFve.png` → `naïve.png`.
    private static func extended(_ value: String) -> String? {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].lowercased() == "utf-8" else { return nil }
        return String(pieces[2]).removingPercentEncoding
    }
}
