import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird

extension ConsoleController {
    /// Every item of a paged store read, page after page (the lists a page filters itself).
    func everyPage<Item>(_ read: (PageRequest) async throws -> Page<Item>) async throws -> [Item] {
        var items: [Item] = []
        var after: Int64?
        repeat {
            let page = try await read(PageRequest(limit: PageRequest.maxLimit, after: after))
            items += page.items
            let next = page.nextCursor.flatMap { Int64($0) }
            guard let next, next != after else { break }
            after = next
        } while true
        return items
    }

    /// A form post whose store call may be refused outright (a role that may never do it, an
    /// object out of reach): answered as the 404 page, as a GET of it would be, not as an error.
    func guardedSubmit(_ request: Request, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch DomainError.forbidden, DomainError.notFound {
            let viewer = try await signedIn(request)
            let words = viewer.map { language(request, $0) } ?? PageLanguage(request: request, catalogs: catalogs)
            return notice(words, viewer, status: .notFound, title: "console.notFound.title", message: "console.notFound.message")
        }
    }

    /// The pages of the club's own registers (studios, clients, people) are the coordinators':
    /// anyone else is answered 404, as the store answers them.
    func requireClub(_ signedIn: SignedIn, _ action: Action) throws {
        guard Policy.allows(signedIn.principal, action) else { throw DomainError.notFound(entity: "page", id: action.rawValue) }
    }
}

/// Store problems about one entry of a list (`competences[2]`) belong next to the list's single
/// input (`competences`); the rows of repeated inputs keep their own index.
enum ListProblems {
    static func collapsing<Value>(_ lists: Set<String>, _ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch DomainError.invalid(let errors) {
            throw DomainError.invalid(errors.map { FieldError(field: collapsed($0.field, lists), message: $0.message) })
        }
    }

    static func collapsed(_ field: String, _ lists: Set<String>) -> String {
        guard let bracket = field.firstIndex(of: "["), lists.contains(String(field[..<bracket])) else { return field }
        return String(field[..<bracket])
    }
}

/// How the studios area writes numbers, money and lists.
enum StudioWords {
    static func number(_ value: Int, _ words: Localizer) -> String {
        value.formatted(.number.locale(words.catalog.locale))
    }

    static func decimal(_ value: Double?, _ words: Localizer) -> String {
        guard let value else { return "—" }
        return value.formatted(.number.precision(.fractionLength(0...2)).locale(words.catalog.locale))
    }

    static func percent(_ value: Double?, _ words: Localizer) -> String {
        guard let value else { return "—" }
        return value.formatted(.percent.precision(.fractionLength(0...1)).locale(words.catalog.locale))
    }

    /// A comma-separated list typed in one input (`RU-MOW, RU-SPE`).
    static func list(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0.isNewline }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A competence in words, or as the configuration names it when the catalogs do not know it.
    static func competence(_ value: String, _ words: Localizer) -> String {
        let key = "console.studios.competence." + value
        let text = words.text(key)
        return text == key ? value : text
    }

    static func status(_ status: StudioStatus, _ words: Localizer) -> String {
        words.text("console.studios.state." + status.rawValue)
    }

    static func check(_ kind: VettingCheckKind, _ words: Localizer) -> String {
        switch kind {
        case .portfolio: words.text("console.studios.check.portfolio")
        case .references: words.text("console.studios.check.references")
        case .trialTask: words.text("console.studios.check.trialTask")
        case .interview: words.text("console.studios.check.interview")
        }
    }

    static func decision(_ decision: StudioDecision, _ words: Localizer) -> String {
        words.text("console.studios.decision." + decision.rawValue)
    }

    static func engagement(_ status: EngagementStatus, _ words: Localizer) -> String {
        switch status {
        case .active: words.text("console.studios.engagementState.active")
        case .atRisk: words.text("console.studios.engagementState.atRisk")
        case .inRecovery: words.text("console.studios.engagementState.inRecovery")
        case .released: words.text("console.studios.engagementState.released")
        case .completed: words.text("console.studios.engagementState.completed")
        case .terminated: words.text("console.studios.engagementState.terminated")
        }
    }

    static func request(_ status: LeadStatus, _ words: Localizer) -> String {
        words.text("console.clients.requestState." + status.rawValue)
    }
}
