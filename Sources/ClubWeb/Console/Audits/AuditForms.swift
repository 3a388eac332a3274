import ClubCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Repeatable rows of the audit form, and the store's field names brought back to the inputs
/// that carried them (the store numbers only the rows it was given; empty rows are skipped).
enum AuditForms {
    /// Rows of findings a new audit form offers.
    static let rows = 6

    /// The row indices a form sent under `prefix` (`findings[3].statement` → 3), in order.
    static func indices(_ form: FormFields, prefix: String) -> [Int] {
        let numbers = form.pairs.compactMap { pair -> Int? in
            guard pair.name.hasPrefix(prefix + "[") else { return nil }
            let rest = pair.name.dropFirst(prefix.count + 1)
            guard let close = rest.firstIndex(of: "]") else { return nil }
            return Int(rest[rest.startIndex..<close])
        }
        return Array(Set(numbers)).filter { $0 >= 0 && $0 < Limits.listCount }.sorted()
    }

    /// `findings[1].category` → `findings[3].category` when the store's row 1 was the form's row 3.
    static func renamed(_ field: String, prefix: String, rows: [Int]) -> String {
        guard field.hasPrefix(prefix + "["), let close = field.firstIndex(of: "]"),
            let index = Int(field[field.index(field.startIndex, offsetBy: prefix.count + 1)..<close]), rows.indices.contains(index)
        else { return field }
        return "\(prefix)[\(rows[index])]" + field[field.index(after: close)...]
    }

    /// Runs `body`, renaming each field the store names with `rename`.
    static func relabeled<T>(_ rename: (String) -> String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch DomainError.invalid(let errors) {
            throw DomainError.invalid(errors.map { FieldError(field: rename($0.field), message: $0.message) })
        }
    }
}

extension ConsoleController {
    /// The audits, the reports and the journal are the club's own: a studio or a client is told
    /// "not found" (DESIGN §2), as for anything its role may not see.
    func requireCoordinator(_ signedIn: SignedIn) throws {
        guard signedIn.person.role == .coordinator else { throw DomainError.notFound(entity: "page", id: "coordinators") }
    }

    /// A form posted by someone who is not a coordinator: 404, nothing read, nothing changed.
    func refusedUnlessCoordinator(_ request: Request) async throws -> Response? {
        guard let signedIn = try await signedIn(request), signedIn.person.role != .coordinator else { return nil }
        return notice(language(request, signedIn), signedIn, status: .notFound, title: "console.notFound.title", message: "console.notFound.message")
    }

    /// A file to download (a letter, a CSV): the page's headers, and `attachment` with its name.
    static func download(_ text: String, type: String, filename: String, language: String? = nil, policy: String? = nil) -> Response {
        var headers: HTTPFields = [
            .contentType: type,
            .contentDisposition: "attachment; filename=\"\(filename)\"",
            .cacheControl: "no-store",
            .referrerPolicy: "no-referrer",
            .contentTypeOptions: "nosniff",
            .contentSecurityPolicy: policy ?? "default-src 'none'; frame-ancestors 'none'",
        ]
        if let language { headers[.contentLanguage] = language }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A download behind a coordinator's session: sign-in first, 404 for other roles and for
    /// what does not exist.
    func coordinatorDownload(_ request: Request, _ body: (SignedIn, PageLanguage) async throws -> Response) async throws -> Response {
        try await sessionDownload(request) { signedIn, language in
            try requireCoordinator(signedIn)
            return try await body(signedIn, language)
        }
    }

    /// A download behind any session: what the store refuses the reader, or what does not exist,
    /// is 404 (an audit's letter for its studio and client, as the store's `readAudit` allows).
    func sessionDownload(_ request: Request, _ body: (SignedIn, PageLanguage) async throws -> Response) async throws -> Response {
        guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
        let language = language(request, signedIn)
        do {
            return try await body(signedIn, language)
        } catch DomainError.notFound, DomainError.forbidden {
            return notice(language, signedIn, status: .notFound, title: "console.notFound.title", message: "console.notFound.message")
        }
    }
}
