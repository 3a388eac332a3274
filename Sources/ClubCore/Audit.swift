import Foundation

/// `received → under_review → answered → closed`.
public enum AuditStatus: String, Codable, Sendable, CaseIterable {
    case received
    case underReview = "under_review"
    case answered
    case closed
}

/// The club's position on one finding.
public enum RebuttalPosition: String, Codable, Sendable, CaseIterable {
    case accept
    case partial
    case dispute
}

public struct Rebuttal: Codable, Sendable, Equatable {
    public let position: RebuttalPosition
    public let argument: String
    public let evidence: [String]
    public let by: String
    public let at: Date
}

/// An argument the audited studio proposes for the club's answer.
public struct StudioArgument: Codable, Sendable, Equatable {
    public let argument: String
    public let evidence: [String]
    public let by: String
    public let at: Date
}

/// One finding as the auditor wrote it, and the club's answer to it. Criticism counts only with a
/// way to fix it: a finding without a proposal is not constructive.
public struct AuditFinding: Codable, Sendable, Equatable {
    public let id: String
    public let position: Int
    public let statement: String
    /// The auditor's own severity mark, kept as given.
    public let severity: String
    public let category: String
    public let proposal: String?
    public let constructive: Bool
    public private(set) var rebuttal: Rebuttal?
    public private(set) var studioArguments: [StudioArgument]
    /// The club's own note on the finding (internal).
    public let internalNote: String?
    /// The correction that accepting the finding put on the engagement's fix list, and that list
    /// (docs/design.md §3.8); the item carries `findingId` back.
    public private(set) var fixItemId: String?
    public private(set) var fixListId: String?

    mutating func answer(_ rebuttal: Rebuttal) { self.rebuttal = rebuttal }
    mutating func add(_ argument: StudioArgument) { studioArguments.append(argument) }
    mutating func link(item: String, list: String) {
        fixItemId = item
        fixListId = list
    }
}

/// A third party's audit of a studio's work, answered point by point.
public struct Audit: Codable, Sendable, Equatable {
    public let id: String
    public let engagementId: String
    public let studioId: String
    public let clientId: String
    public let auditor: String
    public let receivedAt: Date
    public let subject: String
    public private(set) var findings: [AuditFinding]
    public private(set) var status: AuditStatus
    public private(set) var answeredAt: Date?
    /// Who answered the audit: the coordinator who signs the response letter.
    public private(set) var answeredBy: String?
    public private(set) var outcome: String?
    /// The club's own note on the audit (internal).
    public private(set) var internalNote: String?
    public private(set) var version: Int
    public private(set) var updatedAt: Date

    public init(id: String, engagement: Engagement, input: AuditInput, findingIds: [String], at now: Date) throws {
        var validator = Validator()
        let auditor = validator.text(input.auditor, "auditor")
        let subject = validator.text(input.subject, "subject", maxLength: Limits.longText)
        validator.check(!input.findings.isEmpty, "findings", "an audit has at least one finding")
        validator.check(input.findings.count <= Limits.listCount, "findings", "must have at most \(Limits.listCount) entries")
        validator.check(input.receivedAt <= now, "receivedAt", "must not be in the future")
        let findings = input.findings.enumerated().map { index, finding in
            let proposal = validator.optionalText(finding.proposal, "findings[\(index)].proposal")
            return AuditFinding(
                id: findingIds.indices.contains(index) ? findingIds[index] : "finding-\(index + 1)",
                position: index + 1,
                statement: validator.text(finding.statement, "findings[\(index)].statement", maxLength: Limits.longText),
                severity: validator.text(finding.severity, "findings[\(index)].severity", maxLength: 64),
                category: validator.text(finding.category, "findings[\(index)].category", maxLength: 64),
                proposal: proposal,
                constructive: proposal != nil,
                rebuttal: nil,
                studioArguments: [],
                internalNote: validator.internalNote(finding.internalNote, "findings[\(index)].internalNote")
            )
        }
        let internalNote = validator.internalNote(input.internalNote)
        try validator.finish()
        self.id = id
        self.engagementId = engagement.id
        self.studioId = engagement.studioId
        self.clientId = engagement.clientId
        self.auditor = auditor
        self.receivedAt = input.receivedAt
        self.subject = subject
        self.findings = findings
        self.status = .received
        self.internalNote = internalNote
        self.version = 1
        self.updatedAt = now
    }

