import ClubCore
import ClubDemo
import ClubStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ClubWeb

extension ConsolePages {
    /// The audits area (issue 10, item 5): an audit logged finding by finding through the form, the
    /// club's position on each, the answer, and the response letter previewed and downloaded in the
    /// person's language; coordinators only.
    @Suite("Console audits pages")
    struct AuditsPagesTests {
        typealias Console = ConsoleTests.Console

        static func encoded(_ pairs: [(String, String)]) -> String {
            pairs.map { "\(Console.encoded($0.0))=\(Console.encoded($0.1))" }.joined(separator: "&")
        }

        static func audits(_ console: Console) async throws -> [Audit] {
            try await console.database.audits(page: PageRequest(limit: PageRequest.maxLimit), for: .system).items
        }

        /// The new audit form of the landing engagement, posted with `findings` (statement, severity,
        /// category, proposal) in rows 0… and the rest of the six rows left empty.
        static func logAudit(
            _ console: Console,
            session: String,
            findings: [(String, String, String, String)],
            formKey: String = FormContext.newFormKey()
        ) async throws -> (HTTPResponse.Status, String, String) {
            let engagement = console.summary.landingEngagementId
            let (page, html) = try await console.get("/engagements/\(engagement)/audits/new", session: session)
            #expect(page.status == .ok)
            let clock = try #require(console.database.clock as? ManualClock)
            let received = FormReader.localTimeValue(
                clock.now().addingTimeInterval(-3600),
                zone: console.database.rules.timeZone
            )
            var pairs: [(String, String)] = [
                ("csrf", try ConsoleTests.csrf(in: html)), ("formKey", formKey), ("auditor", "Bureau Veritas of Ads"),
                ("receivedAt", received), ("subject", "landing page review"),
            ]
            for row in 0..<6 {
                let finding = row < findings.count ? findings[row] : ("", "", "", "")
                pairs += [
                    ("findings[\(row)].statement", finding.0), ("findings[\(row)].severity", finding.1),
                    ("findings[\(row)].category", finding.2), ("findings[\(row)].proposal", finding.3),
                ]
            }
            let (response, body) = try await console.post("/engagements/\(engagement)/audits", session: session, form: encoded(pairs))
            return (response.status, response.headers[.location] ?? "", body)
        }

        @Test func aCoordinatorLogsAnAuditThroughTheFormOnceAndSeesTheNotConstructiveMark() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let before = try await Self.audits(console).count
                let (page, form) = try await console.get("/engagements/\(console.summary.landingEngagementId)/audits/new", session: session)
                #expect(page.status == .ok)
                #expect(form.contains(#"<label for="findings-0-statement">Finding 1: statement</label>"#))
                #expect(form.contains(#"name="findings[5].proposal""#), "six rows of findings")

                let findings = [
                    ("no alt texts on images", "high", "accessibility", "add alt texts"),
                    ("the design is old-fashioned", "critical", "design", ""),
                ]
                let key = FormContext.newFormKey()
                let (status, location, _) = try await Self.logAudit(console, session: session, findings: findings, formKey: key)
                #expect(status == .seeOther)
                #expect(location.hasPrefix("/audits/aud_"))
                let audits = try await Self.audits(console)
                #expect(audits.count == before + 1)
                let audit = try #require(audits.last)
                #expect(audit.findings.map(\.statement) == ["no alt texts on images", "the design is old-fashioned"], "empty rows are ignored")
                #expect(audit.findings.map(\.constructive) == [true, false])
                #expect(audit.auditor == "Bureau Veritas of Ads")

                // The same rendered form sent twice acts once.
                let (again, againLocation, _) = try await Self.logAudit(console, session: session, findings: findings, formKey: key)
                #expect(again == .seeOther && againLocation == location)
                #expect(try await Self.audits(console).count == before + 1)

