import Foundation

/// The answer to an audit, generated from the record: the findings in order, each with the
/// club's position and argument, and a short summary. Plain text or Markdown.
public struct ResponseLetter: Sendable {
    public enum Format: Sendable {
        case plainText
        case markdown
    }

    public let audit: Audit
    public let studioName: String
    public let clientName: String

    public init(audit: Audit, studioName: String, clientName: String) {
        self.audit = audit
        self.studioName = studioName
        self.clientName = clientName
    }

    /// Only an answered (or closed) audit has a letter.
    public func render(_ format: Format) throws -> String {
        guard audit.status == .answered || audit.status == .closed else {
            throw DomainError.illegalTransition(entity: "audit", from: audit.status.rawValue, action: "have a response letter (answer it first)")
        }
        let markdown = format == .markdown
        var lines: [String] = []
        let title = "Response to the audit \"\(audit.subject)\""
        lines.append(markdown ? "# \(title)" : title)
        if !markdown { lines.append(String(repeating: "=", count: title.count)) }
        lines.append("")
        lines.append("To: \(audit.auditor)")
        lines.append("About: the work of \(studioName) for \(clientName)")
        lines.append(
            "Audit received: \(Day(containing: audit.receivedAt)); answered: \(audit.answeredAt.map { Day(containing: $0).description } ?? "")"
        )
        lines.append("")
        lines.append(
            "We went through the audit finding by finding. For each we state whether we accept it, accept it in part or dispute it, and why."
        )
        lines.append("")
        for finding in audit.findings {
            let heading = "Finding \(finding.position): \(finding.statement)"
            lines.append(markdown ? "## \(heading)" : heading)
            if !markdown { lines.append(String(repeating: "-", count: heading.count)) }
            lines.append("\(markdown ? "- **Severity given:** " : "Severity given: ")\(finding.severity) (\(finding.category))")
            let proposal =
                finding.proposal.map { "the auditor proposes: \($0)" } ?? "no proposal to fix it was made, so this criticism is not constructive"
            lines.append("\(markdown ? "- **Proposal:** " : "Proposal: ")\(proposal)")
            if let rebuttal = finding.rebuttal {
                lines.append("\(markdown ? "- **Our position:** " : "Our position: ")\(Self.label(rebuttal.position))")
                lines.append("\(markdown ? "- **Argument:** " : "Argument: ")\(rebuttal.argument)")
                if !rebuttal.evidence.isEmpty {
                    lines.append(markdown ? "- **Evidence:**" : "Evidence:")
                    for link in rebuttal.evidence { lines.append(markdown ? "  - <\(link)>" : "  - \(link)") }
                }
            }
            lines.append("")
        }
        lines.append(markdown ? "## Summary" : "Summary")
        if !markdown { lines.append("-------") }
        lines.append(
            "Of \(audit.findings.count) findings we accept \(audit.accepted), accept \(audit.partlyAccepted) in part "
                + "and dispute \(audit.disputed). \(audit.notConstructive) of them came without a proposal to fix the problem "
                + "and are therefore not constructive."
        )
        return lines.joined(separator: "\n") + "\n"
    }

    static func label(_ position: RebuttalPosition) -> String {
        switch position {
        case .accept: "accepted"
        case .partial: "partly accepted"
        case .dispute: "disputed"
        }
    }
}
