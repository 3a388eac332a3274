import ClubCore
import ClubStore
import Foundation

/// The reference case of DESIGN §1, all eight steps, loaded through the same store methods the
/// API uses, so that a newcomer can browse a living club (`clubd demo`). Run it on a database
/// whose clock it can move: the story spans four months and ends now.
public struct ReferenceCase {
    /// What a newcomer needs to start browsing.
    public struct Summary: Sendable {
        public let headToken: String
        public let studioToken: String
        public let clientToken: String
        public let requestId: String
        public let landingEngagementId: String
        public let advertisingEngagementId: String
        public let fixListId: String
        public let shareToken: String
        public let auditId: String
    }

    let database: AppDatabase
    let clock: ManualClock

    /// A clock for the story that ends a day or two before `now`: it spans four months and the
    /// days a struck fix waits for the client's check (`rules.fixItemAutoAcceptDays`). It starts
    /// on a whole second, as stored times are whole milliseconds: an acknowledgement sent the
    /// instant a complaint arrived must not read as sent before it.
    public static func clock(endingBefore now: Date, rules: ClubRules) -> ManualClock {
        let span = Double(130 + rules.fixItemAutoAcceptDays) * 24 * 3600
        return ManualClock(Date(timeIntervalSince1970: (now.timeIntervalSince1970 - span).rounded(.down)))
    }

    public init(database: AppDatabase, clock: ManualClock) {
        self.database = database
        self.clock = clock
    }

    private func day(_ days: Double) -> Day {
        Day(containing: clock.now().addingTimeInterval(days * 24 * 3600), in: database.rules.timeZone)
    }
    private func later(days: Double) { clock.advance(by: days * 24 * 3600) }

