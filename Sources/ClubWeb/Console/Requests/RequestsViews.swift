import ClubCore
import Foundation

// The values the requests area's templates read. Plain stored properties and `has…` flags only:
// Mustache reads stored properties, never computed ones.

/// A label and its value, for the facts of a request and a studio's scorecard.
struct RequestFact {
    let label: String
    let value: String
}

/// The inbox: the filter form (GET), one row per request, and the link to the next page.
struct RequestInboxView {
    let filterFields: [InputField]
    let rows: [InboxRow]
    let hasRows: Bool
    let nextHref: String?
    let canRegister: Bool
}

struct InboxRow {
    let href: String
    let client: String
    let statedAsk: String
    let state: String
    let rush: Bool
    let age: String
    let deadline: String
}

/// The page that registers a client's request.
struct NewRequestView {
    let form: FormView?
    let hasClients: Bool
}

/// The request page: the client's words beside the coordinator's reframing, the rush record,
/// the shortlist and its offers, the referrals, and closing.
struct RequestPageView {
    let id: String
    let client: String
    let state: String
    let statedAsk: String
    let businessGoal: String
    let facts: [RequestFact]
    let reframing: [RequestFact]
    let hasReframing: Bool
    let reframeForm: FormView?
    let rush: Bool
    let rushText: String
    let shared: [RequestFact]
    let hasShared: Bool
    /// The shared-responsibility section is shown for a rush request or once something is on record.
    let showShared: Bool
    let sharedForm: FormView?
    let shortlistForm: FormView?
    let shortlistNote: String?
    let shortlist: ShortlistView?
    let offerForm: FormView?
    let referrals: [ReferralRow]
    let hasReferrals: Bool
    let engagements: [EngagementLink]
    let hasEngagements: Bool
    let closeForm: FormView?
    let closing: String?
    let live: Bool
}

struct EngagementLink {
    let href: String
    let text: String
}

/// The newest shortlist of a request: when and for what it was made, and its candidates.
struct ShortlistView {
    let made: String
    let scope: String
    let excluded: String?
    let candidates: [CandidateView]
    let hasCandidates: Bool
}

/// One ranked studio: its score, every part of it as a labelled bar, its free capacity and scorecard.
struct CandidateView {
    let rank: Int
    let id: String
    let name: String
    let score: String
    let scoreValue: String
    let covers: String
    let parts: [ScorePart]
    let capacity: String
    let scorecard: [RequestFact]
}

/// One part of a score: a `<meter>` from 0 to 1 with its label, value in words and weight.
struct ScorePart {
    let id: String
    let label: String
    let value: String
    let shown: String
    let weight: String
}

/// One offer of the request to a studio.
struct ReferralRow {
    let id: String
    let studio: String
    let state: String
    let offered: String
    let isOpen: Bool
    let due: String
    let dueText: String
    let left: String
    let leftTemplate: String
    let overdueText: String
    let note: String?
    let reason: String?
    let handedTo: String?
    let handedFrom: String?
    /// The coordinator's recommendation to the client, and the form that sets it (docs/design.md §3.4).
    let recommendation: String?
    let recommendForm: FormView?
    /// Records the client's choice (with how it was made) and starts the engagement.
    let engagementForm: FormView?
    let engagementHeading: String
}
