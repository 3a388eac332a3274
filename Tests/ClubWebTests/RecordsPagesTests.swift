import ClubCore
import ClubDemo
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ClubWeb

extension ConsolePages {
    /// Lessons, reports and the journal (issue 10, item 6): search, sortable scorecards and the
    /// funnel chart with their CSV, the journal's filters and its chain check; coordinators only.
    @Suite("Console records pages")
    struct RecordsPagesTests {
        @Test func lessonsSearchFindsAReferenceCaseLesson() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let (page, html) = try await console.get("/lessons", session: session)
                #expect(page.status == .ok)
                #expect(html.contains(#"<label for="q">Search the lessons</label>"#))
                #expect(html.contains("ask for feedback at the end of every stage"))
                let (_, found) = try await console.get("/lessons?q=PROPOSAL", session: session)
                #expect(found.contains("criticism of a colleague counts only with a proposal"))
                #expect(!found.contains("ask for feedback at the end of every stage"), "only what matches")
                #expect(found.contains(#"<a href="/engagements/\#(console.summary.advertisingEngagementId)">"#))
                #expect(found.contains("1 lesson found"))
                let (_, none) = try await console.get("/lessons?q=nothing-like-this", session: session)
                #expect(none.contains("Nothing here.") || none.contains("0 lessons found"))
            }
        }

        @Test func scorecardsSortByAColumnAndDownloadAsCSV() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let cards = try await console.database.scorecards(page: PageRequest(limit: PageRequest.maxLimit), for: .system).items
                #expect(cards.count >= 2)

                let (page, html) = try await console.get("/reports", session: session)
                #expect(page.status == .ok)
                #expect(html.contains(#"<th scope="col" aria-sort="descending"><a href="/reports?sort=rating&amp;order=asc">Rating"#))
                let (_, byName) = try await console.get("/reports?sort=name&order=asc", session: session)
                #expect(byName.contains(#"aria-sort="ascending"><a href="/reports?sort=name&amp;order=desc">Studio"#))
                let names = cards.map(\.name).sorted { $0.localizedStandardCompare($1) == .orderedAscending }
                func positions(_ text: String) -> [String.Index] { names.compactMap { text.range(of: ">\($0)</a></th>")?.lowerBound } }
                let ascending = positions(byName)
                #expect(ascending.count == names.count && ascending == ascending.sorted())
                let (_, reversed) = try await console.get("/reports?sort=name&order=desc", session: session)
                let descending = positions(reversed)
                #expect(descending.count == names.count && descending == descending.sorted(by: >), "the order changes")

                let (csv, body) = try await console.get("/reports/scorecards.csv?sort=name&order=asc", session: session)
                #expect(csv.status == .ok)
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(csv.headers[.contentDisposition] == #"attachment; filename="scorecards.csv""#)
                let lines = body.split(separator: "\r\n").map(String.init)
                #expect(lines.first?.hasPrefix("studioId,name,rating,") == true)
                #expect(lines.count == cards.count + 1, "a header and a row per studio")
                for card in cards { #expect(lines.contains { $0.hasPrefix(card.studioId + ",") }) }
            }
        }

        @Test func theFunnelIsAnSVGChartAndACSVForThePeriod() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("olga@example.org", language: .ru)
                let session = try await console.session("olga@example.org")
                let report = try await console.database.funnel(from: nil, to: nil, for: .system)
                #expect(report.total >= 1)
                let (page, html) = try await console.get("/reports", session: session)
                #expect(page.status == .ok)
                #expect(html.contains(#"<svg class="chart" role="img" aria-label="Заявки по состояниям"#))
                #expect(html.contains("<title>Заявки по состояниям"))
                #expect(html.contains(">подобрана студия</text>"))
                let matched = report.byStatus["matched"] ?? 0
                #expect(html.contains(">\(matched)</text>"), "bars carry their numbers")
                #expect(!html.contains("<script"), "no chart library")

                // A period before anything happened counts nothing.
                let (empty, emptyPage) = try await console.get("/reports?from=2000-01-01&to=2000-01-31", session: session)
                #expect(empty.status == .ok)
                #expect(emptyPage.contains("с 1 января 2000 г. по 31 января 2000 г."))
                #expect(emptyPage.contains(#"href="/reports/funnel.csv?from=2000-01-01&amp;to=2000-01-31""#))
                let (bad, badPage) = try await console.get("/reports?from=someday", session: session)
                #expect(bad.status == .unprocessableContent)
                #expect(badPage.contains(#"id="from-error""#))

                let (csv, body) = try await console.get("/reports/funnel.csv", session: session)
                #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(csv.headers[.contentDisposition]?.hasPrefix("attachment") == true)
                #expect(body.hasPrefix("status,count\r\nnew,"))
                #expect(body.contains("\r\ntotal,\(report.total)\r\n") && body.contains("\r\nmatched,\(matched)\r\n"))
                let (_, old) = try await console.get("/reports/funnel.csv?from=2000-01-01&to=2000-01-31", session: session)
                #expect(old.contains("\r\ntotal,0\r\n"))
            }
        }

        @Test func theJournalFiltersAndVerifiesTheChain() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let (page, html) = try await console.get("/journal?entityType=audit", session: session)
                #expect(page.status == .ok)
                #expect(html.contains(#"<td><a href="/audits/\#(console.summary.auditId)">\#(console.summary.auditId)</a></td>"#))
                #expect(!html.contains(">\(console.summary.landingEngagementId)</a></td>"), "only audits")
                let (_, one) = try await console.get("/journal?entityId=\(console.summary.landingEngagementId)", session: session)
                #expect(one.contains(">\(console.summary.landingEngagementId)</a></td>") && !one.contains(">\(console.summary.auditId)</a></td>"))

                let (_, missing) = try await console.post("/journal/verify", session: session, form: "")
                #expect(missing.contains("Nothing was changed."))
                let (verified, result) = try await console.post("/journal/verify", session: session, form: "csrf=\(try ConsoleTests.csrf(in: html))")
                #expect(verified.status == .ok)
                guard case .intact(let events, let head) = try console.database.verifyJournal() else {
                    Issue.record("the reference journal is intact")
                    return
                }
                #expect(result.contains("The chain is intact: \(events) events checked."))
                #expect(result.contains(head))
            }
        }

        @Test func aStudioGets404() async throws {
            try await ConsoleTests.withConsole { console in
                let engagement = try await console.database.engagementRecord(console.summary.landingEngagementId, for: .system).engagement
                _ = try await console.person("pm@studio.example", role: .studio, studioId: engagement.studioId)
                let session = try await console.session("pm@studio.example")
                for uri in ["/lessons", "/reports", "/reports/scorecards.csv", "/reports/funnel.csv", "/journal"] {
                    #expect(try await console.get(uri, session: session).0.status == .notFound, "\(uri)")
                }
                let (_, home) = try await console.get("/", session: session)
                let (verify, _) = try await console.post("/journal/verify", session: session, form: "csrf=\(try ConsoleTests.csrf(in: home))")
                #expect(verify.status == .notFound)
            }
        }
    }
}