    /// The club's position on a finding (coordinators), or an argument the audited studio
    /// proposes for it. One rebuttal per finding; it can be rewritten until the audit is answered.
    /// Accepting a finding, wholly or in part, puts a correction on the engagement's fix list
    /// (docs/design.md §3.8): the first such position needs `correction`, and the item to add is
    /// returned; once the finding has its item, it can no longer be disputed.
    @discardableResult
    public mutating func rebut(findingId: String, _ input: RebuttalInput, by principal: Principal, at now: Date) throws -> FixItemInput? {
        guard status == .received || status == .underReview else {
            throw DomainError.illegalTransition(entity: "audit", from: status.rawValue, action: "take rebuttals")
        }
        guard let index = findings.firstIndex(where: { $0.id == findingId }) else {
            throw DomainError.notFound(entity: "audit finding", id: findingId)
        }
        var validator = Validator()
        let argument = validator.text(input.argument, "argument", maxLength: Limits.longText)
        let evidence = (input.evidence ?? []).enumerated().map { index, link in validator.text(link, "evidence[\(index)]", maxLength: 2000) }
        validator.check(evidence.count <= 20, "evidence", "must have at most 20 entries")
        if principal.role == .studio {
            validator.check(findings[index].studioArguments.count < 20, "argument", "a finding takes at most 20 arguments from the studio")
        }
        for (number, link) in evidence.enumerated() where !(link.hasPrefix("https://") || link.hasPrefix("http://")) {
            validator.fail("evidence[\(number)]", "must be a link (http:// or https://)")
        }
        switch principal.role {
        case .coordinator:
            if input.position == nil { validator.fail("position", "is required: accept, partial or dispute") }
        case .studio:
            validator.check(input.position == nil, "position", "the club takes the position; a studio proposes arguments")
        case .client:
            throw DomainError.forbidden("the club answers audits; a client reads them")
        }
        let finding = findings[index]
        if input.correction != nil {
            if principal.role == .studio {
                validator.fail("correction", "the club decides on corrections; a studio proposes arguments")
            } else if input.position == .dispute {
                validator.fail("correction", "only an accepted or partly accepted finding leads to a correction")
            }
        }
        try validator.finish()
        if principal.role == .studio {
            findings[index].add(StudioArgument(argument: argument, evidence: evidence, by: principal.name, at: now))
            touch(at: now)
            return nil
        }
        guard let position = input.position else { return nil }
        let correction = try Self.correction(for: finding, position: position, input.correction)
        findings[index].answer(Rebuttal(position: position, argument: argument, evidence: evidence, by: principal.name, at: now))
        status = .underReview
        touch(at: now)
        return correction
    }

    /// The fix item an accepting position leads to: none for a dispute or for a finding that has
    /// its item already; otherwise the club's correction, its statement defaulting to the
    /// auditor's proposal (or, without one, the finding itself).
    private static func correction(for finding: AuditFinding, position: RebuttalPosition, _ given: CorrectionInput?) throws -> FixItemInput? {
        if let itemId = finding.fixItemId {
            if position == .dispute {
                throw DomainError.ruleBroken(
                    .findingCorrectionExists,
                    detail: "finding \(finding.position) already led to fix item \(itemId); it can no longer be disputed"
                )
            }
            if given != nil {
                throw DomainError.ruleBroken(
                    .findingCorrectionExists,
                    detail: "finding \(finding.position) already has its correction (fix item \(itemId)); change it on the fix list"
                )
            }
            return nil
        }
        guard position != .dispute else { return nil }
        guard let given else {
            throw DomainError.ruleBroken(
                .findingNeedsCorrection,
                detail: "accepting finding \(finding.position) puts a correction on the fix list: give correction.acceptance and correction.due"
            )
        }
        let statement = given.statement.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        return FixItemInput(statement: statement ?? finding.proposal ?? finding.statement, acceptance: given.acceptance, due: given.due)
    }

