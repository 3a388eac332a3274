/// How much of an action one role has (DESIGN §2).
public enum Grant: Sendable, Equatable {
    /// The role never may: 403 (or 404 where the row says so, see `Denial`).
    case none
    /// Only on objects that belong to the caller's own studio or client; any other object
    /// answers 404, so that ids cannot be probed.
    case own
    /// On every object of the club.
    case all
}

/// How a caller whose role has no grant for an action is answered.
public enum Denial: Sendable, Equatable {
    /// 403 before anything is looked up: DESIGN §2's rule for an action a role never has.
    case forbidden
    /// 404, as if the object did not exist. Only for reads of one object by id that the API has
    /// always answered so for that role (a studio asking for a consulting offer, say); `Policy.require`
    /// lets such a caller through and `Policy.reaches` then turns it away.
    case notFound
}

/// One row of the policy: each role's grant, and whether the head coordinator alone may.
public struct Permission: Sendable, Equatable {
    public let coordinator: Grant
    public let studio: Grant
    public let client: Grant
    /// DESIGN §2's "in addition" of the head coordinator: other coordinators get 403.
    public let headOnly: Bool
    public let denied: Denial

    public init(coordinator: Grant, studio: Grant, client: Grant, headOnly: Bool = false, denied: Denial = .forbidden) {
        self.coordinator = coordinator
        self.studio = studio
        self.client = client
        self.headOnly = headOnly
        self.denied = denied
    }

    /// What an action without a row gets: nobody may, so a forgotten row fails closed (and
    /// `PolicyTests` fails loudly).
    public static let nobody = Permission(coordinator: .none, studio: .none, client: .none)

    public func grant(for role: Role) -> Grant {
        switch role {
        case .coordinator: coordinator
        case .studio: studio
        case .client: client
        }
    }
}

/// Whom an object belongs to, for `.own` grants: the studios working on it and the client it
/// is for. Built by the store from the object (an engagement names its studio and client, a
/// fix list adds the studios assigned an item, a request the studios it was offered to).
public struct Ownership: Sendable, Equatable {
    public var studioIds: [String]
    public var clientId: String?

    public init(studioIds: [String] = [], clientId: String? = nil) {
        self.studioIds = studioIds
        self.clientId = clientId
    }

    /// What the caller itself is bound to: its studio, or its client; nothing for a coordinator.
    public static func of(_ principal: Principal) -> Ownership {
        switch principal.role {
        case .coordinator: Ownership()
        case .studio: Ownership(studioIds: principal.studioId.map { [$0] } ?? [])
        case .client: Ownership(clientId: principal.clientId)
        }
    }

    /// Whether the caller is one of the owners.
    public func includes(_ principal: Principal) -> Bool {
        let mine = Ownership.of(principal)
        if mine.studioIds.contains(where: { studioIds.contains($0) }) { return true }
        guard let clientId = mine.clientId else { return false }
        return clientId == self.clientId
    }
}

