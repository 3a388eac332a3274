import ClubCore
import Foundation

// The values the engagements area's templates read. Stored properties only (Mustache reads no
// computed ones), with `has…` flags for lists.

/// A column of the board: the engagements of one group of states.
struct EngagementBoardColumn {
    let id: String
    let title: String
    let count: String
    let cards: [EngagementBoardCard]
    let hasCards: Bool
    /// The whole list of this state, when the board shows only its first engagements.
    let moreHref: String?
}

/// One engagement on the board.
struct EngagementBoardCard {
    let href: String
    let title: String
    let state: String
    let scope: String
    let started: String
}

/// `GET /engagements`: the filter, the columns, and the next page of a filtered list.
struct EngagementBoardView {
    let statusOptions: [ChoiceOption]
    let requestFilter: String
    let columns: [EngagementBoardColumn]
    let nextHref: String?
    let filtered: Bool
}

/// An agreement with both sides' confirmations and, for a coordinator, a button to record it fulfilled.
struct EngagementAgreementLine {
    let id: String
    let what: String
    let owner: String
    let due: String
    let consequence: String
    let clientConfirmed: String
    let studioConfirmed: String
    let fulfilled: String?
    let overdue: Bool
    let fulfilLabel: String
    let fulfilForm: FormView?
    /// The client's or studio's own confirmation, while its side has not given it.
    let confirmLabel: String
    let confirmForm: FormView?
}

struct EngagementCheckInLine {
    let heldAt: String
    let attendees: String
    let report: String
    let sentiment: String
    let sentimentValue: Int
    let risks: String
    let hasRisks: Bool
    let recordedBy: String
    /// The client's mood as the coordinator read it is the club's (docs/design.md §2).
    let clubReads: Bool
    var files: FilesSectionView?
}

struct EngagementFeedbackLine {
    let stage: String
    let score: String
    let comment: String?
    let given: String
}

/// A link to a fix list, complaint or audit of the engagement.
struct EngagementRelatedLine {
    let href: String
    let text: String
    let note: String
}

/// The parting: the exit, the consulting offer with the client's answer, and its sessions.
struct EngagementExitView {
    let reason: String
    let decidedBy: String
    let decidedAt: String
    let offer: ConsultingOfferView?
    let offerForm: FormView?
}

struct ConsultingOfferView {
    let sessions: String
    let validUntil: String
    let status: String
    let answered: String?
    let sessionLines: [ConsultingSessionLine]
    let hasSessions: Bool
    let scheduleForm: FormView?
    /// The client's answer, while the offer waits for it.
    let answerForm: FormView?
}

struct ConsultingSessionLine {
    let id: String
    let scheduledAt: String
    let topic: String
    let status: String
    let notes: String?
    let headingId: String
    let markForm: FormView?
}

/// A written retrospective.
struct EngagementRetrospectiveView {
    let facts: [String]
    let emotions: [String]
    let hasEmotions: Bool
    let mistakes: [RetrospectiveSideLine]
    let hasMistakes: Bool
    let positives: [String]
    let hasPositives: Bool
    let differently: [RetrospectiveSideLine]
    let hasDifferently: Bool
    let lessons: [String]
    /// Lessons, like emotions, are the club's: a party's page shows neither.
    let hasLessons: Bool
    let recorded: String
}

/// One side's mistake or what it would do differently.
struct RetrospectiveSideLine {
    let side: String
    let statement: String
    let counterfactual: String?
}

/// A group of fields of one repeated row (a mistake, a "would do differently").
struct EngagementFieldRow {
    let legend: String
    let fields: [InputField]
}

/// The retrospective form: its text areas in `form`, its repeated rows beside it.
struct EngagementRetrospectiveFormView {
    let form: FormView
    let lists: [InputField]
    let mistakeRows: [EngagementFieldRow]
    let differentlyRows: [EngagementFieldRow]
    let closing: [InputField]
}

/// `GET /engagements/{id}`.
struct EngagementPageView {
    let id: String
    let heading: String
    let studioName: String
    let clientName: String
    let requestHref: String
    let requestId: String
    let scope: String
    let state: String
    let keyStages: String
    let stagesReached: String
    let started: String
    let ended: String?
    let updateForm: FormView?
    let agreements: [EngagementAgreementLine]
    let hasAgreements: Bool
    let agreementForm: FormView?
    let checkIns: [EngagementCheckInLine]
    let hasCheckIns: Bool
    let checkInForm: FormView?
    let feedback: [EngagementFeedbackLine]
    let hasFeedback: Bool
    let awaitingFeedback: String
    let hasAwaitingFeedback: Bool
    /// How likely the client is to recommend the club, each time it was asked.
    let clubRatings: [EngagementFeedbackLine]
    let hasClubRatings: Bool
    let showRelated: Bool
    let fixLists: [EngagementRelatedLine]
    let hasFixLists: Bool
    let complaints: [EngagementRelatedLine]
    let hasComplaints: Bool
    let audits: [EngagementRelatedLine]
    let hasAudits: Bool
    let composeFixListHref: String?
    let recordComplaintHref: String?
    let logAuditHref: String?
    let showExit: Bool
    let exit: EngagementExitView?
    let exitForm: FormView?
    let retrospective: EngagementRetrospectiveView?
    let retrospectiveForm: EngagementRetrospectiveFormView?
    let showRetrospective: Bool
    let caseFileHref: String?
    /// The long forms fold away until used; one the person just sent comes back open.
    let openForms: EngagementOpenForms
    /// The client's own forms (issue 11): feedback on a stage that lacks it, the club's rating.
    var feedbackForm: FormView?
    var ratingForms: [ClubRatingFormLine] = []
    var hasRatingForms = false
}

/// One moment the client is asked to rate the club (the engagement's end, a complaint resolved).
struct ClubRatingFormLine {
    let headingId: String
    let title: String
    let form: FormView
}

/// Which of the folded forms show open: the one that was just sent and failed.
struct EngagementOpenForms {
    let agreement: Bool
    let checkIn: Bool
    let exit: Bool
    let retrospective: Bool

    init(_ forms: FormContext, base: String) {
        agreement = forms.postedAction == base + "/agreements"
        checkIn = forms.postedAction == base + "/check-ins"
        exit = forms.postedAction == base + "/exit"
        retrospective = forms.postedAction == base + "/retrospective"
    }
}
