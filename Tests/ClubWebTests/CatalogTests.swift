import ClubCore
import Foundation
import Testing

/// Every language says everything (DESIGN §9): the catalogs have the same keys, each plural text
/// gives the forms its language needs, and every key a template or the code asks for exists.
@Suite("Catalogs")
struct CatalogTests {
    static let catalogs = Catalogs.bundled
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func russianAndEnglishAreBuiltIn() {
        #expect(Self.catalogs.languages == ["en", "ru"])
    }

    @Test func everyCatalogHasTheKeysOfEveryOther() {
        let all = Set(Self.catalogs.byLanguage.values.flatMap(\.entries.keys))
        for catalog in Self.catalogs.byLanguage.values {
            let missing = all.subtracting(catalog.entries.keys).sorted()
            #expect(missing == [], "\(catalog.language).json lacks keys other catalogs have")
        }
    }

    @Test func aKeyIsATextInEveryLanguageOrAPluralInEvery() {
        for key in Self.catalogs.byLanguage[Catalogs.defaultLanguage]?.entries.keys.sorted() ?? [] {
            let kinds = Set(
                Self.catalogs.byLanguage.values.map { catalog -> String in
                    if case .plural = catalog.entries[key] { return "plural" }
                    return "text"
                }
            )
            #expect(kinds.count == 1, "\(key) is a plural in one catalog and a text in another")
        }
    }

    /// English gives `one` and `other`, Russian `one`, `few`, `many` and `other`: no form missing,
    /// none its language never uses.
    @Test func everyPluralGivesExactlyTheFormsOfItsLanguage() {
        for catalog in Self.catalogs.byLanguage.values {
            for (key, entry) in catalog.entries {
                guard case .plural(let forms) = entry else { continue }
                #expect(Set(forms.keys) == Set(catalog.pluralRule.categories), "\(catalog.language): \(key)")
            }
        }
    }

