import Foundation

/// One language's texts: every text people read, under a namespaced key (`share.title`,
/// `letter.summary.counts`, `plural.items`), with `{name}` placeholders. A catalog is a JSON file
/// in `Localization/Catalogs/` named after its language (`ru.json`):
///
/// ```json
/// { "language": "ru", "locale": "ru_RU",
///   "texts": { "share.title": "Финальный список исправлений",
///              "plural.items": { "one": "{count} пункт", "few": "{count} пункта",
///                                "many": "{count} пунктов", "other": "{count} пункта" } } }
/// ```
///
/// A text is a string, or an object with one string per plural category of the language
/// (`PluralRule`). `locale` names the conventions for dates (month names); the date patterns
/// themselves are texts too (`format.date`, `format.dateTime`).
public struct Catalog: Sendable {
    public let language: String
    public let locale: Locale
    public let entries: [String: CatalogEntry]

    public init(language: String, locale: Locale, entries: [String: CatalogEntry]) {
        self.language = language
        self.locale = locale
        self.entries = entries
    }

    public var pluralRule: PluralRule { PluralRule.forLanguage(language) }

    /// This catalog with the texts of another file of the same language added.
    func merging(_ other: Catalog) throws -> Catalog {
        var entries = self.entries
        for (key, entry) in other.entries {
            guard entries.updateValue(entry, forKey: key) == nil else { throw CatalogError.duplicateKey(language: language, key: key) }
        }
        return Catalog(language: language, locale: locale, entries: entries)
    }

    /// Reads a catalog file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CatalogError.unreadable(file: url.lastPathComponent, reason: "\(error)")
        }
        try self.init(data: data, name: url.lastPathComponent)
    }

    /// Reads a catalog from the text of its file, `name` being the file's name for errors.
    public init(data: Data, name: String) throws {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw CatalogError.unreadable(file: name, reason: "\(error)")
        }
        self.init(language: file.language, locale: Locale(identifier: file.locale), entries: file.texts)
    }

    private struct File: Decodable {
        let language: String
        let locale: String
        let texts: [String: CatalogEntry]
    }
}

/// A catalog's text: one string, or one string per plural category.
public enum CatalogEntry: Sendable, Equatable, Decodable {
    case text(String)
    case plural([PluralCategory: String])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
            return
        }
        let forms = try container.decode([String: String].self)
        var plural: [PluralCategory: String] = [:]
        for (name, text) in forms {
            guard let category = PluralCategory(rawValue: name) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(name)' is not a CLDR plural category")
            }
            plural[category] = text
        }
        self = .plural(plural)
    }

    /// Every string of the entry: the text, or each plural form.
    public var strings: [String] {
        switch self {
        case .text(let text): [text]
        case .plural(let forms): PluralCategory.allCases.compactMap { forms[$0] }
        }
    }
}

public enum CatalogError: Error, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case misnamed(file: String, language: String)
    case noDefaultLanguage(String)
    case duplicateKey(language: String, key: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "catalog \(file) cannot be read: \(reason)"
        case .misnamed(let file, let language): "catalog \(file) says its language is '\(language)': name the file after it"
        case .noDefaultLanguage(let language): "there is no catalog for the default language '\(language)'"
        case .duplicateKey(let language, let key): "two '\(language)' catalog files give the text '\(key)'"
        }
    }
}
