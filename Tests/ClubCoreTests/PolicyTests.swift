import ClubCore
import Testing

/// The policy table against DESIGN §2: complete, and saying what the design says.
@Suite("Policy")
struct PolicyTests {
    static let studio = Principal(tokenId: "tok_s", name: "Pixel Hands", role: .studio, studioId: "stu_a")
    static let client = Principal(tokenId: "tok_k", name: "Yacht Charter", role: .client, clientId: "cli_a")
    static let ownWork = Ownership(studioIds: ["stu_a"], clientId: "cli_a")
    static let othersWork = Ownership(studioIds: ["stu_b"], clientId: "cli_b")

    /// Actions that only a party does for itself; a coordinator never does them on its behalf.
    static let partiesOnly: Set<Action> = [
        .answerReferral, .confirmAgreement, .giveFeedback, .confirmFixList, .strikeFixItem, .answerConsultingOffer, .recordStudioAccount,
    ]
    /// DESIGN §2: "in addition: approve recovery plans, expel studios, issue and revoke tokens",
    /// and create or change a head coordinator.
    static let headsOnly: Set<Action> = [.expelStudio, .approvePlan, .issueToken, .revokeToken, .listTokens, .manageHeadCoordinator]

    @Test func everyActionHasARow() {
        #expect(Set(Policy.table.keys) == Set(Action.allCases))
    }

    @Test func anActionWithoutARowIsRefusedToEverybody() {
        for role in Role.allCases { #expect(Permission.nobody.grant(for: role) == .none) }
    }

    @Test(arguments: Action.allCases)
    func coordinatorsHaveEverythingInTheClubButThePartiesOwnActs(_ action: Action) {
        let expected: Grant = Self.partiesOnly.contains(action) ? .none : .all
        #expect(Policy.grant(head, action) == expected)
        #expect(Policy.grant(.system, action) == expected, "the daemon's own tooling acts as the head")
        #expect(Policy.grant(coordinator, action) == (Self.headsOnly.contains(action) ? .none : expected))
        #expect(Policy.permission(for: action).headOnly == Self.headsOnly.contains(action))
    }

    @Test(arguments: Action.allCases)
    func partiesOnlyEverReachTheirOwn(_ action: Action) {
        #expect(Policy.grant(Self.studio, action) != .all)
        #expect(Policy.grant(Self.client, action) != .all)
        #expect(!Policy.reaches(Self.studio, action, Self.othersWork))
        #expect(!Policy.reaches(Self.client, action, Self.othersWork))
    }

    /// The 403 sentence of an action of the club alone names who may, so it must match the row.
    @Test(arguments: Action.allCases)
    func refusalsNameWhoMay(_ action: Action) {
        let permission = Policy.permission(for: action)
        let clubOnly = permission.studio == .none && permission.client == .none && permission.coordinator == .all
        if clubOnly {
            let who = permission.headOnly ? "only the head coordinator may " : "only a coordinator may "
            #expect(action.refusal.hasPrefix(who), "\(action): \(action.refusal)")
        } else {
            #expect(!action.refusal.hasPrefix("only a coordinator"), "\(action): \(action.refusal)")
        }
    }

    /// A 404 instead of a 403 is only for reading one object, which coordinators always may.
    @Test(arguments: Action.allCases)
    func onlyReadsAnswerNotFoundInsteadOfForbidden(_ action: Action) {
        let permission = Policy.permission(for: action)
        guard permission.denied == .notFound else { return }
        #expect(action.rawValue.hasPrefix("read"))
        #expect(permission.coordinator == .all && !permission.headOnly)
    }

    @Test func theStudioStrikesItsOwnItemsAndNothingElse() throws {
        #expect(throws: Never.self) { try Policy.require(Self.studio, .strikeFixItem) }
        #expect(Policy.reaches(Self.studio, .strikeFixItem, Self.ownWork))
        #expect(!Policy.reaches(Self.studio, .strikeFixItem, Self.othersWork))
        #expect(throws: DomainError.forbidden("only the studio assigned to an item strikes it")) { try Policy.require(Self.client, .strikeFixItem) }
        #expect(throws: DomainError.forbidden("only the studio assigned to an item strikes it")) { try Policy.require(head, .strikeFixItem) }
    }

    @Test func theClientReopensAndTheStudioDoesNot() throws {
        #expect(try Policy.require(Self.client, .reopenFixItem) == .own)
        #expect(try Policy.require(coordinator, .reopenFixItem) == .all)
        #expect(throws: DomainError.forbidden("only the client or a coordinator reopens an item")) { try Policy.require(Self.studio, .reopenFixItem) }
    }

    @Test func onlyTheHeadExpels() throws {
        #expect(throws: DomainError.forbidden("only the head coordinator may expel a studio")) { try Policy.require(coordinator, .expelStudio) }
        #expect(throws: DomainError.forbidden("only the head coordinator may expel a studio")) { try Policy.require(Self.studio, .expelStudio) }
        #expect(try Policy.require(head, .expelStudio) == .all)
        // Deciding on studios otherwise is any coordinator's.
        #expect(try Policy.require(coordinator, .decideStudio) == .all)
    }

    @Test func bothPartiesConfirmAndTheClubDoesNot() {
        for action in [Action.confirmAgreement, .confirmFixList] {
            #expect(Policy.reaches(Self.studio, action, Self.ownWork))
            #expect(Policy.reaches(Self.client, action, Self.ownWork))
            #expect(throws: DomainError.self) { try Policy.require(head, action) }
        }
    }

    /// Rows marked `.notFound` let the caller through `require`, and `reaches` refuses it, so the
    /// API answers 404 as it always has for, say, a studio asking for a consulting offer.
    @Test func aHiddenReadIsAnsweredByReach() throws {
        #expect(try Policy.require(Self.studio, .readConsultingOffer) == .none)
        #expect(!Policy.reaches(Self.studio, .readConsultingOffer, Self.ownWork))
        #expect(throws: DomainError.forbidden("case files are exported by the club or the client")) {
            try Policy.require(Self.studio, .exportCaseFile)
        }
    }

