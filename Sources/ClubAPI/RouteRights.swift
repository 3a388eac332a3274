import ClubCore
import ClubStore

/// What one route of `/v1` asks of its caller before anything of the request is read: the policy's action, and the
/// object its path names by `{id}` (docs/design.md §2, "Rights before input").
struct RouteRight: Sendable {
    /// The action `Policy` is asked for; nil for the few routes every signed-in caller may use, where the use case
    /// decides (`/v1/me`, a person's own notifications).
    let action: Action?
    /// The object of the path's `{id}`, whose reach decides between 404 and the input's own problem.
    let object: AddressedObject?

    static func action(_ action: Action, on object: AddressedObject? = nil) -> RouteRight {
        RouteRight(action: action, object: object)
    }

    static func anyCaller(on object: AddressedObject? = nil) -> RouteRight {
        RouteRight(action: nil, object: object)
    }
}

/// Every `/v1` route's right, keyed by method and path as the router names them (`POST /v1/fix-items/{id}/strike`).
/// `RightsBeforeInputTests` fails when a route has no line here, so a new route cannot skip it.
enum RouteRights {
    // swift-format-ignore
    static let table: [String: RouteRight] = [
        "GET /v1/me":                                       .anyCaller(),
        "POST /v1/tokens":                                  .action(.issueToken),
        "GET /v1/tokens":                                   .action(.listTokens),
        "DELETE /v1/tokens/{id}":                           .action(.revokeToken, on: .token),
        // Studios and clients. A decision to expel is the head's: that one is told from the body, by the use case.
        "POST /v1/studios":                                 .action(.registerStudio),
        "GET /v1/studios":                                  .action(.listStudios),
        "GET /v1/studios/{id}":                             .action(.readStudio, on: .studio),
        "PATCH /v1/studios/{id}":                           .action(.editStudio, on: .studio),
        "POST /v1/studios/{id}/vetting-checks":             .action(.recordVettingCheck, on: .studio),
        "POST /v1/studios/{id}/decisions":                  .action(.decideStudio, on: .studio),
        "POST /v1/studios/{id}/conduct-notes":              .action(.recordConductNote, on: .studio),
        "GET /v1/studios/{id}/scorecard":                   .action(.readOwnScorecard, on: .studio),
        "POST /v1/clients":                                 .action(.registerClient),
        "GET /v1/clients":                                  .action(.listClients),
        "GET /v1/clients/{id}":                             .action(.readClient, on: .client),
        "PATCH /v1/clients/{id}":                           .action(.editClient, on: .client),
        // Requests, referrals and the client's choice.
        "POST /v1/requests":                                .action(.registerRequest),
        "GET /v1/requests":                                 .action(.listRequests),
        "GET /v1/requests/{id}":                            .action(.readRequest, on: .request),
        "PATCH /v1/requests/{id}":                          .action(.editRequest, on: .request),
        "POST /v1/requests/{id}/shared-responsibility":     .action(.recordSharedResponsibility, on: .request),
        "POST /v1/requests/{id}/close":                     .action(.closeRequest, on: .request),
        "POST /v1/requests/{id}/shortlist":                 .action(.makeShortlist, on: .request),
        "GET /v1/requests/{id}/shortlist":                  .action(.readShortlist, on: .request),
        "GET /v1/requests/{id}/candidates":                 .action(.readCandidates, on: .request),
        "POST /v1/requests/{id}/choice":                    .action(.chooseStudio, on: .request),
        "POST /v1/requests/{id}/referrals":                 .action(.offerReferrals, on: .request),
        "POST /v1/requests/{id}/engagements":               .action(.startEngagement, on: .request),
        "GET /v1/referrals":                                .action(.listReferrals),
        "PATCH /v1/referrals/{id}":                         .action(.recommendCandidate, on: .referral),
        "POST /v1/referrals/{id}/answer":                   .action(.answerReferral, on: .referral),
        // Engagements.
        "GET /v1/engagements":                              .action(.listEngagements),
        "GET /v1/engagements/{id}":                         .action(.readEngagement, on: .engagement),
        "PATCH /v1/engagements/{id}":                       .action(.editEngagement, on: .engagement),
        "POST /v1/engagements/{id}/agreements":             .action(.writeAgreement, on: .engagement),
        "GET /v1/agreements":                               .action(.listAgreements),
        "POST /v1/agreements/{id}/confirm":                 .action(.confirmAgreement, on: .agreement),
        "POST /v1/agreements/{id}/fulfil":                  .action(.fulfilAgreement, on: .agreement),
        "POST /v1/engagements/{id}/check-ins":              .action(.recordCheckIn, on: .engagement),
        "POST /v1/engagements/{id}/feedback":               .action(.giveFeedback, on: .engagement),
        "POST /v1/engagements/{id}/club-rating":            .action(.rateClub, on: .engagement),
        "GET /v1/engagements/{id}/club-rating":             .action(.readClubRating, on: .engagement),
        // Complaints.
        "GET /v1/engagements/{id}/complaints":              .action(.readComplaint, on: .engagement),
        "POST /v1/engagements/{id}/complaints":             .action(.fileComplaint, on: .engagement),
        "GET /v1/complaints/{id}":                          .action(.readComplaint, on: .complaint),
        "PATCH /v1/complaints/{id}":                        .action(.editComplaint, on: .complaint),
        "POST /v1/complaints/{id}/studio-account":          .action(.recordStudioAccount, on: .complaint),
        "POST /v1/complaints/{id}/meeting":                 .action(.recordMeeting, on: .complaint),
        "POST /v1/complaints/{id}/plan":                    .action(.proposePlan, on: .complaint),
        "POST /v1/complaints/{id}/approve":                 .action(.approvePlan, on: .complaint),
        "POST /v1/complaints/{id}/resolve":                 .action(.resolveComplaint, on: .complaint),
        "POST /v1/complaints/{id}/acknowledgement":         .action(.acknowledgeComplaint, on: .complaint),
        "POST /v1/complaints/{id}/updates":                 .action(.recordComplaintUpdate, on: .complaint),
        "POST /v1/complaints/{id}/resolution-answer":       .action(.answerResolution, on: .complaint),
        "GET /v1/follow-ups":                               .action(.readFollowUps),
        // Fix lists.
        "POST /v1/engagements/{id}/fix-lists":              .action(.composeFixList, on: .engagement),
        "GET /v1/engagements/{id}/fix-lists":               .action(.readFixList, on: .engagement),
        "GET /v1/fix-lists/{id}":                           .action(.readFixList, on: .fixList),
        "GET /v1/fix-lists/{id}/history":                   .action(.readFixList, on: .fixList),
        "POST /v1/fix-lists/{id}/items":                    .action(.addFixItem, on: .fixList),
        "POST /v1/fix-lists/{id}/confirm":                  .action(.confirmFixList, on: .fixList),
        "POST /v1/fix-lists/{id}/share-links":              .action(.createShareLink, on: .fixList),
        "DELETE /v1/share-links/{id}":                      .action(.revokeShareLink, on: .shareLink),
        "PATCH /v1/fix-items/{id}":                         .action(.editFixItem, on: .fixItem),
        "DELETE /v1/fix-items/{id}":                        .action(.removeFixItem, on: .fixItem),
        "POST /v1/fix-items/{id}/strike":                   .action(.strikeFixItem, on: .fixItem),
        "POST /v1/fix-items/{id}/reopen":                   .action(.reopenFixItem, on: .fixItem),
        "POST /v1/fix-items/{id}/accept":                   .action(.acceptFixItem, on: .fixItem),
        "GET /v1/fix-items/{id}/comments":                  .action(.readFixList, on: .fixItem),
        "POST /v1/fix-items/{id}/comments":                 .action(.commentOnFixItem, on: .fixItem),
        // Audits.
        "GET /v1/engagements/{id}/audits":                  .action(.readAudit, on: .engagement),
        "POST /v1/engagements/{id}/audits":                 .action(.logAudit, on: .engagement),
        "GET /v1/audits/{id}":                              .action(.readAudit, on: .audit),
        "GET /v1/audits/{id}/letter":                       .action(.readAudit, on: .audit),
        "POST /v1/audits/{id}/answer":                      .action(.answerAudit, on: .audit),
        "POST /v1/audits/{id}/close":                       .action(.closeAudit, on: .audit),
        "POST /v1/audit-findings/{id}/rebuttal":            .action(.rebutFinding, on: .auditFinding),
        // Exits, consulting, retrospectives.
        "POST /v1/engagements/{id}/exit":                   .action(.exitEngagement, on: .engagement),
        "POST /v1/exits/{id}/offer":                        .action(.offerConsulting, on: .exit),
        "POST /v1/consulting-offers/{id}/answer":           .action(.answerConsultingOffer, on: .consultingOffer),
        "POST /v1/consulting-offers/{id}/sessions":         .action(.scheduleSession, on: .consultingOffer),
        "GET /v1/consulting-offers/{id}/sessions":          .action(.readConsultingOffer, on: .consultingOffer),
        "PATCH /v1/consulting-sessions/{id}":               .action(.markSession, on: .consultingSession),
        "POST /v1/engagements/{id}/retrospective":          .action(.writeRetrospective, on: .engagement),
        "GET /v1/engagements/{id}/retrospective":           .action(.readRetrospective, on: .engagement),
        "GET /v1/engagements/{id}/case-file":               .action(.exportCaseFile, on: .engagement),
        "GET /v1/lessons":                                  .action(.searchLessons),
        // The club's books.
        "GET /v1/journal":                                  .action(.readJournal),
        "GET /v1/reports/studios":                          .action(.readScorecards),
        "GET /v1/reports/funnel":                           .action(.readFunnel),
        "GET /v1/reports/club":                             .action(.readClubScore),
        // People, a person's own notifications (the use case tells the person behind the token), webhooks.
        "POST /v1/people":                                  .action(.createPerson),
        "GET /v1/people":                                   .action(.listPeople),
        "GET /v1/people/{id}":                              .action(.readPerson, on: .person),
        "PATCH /v1/people/{id}":                            .anyCaller(on: .person),
        "POST /v1/people/{id}/deactivate":                  .action(.deactivatePerson, on: .person),
        "POST /v1/people/{id}/invitations":                 .action(.invitePerson, on: .person),
        "GET /v1/notifications":                            .anyCaller(),
        "GET /v1/notifications/failed":                     .anyCaller(),
        "POST /v1/webhooks":                                .action(.manageWebhooks),
        "GET /v1/webhooks":                                 .action(.manageWebhooks),
        "GET /v1/webhooks/{id}":                            .action(.manageWebhooks, on: .webhook),
        "PATCH /v1/webhooks/{id}":                          .action(.manageWebhooks, on: .webhook),
        "DELETE /v1/webhooks/{id}":                         .action(.manageWebhooks, on: .webhook),
        "POST /v1/webhooks/{id}/rotate-secret":             .action(.manageWebhooks, on: .webhook),
        "GET /v1/webhooks/{id}/deliveries":                 .action(.manageWebhooks, on: .webhook),
        "POST /v1/webhook-deliveries/{id}/redeliver":       .action(.manageWebhooks, on: .webhookDelivery),
        // Evidence files: a file is reached through its object, whose read action decides.
        "GET /v1/files/{id}":                               .anyCaller(on: .file),
        "GET /v1/files/{id}/thumbnail":                     .anyCaller(on: .file),
        "DELETE /v1/files/{id}":                            .action(.removeFile, on: .file),
    ].merging(filesRoutes) { first, _ in first }

    /// The five collections files hang on, each with its upload and its list.
    private static let filesRoutes: [String: RouteRight] = Dictionary(
        uniqueKeysWithValues: FileOwnerKind.allCases.flatMap { kind in
            [
                ("POST /v1/\(kind.collection)/{id}/files", RouteRight.action(.attachFile, on: .filesOf(kind))),
                ("GET /v1/\(kind.collection)/{id}/files", RouteRight.action(kind.readAction, on: .filesOf(kind))),
            ]
        }
    )

    /// The right of the route a request matched, by the method and the router's path for it.
    static func right(method: String, endpoint: String) -> RouteRight? {
        table["\(method) \(endpoint)"]
    }
}