    public func load() async throws -> Summary {
        guard let headSecret = try await database.bootstrapHeadToken() else { throw ReferenceCaseError.notFresh }
        guard let head = try await database.authenticate(secret: headSecret) else { throw DomainError.notFound(entity: "token", id: "bootstrap") }

        // The club's network: vetted studios.
        let studios: [(String, [String], ClosedRange<Int>)] = [
            ("Pixel Hands", ["landing", "context_ads"], 100_000...2_000_000), ("Ad Minds", ["context_ads", "analytics"], 150_000...1_500_000),
            ("Landing Lab", ["landing", "web"], 80_000...900_000), ("Search Masters", ["seo", "analytics"], 50_000...700_000),
            ("CRM Forge", ["crm"], 200_000...3_000_000),
        ]
        var ids: [String] = []
        for (name, competences, budget) in studios {
            let studio = try await database.createStudio(
                StudioInput(
                    name: name,
                    competences: competences,
                    regions: ["RU-MOW"],
                    budgetMin: budget.lowerBound,
                    budgetMax: budget.upperBound,
                    capacity: 3
                ),
                by: head
            )
            for kind in VettingCheckKind.allCases {
                _ = try await database.recordVettingCheck(
                    studio.id,
                    VettingCheckInput(kind: kind, passed: true, notes: "\(kind.rawValue) reviewed"),
                    by: head
                )
            }
            _ = try await database.decideStudio(studio.id, DecisionInput(decision: .admit, reason: "all checks passed"), by: head)
            ids.append(studio.id)
        }
        let (pixelHands, adMinds, landingLab) = (ids[0], ids[1], ids[2])
        let pixelToken = try await database.issueToken(TokenGrant(role: .studio, studioId: pixelHands, name: "Pixel Hands PM"), by: head)
        let pixel = pixelToken.token.principal
        let ads = try await database.issueToken(TokenGrant(role: .studio, studioId: adMinds, name: "Ad Minds lead"), by: head).token.principal
        let lab = try await database.issueToken(TokenGrant(role: .studio, studioId: landingLab, name: "Landing Lab lead"), by: head).token.principal
        let client = try await database.createClient(
            ClientInput(name: "Yacht Charter Ltd", contacts: [Contact(name: "Oleg", email: "oleg@example.org")]),
            by: head
        )
        let olegToken = try await database.issueToken(TokenGrant(role: .client, clientId: client.id, name: "Oleg (Yacht Charter)"), by: head)
        let oleg = olegToken.token.principal

        // 1. "Promotion on Instagram", reframed into what serves the goal: leads from the internet.
        let lead = try await database.createLead(
            LeadInput(
                clientId: client.id,
                statedAsk: "Instagram promotion",
                businessGoal: "leads from the internet",
                budget: 600_000,
                deadline: day(75),
                region: "RU-MOW",
                referralReason: .outsideSpecialism
            ),
            by: head
        )
        _ = try await database.updateLead(
            lead.id,
            LeadPatch(
                requiredCompetences: ["landing", "context_ads"],
                proposedApproach: "a landing page plus contextual advertising",
                rationale: "too little content for Instagram; search ads bring people who already look for a charter"
            ),
            ifVersion: nil,
            by: head
        )

        // 2. Shortlist, offer, acceptance, engagement, agreements in writing.
        _ = try await database.makeShortlist(lead.id, ShortlistInput(size: 3), by: head)
        // Two studios accept; the club recommends the one that covers everything alone, and the
        // client reads both candidates and chooses (docs/design.md §3.4).
        let offered = try await database.offerReferrals(lead.id, ReferralOffer(studioIds: [pixelHands, landingLab]), by: head)
        later(days: 0.3)
        _ = try await database.answerReferral(offered[0].id, ReferralAnswer(accept: true, note: "two people free from Monday"), by: pixel)
        _ = try await database.answerReferral(offered[1].id, ReferralAnswer(accept: true, note: "a landing page in three weeks"), by: lab)
        _ = try await database.recommend(
            offered[0].id,
            ReferralPatch(recommendation: "covers the landing page and the advertising alone: one pair of hands, no finger-pointing"),
            ifVersion: nil,
            by: head
        )
        later(days: 1)
        let candidates = try await database.candidates(lead.id, for: oleg)
        guard let chosen = candidates.first(where: { $0.studioId == pixelHands }) else {
            throw DomainError.notFound(entity: "candidate", id: pixelHands)
        }
        let landing = try await database.choose(
            lead.id,
            ChoiceInput(studioId: chosen.studioId, scope: ["landing", "context_ads"], note: "one studio for the page and the ads"),
            by: oleg
        ).engagement
        let agreement = try await database.addAgreement(
            landing.id,
            AgreementInput(what: "client sends texts and photos", owner: .client, due: day(10), consequence: "release moves by the days of delay"),
            by: head
        )
        _ = try await database.confirmAgreement(agreement.id, by: oleg)
        _ = try await database.confirmAgreement(agreement.id, by: pixel)

        // 3. Check-ins, stage feedback, and a second studio for the advertising part.
        later(days: 12)
        _ = try await database.fulfilAgreement(agreement.id, by: head)
        later(days: 2)
        _ = try await database.addCheckIn(
            landing.id,
            CheckInInput(
                heldAt: clock.now(),
                attendees: ["Oleg", "Pixel Hands PM", "Anna (club)"],
                studioReport: "design draft ready",
                clientSentiment: 4,
                risks: ["texts may be late"]
            ),
            by: head
        )
        _ = try await database.updateEngagement(landing.id, EngagementPatch(stagesReached: ["design"]), ifVersion: nil, by: head)
        _ = try await database.giveFeedback(landing.id, FeedbackInput(stage: "design", score: 4, comment: "clean, on brand"), by: oleg)
        _ = try await database.makeShortlist(lead.id, ShortlistInput(size: 3, scope: ["context_ads"], exclude: [pixelHands]), by: head)
        let adsReferral = try await database.offerReferrals(lead.id, ReferralOffer(studioIds: [adMinds]), by: head)[0]
        later(days: 1)
        _ = try await database.answerReferral(adsReferral.id, ReferralAnswer(accept: true, note: "we run search campaigns for two marinas"), by: ads)
        // Oleg chose Ad Minds on a call: the coordinator records it, and the advertising part
        // moves out of the landing engagement.
        let advertising = try await database.choose(
            lead.id,
            ChoiceInput(studioId: adMinds, scope: ["context_ads"], note: "Oleg chose Ad Minds on the phone"),
            by: head
        ).engagement
        later(days: 14)
        _ = try await database.addCheckIn(
            landing.id,
            CheckInInput(
                heldAt: clock.now(),
                attendees: ["Oleg", "Pixel Hands PM"],
                studioReport: "development late, form not connected",
                clientSentiment: 2,
                risks: ["release date"]
            ),
            by: head
        )

        // 4. A complaint demanding part of the money back; meeting, plan, the head's approval.
        later(days: 2)
        let complaint = try await database.createComplaint(
            landing.id,
            ComplaintInput(
                channel: "email",
                summary: "the landing page is late and the contact form loses leads",
                demand: ComplaintDemand(kind: .refund, amount: 300_000)
            ),
            by: head
        )
        // Seed 004's etiquette: the client hears from the club the same day, with an apology, and
        // meets the coordinator in person, without the studios.
        _ = try await database.acknowledgeComplaint(
            complaint.id,
            AcknowledgementInput(
                channel: "phone",
                message: "we hear you: the club takes this on, and we will meet you this week",
                apology: true
            ),
            by: head
        )
        later(days: 1)
        _ = try await database.recordMeeting(
            complaint.id,
            MeetingInput(
                heldAt: clock.now(),
                mode: .inPerson,
                attendees: ["Oleg", "Anna (club)"],
                studiosPresent: false,
                facts: ["release planned for week 4, not done in week 6", "three test leads did not reach the CRM"],
                emotions: ["Oleg feels ignored", "fears the season starts without a site"]
            ),
            by: head
        )
        _ = try await database.proposePlan(
            complaint.id,
            PlanInput(
                goals: [
                    "deliver what was promised and release", "win back the client's loyalty",
                    PlanGoal("talk to the studio that criticised unconstructively", visibility: .internal),
                ],
                steps: [
                    PlanInput.Step(action: "agree the final correction list", owner: .club, due: day(3)),
                    PlanInput.Step(action: "fix and release the landing page", owner: .studio, due: day(14)),
                ],
                followUps: ["weekly call with Oleg until release"],
                upsell: "a CRM set up by CRM Forge",
                updateEveryDays: 7
            ),
            by: head
        )
        _ = try await database.approvePlan(complaint.id, by: head)

        // 5. The final correction list, agreed by both sides, struck off on time; release.
        let fixList = try await database.createFixList(
            landing.id,
            FixListInput(items: [
                FixItemInput(
                    statement: "The contact form sends every lead to the CRM",
                    acceptance: "a test lead appears in the CRM within a minute",
                    due: day(7)
                ),
                FixItemInput(statement: "The page loads fast on mobile", acceptance: "PageSpeed mobile score of 80 or more", due: day(10)),
                FixItemInput(statement: "Prices are shown per day and per week", acceptance: "both prices on every yacht card", due: day(10)),
            ]),
            by: head
        )
        _ = try await database.confirmFixList(fixList.list.id, by: oleg)
        let agreed = try await database.confirmFixList(fixList.list.id, by: pixel)
        let notes = ["connected the form to the CRM webhook", "images compressed, score 86", "price table added"]
        for (index, (item, note)) in zip(agreed.items, notes).enumerated() {
            later(days: 3)
            _ = try await database.strikeFixItem(item.id, StrikeInput(note: note), by: pixel)
            if index == 1 {
                // The weekly update the plan promised.
                _ = try await database.recordComplaintUpdate(
                    complaint.id,
                    ComplaintUpdateInput(channel: "call", summary: "two of three fixes struck: the form sends every lead again"),
                    by: head
                )
            }
        }
        // The client checks each fix (docs/design.md §3.7): the form works; the weekly price is
        // missing on the phone, so that item goes back with a new due day and a second round; the
        // page speed Oleg never checks, and the daemon accepts it once the days for a check are over.
        let (form, prices) = (agreed.items[0], agreed.items[2])
        _ = try await database.acceptFixItem(form.id, AcceptInput(), by: oleg)
        _ = try await database.commentOnFixItem(prices.id, FixItemCommentInput(text: "On the phone the card shows only the daily price"), by: oleg)
        _ = try await database.reopenFixItem(prices.id, ReopenInput(reason: "the weekly price is missing on mobile", due: day(4)), by: oleg)
        _ = try await database.commentOnFixItem(prices.id, FixItemCommentInput(text: "The mobile card template dropped it; fixing today"), by: pixel)
        later(days: 1)
        _ = try await database.strikeFixItem(prices.id, StrikeInput(note: "weekly price added to the mobile card"), by: pixel)
        _ = try await database.acceptFixItem(prices.id, AcceptInput(), by: oleg)
        _ = try await database.recordComplaintUpdate(
            complaint.id,
            ComplaintUpdateInput(channel: "call", summary: "the weekly price is back on mobile; release once the last fix is checked"),
            by: head
        )
        later(days: Double(database.rules.fixItemAutoAcceptDays))
        _ = try await database.autoAcceptDueFixItems()
        _ = try await database.recordComplaintUpdate(
            complaint.id,
            ComplaintUpdateInput(channel: "email", summary: "every fix is accepted: the landing page is released"),
            by: head
        )
        _ = try await database.updateComplaint(
            complaint.id,
            ComplaintPatch(completedSteps: (try await database.complaint(complaint.id, for: head)).plan?.steps.map(\.id)),
            ifVersion: nil,
            by: head
        )
        _ = try await database.updateEngagement(
            landing.id,
            EngagementPatch(status: .released, stagesReached: ["design", "development", "launch"]),
            ifVersion: nil,
            by: head
        )
        _ = try await database.giveFeedback(landing.id, FeedbackInput(stage: "launch", score: 4, comment: "released, leads arrive"), by: oleg)
        _ = try await database.resolveComplaint(
            complaint.id,
            ResolutionInput(
                outcome: .retained,
                notes: "released on the corrected list; no refund",
                upsell: "CRM set-up",
                upheld: .partly,
                upheldReason: "the release was late, but the texts came late from the client too"
            ),
            by: head
        )
        // Oleg says the resolution satisfies him, and is asked how likely he is to recommend the club.
        _ = try await database.answerResolution(complaint.id, ResolutionAnswerInput(satisfied: true), by: oleg)
        _ = try await database.rateClub(
            landing.id,
            ClubRatingInput(score: 8, comment: "you listened and kept every promise of the plan", complaintId: complaint.id),
            by: oleg
        )
        let share = try await database.createShareLink(
            fixList.list.id,
            ShareLinkInput(expiresAt: clock.now().addingTimeInterval(150 * 24 * 3600)),
            by: oleg
        )

        // 6. Three months later: an "audit of subcontractors", answered point by point.
        later(days: 60)
        let audit = try await database.createAudit(
            advertising.id,
            AuditInput(
                auditor: "Northwind Audit Bureau",
                receivedAt: clock.now(),
                subject: "advertising campaign",
                findings: [
                    AuditInput.Finding(statement: "too few negative keywords", severity: "critical", category: "keywords"),
                    AuditInput.Finding(
                        statement: "no conversion tracking on the call button",
                        severity: "high",
                        category: "analytics",
                        proposal: "add a call-tracking goal"
                    ),
                    AuditInput.Finding(statement: "ads shown at night", severity: "critical", category: "schedule"),
                ]
            ),
            by: head
        )
        let positions: [(RebuttalPosition, String)] = [
            (.dispute, "quality of negative keywords is not their count: 212 terms cover every irrelevant query in the logs"),
            (.accept, "call tracking was missing; it is added as proposed"),
            (.partial, "night bidding is reduced, not stopped: a third of bookings come after 22:00"),
        ]
        _ = try await database.rebut(
            findingId: audit.findings[0].id,
            RebuttalInput(argument: "the search-term report shows no irrelevant clicks", evidence: ["https://example.org/search-terms.pdf"]),
            by: ads
        )
        // Accepting a finding puts its correction on the engagement's fix list (docs/design.md §3.8).
        let corrections: [CorrectionInput?] = [
            nil,
            CorrectionInput(acceptance: "a test call from the landing page shows as a goal in the ads report", due: day(14)),
            CorrectionInput(
                statement: "halve the bids between 00:00 and 06:00 instead of showing ads at full bid",
                acceptance: "the campaign schedule shows night bids at half the day rate",
                due: day(7)
            ),
        ]
        for ((finding, position), correction) in zip(zip(audit.findings, positions), corrections) {
            _ = try await database.rebut(
                findingId: finding.id,
                RebuttalInput(
                    position: position.0,
                    argument: position.1,
                    evidence: ["https://example.org/evidence/\(finding.position)"],
                    correction: correction
                ),
                by: head
            )
        }
        let answered = try await database.answerAudit(audit.id, by: head)
        // The advertising engagement had no fix list: the two corrections start one, which both
        // sides confirm; Ad Minds strikes them before the parting and Oleg checks them.
        guard let correctionsListId = answered.findings[1].fixListId else { throw DomainError.notFound(entity: "fix-list", id: "corrections") }
        _ = try await database.confirmFixList(correctionsListId, by: oleg)
        let corrected = try await database.confirmFixList(correctionsListId, by: ads)
        for (item, note) in zip(corrected.items, ["call-tracking goal added", "night bids halved in the schedule"]) {
            later(days: 2)
            _ = try await database.strikeFixItem(item.id, StrikeInput(note: note), by: ads)
            _ = try await database.acceptFixItem(item.id, AcceptInput(), by: oleg)
        }

        // 7. Parting ways on the advertising part, with free consulting.
        later(days: 7)
        let exit = try await database.exitEngagement(
            advertising.id,
            ExitInput(reason: "all resources used; parting while keeping loyalty", decidedBy: "the club's coordinators"),
            by: head
        )
        let offer = try await database.offerConsulting(
            exit.id,
            ConsultingOfferInput(sessions: 3, validUntil: clock.now().addingTimeInterval(60 * 24 * 3600)),
            by: head
        )
        _ = try await database.answerConsultingOffer(offer.id, ConsultingAnswer(accept: true), by: oleg)
        let session = try await database.scheduleSession(
            offer.id,
            ConsultingSessionInput(scheduledAt: clock.now().addingTimeInterval(2 * 24 * 3600), topic: "handing the campaigns to the new contractor"),
            by: head
        )
        later(days: 3)
        _ = try await database.updateSession(
            session.id,
            ConsultingSessionPatch(status: .held, notes: "campaign structure and negative keywords explained"),
            by: head
        )
        _ = try await database.scheduleSession(
            offer.id,
            ConsultingSessionInput(scheduledAt: clock.now().addingTimeInterval(10 * 24 * 3600), topic: "reading the first month's reports"),
            by: head
        )
        _ = try await database.rateClub(
            advertising.id,
            ClubRatingInput(score: 9, comment: "parting was handled with care, and the free consulting helps the new contractor"),
            by: oleg
        )

        // 8. The retrospective, with the lessons the club keeps.
        _ = try await database.createRetrospective(
            advertising.id,
            RetrospectiveInput(
                facts: ["the landing page was released three weeks late", "the advertising audit found one real gap"],
                emotions: ["the client felt ignored during development"],
                mistakes: [
                    Mistake(
                        side: .club,
                        statement: "I was wrong to accept a deadline without shared responsibility for late texts",
                        counterfactual: "had I not, the delay would have been agreed in advance"
                    ),
                    // The landing studio's, written on the advertising engagement: its studio does not read them.
                    Mistake(
                        side: .studio,
                        statement: "we were wrong not to test the form with the client's CRM",
                        counterfactual: "had we tested it, no lead would have been lost",
                        visibility: .internal
                    ),
                ],
                positives: ["the correction list was struck on time", "the client stayed with the club"],
                differently: [
                    DoDifferently(side: .client, statement: "send texts before the design stage"),
                    DoDifferently(side: .studio, statement: "test integrations in week one", visibility: .internal),
                ],
                lessons: [
                    "agreements are written and confirmed by both sides", "criticism of a colleague counts only with a proposal",
                    "ask for feedback at the end of every stage",
                ]
            ),
            by: head
        )

        return Summary(
            headToken: headSecret,
            studioToken: pixelToken.secret,
            clientToken: olegToken.secret,
            requestId: lead.id,
            landingEngagementId: landing.id,
            advertisingEngagementId: advertising.id,
            fixListId: fixList.list.id,
            shareToken: share.token,
            auditId: audit.id
        )
    }
}

public enum ReferenceCaseError: Error, CustomStringConvertible {
    case notFresh

    public var description: String { "the demo loads only into a fresh data folder (this one already has tokens)" }
}
