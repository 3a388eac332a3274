/// Every use case the store offers a caller, named once so that the policy (`Policy.table`) can
/// answer for each whether a principal may do it. A new use case needs a new case here, a row in
/// the table and a probe in the API's authorisation matrix; the tests fail until all three exist.
public enum Action: String, CaseIterable, Sendable {
    // Studios and their vetting.
    case readStudio, listStudios, registerStudio, editStudio, recordVettingCheck, decideStudio, expelStudio, recordConductNote
    // Clients.
    case readClient, listClients, registerClient, editClient
    // Requests, shortlists and referrals.
    case readRequest, listRequests, registerRequest, editRequest, recordSharedResponsibility, closeRequest
    case makeShortlist, readShortlist, offerReferrals, answerReferral, listReferrals
    // The client's choice among the studios that accepted (docs/design.md §3.4).
    case recommendCandidate, readCandidates, chooseStudio
    // Engagements, agreements, check-ins and stage feedback.
    case startEngagement, editEngagement, readEngagement, listEngagements
    case writeAgreement, confirmAgreement, fulfilAgreement, listAgreements, recordCheckIn, giveFeedback
    // Complaints and recovery plans.
    case fileComplaint, readComplaint, recordStudioAccount, editComplaint, recordMeeting, proposePlan, approvePlan, resolveComplaint, readFollowUps
    // Seed 004's recovery etiquette on record (docs/design.md §3.6).
    case acknowledgeComplaint, recordComplaintUpdate, answerResolution
    // Fix lists and their share links.
    case composeFixList, readFixList, addFixItem, editFixItem, removeFixItem, confirmFixList, strikeFixItem, reopenFixItem
    case acceptFixItem, commentOnFixItem
    case createShareLink, revokeShareLink
    // Audits.
    case logAudit, readAudit, rebutFinding, answerAudit, closeAudit
    // Exits and exit consulting.
    case exitEngagement, offerConsulting, answerConsultingOffer, readConsultingOffer, scheduleSession, markSession
    // Retrospectives, lessons and case files.
    case writeRetrospective, readRetrospective, searchLessons, exportCaseFile
    // The club's own books.
    case readJournal, readScorecards, readFunnel, readMetrics
    // A studio's own scorecard, as the club computes it (issue 11).
    case readOwnScorecard
    // The club's own score: the client rates the club, the club reads the score (docs/design.md §3.12).
    case rateClub, readClubRating, readClubScore
    // Access tokens.
    case issueToken, revokeToken, listTokens
    // People of the console (DESIGN §9).
    case createPerson, listPeople, readPerson, editPerson, deactivatePerson, invitePerson, manageHeadCoordinator
    // Webhook endpoints of the club's integrations and their deliveries (docs/design.md §10).
    case manageWebhooks
    // Evidence files on fix items, audits, findings, complaints and check-ins (docs/design.md §11).
    case attachFile, removeFile
}