    /// Records the fix item a finding's correction became (same transaction as the rebuttal).
    public mutating func link(findingId: String, toFixItem itemId: String, onList listId: String) {
        guard let index = findings.firstIndex(where: { $0.id == findingId }) else { return }
        findings[index].link(item: itemId, list: listId)
    }

    /// Answered only when every finding has a position; `signer` (who answered) signs the letter.
    public mutating func answer(at now: Date, by signer: String? = nil) throws {
        guard status == .received || status == .underReview else {
            throw DomainError.illegalTransition(entity: "audit", from: status.rawValue, action: "be answered")
        }
        let open = findings.filter { $0.rebuttal == nil }.map { String($0.position) }
        guard open.isEmpty else {
            throw DomainError.ruleBroken(
                .auditNeedsEveryPosition,
                detail: "every finding needs a position before the audit is answered; missing: \(open.joined(separator: ", "))"
            )
        }
        status = .answered
        answeredAt = now
        answeredBy = signer
        touch(at: now)
    }

    public mutating func close(_ input: AuditClosing, at now: Date) throws {
        guard status == .answered else {
            throw DomainError.illegalTransition(entity: "audit", from: status.rawValue, action: "be closed (answer it first)")
        }
        var validator = Validator()
        outcome = validator.text(input.outcome, "outcome", maxLength: Limits.longText)
        try validator.finish()
        status = .closed
        touch(at: now)
    }

    public var accepted: Int { findings.filter { $0.rebuttal?.position == .accept }.count }
    public var partlyAccepted: Int { findings.filter { $0.rebuttal?.position == .partial }.count }
    public var disputed: Int { findings.filter { $0.rebuttal?.position == .dispute }.count }
    public var notConstructive: Int { findings.filter { !$0.constructive }.count }

    private mutating func touch(at now: Date) {
        version += 1
        updatedAt = now
    }
}

extension Audit: Versioned, Identified {}

/// Input of `POST /v1/engagements/{id}/audits`.
public struct AuditInput: Codable, Sendable {
    public struct Finding: Codable, Sendable {
        public let statement: String
        public let severity: String
        public let category: String
        public let proposal: String?
        /// The club's own note on the finding (internal).
        public let internalNote: String?

        public init(statement: String, severity: String, category: String, proposal: String? = nil, internalNote: String? = nil) {
            self.statement = statement
            self.severity = severity
            self.category = category
            self.proposal = proposal
            self.internalNote = internalNote
        }
    }

    public let auditor: String
    public let receivedAt: Date
    public let subject: String
    public let findings: [Finding]
    /// The club's own note on the audit (internal).
    public let internalNote: String?

    public init(auditor: String, receivedAt: Date, subject: String, findings: [Finding], internalNote: String? = nil) {
        self.auditor = auditor
        self.receivedAt = receivedAt
        self.subject = subject
        self.findings = findings
        self.internalNote = internalNote
    }
}

/// Input of `POST /v1/audit-findings/{id}/rebuttal`.
public struct RebuttalInput: Codable, Sendable {
    public let position: RebuttalPosition?
    public let argument: String
    public let evidence: [String]?
    /// Required with the first `accept` or `partial` of a finding: the fix item it leads to.
    public let correction: CorrectionInput?

    public init(position: RebuttalPosition? = nil, argument: String, evidence: [String]? = nil, correction: CorrectionInput? = nil) {
        self.position = position
        self.argument = argument
        self.evidence = evidence
        self.correction = correction
    }
}

/// The correction an accepted finding puts on the fix list: how both sides will know it is done
/// and by when; the statement defaults to the auditor's proposal, else the finding's statement.
public struct CorrectionInput: Codable, Sendable {
    public let statement: String?
    public let acceptance: String
    public let due: Day

    public init(statement: String? = nil, acceptance: String, due: Day) {
        self.statement = statement
        self.acceptance = acceptance
        self.due = due
    }
}

/// Input of `POST /v1/audits/{id}/close`.
public struct AuditClosing: Codable, Sendable {
    public let outcome: String

    public init(outcome: String) {
        self.outcome = outcome
    }
}
