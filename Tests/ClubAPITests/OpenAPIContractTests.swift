import ClubAPI
import ClubCore
import ClubServer
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// `docs/openapi.yaml` is the one description of the API: it must name exactly the operations
/// the router serves, no more and no fewer.
@Suite("OpenAPI contract")
struct OpenAPIContractTests {
    static let specURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/openapi.yaml")

    /// "METHOD /path" for every operation of the spec. The file keeps paths at two spaces and
    /// operations at four, which this reader relies on; a YAML library would be a dependency for
    /// one test.
    static func documentedOperations() throws -> Set<String> {
        let text = try String(contentsOf: specURL, encoding: .utf8)
        var operations = Set<String>()
        var currentPath: String?
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.isEmpty, !line.hasPrefix(" ") { inPaths = line.hasPrefix("paths:") }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   ") {
                currentPath = String(line.dropFirst(2).prefix { $0 != ":" })
            } else if let path = currentPath, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let key = line.dropFirst(4).prefix { $0 != ":" }
                if ["get", "post", "put", "patch", "delete"].contains(key) { operations.insert("\(key.uppercased()) \(path)") }
            }
        }
        return operations
    }

    static func servedOperations(_ router: Router<ClubRequestContext>) -> Set<String> {
        Set(
            router.routes.map { route in
                let path = route.path.components.map { element -> String in
                    let text = element.description
                    return text.hasPrefix(":") ? "{\(text.dropFirst())}" : text
                }
                return "\(route.method.rawValue) /\(path.joined(separator: "/"))"
            }
        )
    }

    @Test func theSpecDescribesExactlyTheServedOperations() async throws {
        let club = try await TestClub.make()
        let served = Self.servedOperations(try buildRouter(database: club.database))
        let documented = try Self.documentedOperations()
        #expect(served.count > 10, "the router reports its routes: \(served)")
        #expect(served.subtracting(documented).sorted() == [], "served but not in docs/openapi.yaml")
        #expect(documented.subtracting(served).sorted() == [], "in docs/openapi.yaml but not served")
    }

    // MARK: - Who reads which field (DESIGN §2)

    /// A schema of `components.schemas` as far as visibility goes: each property with its
    /// `x-visibility` (nil when it has none), and the `required` list.
    struct DocumentedSchema {
        var properties: [String: String?] = [:]
        var required: [String] = []
    }

    /// The spec's schemas, read with the same reliance on the file's indentation as above:
    /// schemas at four spaces, their `properties:` and `required:` at six, properties at eight,
    /// a property's `x-visibility` at ten.
    static func documentedSchemas() throws -> [String: DocumentedSchema] {
        let text = try String(contentsOf: specURL, encoding: .utf8)
        var schemas: [String: DocumentedSchema] = [:]
        var inSchemas = false
        var schema: String?
        var inProperties = false
        var property: String?
        func key(_ line: Substring, indent: Int) -> String? {
            let spaces = String(repeating: " ", count: indent)
            guard line.hasPrefix(spaces), !line.dropFirst(indent).hasPrefix(" "), line.hasSuffix(":") else { return nil }
            return String(line.dropFirst(indent).dropLast())
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if !line.hasPrefix("    ") {
                inSchemas = line == "  schemas:" || (inSchemas && line.hasPrefix("   "))
                schema = nil
                continue
            }
            guard inSchemas else { continue }
            if let name = key(line, indent: 4) {
                schema = name
                schemas[name] = DocumentedSchema()
                inProperties = false
            } else if let schema, line.hasPrefix("      "), !line.hasPrefix("       ") {
                inProperties = line == "      properties:"
                property = nil
                if line.hasPrefix("      required: [") {
                    schemas[schema]?.required = line.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
                        .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                }
            } else if let schema, inProperties, let name = key(line, indent: 8) {
                property = name
                schemas[schema]?.properties[name] = String?.none
            } else if let schema, let property, line.hasPrefix("          x-visibility: ") {
                schemas[schema]?.properties[property] = String(line.dropFirst("          x-visibility: ".count))
            }
        }
        return schemas
    }

    /// Which schema of the spec answers each shape of `FieldVisibility.table`: by default the
    /// schema of the same name; these four answers carry more than the object's own fields and
    /// have their own schema, whose fields are exactly the shape's.
    static let answeredAs: [String: String] = [
        "Engagement": "EngagementRecord",  // GET /v1/engagements/{id}: with agreements, check-ins, feedback
        "Agreement": "AgreementStatus",  // GET /v1/agreements: with `confirmed` and `overdue`
        "FixList": "FixListRecord",  // every fix-list operation: with items, progress, overdue items
        "ShareLink": "IssuedShareLink",  // POST /v1/fix-lists/{id}/share-links: with `token` and `url`
    ]
    /// Schemas that carry some of a shape's fields: the object without what the answer adds
    /// (engagement list items, agreements inside an engagement, the case file's fix lists).
    static let partlyAnsweredAs: [String: [String]] = ["Engagement": ["Engagement"], "Agreement": ["Agreement"], "FixList": ["FixList"]]

    static func schemaName(of shape: String) -> String { answeredAs[shape] ?? shape }

    /// What `x-visibility` says for a field of a shape; `fieldVisibility` is the club's.
    static func xVisibility(_ field: String, of shape: String) -> String {
        switch FieldVisibility.rule(field, of: shape) {
        case .field(let visibility): visibility.rawValue
        case .object, .list: "nested"
        }
    }

    static func hasRestrictedField(_ fields: some Sequence<String>, of shape: String) -> Bool {
        fields.contains { FieldVisibility.visibility(of: $0, in: shape) != .shared }
    }

    @Test(arguments: FieldVisibility.table.keys.sorted())
    func theSpecAnswersEachShapeWithExactlyTheTablesFields(_ shape: String) throws {
        let schemas = try Self.documentedSchemas()
        let row = try #require(FieldVisibility.table[shape])
        let schema = try #require(schemas[Self.schemaName(of: shape)], "no schema \(Self.schemaName(of: shape)) for \(shape)")
        let fields = Set(schema.properties.keys).subtracting([Redactor.annotationKey])
        #expect(fields.subtracting(row.keys).sorted() == [], "in the spec's \(Self.schemaName(of: shape)) but without a row in \(shape)")
        #expect(Set(row.keys).subtracting(fields).sorted() == [], "rows of \(shape) the spec's \(Self.schemaName(of: shape)) lacks")
        #expect(
            schema.properties.keys.contains(Redactor.annotationKey) == Self.hasRestrictedField(row.keys, of: shape),
            "\(Self.schemaName(of: shape)) has `fieldVisibility` exactly when a coordinator's answer may carry it"
        )
        for part in Self.partlyAnsweredAs[shape] ?? [] {
            let partSchema = try #require(schemas[part])
            let partFields = Set(partSchema.properties.keys).subtracting([Redactor.annotationKey])
            #expect(partFields.subtracting(row.keys).sorted() == [], "in the spec's \(part) but without a row in \(shape)")
            #expect(partSchema.properties.keys.contains(Redactor.annotationKey) == Self.hasRestrictedField(partFields, of: shape), "\(part)")
        }
    }

    @Test(arguments: FieldVisibility.table.keys.sorted())
    func eachPropertySaysWhoReadsItAsTheTableDoes(_ shape: String) throws {
        let schemas = try Self.documentedSchemas()
        for name in [Self.schemaName(of: shape)] + (Self.partlyAnsweredAs[shape] ?? []) {
            let schema = try #require(schemas[name])
            for (field, documented) in schema.properties {
                #expect(documented == Self.xVisibility(field, of: shape), "\(name).\(field): x-visibility")
            }
        }
    }

    @Test(arguments: FieldVisibility.table.keys.sorted())
    func onlyWhatEveryReaderGetsIsRequired(_ shape: String) throws {
        let schemas = try Self.documentedSchemas()
        for name in [Self.schemaName(of: shape)] + (Self.partlyAnsweredAs[shape] ?? []) {
            let schema = try #require(schemas[name])
            for field in schema.required {
                let missing = FieldVisibility.readers(of: shape).filter { !FieldVisibility.visibility(of: field, in: shape).isReadable(by: $0) }
                #expect(missing == [], "\(name).\(field) is required but \(missing) do not read it")
            }
        }
    }

    /// A misspelt shape would hide everything from the parties and mark everything internal for
    /// the club: every shape a controller answers with is a row of the table.
    @Test func everyShapeTheControllersAnswerWithHasARow() throws {
        let controllers = Self.specURL.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/ClubAPI/Controllers")
        var named: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(atPath: controllers.path) where file.hasSuffix(".swift") {
            let text = try String(contentsOf: controllers.appendingPathComponent(file), encoding: .utf8)
            for part in text.components(separatedBy: "hape: \"").dropFirst() { named.insert(String(part.prefix { $0 != "\"" })) }
        }
        #expect(named.count >= 15, "\(named)")
        #expect(named.subtracting(FieldVisibility.table.keys).sorted() == [])
    }

    @Test func onlyTheSchemasOfTheTableSayWhoReadsTheirFields() throws {
        let mapped = Set(FieldVisibility.table.keys.map(Self.schemaName(of:)) + Self.partlyAnsweredAs.values.joined())
        let annotated = try Self.documentedSchemas().filter { $0.value.properties.values.contains { $0 != nil } }.keys
        #expect(Set(annotated).subtracting(mapped).sorted() == [], "x-visibility on a schema the table does not name")
    }
}