extension Action {
    /// What a caller refused with 403 is told (the problem's `detail`). The words are the API's
    /// since before the policy existed, kept so that no answer changes; an exhaustive switch so
    /// that a new action cannot go without its sentence. For an action of the club alone the
    /// sentence starts "only a coordinator may" (or "only the head coordinator may"), which
    /// `PolicyTests` checks against the table.
    public var refusal: String {
        switch self {
        case .readStudio: "a studio is read by the club, by itself and by the clients it works with"
        case .listStudios: "only a coordinator may list studios"
        case .registerStudio: "only a coordinator may register studios"
        case .editStudio: "only a coordinator may edit studios"
        case .recordVettingCheck: "only a coordinator may record vetting checks"
        case .decideStudio: "only a coordinator may decide on studios"
        case .expelStudio: "only the head coordinator may expel a studio"
        case .recordConductNote: "only a coordinator may record conduct notes"
        case .readClient: "a client is read by the club, by itself and by the studios it works with"
        case .listClients: "only a coordinator may list clients"
        case .registerClient: "only a coordinator may register clients"
        case .editClient: "only a coordinator may edit clients"
        case .readRequest: "a request is read by the club, its client and the studios it was offered to"
        case .listRequests: "a studio sees the requests offered to it through its referrals"
        case .registerRequest: "only a coordinator may register requests"
        case .editRequest: "only a coordinator may reframe requests"
        case .recordSharedResponsibility: "only a coordinator may record shared responsibility"
        case .closeRequest: "only a coordinator may close requests"
        case .makeShortlist: "only a coordinator may shortlist studios"
        case .readShortlist: "only a coordinator may read shortlists"
        case .offerReferrals: "only a coordinator may offer requests to studios"
        case .answerReferral: "only the studio a referral was offered to answers it"
        case .listReferrals: "referrals are between the club and its studios"
        case .recommendCandidate: "only a coordinator may recommend candidates"
        case .readCandidates: "the studios that accepted a request are shown to its client and the club"
        case .chooseStudio: "the client chooses its studio, or a coordinator records the client's choice"
        case .startEngagement: "only a coordinator may start engagements"
        case .editEngagement: "only a coordinator may change engagements"
        case .readEngagement: "an engagement is read by the club, its client and its studio"
        case .listEngagements: "engagements are listed for the club, their clients and their studios"
        case .writeAgreement: "only a coordinator may write agreements"
        case .confirmAgreement: "only the engagement's client and studio confirm an agreement"
        case .fulfilAgreement: "only a coordinator may record that an agreement was fulfilled"
        case .listAgreements: "only a coordinator may list agreements across engagements"
        case .recordCheckIn: "only a coordinator may record check-ins"
        case .giveFeedback: "only the engagement's client gives stage feedback"
        case .fileComplaint: "complaints come from clients, through the club"
        case .readComplaint: "a complaint is read by the club, the client who made it and the studio it is about"
        case .recordStudioAccount: "only the studio complained about gives its account"
        case .editComplaint: "only a coordinator may change complaints"
        case .recordMeeting: "only a coordinator may record complaint meetings"
        case .proposePlan: "only a coordinator may propose recovery plans"
        case .approvePlan: "only the head coordinator may approve a recovery plan"
        case .resolveComplaint: "only a coordinator may resolve complaints"
        case .readFollowUps: "only a coordinator may read the follow-ups"
        case .acknowledgeComplaint: "only a coordinator may record the acknowledgement to the client"
        case .recordComplaintUpdate: "only a coordinator may record updates to the client"
        case .answerResolution: "only the client who complained, or a coordinator on its behalf, answers a resolution"
        case .composeFixList: "only a coordinator may compose fix lists"
        case .readFixList: "a fix list is read by the club, the engagement's client and the studios working on it"
        case .addFixItem, .editFixItem, .removeFixItem: "only a coordinator may change fix lists"
        case .confirmFixList: "only the engagement's client and studio confirm a fix list"
        case .strikeFixItem: "only the studio assigned to an item strikes it"
        case .reopenFixItem: "only the client or a coordinator reopens an item"
        case .acceptFixItem: "only the client, or a coordinator on its behalf, accepts a struck item"
        case .commentOnFixItem: "an item's comments are written by the club, the engagement's client and the studios working on it"
        case .createShareLink: "share links are made by the club or the client"
        case .revokeShareLink: "share links are revoked by the club or the client"
        case .logAudit: "only a coordinator may log audits"
        case .readAudit: "an audit is read by the club, the audited studio and the engagement's client"
        case .rebutFinding: "the club answers audits; a client reads them"
        case .answerAudit: "only a coordinator may answer audits"
        case .closeAudit: "only a coordinator may close audits"
        case .exitEngagement: "only a coordinator may part with a client"
        case .offerConsulting: "only a coordinator may offer consulting"
        case .answerConsultingOffer: "only the client answers a consulting offer"
        case .readConsultingOffer: "a consulting offer is read by the club and its client"
        case .scheduleSession: "only a coordinator may schedule consulting sessions"
        case .markSession: "only a coordinator may mark consulting sessions"
        case .writeRetrospective: "only a coordinator may write retrospectives"
        case .readRetrospective: "a retrospective is read by the club and the engagement's client and studio"
        case .searchLessons: "only a coordinator may search the club's lessons"
        case .exportCaseFile: "case files are exported by the club or the client"
        case .readJournal: "only a coordinator may read the journal"
        case .readScorecards: "only a coordinator may read studio scorecards"
        case .readOwnScorecard: "a scorecard is read by the club and by the studio it describes"
        case .readFunnel: "only a coordinator may read the funnel"
        case .readMetrics: "only a coordinator may read the metrics"
        case .rateClub: "the club is rated by the engagement's client, or by a coordinator on the client's behalf"
        case .readClubRating: "the club's rating is read by the club and the engagement's client"
        case .readClubScore: "only a coordinator may read the club's score"
        case .issueToken: "only the head coordinator may issue tokens"
        case .revokeToken: "only the head coordinator may revoke tokens"
        case .listTokens: "only the head coordinator may list tokens"
        case .createPerson: "only a coordinator may invite people"
        case .listPeople: "only a coordinator may list people"
        case .readPerson: "only a coordinator may read people"
        case .editPerson: "only a coordinator may change people"
        case .deactivatePerson: "only a coordinator may deactivate people"
        case .invitePerson: "only a coordinator may invite people"
        case .manageHeadCoordinator: "only the head coordinator may create or change a head coordinator"
        case .manageWebhooks: "only a coordinator may manage webhooks"
        case .attachFile: "files are attached by the club and by the parties of the object"
        case .removeFile: "a file is removed by whoever uploaded it or by a coordinator"
        }
    }
}
