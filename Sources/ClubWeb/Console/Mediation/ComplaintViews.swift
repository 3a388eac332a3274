import ClubCore
import Foundation

/// The page that logs a complaint.
struct ComplaintNewView {
    let engagementHref: String
    let engagementLabel: String
    let form: FormView
}

/// A label and its value, for a description list.
struct DetailRow {
    let label: String
    let value: String
}

/// One goal of the plan; `internal` ones are the club's alone.
struct GoalRow {
    let text: String
    let isInternal: Bool
}

/// One step of the plan with its owner, due day and whether it is done.
struct StepRow {
    let action: String
    let owner: String
    let due: String
    let done: String
    let isDone: Bool
    let isOverdue: Bool
}

/// The meeting with the client, facts apart from emotions.
struct MeetingView {
    let details: [DetailRow]
    let facts: [String]
    let hasFacts: Bool
    let emotions: [String]
    let hasEmotions: Bool
}

/// The recovery plan as the viewer may read it.
struct PlanView {
    let goals: [GoalRow]
    let steps: [StepRow]
    let followUps: [String]
    let hasFollowUps: Bool
    let details: [DetailRow]
}

/// The complaint page: its state in words, what happened, and the next forms its viewer may use.
struct ComplaintPageView {
    let engagementHref: String
    let engagementLabel: String
    let state: String
    let next: String?
    let details: [DetailRow]
    let acknowledgement: [DetailRow]
    let hasAcknowledgement: Bool
    let acknowledgementForm: FormView?
    let acknowledgementFolded: Bool
    let updates: [DetailRow]
    let hasUpdates: Bool
    let rhythm: String?
    let updateForm: FormView?
    let answers: [DetailRow]
    let hasAnswers: Bool
    let answerForm: FormView?
    let meeting: MeetingView?
    let plan: PlanView?
    let studioAccount: [DetailRow]
    let hasStudioAccount: Bool
    let resolution: [DetailRow]
    let hasResolution: Bool
    let meetingForm: FormView?
    /// A form for doing again what was done (the meeting, the plan) starts folded.
    let meetingFolded: Bool
    let planForm: FormView?
    let planFolded: Bool
    let approveForm: FormView?
    let awaitingHead: String?
    let stepsForm: FormView?
    let resolveForm: FormView?
    let accountForm: FormView?
    var files: FilesSectionView?
}
