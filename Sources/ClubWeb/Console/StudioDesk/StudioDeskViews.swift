import ClubCore
import Foundation

/// One fact of a page: what it is and its value (a request's region, a referral's state).
struct DeskFact {
    let label: String
    let value: String
}

/// `/referrals/{id}`: what the studio may read of the request, the deadline with the time left,
/// and, while the offer is open, the accept and decline forms; once answered, the answer.
struct ReferralDeskView {
    let statedAsk: String
    let businessGoal: String
    let facts: [DeskFact]
    let state: String
    let offered: String
    /// "Answer within 31 hours (by …)" or "Overdue since …"; nil once answered.
    let deadline: String?
    let overdue: Bool
    let answer: String?
    let answerNote: String?
    let canAnswer: Bool
    let acceptForm: FormView?
    let declineForm: FormView?
    let backHref: String
}

/// One line of `/referrals`.
struct ReferralLine {
    let href: String
    let text: String
    let state: String
    let note: String
}

/// `/referrals`: the studio's referrals, those waiting for its answer first.
struct ReferralListView {
    let open: [ReferralLine]
    let hasOpen: Bool
    let answered: [ReferralLine]
    let hasAnswered: Bool
}

/// One number of the scorecard: its name, its value and what drives it.
struct ScoreLine {
    let id: String
    let label: String
    let value: String
    let drivers: [String]
}

/// `/scorecard`: the studio's own scorecard as the club computes it.
struct ScorecardDeskView {
    let studio: String
    let asOf: String
    let lines: [ScoreLine]
}
