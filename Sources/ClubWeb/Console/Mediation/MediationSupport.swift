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