/// Who may do what, decided in one place (DESIGN §2). The store asks `require` before it reads
/// anything (403 for a role that never may) and `reaches` once it has the object (404 when the
/// object lies outside the caller's reach); the HTTP layer can ask `require` before it reads a
/// body. `PolicyTests` and the API's authorisation matrix are driven by `table`.
public enum Policy {
    /// One line per action, to be read against DESIGN §2. Coordinators have everything in the
    /// club except what only parties do (confirming, striking, answering for themselves). Kept
    /// aligned in columns for that reading, so the formatter leaves it alone.
    // swift-format-ignore
    public static let table: [Action: Permission] = [
        // Studios: the club keeps the registry and vets; a studio reads its own record, a client the studios it has
        // an engagement or an accepted referral with (their public profile: `FieldVisibility`); expelling is the head's.
        .readStudio:                 Permission(coordinator: .all,  studio: .own,  client: .own),
        .listStudios:                Permission(coordinator: .all,  studio: .none, client: .none),
        .registerStudio:             Permission(coordinator: .all,  studio: .none, client: .none),
        .editStudio:                 Permission(coordinator: .all,  studio: .none, client: .none),
        .recordVettingCheck:         Permission(coordinator: .all,  studio: .none, client: .none),
        .decideStudio:               Permission(coordinator: .all,  studio: .none, client: .none),
        .expelStudio:                Permission(coordinator: .all,  studio: .none, client: .none, headOnly: true),
        .recordConductNote:          Permission(coordinator: .all,  studio: .none, client: .none),
        // Clients: the club's registry; a client reads its own record, a studio the clients it has engagements with.
        .readClient:                 Permission(coordinator: .all,  studio: .own,  client: .own),
        .listClients:                Permission(coordinator: .all,  studio: .none, client: .none),
        .registerClient:             Permission(coordinator: .all,  studio: .none, client: .none),
        .editClient:                 Permission(coordinator: .all,  studio: .none, client: .none),
        // Requests: the club takes and reframes them; a client sees its own; a studio sees one once it is offered it
        // and answers its own referrals.
        .readRequest:                Permission(coordinator: .all,  studio: .own,  client: .own),
        .listRequests:               Permission(coordinator: .all,  studio: .none, client: .own),
        .registerRequest:            Permission(coordinator: .all,  studio: .none, client: .none),
        .editRequest:                Permission(coordinator: .all,  studio: .none, client: .none),
        .recordSharedResponsibility: Permission(coordinator: .all,  studio: .none, client: .none),
        .closeRequest:               Permission(coordinator: .all,  studio: .none, client: .none),
        .makeShortlist:              Permission(coordinator: .all,  studio: .none, client: .none),
        .readShortlist:              Permission(coordinator: .all,  studio: .none, client: .none),
        .offerReferrals:             Permission(coordinator: .all,  studio: .none, client: .none),
        .answerReferral:             Permission(coordinator: .none, studio: .own,  client: .none),
        .listReferrals:              Permission(coordinator: .all,  studio: .own,  client: .none),
        // The client's choice: the club recommends, the client reads the studios that accepted its request and chooses
        // one (or the club records the choice the client made on the phone); a studio never sees its rivals.
        .recommendCandidate:         Permission(coordinator: .all,  studio: .none, client: .none),
        .readCandidates:             Permission(coordinator: .all,  studio: .none, client: .own),
        .chooseStudio:               Permission(coordinator: .all,  studio: .none, client: .own),
        // Engagements: the club runs them; both parties see their own, confirm agreements; the client gives feedback.
        .startEngagement:            Permission(coordinator: .all,  studio: .none, client: .none),
        .editEngagement:             Permission(coordinator: .all,  studio: .none, client: .none),
        .readEngagement:             Permission(coordinator: .all,  studio: .own,  client: .own),
        .listEngagements:            Permission(coordinator: .all,  studio: .own,  client: .own),
        .writeAgreement:             Permission(coordinator: .all,  studio: .none, client: .none),
        .confirmAgreement:           Permission(coordinator: .none, studio: .own,  client: .own),
        .fulfilAgreement:            Permission(coordinator: .all,  studio: .none, client: .none),
        .listAgreements:             Permission(coordinator: .all,  studio: .none, client: .none),
        .recordCheckIn:              Permission(coordinator: .all,  studio: .none, client: .none),
        .giveFeedback:               Permission(coordinator: .none, studio: .none, client: .own),
        // Complaints: a client files its own, the club mediates, the head approves the plan. The studio reads the
        // complaints about its work (their shared parts) and gives its own account, which the club never writes for it.
        .fileComplaint:              Permission(coordinator: .all,  studio: .none, client: .own),
        .readComplaint:              Permission(coordinator: .all,  studio: .own,  client: .own),
        .recordStudioAccount:        Permission(coordinator: .none, studio: .own,  client: .none),
        .editComplaint:              Permission(coordinator: .all,  studio: .none, client: .none),
        .recordMeeting:              Permission(coordinator: .all,  studio: .none, client: .none),
        .proposePlan:                Permission(coordinator: .all,  studio: .none, client: .none),
        .approvePlan:                Permission(coordinator: .all,  studio: .none, client: .none, headOnly: true),
        .resolveComplaint:           Permission(coordinator: .all,  studio: .none, client: .none),
        .readFollowUps:              Permission(coordinator: .all,  studio: .none, client: .none),
        // Recovery etiquette: the club acknowledges and updates the client; the client answers the resolution (a
        // coordinator may take its answer down on a call).
        .acknowledgeComplaint:       Permission(coordinator: .all,  studio: .none, client: .none),
        .recordComplaintUpdate:      Permission(coordinator: .all,  studio: .none, client: .none),
        .answerResolution:           Permission(coordinator: .all,  studio: .none, client: .own),
        // Fix lists: the club composes and amends; both parties confirm; the studio strikes its own items; the
        // client (or the club) reopens; the club or the client shares the list read-only.
        .composeFixList:             Permission(coordinator: .all,  studio: .none, client: .none),
        .readFixList:                Permission(coordinator: .all,  studio: .own,  client: .own),
        .addFixItem:                 Permission(coordinator: .all,  studio: .none, client: .none),
        .editFixItem:                Permission(coordinator: .all,  studio: .none, client: .none),
        .removeFixItem:              Permission(coordinator: .all,  studio: .none, client: .none),
        .confirmFixList:             Permission(coordinator: .none, studio: .own,  client: .own),
        .strikeFixItem:              Permission(coordinator: .none, studio: .own,  client: .none),
        .reopenFixItem:              Permission(coordinator: .all,  studio: .none, client: .own),
        .acceptFixItem:              Permission(coordinator: .all,  studio: .none, client: .own),
        .commentOnFixItem:           Permission(coordinator: .all,  studio: .own,  client: .own),
        .createShareLink:            Permission(coordinator: .all,  studio: .none, client: .own),
        .revokeShareLink:            Permission(coordinator: .all,  studio: .none, client: .own),
        // Audits: the club logs and answers; the audited studio and the client read them; the studio proposes arguments.
        .logAudit:                   Permission(coordinator: .all,  studio: .none, client: .none),
        .readAudit:                  Permission(coordinator: .all,  studio: .own,  client: .own),
        .rebutFinding:               Permission(coordinator: .all,  studio: .own,  client: .none),
        .answerAudit:                Permission(coordinator: .all,  studio: .none, client: .none),
        .closeAudit:                 Permission(coordinator: .all,  studio: .none, client: .none),
        // Exits: the club parts and offers consulting; the client answers its offer and sees its sessions.
        .exitEngagement:             Permission(coordinator: .all,  studio: .none, client: .none),
        .offerConsulting:            Permission(coordinator: .all,  studio: .none, client: .none),
        .answerConsultingOffer:      Permission(coordinator: .none, studio: .none, client: .own),
        .readConsultingOffer:        Permission(coordinator: .all,  studio: .none, client: .own,  denied: .notFound),
        .scheduleSession:            Permission(coordinator: .all,  studio: .none, client: .none),
        .markSession:                Permission(coordinator: .all,  studio: .none, client: .none),
        // Retrospectives and case files: the club writes; the parties read the retrospective; the client exports
        // its own case file.
        .writeRetrospective:         Permission(coordinator: .all,  studio: .none, client: .none),
        .readRetrospective:          Permission(coordinator: .all,  studio: .own,  client: .own),
        .searchLessons:              Permission(coordinator: .all,  studio: .none, client: .none),
        .exportCaseFile:             Permission(coordinator: .all,  studio: .none, client: .own),
        // The club's own books: journal, reports, metrics.
        .readJournal:                Permission(coordinator: .all,  studio: .none, client: .none),
        .readScorecards:             Permission(coordinator: .all,  studio: .none, client: .none),
        .readOwnScorecard:           Permission(coordinator: .all,  studio: .own,  client: .none),
        .readFunnel:                 Permission(coordinator: .all,  studio: .none, client: .none),
        .readMetrics:                Permission(coordinator: .all,  studio: .none, client: .none),
        // The club's own score: the client rates the club (a coordinator may take it down on a call); no studio reads it.
        .rateClub:                   Permission(coordinator: .all,  studio: .none, client: .own),
        .readClubRating:             Permission(coordinator: .all,  studio: .none, client: .own),
        .readClubScore:              Permission(coordinator: .all,  studio: .none, client: .none),
        // Tokens over the API: the head coordinator's alone.
        .issueToken:                 Permission(coordinator: .all,  studio: .none, client: .none, headOnly: true),
        .revokeToken:                Permission(coordinator: .all,  studio: .none, client: .none, headOnly: true),
        .listTokens:                 Permission(coordinator: .all,  studio: .none, client: .none, headOnly: true),
        // People of the console: the club's coordinators invite and keep them (DESIGN §9); a head coordinator is
        // created, changed, invited anew or deactivated by the head alone (`Person` asks `manageHeadCoordinator`).
        .createPerson:               Permission(coordinator: .all,  studio: .none, client: .none),
        .listPeople:                 Permission(coordinator: .all,  studio: .none, client: .none),
        .readPerson:                 Permission(coordinator: .all,  studio: .none, client: .none),
        .editPerson:                 Permission(coordinator: .all,  studio: .none, client: .none),
        .deactivatePerson:           Permission(coordinator: .all,  studio: .none, client: .none),
        .invitePerson:               Permission(coordinator: .all,  studio: .none, client: .none),
        .manageHeadCoordinator:      Permission(coordinator: .all,  studio: .none, client: .none, headOnly: true),
        // Webhooks: the club's integrations, kept by its coordinators (docs/design.md §10).
        .manageWebhooks:             Permission(coordinator: .all,  studio: .none, client: .none),
        // Evidence files (docs/design.md §11): whoever may read an open object may add evidence to it; a file is removed
        // by its uploader (`EvidenceFile.checkRemoval`) or by a coordinator.
        .attachFile:                 Permission(coordinator: .all,  studio: .own,  client: .own),
        .removeFile:                 Permission(coordinator: .all,  studio: .own,  client: .own),
    ]

