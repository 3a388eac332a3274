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
}