                let (shown, html) = try await console.get(location, session: session)
                #expect(shown.status == .ok)
                #expect(html.contains("<h1>Audit: landing page review</h1>"))
                #expect(html.components(separatedBy: #"<span class="badge">Not constructive: no proposal</span>"#).count == 2, "one finding marked")
                #expect(html.contains("add alt texts") && html.contains("None given"))
                let (chosen, _) = try await console.get("/audits/new?engagement=\(console.summary.landingEngagementId)", session: session)
                #expect(chosen.status == .seeOther)
                #expect(chosen.headers[.location] == "/engagements/\(console.summary.landingEngagementId)/audits/new")
                let (_, reference) = try await console.get("/audits/\(console.summary.auditId)", session: session)
                #expect(reference.contains("the search-term report shows no irrelevant clicks"), "the studio's argument is shown")
                let (list, listPage) = try await console.get("/audits", session: session)
                #expect(list.status == .ok)
                #expect(listPage.contains(#"<a href="\#(location)">landing page review</a>"#))
                #expect(listPage.contains(#"<a href="/audits/\#(console.summary.auditId)">advertising campaign</a>"#))
            }
        }

        @Test func aFindingWithoutAStatementComesBackWithItsErrorAndNothingIsCreated() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let before = try await Self.audits(console).count
                let (status, _, html) = try await Self.logAudit(console, session: session, findings: [("", "high", "analytics", "add a goal")])
                #expect(status == .unprocessableContent)
                #expect(html.contains(#"<p class="error-message" id="findings-0-statement-error">"#))
                #expect(html.contains(##"<a href="#findings[0].statement">"##))
                #expect(html.contains(#"value="analytics""#), "what was typed is kept")
                #expect(try await Self.audits(console).count == before)

                // A problem in the second row is named on the second row, even after an empty first row.
                let (second, _, secondPage) = try await Self.logAudit(
                    console,
                    session: session,
                    findings: [("", "", "", ""), ("", "low", "copy", "")]
                )
                #expect(second == .unprocessableContent)
                #expect(secondPage.contains(#"id="findings-1-statement-error""#) && !secondPage.contains(#"id="findings-0-statement-error""#))
                #expect(try await Self.audits(console).count == before)
            }
        }

        @Test func positionsAreRecordedThroughTheFormsThenTheAuditIsAnswered() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                let session = try await console.session("anna@example.org")
                let (_, location, _) = try await Self.logAudit(
                    console,
                    session: session,
                    findings: [("slow page", "high", "speed", "compress images"), ("ugly", "critical", "design", "")]
                )
                let auditId = String(location.dropFirst("/audits/".count))
                let audit = try await console.database.audit(auditId, for: .system)
                let (_, page) = try await console.get(location, session: session)
                #expect(page.contains(#"action="/audit-findings/\#(audit.findings[0].id)/rebuttal""#))
                #expect(!page.contains(#"action="/audits/\#(auditId)/answer""#), "no answer before every finding has a position")
                let csrf = try ConsoleTests.csrf(in: page)

                func rebut(_ row: Int, _ fields: [(String, String)]) async throws -> (HTTPResponse.Status, String) {
                    let pairs =
                        [("csrf", csrf), ("formKey", FormContext.newFormKey()), ("audit", auditId)]
                        + fields.map { ("findings[\(row)]." + $0.0, $0.1) }
                    let (response, html) = try await console.post(
                        "/audit-findings/\(audit.findings[row].id)/rebuttal",
                        session: session,
                        form: Self.encoded(pairs)
                    )
                    return (response.status, html)
                }
                let (noPosition, noPositionPage) = try await rebut(0, [("argument", "we disagree")])
                #expect(noPosition == .unprocessableContent)
                #expect(noPositionPage.contains(#"id="findings-0-position-error""#))
                let (badLink, badLinkPage) = try await rebut(0, [("position", "dispute"), ("argument", "fast enough"), ("evidence", "not a link")])
                #expect(badLink == .unprocessableContent)
                #expect(badLinkPage.contains(#"id="findings-0-evidence-error""#))
                #expect(try await console.database.audit(auditId, for: .system).findings[0].rebuttal == nil, "nothing recorded")

                let evidence = "https://example.org/lighthouse.pdf\nhttps://example.org/metrics"
                #expect(try await rebut(0, [("position", "dispute"), ("argument", "fast enough on 4G"), ("evidence", evidence)]).0 == .seeOther)
                let (_, midway) = try await console.get(location, session: session)
                #expect(midway.contains("Finding 2 still needs the club&#39;s position"))
                let (early, _) = try await console.post("/audits/\(auditId)/answer", session: session, form: "csrf=\(csrf)")
                #expect(early.status == .conflict)
                let correction = [("correction.acceptance", "the new design is on the staging site"), ("correction.due", "2027-06-01")]
                #expect(try await rebut(1, [("position", "accept"), ("argument", "a new design is planned")] + correction).0 == .seeOther)

                let recorded = try await console.database.audit(auditId, for: .system)
                #expect(recorded.findings[0].rebuttal?.position == .dispute)
                #expect(recorded.findings[0].rebuttal?.evidence == ["https://example.org/lighthouse.pdf", "https://example.org/metrics"])
                #expect(recorded.findings[1].rebuttal?.position == .accept)

                let (ready, readyPage) = try await console.get(location, session: session)
                #expect(ready.status == .ok && readyPage.contains(#"action="/audits/\#(auditId)/answer""#))
                #expect(readyPage.contains(#"<a href="https://example.org/metrics" rel="noreferrer">"#))
                let (answered, _) = try await console.post("/audits/\(auditId)/answer", session: session, form: "csrf=\(csrf)")
                #expect(answered.status == .seeOther)
                #expect(try await console.database.audit(auditId, for: .system).status == .answered)
                let (_, done) = try await console.get(location, session: session)
                #expect(done.contains(#"href="/audits/\#(auditId)/letter""#) && !done.contains("/rebuttal\""))

                // Closing asks first, then keeps the outcome.
                let closing = "csrf=\(csrf)&outcome=the%20auditor%20withdrew%20two%20findings"
                let (asked, question) = try await console.post("/audits/\(auditId)/close", session: session, form: closing)
                #expect(asked.status == .ok && question.contains("<h1>Close this audit?</h1>"))
                #expect(try await console.database.audit(auditId, for: .system).status == .answered, "nothing before the confirmation")
                let (closed, _) = try await console.post("/audits/\(auditId)/close", session: session, form: closing + "&confirmed=1")
                #expect(closed.status == .seeOther)
                let final = try await console.database.audit(auditId, for: .system)
                #expect(final.status == .closed && final.outcome == "the auditor withdrew two findings")
            }
        }

        @Test func theLetterIsPreviewedAndDownloadedInThePersonsLanguage() async throws {
            try await ConsoleTests.withConsole { console in
                _ = try await console.person("anna@example.org")
                _ = try await console.person("olga@example.org", language: .ru)
                let auditId = console.summary.auditId
                for (email, language, title) in [
                    ("olga@example.org", "ru", "Ответ на аудит «advertising campaign»"),
                    ("anna@example.org", "en", "Response to the audit"),
                ] {
                    let session = try await console.session(email)
                    let markdown = try await console.database.responseLetter(auditId, format: .markdown, language: language, for: .system)
                    let (preview, html) = try await console.get("/audits/\(auditId)/letter", session: session)
                    #expect(preview.status == .ok)
                    #expect(html.contains(title), "\(language)")
                    #expect(html.contains(LetterMarkup.html(fromMarkdown: markdown, headingOffset: 1)), "the preview is the downloaded text")
                    #expect(html.contains(#"href="/audits/\#(auditId)/letter.md?lang=\#(language)""#))

                    let (md, mdBody) = try await console.get("/audits/\(auditId)/letter.md", session: session)
                    #expect(md.status == .ok)
                    #expect(md.headers[.contentType] == "text/markdown; charset=utf-8")
                    #expect(md.headers[.contentDisposition]?.hasPrefix("attachment; filename=") == true)
                    #expect(mdBody == markdown)

                    let (page, pageBody) = try await console.get("/audits/\(auditId)/letter.html", session: session)
                    #expect(page.status == .ok)
                    #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(page.headers[.contentDisposition]?.hasPrefix("attachment; filename=") == true)
                    let policy = try #require(page.headers[.contentSecurityPolicy])
                    let nonce = try #require(policy.firstMatch(of: try Regex(#"style-src 'nonce-([0-9a-f]+)'"#))?.output[1].substring)
                    #expect(pageBody.contains(#"<style nonce="\#(nonce)">"#) && pageBody.contains("@media print"))
                    #expect(pageBody.contains(#"<html lang="\#(language)">"#) && pageBody.contains(title))
                    #expect(!pageBody.contains("<script") && !pageBody.contains("<link") && !pageBody.contains("src="), "nothing loaded")
                }
            }
        }

        @Test func theLetterMarkupNestsListsAndEscapes() {
            let markdown =
                "# Re <b>\n\nTo: A & B\nAbout: x\n\n## Finding 1\n- **Evidence:**\n  - <https://example.org/a?x=1&y=2>\n- **Our position:** ok\n"
            let html = LetterMarkup.html(fromMarkdown: markdown, headingOffset: 1)
            #expect(html.contains("<h2>Re &lt;b&gt;</h2>"))
            #expect(html.contains("<p>To: A &amp; B<br>\nAbout: x</p>"))
            #expect(html.contains("<h3>Finding 1</h3>"))
            #expect(
                html.contains(
                    "<ul>\n<li><strong>Evidence:</strong>\n<ul>\n<li><a href=\"https://example.org/a?x=1&amp;y=2\">"
                        + "https://example.org/a?x=1&amp;y=2</a>\n</li>\n</ul>\n</li>\n<li><strong>Our position:</strong> ok\n</li>\n</ul>"
                ),
                "a nested list sits inside its item: \(html)"
            )
        }

        @Test func aStudioGets404AndChangesNothing() async throws {
            try await ConsoleTests.withConsole { console in
                let engagement = try await console.database.engagementRecord(console.summary.landingEngagementId, for: .system).engagement
                _ = try await console.person("pm@studio.example", role: .studio, studioId: engagement.studioId)
                let session = try await console.session("pm@studio.example")
                let auditId = console.summary.auditId
                for uri in [
                    "/audits", "/audits/\(auditId)", "/audits/\(auditId)/letter", "/audits/\(auditId)/letter.md", "/audits/\(auditId)/letter.html",
                    "/engagements/\(engagement.id)/audits/new",
                ] {
                    #expect(try await console.get(uri, session: session).0.status == .notFound, "\(uri)")
                }
                let (_, home) = try await console.get("/", session: session)
                let before = try await Self.audits(console).count
                let form =
                    "csrf=\(try ConsoleTests.csrf(in: home))&auditor=x&subject=y"
                    + "&findings%5B0%5D.statement=z&findings%5B0%5D.severity=a&findings%5B0%5D.category=b"
                #expect(try await console.post("/engagements/\(engagement.id)/audits", session: session, form: form).0.status == .notFound)
                #expect(try await console.post("/audits/\(auditId)/answer", session: session, form: form).0.status == .notFound)
                #expect(try await Self.audits(console).count == before)
            }
        }
    }
}
