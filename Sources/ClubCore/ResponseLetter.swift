import Foundation

/// The answer to an audit, generated from the record: the findings in order, each with the
/// club's position and argument, and a short summary. Plain text or Markdown, in the language of
/// `localizer` (English unless asked otherwise); every word comes from the catalogs (`letter.*`).
public struct ResponseLetter: Sendable {
    public enum Format: Sendable {
        case plainText
        case markdown
    }

    public let audit: Audit
    public let studioName: String
    public let clientName: String
    public let localizer: Localizer

    public init(audit: Audit, studioName: String, clientName: String, localizer: Localizer = Catalogs.bundled.localizer(for: nil)) {
        self.audit = audit
        self.studioName = studioName
        self.clientName = clientName
        self.localizer = localizer
    }

    /// Only an answered (or closed) audit has a letter.
    public func render(_ format: Format) throws -> String {
        guard audit.status == .answered || audit.status == .closed else {
            throw DomainError.illegalTransition(entity: "audit", from: audit.status.rawValue, action: "have a response letter (answer it first)")
        }
        let markdown = format == .markdown
        let words = localizer
        var lines: [String] = []
        func heading(_ text: String, level: Int) {
            if markdown {
                lines.append(String(repeating: "#", count: level) + " " + text)
            } else {
                lines.append(text)
                lines.append(String(repeating: level == 1 ? "=" : "-", count: text.count))
            }
        }
        func field(_ label: String, _ value: String) {
            let label = words.text(label)
            lines.append(markdown ? "- **\(label):** \(value)" : "\(label): \(value)")
        }

        heading(words.text("letter.title", ["subject": audit.subject]), level: 1)
        lines.append("")
        lines.append(words.text("letter.to", ["auditor": audit.auditor]))
        lines.append(words.text("letter.about", ["studio": studioName, "client": clientName]))
        lines.append(
            words.text(
                "letter.dates",
                [
                    "received": words.format(Day(containing: audit.receivedAt)),
                    "answered": audit.answeredAt.map { words.format(Day(containing: $0)) } ?? "",
                ]
            )
        )
        lines.append("")
        lines.append(words.text("letter.method"))
        lines.append("")
        for finding in audit.findings {
            heading(words.text("letter.finding", ["position": String(finding.position), "statement": finding.statement]), level: 2)
            field("letter.label.severity", words.text("letter.severity", ["severity": finding.severity, "category": finding.category]))
            field(
                "letter.label.proposal",
                finding.proposal.map { words.text("letter.proposal.given", ["proposal": $0]) } ?? words.text("letter.proposal.none")
            )
            if let rebuttal = finding.rebuttal {
                field("letter.label.position", words.text(Self.positionKey(rebuttal.position)))
                field("letter.label.argument", rebuttal.argument)
                if !rebuttal.evidence.isEmpty {
                    let label = words.text("letter.label.evidence")
                    lines.append(markdown ? "- **\(label):**" : "\(label):")
                    for link in rebuttal.evidence { lines.append(markdown ? "  - <\(link)>" : "  - \(link)") }
                }
            }
            lines.append("")
        }
        heading(words.text("letter.summary"), level: 2)
        let counts = words.plural(
            "letter.summary.counts",
            count: audit.findings.count,
            ["accepted": String(audit.accepted), "partly": String(audit.partlyAccepted), "disputed": String(audit.disputed)]
        )
        lines.append(counts + " " + words.plural("letter.summary.notConstructive", count: audit.notConstructive))
        return lines.joined(separator: "\n") + "\n"
    }

    static func positionKey(_ position: RebuttalPosition) -> String {
        switch position {
        case .accept: "letter.position.accept"
        case .partial: "letter.position.partial"
        case .dispute: "letter.position.dispute"
        }
    }
}