    /// The action's row; an action without one is refused to everybody.
    public static func permission(for action: Action) -> Permission {
        table[action] ?? .nobody
    }

    /// The caller's grant for the action: its role's column, or none when the head alone may and
    /// the caller is not the head coordinator.
    public static func grant(_ principal: Principal, _ action: Action) -> Grant {
        let permission = permission(for: action)
        if permission.headOnly, !(principal.role == .coordinator && principal.isHead) { return .none }
        return permission.grant(for: principal.role)
    }

    /// Whether the caller may do the action on at least some objects.
    public static func allows(_ principal: Principal, _ action: Action) -> Bool {
        grant(principal, action) != .none
    }

    /// Refuses (403, with the action's `refusal`) a caller whose role never may; returns the
    /// grant so that a list can tell whether to keep to the caller's own rows. A row whose
    /// denial is `.notFound` lets the caller through with `.none`: `reaches` answers it.
    @discardableResult
    public static func require(_ principal: Principal, _ action: Action) throws -> Grant {
        let grant = grant(principal, action)
        if grant == .none, permission(for: action).denied == .forbidden {
            throw DomainError.forbidden(action.refusal)
        }
        return grant
    }

    /// Whether the object is within the caller's reach for the action; the store answers 404
    /// when it is not. The owners are worked out only for an `.own` grant, so a query that
    /// finds them costs nothing for a coordinator.
    public static func reaches(_ principal: Principal, _ action: Action, _ owner: @autoclosure () throws -> Ownership) rethrows -> Bool {
        switch grant(principal, action) {
        case .none: false
        case .all: true
        case .own: try owner().includes(principal)
        }
    }
}