    /// DESIGN §2: the parties know each other. A client reads the studios it works with, a studio
    /// the clients it works for; the store says whose a record is (a studio's includes the asking
    /// client only when they have an engagement or an accepted referral), the table lets them in.
    @Test func thePartiesReadEachOthersRecords() throws {
        #expect(try Policy.require(Self.client, .readStudio) == .own)
        #expect(Policy.reaches(Self.client, .readStudio, Ownership(studioIds: ["stu_a"], clientId: "cli_a")))
        #expect(!Policy.reaches(Self.client, .readStudio, Ownership(studioIds: ["stu_a"])), "a studio it does not work with")
        #expect(try Policy.require(Self.studio, .readClient) == .own)
        #expect(Policy.reaches(Self.studio, .readClient, Ownership(studioIds: ["stu_a"], clientId: "cli_a")))
        #expect(!Policy.reaches(Self.studio, .readClient, Ownership(studioIds: ["stu_b"], clientId: "cli_a")), "another studio's client")
        for action in [Action.readStudio, .readClient, .readComplaint] {
            #expect(Policy.permission(for: action).denied == .forbidden, "\(action) no longer hides itself behind 404")
        }
    }

    /// DESIGN §2: the studio reads the complaints about its work and gives its own account; the
    /// club never writes it for the studio, and the client does not.
    @Test func theStudioReadsAndAnswersTheComplaintsAboutItsWork() throws {
        #expect(try Policy.require(Self.studio, .readComplaint) == .own)
        #expect(Policy.reaches(Self.studio, .readComplaint, Self.ownWork))
        #expect(!Policy.reaches(Self.studio, .readComplaint, Self.othersWork))
        #expect(try Policy.require(Self.studio, .recordStudioAccount) == .own)
        #expect(Policy.reaches(Self.studio, .recordStudioAccount, Self.ownWork))
        #expect(!Policy.reaches(Self.studio, .recordStudioAccount, Self.othersWork))
        let refusal = DomainError.forbidden("only the studio complained about gives its account")
        #expect(throws: refusal) { try Policy.require(Self.client, .recordStudioAccount) }
        #expect(throws: refusal) { try Policy.require(head, .recordStudioAccount) }
        #expect(throws: refusal) { try Policy.require(coordinator, .recordStudioAccount) }
    }

    @Test func ownershipMatchesTheCallersBinding() {
        #expect(Self.ownWork.includes(Self.studio) && Self.ownWork.includes(Self.client))
        #expect(!Self.othersWork.includes(Self.studio) && !Self.othersWork.includes(Self.client))
        #expect(Ownership(studioIds: ["stu_b", "stu_a"]).includes(Self.studio), "a studio assigned an item of another's engagement")
        #expect(!Ownership(studioIds: ["stu_a"]).includes(Self.client))
        #expect(!Ownership(clientId: "cli_a").includes(Self.studio))
        #expect(!Self.ownWork.includes(head), "a coordinator is bound to nothing; its grant is `.all`")
        let unbound = Principal(tokenId: "tok_x", name: "x", role: .studio)
        #expect(!Ownership(studioIds: ["stu_a"], clientId: nil).includes(unbound))
        #expect(Ownership.of(Self.studio) == Ownership(studioIds: ["stu_a"]))
        #expect(Ownership.of(Self.client) == Ownership(clientId: "cli_a"))
    }

    @Test func ownersAreWorkedOutOnlyForAnOwnGrant() {
        var asked = 0
        func owners() -> Ownership {
            asked += 1
            return Self.ownWork
        }
        // Outside `#expect`, which evaluates a call's arguments itself to show them.
        let byCoordinator = Policy.reaches(head, .readEngagement, owners())
        let byNobody = Policy.reaches(Self.studio, .listClients, owners())
        #expect(byCoordinator && !byNobody)
        #expect(asked == 0)
        let byParty = Policy.reaches(Self.studio, .readEngagement, owners())
        #expect(byParty)
        #expect(asked == 1)
    }
}
