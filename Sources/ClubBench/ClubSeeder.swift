import ClubCore
import ClubDemo
import ClubStore
import Foundation

/// Builds a realistic club for `Scripts/bench` through the store's own use cases: 1,000 active
/// studios, 5,000 engagements on as many requests, each with an agreed fix list of 10–30 items.
/// One studio, "Bench Studio", and one client carry 200 of the engagements, so that a studio and a
/// client token can strike and reopen thousands of items.
struct ClubSeeder {
    let database: AppDatabase
    var generator = SeededGenerator(seed: 7)

    struct Seeded {
        let headToken: String
        let studioToken: String
        let clientToken: String
        let benchFixLists: [String]
        let benchItems: [String]
    }

    mutating func seed(studios count: Int, engagements: Int) async throws -> Seeded {
        guard let headToken = try await database.bootstrapHeadToken(), let head = try await database.authenticate(secret: headToken) else {
            throw ReferenceCaseError.notFresh
        }
        let rules = database.rules
        let now = database.clock.now()
        let competences = rules.competences.sorted()
        var studios: [Studio] = []
        for index in 0..<count {
            let name = index == 0 ? "Bench Studio" : "Studio \(index)"
            var studio = try Studio(
                id: String(format: "stu_seed%06d", index),
                input: StudioInput(
                    name: name,
                    competences: index == 0
                        ? competences : Array(competences.shuffled(using: &generator).prefix(Int.random(in: 1...3, using: &generator))),
                    regions: ["RU-MOW"],
                    budgetMin: 0,
                    budgetMax: 10_000_000,
                    capacity: index == 0 ? 1000 : 10
                ),
                rules: rules,
                at: now
            )
            for kind in VettingCheckKind.allCases { try studio.record(VettingCheckInput(kind: kind, passed: true), by: head.actor, at: now) }
            try studio.decide(DecisionInput(decision: .admit, reason: "seeded"), by: head, rules: rules, at: now)
            studios.append(studio)
        }
        try await database.importStudios(studios, by: head)
        let benchClient = try await database.createClient(ClientInput(name: "Bench Client"), by: head)
        let studioToken = try await database.issueToken(TokenGrant(role: .studio, studioId: studios[0].id, name: "bench studio"), by: head)
        let clientToken = try await database.issueToken(TokenGrant(role: .client, clientId: benchClient.id, name: "bench client"), by: head)
        let studioPrincipal = studioToken.token.principal
        let clientPrincipal = clientToken.token.principal

        var clients: [(Client, Principal)] = [(benchClient, clientPrincipal)]
        for index in 0..<20 {
            let client = try await database.createClient(ClientInput(name: "Client \(index)"), by: head)
            let token = try await database.issueToken(TokenGrant(role: .client, clientId: client.id, name: "client \(index)"), by: head)
            clients.append((client, token.token.principal))
        }
        var studioPrincipals: [String: Principal] = [studios[0].id: studioPrincipal]
        var benchLists: [String] = []
        var benchItems: [String] = []
        let deadline = Day(containing: now.addingTimeInterval(90 * 24 * 3600), in: .gmt)
        for number in 0..<engagements {
            let isBench = number % (engagements / 200 == 0 ? 1 : engagements / 200) == 0 && benchLists.count < 200
            let studio = isBench ? studios[0] : studios[1 + number % (count - 1)]
            let (client, clientPrincipal) = isBench ? clients[0] : clients[1 + number % 20]
            let competence = studio.competences[0]
            let lead = try await database.createLead(
                LeadInput(clientId: client.id, statedAsk: "request \(number)", businessGoal: "goal \(number)", budget: 500_000, deadline: deadline),
                by: head
            )
            _ = try await database.updateLead(lead.id, LeadPatch(requiredCompetences: [competence], rationale: "seeded"), ifVersion: nil, by: head)
            _ = try await database.makeShortlist(lead.id, ShortlistInput(size: 1), by: head)
            let referral = try await database.offerReferrals(lead.id, ReferralOffer(studioIds: [studio.id]), by: head)[0]
            let principal: Principal
            if let known = studioPrincipals[studio.id] {
                principal = known
            } else {
                principal = try await database.issueToken(TokenGrant(role: .studio, studioId: studio.id, name: "seed \(studio.name)"), by: head).token
                    .principal
                studioPrincipals[studio.id] = principal
            }
            _ = try await database.answerReferral(referral.id, ReferralAnswer(accept: true), by: principal)
            let engagement = try await database.startEngagement(lead.id, EngagementInput(studioId: studio.id), by: head).engagement
            let items = (0..<Int.random(in: 10...30, using: &generator)).map { index in
                FixItemInput(
                    statement: "Item \(index) of engagement \(number): fix the thing as agreed",
                    acceptance: "both sides check it on a call",
                    due: deadline
                )
            }
            let list = try await database.createFixList(engagement.id, FixListInput(items: items), by: head)
            _ = try await database.confirmFixList(list.list.id, by: clientPrincipal)
            _ = try await database.confirmFixList(list.list.id, by: principal)
            if isBench {
                benchLists.append(list.list.id)
                benchItems.append(contentsOf: list.items.map(\.id))
            }
        }
        return Seeded(
            headToken: headToken,
            studioToken: studioToken.secret,
            clientToken: clientToken.secret,
            benchFixLists: benchLists,
            benchItems: benchItems
        )
    }
}
