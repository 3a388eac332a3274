import ClubCore
import ClubStore

/// `GET /v1/engagements/{id}`: the engagement and everything written on it.
struct EngagementAnswer: FlattenedAnswer {
    struct Extras: Encodable {
        let agreements: [Agreement]
        let checkIns: [CheckIn]
        let feedback: [StageFeedback]
        let stagesAwaitingFeedback: [String]
        let unconfirmedAgreements: [String]
        let overdueAgreements: [String]
    }

    let base: Engagement
    let extras: Extras

    init(_ record: EngagementRecord) {
        base = record.engagement
        extras = Extras(
            agreements: record.agreements,
            checkIns: record.checkIns,
            feedback: record.feedback,
            stagesAwaitingFeedback: record.stagesAwaitingFeedback,
            unconfirmedAgreements: record.unconfirmedAgreements,
            overdueAgreements: record.overdueAgreements
        )
    }
}

/// `GET /v1/agreements`: each agreement with its state spelled out.
struct AgreementStatusAnswer: FlattenedAnswer {
    struct Extras: Encodable {
        let confirmed: Bool
        let overdue: Bool
    }

    let base: Agreement
    let extras: Extras

    init(_ view: AgreementStatusView) {
        base = view.agreement
        extras = Extras(confirmed: view.confirmed, overdue: view.overdue)
    }
}

/// A fix list with its items, progress and overdue items.
struct FixListAnswer: FlattenedAnswer {
    struct Extras: Encodable {
        let items: [FixItem]
        let progress: FixListRecord.Progress
        let overdueItems: [String]
    }

    let base: FixList
    let extras: Extras

    init(_ record: FixListRecord) {
        base = record.list
        extras = Extras(items: record.items, progress: record.progress, overdueItems: record.overdueItems)
    }

    /// The answer written by hand, as `Encodable` writes it (`ObjectTreeEncoderTests` holds the
    /// two equal): every read and strike answers a whole list (docs/performance.md).
    var jsonTree: JSONTree {
        guard case .object(var members) = base.jsonTree else { return base.jsonTree }
        members.append(("items", .array(extras.items.map(\.jsonTree))))
        var progress = TreeObject(capacity: 4)
        progress.add("struck", extras.progress.struck)
        progress.add("awaitingCheck", extras.progress.awaitingCheck)
        progress.add("accepted", extras.progress.accepted)
        progress.add("total", extras.progress.total)
        members.append(("progress", progress.object))
        members.append(("overdueItems", .array(extras.overdueItems.map(JSONTree.string))))
        return .object(members)
    }
}

/// A new token as answered to the head coordinator: the record and the secret, shown once.
struct IssuedTokenAnswer: FlattenedAnswer {
    struct Extras: Encodable {
        let token: String
    }

    let base: AccessToken
    let extras: Extras

    init(_ issued: IssuedToken) {
        base = issued.token
        extras = Extras(token: issued.secret)
    }
}

/// A new share link as answered to its maker: the record, the token, and the page's address.
struct ShareLinkAnswer: FlattenedAnswer {
    struct Extras: Encodable {
        let token: String
        let url: String
    }

    let base: ShareLink
    let extras: Extras

    init(_ issued: IssuedShareLink, url: String) {
        base = issued.link
        extras = Extras(token: issued.token, url: url)
    }
}
