import ClubCore
import ClubDemo
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ClubWeb

extension ConsolePages {
    /// Issue 10: "no page of the console offers an action its viewer's token would be refused".
    /// For each kind of person — the head coordinator, another coordinator, a studio's and a
    /// client's person — every console page they reach (by its links, and at the reference case's
    /// objects) is read, and every form it offers is sent back with only what the page put in it.
    /// The store asks `Policy` before it reads a field, so a form the person may not use answers
    /// 404; one they may use answers 303, or 409/422 for its empty fields, never 404.
    @Suite("Console pages offer only what their viewer may do")
    struct OfferedActionsTests {
        static let skipped = ["/sign-out", "/share/", "/v1/", "events", ".csv", ".md", ".html", "case-file", "?lang=", "?part="]

        @Test(arguments: ["head", "coordinator", "studio", "client"])
        func everyFormAPageOffersIsOneItsViewerMayUse(_ who: String) async throws {
            try await ConsoleTests.withConsole(limit: 100) { console in
                let summary = console.summary
                let landing = try await console.database.engagementRecord(summary.landingEngagementId, for: .system).engagement
                let email = "\(who)@example.org"
                switch who {
                case "head":
                    _ = try await console.person(email)
                case "coordinator":
                    let input = PersonInput(email: email, name: "Vera", role: .coordinator, head: false)
                    let invited = try await console.database.createPerson(input, by: .system)
                    _ = try await console.database.acceptInvitation(token: invited.token, password: ConsoleTests.password)
                case "studio":
                    _ = try await console.person(email, role: .studio, studioId: landing.studioId)
                default:
                    let input = PersonInput(email: email, name: "Oleg", role: .client, clientId: landing.clientId)
                    let invited = try await console.database.createPerson(input, by: .system)
                    _ = try await console.database.acceptInvitation(token: invited.token, password: ConsoleTests.password)
                }
                let session = try await console.session(email)
                let objects = [
                    "/", "/engagements/\(summary.landingEngagementId)", "/engagements/\(summary.advertisingEngagementId)",
                    "/fix-lists/\(summary.fixListId)", "/requests/\(summary.requestId)", "/audits/\(summary.auditId)",
                    "/studios/\(landing.studioId)", "/clients/\(landing.clientId)",
                ]
                var queue = objects
                var seen = Set<String>()
                var forms: [String: [(String, String)]] = [:]
                while let path = queue.first, seen.count < 70 {
                    queue.removeFirst()
                    guard seen.insert(path).inserted else { continue }
                    let (response, html) = try await console.get(path, session: session)
                    guard response.status == .ok else { continue }
                    for link in Self.links(in: html) where !seen.contains(link) { queue.append(link) }
                    for (action, fields) in Self.postForms(in: html) where forms[action] == nil { forms[action] = fields }
                }
                #expect(seen.count > (who == "head" || who == "coordinator" ? 20 : 3), "\(who) reached \(seen.count) pages")
                for (action, fields) in forms.sorted(by: { $0.key < $1.key }) {
                    let body = (fields + [("confirmed", "1")]).map { "\(ConsoleTests.Console.encoded($0.0))=\(ConsoleTests.Console.encoded($0.1))" }
                    let (response, _) = try await console.post(action, session: session, form: body.joined(separator: "&"))
                    #expect(response.status != .notFound && response.status != .forbidden, "\(who): \(action) is offered but refused")
                }
                #expect(!forms.isEmpty, "\(who) was offered some form")
            }
        }

        /// Console links of a page (`href="/…"`), less what is not a page.
        static func links(in html: String) -> [String] {
            html.matches(of: #/href="(/[^"#]*)"/#).map { String($0.output.1).replacingOccurrences(of: "&amp;", with: "&") }
                .filter { link in !skipped.contains { link.contains($0) } }
        }

        /// Each `<form method="post">` with its hidden fields (the CSRF token, the form key, versions).
        static func postForms(in html: String) -> [(String, [(String, String)])] {
            html.matches(of: #/<form method="post" action="([^"]+)"(.*?)</form>/#.dotMatchesNewlines()).compactMap { match in
                let action = String(match.output.1)
                guard !skipped.contains(where: { action.contains($0) }) else { return nil }
                let hidden = String(match.output.2).matches(of: #/<input type="hidden" name="([^"]+)" value="([^"]*)">/#).map {
                    (String($0.output.1), String($0.output.2).replacingOccurrences(of: "&amp;", with: "&"))
                }
                return (action, hidden)
            }
        }
    }
}
