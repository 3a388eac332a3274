import Foundation

/// A link with its text.
struct RecordLink {
    let href: String
    let label: String
}

/// One lesson found.
struct LessonRow {
    let lesson: String
    let engagement: RecordLink
    let recorded: String
}

/// `/lessons`.
struct LessonsView {
    let query: String
    let searched: Bool
    let found: String
    let rows: [LessonRow]
    let hasRows: Bool
    let next: RecordLink?
}

/// A column head of the scorecards: a link that sorts by it, and its `aria-sort` when it is
/// the column sorted by.
struct SortHeader {
    let label: String
    let href: String
    let ariaSort: String?
    let arrow: String?
}

/// One studio's scorecard as table cells (the name first, as a row header).
struct ScorecardRow {
    let name: String
    let href: String
    let cells: [String]
}

/// One bar of the funnel chart, its geometry computed here (SVG attributes, not inline styles).
struct FunnelBar {
    let label: String
    let count: String
    let labelY: Int
    let barY: Int
    let countY: Int
    let width: Int
    let countX: Int
}

/// `/reports`: the scorecards and the funnel of the chosen period.
struct ReportsView {
    let headers: [SortHeader]
    let rows: [ScorecardRow]
    let hasRows: Bool
    let scorecardsCSV: String
    let fields: [InputField]
    let period: String
    let chartLabel: String
    let chartWidth: Int
    let chartHeight: Int
    let barHeight: Int
    let bars: [FunnelBar]
    let conversion: String
    let funnelCSV: String
    let club: ClubScoreView
}

/// One client's words about the club, with its score, whose they are and when.
struct ClubCommentRow {
    let comment: String
    let score: String
    let client: String
    let engagement: RecordLink
    let occasion: String
    let given: String
}

/// The club's own score beside the studios' scorecards (docs/design.md §3.12).
struct ClubScoreView {
    let period: String
    let score: String
    let counts: String
    let comments: [ClubCommentRow]
    let hasComments: Bool
}

/// One journal event as a table row.
struct JournalRow {
    let seq: String
    let at: String
    let actor: String
    let entityType: String
    let entityId: String
    /// The object's own page, for the kinds that have one.
    let href: String?
    let action: String
}

/// The result of checking the chain, shown after the button was pressed.
struct VerificationView {
    let intact: Bool
    let message: String
    let head: String?
}

/// `/journal`.
struct JournalView {
    let fields: [InputField]
    let rows: [JournalRow]
    let hasRows: Bool
    let next: RecordLink?
    let verifyForm: FormView
    let verification: VerificationView?
}
