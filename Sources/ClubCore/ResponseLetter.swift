import Foundation

/// The answer to an audit, generated from the record (docs/design.md §3.8): addressed to the
/// client who received the audit, from the club and signed by the coordinator who answered it;
/// the findings in order, each with the studio's arguments, the club's position and argument, and
/// the correction it led to on the fix list and the evidence files attached to it; then the files attached to the
/// audit itself (the auditor's report), and a short summary. Files are named with type, size and a short SHA-256,
/// so that the reader can match them against the copies they hold (docs/design.md §11.4). Plain text or Markdown, in the
/// language of `localizer` (English unless asked otherwise); every word comes from the catalogs
/// (`letter.*`). Internal notes never appear.
public struct ResponseLetter: Sendable {
    public enum Format: Sendable {
        case plainText
        case markdown
    }

    public let audit: Audit
    public let studioName: String
    public let clientName: String
    public let localizer: Localizer
    /// The club's zone: the days the audit arrived and was answered are the club's days.
    public let zone: TimeZone
    /// The client's person the letter is for (its first contact), when the client named one.
    public let contact: Contact?
    /// The fix items accepted findings led to, by finding id.
    public let corrections: [String: FixItem]
    /// The evidence files of each finding, by finding id, oldest first.
    public let findingFiles: [String: [EvidenceFile]]
    /// The files attached to the audit itself, oldest first.
    public let auditFiles: [EvidenceFile]

    public init(
        audit: Audit,
        studioName: String,
        clientName: String,
        localizer: Localizer = Catalogs.bundled.localizer(for: nil),
        zone: TimeZone = .gmt,
        contact: Contact? = nil,
        corrections: [String: FixItem] = [:],
        findingFiles: [String: [EvidenceFile]] = [:],
        auditFiles: [EvidenceFile] = []
    ) {
        self.audit = audit
        self.findingFiles = findingFiles
        self.auditFiles = auditFiles
        self.zone = zone
        self.contact = contact
        self.corrections = corrections
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
        lines.append(words.text("letter.to", ["client": clientName]))
        if let contact {
            let means = [contact.email, contact.phone].compactMap { $0 }
            let person = means.isEmpty ? contact.name : contact.name + " (" + means.joined(separator: ", ") + ")"
            lines.append(words.text("letter.attention", ["contact": person]))
        }
        lines.append(audit.answeredBy.map { words.text("letter.from", ["coordinator": $0]) } ?? words.text("letter.from.club"))
        lines.append(words.text("letter.auditor", ["auditor": audit.auditor]))
        lines.append(words.text("letter.about", ["studio": studioName, "client": clientName]))
        lines.append(
            words.text(
                "letter.dates",
                [
                    "received": words.format(audit.receivedAt, zone: zone, style: .date),
                    "answered": audit.answeredAt.map { words.format($0, zone: zone, style: .date) } ?? "",
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
            if finding.studioArguments.isEmpty {
                field("letter.label.studioArgument", words.text("letter.studioArgument.none", ["studio": studioName]))
            }
            for argument in finding.studioArguments {
                field("letter.label.studioArgument", words.text("letter.studioArgument", ["studio": studioName, "argument": argument.argument]))
            }
            if let rebuttal = finding.rebuttal {
                field("letter.label.position", words.text(Self.positionKey(rebuttal.position)))
                field("letter.label.argument", rebuttal.argument)
                if !rebuttal.evidence.isEmpty {
                    let label = words.text("letter.label.evidence")
                    lines.append(markdown ? "- **\(label):**" : "\(label):")
                    for link in rebuttal.evidence { lines.append(markdown ? "  - <\(link)>" : "  - \(link)") }
                }
            }
            if let item = corrections[finding.id], !item.isRemoved {
                let due = words.format(item.due)
                field("letter.label.correction", words.text("letter.correction", ["statement": item.statement, "due": due]))
            }
            if let files = findingFiles[finding.id], !files.isEmpty {
                let label = words.text("letter.label.files")
                lines.append(markdown ? "- **\(label):**" : "\(label):")
                for file in files { lines.append("  - " + describe(file)) }
            }
            lines.append("")
        }
        if !auditFiles.isEmpty {
            heading(words.text("letter.auditFiles"), level: 2)
            for file in auditFiles { lines.append("- " + describe(file)) }
            lines.append("")
        }
        heading(words.text("letter.summary"), level: 2)
        let counts = words.plural(
            "letter.summary.counts",
            count: audit.findings.count,
            ["accepted": String(audit.accepted), "partly": String(audit.partlyAccepted), "disputed": String(audit.disputed)]
        )
        lines.append(counts + " " + words.plural("letter.summary.notConstructive", count: audit.notConstructive))
        lines.append("")
        lines.append(audit.answeredBy.map { words.text("letter.signature", ["coordinator": $0]) } ?? words.text("letter.signature.club"))
        return lines.joined(separator: "\n") + "\n"
    }

    /// "report.pdf — PDF document, 1.2 MB, SHA-256 3f9a…" (the first 16 hex digits of the hash).
    func describe(_ file: EvidenceFile) -> String {
        localizer.text(
            "letter.file",
            [
                "name": file.name,
                "type": localizer.text("letter.fileType." + file.type.rawValue),
                "size": Self.size(file.size, localizer),
                "sha": String(file.sha256.prefix(16)),
            ]
        )
    }

    /// A size as a person reads it, in the letter's language.
    static func size(_ bytes: Int, _ words: Localizer) -> String {
        guard bytes >= 1024 else { return words.plural("letter.size.bytes", count: bytes) }
        let (value, key) =
            bytes < 1024 * 1024 ? (Double(bytes) / 1024, "letter.size.kilobytes") : (Double(bytes) / (1024 * 1024), "letter.size.megabytes")
        return words.text(key, ["size": value.formatted(.number.precision(.fractionLength(0...1)).locale(words.catalog.locale))])
    }

    static func positionKey(_ position: RebuttalPosition) -> String {
        switch position {
        case .accept: "letter.position.accept"
        case .partial: "letter.position.partial"
        case .dispute: "letter.position.dispute"
        }
    }
}