    /// A translation may move a placeholder but not drop or invent one.
    @Test func everyLanguageFillsTheSamePlaceholders() throws {
        let placeholder = try Regex(#"\{([A-Za-z]+)\}"#)
        func names(_ entry: CatalogEntry?) -> Set<String> {
            Set((entry?.strings ?? []).flatMap { $0.matches(of: placeholder).compactMap { $0.output[1].substring.map(String.init) } })
        }
        let english = try #require(Self.catalogs.byLanguage[Catalogs.defaultLanguage])
        for catalog in Self.catalogs.byLanguage.values {
            for key in english.entries.keys.sorted() {
                #expect(names(catalog.entries[key]) == names(english.entries[key]), "\(catalog.language): \(key)")
            }
        }
    }

    /// Every `{{t.key}}` of a template, wherever a template lives under Sources/.
    static func templateKeys() throws -> [(file: String, key: String)] {
        let usage = try Regex(#"\{\{[#^/&{]?\s*t\.([A-Za-z0-9_.]+)\s*\}"#)
        return try sourceFiles(extensions: ["swift", "mustache", "html"]).flatMap { file, text in
            text.matches(of: usage).compactMap { match in match.output[1].substring.map { (file, String($0)) } }
        }
    }

    /// Every string literal in Swift code under Sources/ that has the shape of a key in one of
    /// the catalogs' namespaces (`"share.gone.title"`, `"letter.position.accept"`).
    static func codeKeys() throws -> [(file: String, key: String)] {
        let namespaces = Set(catalogs.byLanguage.values.flatMap(\.entries.keys).compactMap { $0.split(separator: ".").first.map(String.init) })
        let literal = try Regex(#""([a-z]+(?:\.[A-Za-z]+)+)""#)
        return try sourceFiles(extensions: ["swift"]).flatMap { file, text in
            text.matches(of: literal).compactMap { match -> (String, String)? in
                guard let key = match.output[1].substring.map(String.init),
                    let namespace = key.split(separator: ".").first, namespaces.contains(String(namespace))
                else { return nil }
                return (file, key)
            }
        }
    }

    static func sourceFiles(extensions: Set<String>) throws -> [(String, String)] {
        let sources = root.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil) else { return [] }
        var files: [(String, String)] = []
        for case let url as URL in walker where extensions.contains(url.pathExtension) {
            files.append((url.path.replacingOccurrences(of: root.path + "/", with: ""), try String(contentsOf: url, encoding: .utf8)))
        }
        return files
    }

    @Test func everyKeyATemplateUsesIsInEveryCatalog() throws {
        let used = try Self.templateKeys()
        #expect(used.count > 10, "the scan finds the share page's keys: \(used.count)")
        #expect(used.contains { $0.key == "share.title" })
        for (file, key) in used {
            for catalog in Self.catalogs.byLanguage.values {
                #expect(catalog.entries[key] != nil, "\(file) uses {{t.\(key)}}, which \(catalog.language).json lacks")
            }
        }
    }

    @Test func everyKeyTheCodeNamesIsInEveryCatalog() throws {
        let used = try Self.codeKeys()
        #expect(used.contains { $0.key == "letter.summary.counts" } && used.contains { $0.key == "share.gone.title" })
        for (file, key) in used {
            for catalog in Self.catalogs.byLanguage.values {
                #expect(catalog.entries[key] != nil, "\(file) names \"\(key)\", which \(catalog.language).json lacks")
            }
        }
    }

    /// Keys the code builds from a value rather than spells: a password's reasons, roles, statuses.
    @Test func everyKeyBuiltFromAValueIsInEveryCatalog() {
        let built =
            PasswordPolicy.Problem.allCases.map { "console.password." + $0.rawValue }
            + (Role.allCases.map(\.rawValue) + ["head"]).map { "console.role." + $0 }
            + PersonStatus.allCases.map { "console.status." + $0.rawValue }
            + Rule.allCases.map { "rule." + $0.rawValue }
        for key in built {
            for catalog in Self.catalogs.byLanguage.values {
                #expect(catalog.entries[key] != nil, "\(catalog.language).json lacks \"\(key)\"")
            }
        }
    }

    /// A third language needs nothing but its file: a German catalog in the folder is offered,
    /// chosen from `Accept-Language` and counted by its own rule.
    @Test func aThirdLanguageIsOneMoreFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalogs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for language in Self.catalogs.languages {
            try Data(contentsOf: Self.root.appendingPathComponent("Sources/ClubCore/Localization/Catalogs/\(language).json"))
                .write(to: folder.appendingPathComponent("\(language).json"))
        }
        try #"{"language": "de", "locale": "de_DE", "texts": {"plural.items": {"one": "{count} Punkt", "other": "{count} Punkte"}}}"#
            .write(to: folder.appendingPathComponent("de.json"), atomically: true, encoding: .utf8)
        let catalogs = try Catalogs(directory: folder)
        #expect(catalogs.languages == ["de", "en", "ru"])
        #expect(catalogs.choose(acceptLanguage: "de-CH, en;q=0.5") == "de")
        #expect(catalogs.localizer(for: "de").plural("plural.items", count: 3) == "3 Punkte")
        #expect(catalogs.localizer(for: "de").text("share.title") == "Final correction list", "a missing text falls back to English")
    }

    @Test func aCatalogNamedAfterAnotherLanguageIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalogs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try #"{"language": "en", "locale": "en_GB", "texts": {}}"#.write(
            to: folder.appendingPathComponent("fr.json"),
            atomically: true,
            encoding: .utf8
        )
        #expect(throws: CatalogError.self) { try Catalogs(directory: folder) }
    }

    /// The files in the source tree are the ones the program reads.
    @Test func theBundledCatalogsAreTheSourceFiles() throws {
        let sources = try Catalogs(directory: Self.root.appendingPathComponent("Sources/ClubCore/Localization/Catalogs"))
        for (language, catalog) in sources.byLanguage {
            #expect(Self.catalogs.byLanguage[language]?.entries == catalog.entries, "rebuild: \(language).json changed")
        }
    }
}
