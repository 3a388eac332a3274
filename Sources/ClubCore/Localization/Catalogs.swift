import Foundation

/// Every language the club speaks: one catalog per language, read from the JSON files of
/// `Localization/Catalogs/`, which SwiftPM compiles into the binary. A third language is one
/// more file there and its line in `embedded` (a test fails while a file is not listed).
///
/// A language's texts may be split by area: `ru.json` and `ru.requests.json` are both Russian
/// (the name before the first dot is the language) and are read as one catalog; a key given by
/// two files of one language is refused.
public struct Catalogs: Sendable {
    /// The language of a page or letter when nobody asked for one, and the catalog a text
    /// missing elsewhere falls back on (the catalog tests make that never happen).
    public static let defaultLanguage = "en"

    public let byLanguage: [String: Catalog]

    public init(_ catalogs: [Catalog]) throws {
        var merged: [String: Catalog] = [:]
        for catalog in catalogs {
            guard let earlier = merged[catalog.language] else {
                merged[catalog.language] = catalog
                continue
            }
            merged[catalog.language] = try earlier.merging(catalog)
        }
        byLanguage = merged
        guard byLanguage[Self.defaultLanguage] != nil else { throw CatalogError.noDefaultLanguage(Self.defaultLanguage) }
    }

    /// Every `*.json` in `directory`, each named after its language.
    public init(directory: URL) throws {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
        let catalogs = try files.map { file in
            let catalog = try Catalog(contentsOf: file)
            guard catalog.language == Self.language(ofFile: file.lastPathComponent) else {
                throw CatalogError.misnamed(file: file.lastPathComponent, language: catalog.language)
            }
            return catalog
        }
        try self.init(catalogs)
    }

    /// The catalog files compiled into this program (`.embedInCode` in Package.swift), by name.
    static let embedded: [(name: String, bytes: [UInt8])] = [
        ("en.json", PackageResources.en_json),
        ("ru.json", PackageResources.ru_json),
        ("en.requests.json", PackageResources.en_requests_json),
        ("ru.requests.json", PackageResources.ru_requests_json),
        ("en.studios.json", PackageResources.en_studios_json),
        ("ru.studios.json", PackageResources.ru_studios_json),
        ("en.engagements.json", PackageResources.en_engagements_json),
        ("ru.engagements.json", PackageResources.ru_engagements_json),
        ("en.audits.json", PackageResources.en_audits_json),
        ("ru.audits.json", PackageResources.ru_audits_json),
        ("en.records.json", PackageResources.en_records_json),
        ("en.mediation.json", PackageResources.en_mediation_json),
        ("ru.mediation.json", PackageResources.ru_mediation_json),
        ("ru.records.json", PackageResources.ru_records_json),
        ("en.studio.json", PackageResources.en_studio_json),
        ("ru.studio.json", PackageResources.ru_studio_json),
        ("en.parties.json", PackageResources.en_parties_json),
        ("ru.parties.json", PackageResources.ru_parties_json),
        ("en.notices.json", PackageResources.en_notices_json),
        ("ru.notices.json", PackageResources.ru_notices_json),
        ("en.notify.json", PackageResources.en_notify_json),
        ("ru.notify.json", PackageResources.ru_notify_json),
        ("en.settings.json", PackageResources.en_settings_json),
        ("ru.settings.json", PackageResources.ru_settings_json),
        ("en.files.json", PackageResources.en_files_json),
        ("ru.files.json", PackageResources.ru_files_json),
    ]

    /// The catalogs built into this program. A broken catalog is a build defect, caught by the
    /// catalog tests, so this stops the program rather than speaking a language half.
    public static let bundled: Catalogs = {
        do {
            return try Catalogs(
                embedded.map { file in
                    let catalog = try Catalog(data: Data(file.bytes), name: file.name)
                    guard catalog.language == Self.language(ofFile: file.name) else {
                        throw CatalogError.misnamed(file: file.name, language: catalog.language)
                    }
                    return catalog
                }
            )
        } catch {
            preconditionFailure("\(error)")
        }
    }()

    /// `ru` for `ru.json` and for `ru.requests.json`.
    static func language(ofFile name: String) -> String {
        String(name.prefix { $0 != "." })
    }

    /// The names of the compiled-in catalog files, for the test that every file is listed.
    public static var embeddedFileNames: [String] { embedded.map(\.name) }

    /// The language codes, sorted.
    public var languages: [String] { byLanguage.keys.sorted() }

    /// The texts of `language`, or of the default language when there is no such catalog.
    public func localizer(for language: String?) -> Localizer {
        let fallback = byLanguage[Self.defaultLanguage]
        guard let catalog = language.flatMap(self.language(matching:)).flatMap({ byLanguage[$0] }) ?? fallback else {
            preconditionFailure("Catalogs always holds the default language")
        }
        return Localizer(catalog: catalog, fallback: catalog.language == Self.defaultLanguage ? nil : fallback)
    }

    /// The language to speak: the first of `choices` that is a language of a catalog (an explicit
    /// `?lang=`, a remembered cookie, a person's setting), else the best match of the
    /// `Accept-Language` header, else the default.
    public func choose(_ choices: String?..., acceptLanguage: String?) -> String {
        for choice in choices {
            if let choice, let language = language(matching: choice) { return language }
        }
        for range in AcceptLanguage.parse(acceptLanguage ?? "") {
            if let language = language(matching: range.tag) { return language }
        }
        return Self.defaultLanguage
    }

    /// The catalog language a tag names: the tag itself (`pt-br`) or its primary subtag (`ru-RU` → `ru`).
    public func language(matching tag: String) -> String? {
        let tag = tag.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        if byLanguage[tag] != nil { return tag }
        guard let primary = tag.split(separator: "-").first.map(String.init), byLanguage[primary] != nil else { return nil }
        return primary
    }
}
