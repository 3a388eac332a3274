import ClubCore
import Foundation
import GRDB

/// The client's choice among the studios that accepted its request (docs/design.md §3.4).
extension AppDatabase {
    // MARK: - Writes

    /// The coordinator's recommendation on a referral, which the client reads beside the studio.
    public func recommend(_ referralId: String, _ patch: ReferralPatch, ifVersion: Int?, by principal: Principal) async throws -> Referral {
        try Policy.require(principal, .recommendCandidate)
        return try await update(Referral.self, entity: "referral", id: referralId, ifVersion: ifVersion, action: "recommended", by: principal) {
            referral,
            _ in
            try referral.apply(patch)
        }
    }

    /// The client chooses one of the studios that accepted (or a coordinator records the choice it
    /// made elsewhere, with a note): the engagement starts as `startEngagement` starts it, in one
    /// transaction with the choice's journal event (`chosen`) and the others' `not-chosen`.
    public func choose(_ requestId: String, _ input: ChoiceInput, by principal: Principal) async throws -> EngagementRecord {
        try Policy.require(principal, .chooseStudio)
        let rules = rules
        let now = clock.now()
        return try await transaction { db in
            guard let lead = try Lead.fetchOne(db, key: requestId),
                Policy.reaches(principal, .chooseStudio, Ownership(clientId: lead.clientId))
            else { throw DomainError.notFound(entity: "request", id: requestId) }
            let candidate = try Self.unusedAcceptedReferral(requestId: lead.id, studioId: input.studioId, in: db)
            let scope = try candidate.map { try Self.referralScope($0, of: lead, in: db) } ?? lead.requiredCompetences
            let choice = try ClientChoice.engagementInput(input, by: principal, candidate: candidate, candidateScope: scope)
            let engagement = try Self.start(
                lead,
                choice.input,
                chosenBy: choice.party,
                note: choice.note,
                by: principal,
                rules: rules,
                at: now,
                in: db
            )
            let event = ChoiceEvent(
                studioId: engagement.studioId,
                referralId: engagement.referralId,
                scope: engagement.scope,
                chosenBy: engagement.chosenBy,
                choiceNote: engagement.choiceNote
            )
            try Journal.append(
                Journal.Change(entityType: "engagement", entityId: engagement.id, action: "chosen", texts: ([:], JSONText.fieldTexts(of: event))),
                by: principal.actor,
                at: now,
                in: db
            )
            return EngagementRecord(engagement: engagement, agreements: [], checkIns: [], feedback: [], at: now, in: rules.timeZone)
        }
    }

    // MARK: - Reads

    /// The studios that accepted the request, for its client and the club: each one's public
    /// profile, answer, recommendation and public figures, and whether it was chosen. A studio is
    /// refused (403): it never reads its rivals.
    public func candidates(_ requestId: String, for principal: Principal) async throws -> [Candidate] {
        try Policy.require(principal, .readCandidates)
        let rules = rules
        return try await writer.read { db in
            guard let lead = try Lead.fetchOne(db, key: requestId),
                Policy.reaches(principal, .readCandidates, Ownership(clientId: lead.clientId))
            else { throw DomainError.notFound(entity: "request", id: requestId) }
            let referrals = try Referral.filter(
                Column("requestId") == requestId
                    && [ReferralStatus.accepted.rawValue, ReferralStatus.notChosen.rawValue].contains(Column("status"))
            )
            .order(sql: "rowid")
            .fetchAll(db)
            guard !referrals.isEmpty else { return [] }
            let outcomes = try Self.studioOutcomes(in: db)
            var engagements: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT referralId, id FROM engagement WHERE requestId = ?", arguments: [requestId]) {
                engagements[row[0]] = row[1]
            }
            return try referrals.compactMap { referral in
                guard let studio = try Studio.fetchOne(db, key: referral.studioId) else { return nil }
                let scorecard = outcomes[studio.id].map {
                    Scorecard(studioId: studio.id, name: studio.name, outcomes: $0, answerWindowHours: rules.referralAnswerHours)
                }
                return Candidate(
                    referral: referral,
                    scope: try Self.referralScope(referral, of: lead, in: db),
                    studio: CandidateProfile(studio),
                    figures: CandidateFigures(scorecard),
                    engagementId: engagements[referral.id]
                )
            }
        }
    }
}

/// What the journal records of a choice, in the engagement's own field names so that a party
/// reading its case file reads the choice as it reads the engagement.
private struct ChoiceEvent: Encodable {
    let studioId: String
    let referralId: String
    let scope: [String]
    let chosenBy: ChoiceParty
    let choiceNote: String?
}
