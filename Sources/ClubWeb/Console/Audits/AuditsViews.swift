import ClubCore
import Foundation

/// A link with its text (pages, engagements, evidence).
struct AuditLink {
    let href: String
    let label: String
}

/// One line of the audits list.
struct AuditRow {
    let href: String
    let subject: String
    let auditor: String
    let studio: String
    let received: String
    let status: String
    let findings: String
}

/// `/audits`: every audit, and where to log a new one.
struct AuditsListView {
    let rows: [AuditRow]
    let hasRows: Bool
    let next: AuditLink?
    let engagements: [ChoiceOption]
    let hasEngagements: Bool
}

/// A group of the new audit form: one finding's inputs under a legend.
struct FieldGroup {
    let legend: String
    let fields: [InputField]
}

/// `/engagements/{id}/audits/new`: the audit's own inputs, a group per finding, then the note.
/// `form` carries the action, the hidden values and the button; its fields are split here.
struct NewAuditView {
    let engagement: AuditLink
    let form: FormView
    let head: [InputField]
    let rows: [FieldGroup]
    let tail: [InputField]
}

/// An argument the audited studio proposed for a finding.
struct StudioArgumentView {
    let argument: String
    let evidence: [AuditLink]
    let byline: String
}

/// The club's position on a finding as recorded.
struct PositionView {
    let position: String
    let argument: String
    let evidence: [AuditLink]
    let hasEvidence: Bool
    let byline: String
}

/// The fix item an accepted finding led to, with the way to its list.
struct CorrectionView {
    let text: String
    let href: String
    let removed: Bool
}

/// One finding: what the auditor wrote, the studio's arguments, the club's position, the
/// correction it led to, and the position's form.
struct FindingView {
    let headingId: String
    let heading: String
    let statement: String
    let severity: String
    let category: String
    let proposal: String?
    let constructive: Bool
    let arguments: [StudioArgumentView]
    let hasArguments: Bool
    let position: PositionView?
    let correction: CorrectionView?
    let form: FormView?
    var files: FilesSectionView?
}

/// `/audits/{id}`.
struct AuditPageView {
    let subject: String
    let auditor: String
    let received: String
    let status: String
    let engagement: AuditLink
    let studio: String
    let summary: String
    let findings: [FindingView]
    /// The findings still without the club's position, while the audit is open.
    let missing: String?
    let answerForm: FormView?
    let closeForm: FormView?
    let outcome: String?
    let letterHref: String?
    /// The answer section: always for the club; for a party once there is an answer to show.
    let showsAnswer: Bool
    var files: FilesSectionView?
}

/// `/audits/{id}/letter`: the letter as it will be sent, and its downloads.
struct LetterPageView {
    let auditHref: String
    let subject: String
    let letterHTML: String?
    let markdownHref: String
    let htmlHref: String
    let notYet: Bool
}
