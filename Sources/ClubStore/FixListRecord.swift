import ClubCore
import Foundation

/// A fix list with its items, as the API and the client's page show it.
public struct FixListRecord: Sendable {
    public let list: FixList
    /// Every item in order, removed ones included (marked), so that the record is complete.
    public let items: [FixItem]
    public let progress: Progress
    /// Items past their due day and not struck.
    public let overdueItems: [String]

    /// Counted over the items not removed (docs/design.md §3.7).
    public struct Progress: Sendable, Encodable, Equatable {
        /// Struck by the studio, accepted ones included.
        public let struck: Int
        /// Struck and awaiting the client's check.
        public let awaitingCheck: Int
        /// Accepted by the client (or for it): the list is done when this reaches the total.
        public let accepted: Int
        public let total: Int
    }

    init(list: FixList, items: [FixItem], at now: Date, in zone: TimeZone) {
        self.list = list
        self.items = items
        let remaining = items.filter { !$0.isRemoved }
        let awaiting = remaining.filter(\.awaitsCheck).count
        let accepted = remaining.filter { $0.state == .accepted }.count
        progress = Progress(struck: awaiting + accepted, awaitingCheck: awaiting, accepted: accepted, total: remaining.count)
        overdueItems = FixItem.overdueIds(of: remaining, at: now, in: zone)
    }
}

/// A new share link and its token, which is never shown again.
public struct IssuedShareLink: Sendable {
    public let link: ShareLink
    public let token: String
}

/// Who the shared list is between, for the page's heading.
public struct ShareContext: Sendable, Equatable {
    public let clientName: String
    public let studioName: String
}

/// What a share token opens.
public enum SharedFixList: Sendable {
    case available(FixListRecord, ShareLink, ShareContext)
    /// The link existed but was revoked or has expired.
    case gone
    case unknown
}
