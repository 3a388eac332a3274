import ClubCore
import Foundation

// The values the studios, clients and people pages render. Mustache reads stored properties
// only, so every list has its `has…` flag and every optional part is an optional value.

/// A label and its value, for a profile or a scorecard (`<dt>`/`<dd>`).
struct StudioFact {
    let label: String
    let value: String
}

/// One choice of a GET filter's select.
struct RegistryOption {
    let value: String
    let label: String
    let selected: Bool
}

/// One studio of the registry.
struct StudioRow {
    let id: String
    let name: String
    let status: String
    let competences: String
    let regions: String
    let budget: String
    let capacity: String
}

/// `GET /studios`: the filter form, the studios of this page, and the way to the next one.
struct StudioRegistryView {
    let statusOptions: [RegistryOption]
    let competenceOptions: [RegistryOption]
    let region: String
    let rows: [StudioRow]
    let hasRows: Bool
    let count: String
    let nextPage: String?
    let previousPage: String?
    let canRegister: Bool
}

/// A page holding one form and a link back (`/studios/new`, `/clients/new`, `/people/new`).
struct RegisterFormView {
    let intro: String?
    let form: FormView
    let back: String
    let backLabel: String
}

/// One vetting check as recorded.
struct VettingRow {
    let kind: String
    let result: String
    let passed: Bool
    let notes: String
    let recorded: String
}

/// One decision as kept on the studio.
struct StudioDecisionRow {
    let decision: String
    let change: String
    let reason: String
    let decided: String
}

/// One conduct note.
struct ConductNoteRow {
    let note: String
    let recorded: String
}

/// One engagement of a studio or a client.
struct PartyEngagementRow {
    let href: String
    let id: String
    let party: String
    let status: String
    let started: String
}

/// `GET /studios/{id}`.
struct StudioPageView {
    let id: String
    let name: String
    let status: String
    let profile: [StudioFact]
    let editForm: FormView?
    let requiredChecks: [StudioFact]
    let checks: [VettingRow]
    let hasChecks: Bool
    let vettingForm: FormView?
    let vettingClosed: String?
    let decisions: [StudioDecisionRow]
    let hasDecisions: Bool
    let decisionForm: FormView?
    let notes: [ConductNoteRow]
    let hasNotes: Bool
    let noteForm: FormView?
    let engagements: [PartyEngagementRow]
    let hasEngagements: Bool
    let scorecard: [StudioFact]
    let rating: String
}

/// One client of the list.
struct ClientRow {
    let id: String
    let name: String
    let contacts: String
    let created: String
}

/// `GET /clients`.
struct ClientListView {
    let rows: [ClientRow]
    let hasRows: Bool
    let nextPage: String?
    let canRegister: Bool
}

/// One request of a client.
struct ClientRequestRow {
    let href: String
    let ask: String
    let status: String
    let created: String
}

/// `GET /clients/{id}`.
struct ClientPageView {
    let id: String
    let name: String
    let profile: [StudioFact]
    let contacts: [StudioFact]
    let hasContacts: Bool
    let editForm: FormView?
    let requests: [ClientRequestRow]
    let hasRequests: Bool
    let engagements: [PartyEngagementRow]
    let hasEngagements: Bool
}

/// A button-only form of a person's row (a new invitation, deactivation).
struct PersonAction {
    let action: String
    let csrf: String
    let formKey: String
    let label: String
    let accessibleLabel: String
    let destructive: Bool
}

/// One person of `/people`.
struct PersonRow {
    let id: String
    let name: String
    let email: String
    let role: String
    let status: String
    let invitation: String
    let actions: [PersonAction]
    let hasActions: Bool
}

/// `GET /people`.
struct PeoplePageView {
    let rows: [PersonRow]
    let canInvite: Bool
}

/// The page after inviting: the link, shown this once.
struct InvitationShownView {
    let message: String
    let link: String
    let expires: String
}
