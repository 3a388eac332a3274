import ClubCore
import Foundation

/// A referral's time to answer in words, the same on every page that shows it: hours left,
/// rounded up, or the moment it became overdue, in the reader's zone.
struct ReferralDeadlineText {
    let due: Date
    let now: Date
    let words: Localizer
    let zone: TimeZone

    var isOverdue: Bool { now >= due }
    var hoursLeft: Int { Int((due.timeIntervalSince(now) / 3600).rounded(.up)) }

    /// "5 hours left" or "overdue since …": the lists of Today and Home.
    var short: String {
        isOverdue
            ? words.text("console.today.overdueSince", ["date": words.format(due, zone: zone)])
            : words.plural("console.today.hoursLeft", count: max(hoursLeft, 0))
    }

    /// "Answer within 5 hours, by …" or "Overdue since …: the time to answer is over": the
    /// studio's own referral pages.
    var sentence: String {
        isOverdue
            ? words.text("studio.referral.overdueSince", ["date": words.format(due, zone: zone)])
            : words.plural("studio.referral.answerWithin", count: max(hoursLeft, 1), ["date": words.format(due, zone: zone)])
    }
}
