import ClubCore
import Foundation
import Hummingbird

/// Helpers shared by the fix list and complaint pages: repeatable form rows and the store's
/// field names brought back to the inputs that carried them.
enum MediationForms {
    /// How many empty rows a repeatable part of a form offers (items, plan steps).
    static let rows = 5

    /// The row indices a form sent for `prefix` (`items[3].statement` → 3), in order.
    static func indices(_ form: FormFields, prefix: String) -> [Int] {
        let numbers = form.pairs.compactMap { pair -> Int? in
            guard pair.name.hasPrefix(prefix + "[") else { return nil }
            let rest = pair.name.dropFirst(prefix.count + 1)
            guard let close = rest.firstIndex(of: "]") else { return nil }
            return Int(rest[rest.startIndex..<close])
        }
        return Array(Set(numbers)).filter { $0 >= 0 && $0 < Limits.listCount }.sorted()
    }

    /// Runs `body`, renaming each field the store names: the store numbers only the rows it was
    /// given, the form numbers every row it showed (empty ones are skipped).
    static func relabeled<T>(_ rename: (String) -> String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch DomainError.invalid(let errors) {
            throw DomainError.invalid(errors.map { FieldError(field: rename($0.field), message: $0.message) })
        }
    }

    /// `items[1].acceptance` → `items[3].acceptance` when the store's row 1 was the form's row 3.
    static func rowRenamer(_ prefix: String, rows: [Int]) -> (String) -> String {
        { field in
            guard field.hasPrefix(prefix + "["), let close = field.firstIndex(of: "]"),
                let index = Int(field[field.index(field.startIndex, offsetBy: prefix.count + 1)..<close]), rows.indices.contains(index)
            else { return field }
            return "\(prefix)[\(rows[index])]" + field[field.index(after: close)...]
        }
    }

    /// `facts[2]` → `facts`: a list typed one entry per line has one input.
    static func listRenamer(_ lists: Set<String>) -> (String) -> String {
        { field in
            guard let open = field.firstIndex(of: "["), lists.contains(String(field[..<open])) else { return field }
            return String(field[..<open])
        }
    }
}

/// A form the store refused because its sender may not see the object or never do the action.
private struct MediationRefusal: Error {}

extension ConsoleController {
    /// `submit`, answering a refusal of the store (what the sender may not see, or may never do)
    /// with the console's 404 page, as a page of the same object would be answered.
    func mediationSubmit(
        _ request: Request,
        _ context: Context,
        current: String,
        confirm: ConfirmStep? = nil,
        render: @escaping (SignedIn, PageLanguage, FormContext) async throws -> RenderedPage,
        perform: @escaping (SignedIn, inout FormReader) async throws -> String
    ) async throws -> Response {
        do {
            return try await submit(request, context, current: current, confirm: confirm, render: render) { signedIn, reader in
                do {
                    return try await perform(signedIn, &reader)
                } catch DomainError.forbidden, DomainError.notFound {
                    throw MediationRefusal()
                }
            }
        } catch is MediationRefusal {
            guard let signedIn = try await signedIn(request) else { return PageSecurity.redirect(to: "/sign-in") }
            return notice(
                language(request, signedIn),
                signedIn,
                status: .notFound,
                title: "console.notFound.title",
                message: "console.notFound.message"
            )
        }
    }
}
