import ClubCore
import ClubDemo
import ClubServer
import ClubStore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A person's notification choices through `PATCH /v1/people/{id}` and their own notifications
/// through `GET /v1/notifications` (docs/design.md §10), on the reference case in a SQLite file.
@Suite("Notification choices and lists endpoints")
struct NotificationChoicesEndpointTests {
    /// The reference case with a client's person and a studio's person of its landing engagement,
    /// each with a personal token, and the engagement's confirmed fix list of two items.
    struct Story {
        let api: any APIClient
        let database: AppDatabase
        let summary: ReferenceCase.Summary
        let client: Person
        let clientToken: String
        let studio: Person
        let studioToken: String
        let clientPrincipal: Principal
        let studioPrincipal: Principal
        let itemIds: [String]
    }

    static func withStory(_ body: @escaping @Sendable (Story) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clubd-choices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let database = try AppDatabase(path: folder.appendingPathComponent("clubd.sqlite").path, clock: clock, rules: ClubRules())
        let summary = try await ReferenceCase(database: database, clock: clock).load()
        let landing = try await database.engagementRecord(summary.landingEngagementId, for: .system).engagement
        func person(_ email: String, _ role: Role) async throws -> (Person, String) {
            let input = PersonInput(
                email: email,
                name: "Person \(email.prefix(4))",
                role: role,
                studioId: role == .studio ? landing.studioId : nil,
                clientId: role == .client ? landing.clientId : nil,
                language: .en
            )
            let invited = try await database.createPerson(input, by: .system)
            let person = try await database.acceptInvitation(token: invited.token, password: "a long walk by the Neva")
            return (person, try await database.mintPersonalToken(for: person, name: "my script").secret)
        }
        let (client, clientToken) = try await person("oleg@yacht.example", .client)
        let (studio, studioToken) = try await person("pm@pixel.example", .studio)
        let due = Day(containing: clock.now().addingTimeInterval(5 * 24 * 3600), in: .gmt)
        let record = try await database.createFixList(
            landing.id,
            FixListInput(items: [
                FixItemInput(statement: "The gallery swipes", acceptance: "swiping shows the next yacht", due: due),
                FixItemInput(statement: "The footer shows the address", acceptance: "on every page", due: due),
            ]),
            by: .system
        )
        let clientPrincipal = Principal(tokenId: "tok_script", name: "Oleg", role: .client, clientId: landing.clientId)
        let studioPrincipal = Principal(tokenId: "tok_script", name: "Pixel PM", role: .studio, studioId: landing.studioId)
        _ = try await database.confirmFixList(record.list.id, by: clientPrincipal)
        _ = try await database.confirmFixList(record.list.id, by: studioPrincipal)
        let app = Application(router: try buildRouter(database: database))
        try await app.test(.router) { testClient in
            try await body(
                Story(
                    api: RouterClient(client: testClient),
                    database: database,
                    summary: summary,
                    client: client,
                    clientToken: clientToken,
                    studio: studio,
                    studioToken: studioToken,
                    clientPrincipal: clientPrincipal,
                    studioPrincipal: studioPrincipal,
                    itemIds: record.items.map(\.id)
                )
            )
        }
    }

    static func choices(_ answer: APIResponse) throws -> [String: String] {
        try #require(try answer.json()["notifications"] as? [String: String], "\(answer.text)")
    }

    @Test func aPersonChoosesTheirOwnAndTheAnswersShowEveryKindOfTheirRole() async throws {
        try await Self.withStory { story in
            let path = "/v1/people/\(story.client.id)"
            let body = #"{"notifications":{"fix-item.struck":"digest","consulting.scheduled":"never"}}"#
            let patched = try await story.api.call(.patch, path, token: story.clientToken, json: body)
            #expect(patched.status == .ok, "\(patched.text)")
            let answered = try Self.choices(patched)
            #expect(Set(answered.keys) == Set(NotificationAudienceByRole.kinds(for: .client).map(\.rawValue)))
            #expect(answered["fix-item.struck"] == "digest" && answered["consulting.scheduled"] == "never")
            #expect(answered["agreement.overdue"] == "immediately" && answered["referral.offered"] == nil)
            let stored = try await story.database.notificationChoices(of: story.client.id)
            #expect(stored[.fixItemStruck] == .digest && stored[.consultingScheduled] == .never && stored[.planApproved] == .immediately)

            // A coordinator reads the person with the same choices; a studio's person is answered its own kinds.
            let read = try await story.api.call(.get, path, token: story.summary.headToken)
            let readChoices = try Self.choices(read)
            #expect(read.status == .ok && readChoices == answered)
            let studio = try Self.choices(try await story.api.call(.get, "/v1/people/\(story.studio.id)", token: story.summary.headToken))
            #expect(Set(studio.keys) == Set(NotificationAudienceByRole.kinds(for: .studio).map(\.rawValue)))
            let list = try await story.api.call(.get, "/v1/people", token: story.summary.headToken).json()
            let listed = try #require((list["items"] as? [[String: Any]])?.first { $0["id"] as? String == story.client.id })
            #expect(listed["notifications"] as? [String: String] == answered)

            // The change is the person's own, journaled; the struck item is now kept for the digest.
            let events = try await story.database.writer.read { db in
                try String.fetchAll(db, sql: "SELECT action FROM journal WHERE entityType = 'person' AND entityId = ?", arguments: [story.client.id])
            }
            #expect(events.contains("notification-choices-set"))
            _ = try await story.database.strikeFixItem(story.itemIds[0], StrikeInput(note: "swipe added"), by: story.studioPrincipal)
            let mine = try await story.api.call(.get, "/v1/notifications", token: story.clientToken).json()
            let struck = try #require((mine["items"] as? [[String: Any]])?.first { $0["kind"] as? String == "fix-item.struck" })
            #expect(struck["choice"] as? String == "digest" && struck["mailStatus"] as? String == "held")
        }
    }

    @Test func someoneElsesChoicesAre403AndChangeNothing() async throws {
        try await Self.withStory { story in
            let path = "/v1/people/\(story.client.id)"
            let body = #"{"notifications":{"fix-item.struck":"never"}}"#
            let coordinatorPerson = try await story.database.createPerson(
                PersonInput(email: "coord@club.example", name: "Coordinator", role: .coordinator, language: .en),
                by: .system
            )
            _ = try await story.database.acceptInvitation(token: coordinatorPerson.token, password: "a long walk by the Neva")
            let coordinatorToken = try await story.database.mintPersonalToken(for: coordinatorPerson.person, name: "crm").secret
            for token in [story.summary.headToken, coordinatorToken, story.studioToken] {
                let refused = try await story.api.call(.patch, path, token: token, json: body)
                #expect(refused.status == .forbidden, "\(refused.text)")
                #expect(
                    try refused.json()["detail"] as? String == "only the person themself chooses their notifications, with a personal token of theirs"
                )
            }
            // Nor with a change of the record beside it: the coordinator's half is not applied either.
            let both = try await story.api.call(.patch, path, token: story.summary.headToken, json: #"{"name":"Renamed","notifications":{}}"#)
            #expect(both.status == .forbidden)
            #expect(try await story.database.person(story.client.id, for: .system).name == story.client.name)
            #expect(try await story.database.notificationChoices(of: story.client.id)[.fixItemStruck] == .immediately)
            // The record alone stays the coordinators' (the person's own token changes no name).
            let renamed = try await story.api.call(.patch, path, token: story.clientToken, json: #"{"name":"Oleg"}"#)
            #expect(renamed.status == .forbidden)
        }
    }

    @Test func anUnknownKindOrChoiceOrAKindOfAnotherRoleIs400NamingTheField() async throws {
        try await Self.withStory { story in
            let path = "/v1/people/\(story.client.id)"
            let cases = [
                (#"{"notifications":{"fix-item.smashed":"never"}}"#, "notifications.fix-item.smashed"),
                (#"{"notifications":{"fix-item.struck":"sometimes"}}"#, "notifications.fix-item.struck"),
                (#"{"notifications":{"referral.offered":"never"}}"#, "notifications.referral.offered"),
            ]
            for (body, field) in cases {
                let refused = try await story.api.call(.patch, path, token: story.clientToken, json: body)
                #expect(refused.status == .badRequest, "\(body): \(refused.text)")
                #expect(try refused.problemFields() == [field])
            }
            let stored = try await story.database.notificationChoices(of: story.client.id)
            #expect(stored.values.allSatisfy { $0 == .immediately })
        }
    }

    @Test func eachPersonListsOnlyTheirOwnNewestFirstPageByPage() async throws {
        try await Self.withStory { story in
            _ = try await story.database.strikeFixItem(story.itemIds[0], StrikeInput(note: "swipe added"), by: story.studioPrincipal)
            _ = try await story.database.strikeFixItem(story.itemIds[1], StrikeInput(note: "address added"), by: story.studioPrincipal)
            _ = try await story.database.reopenFixItem(story.itemIds[0], ReopenInput(reason: "no swipe on iOS"), by: story.clientPrincipal)

            let mine = try await story.api.call(.get, "/v1/notifications", token: story.clientToken)
            #expect(mine.status == .ok)
            let items = try #require(try mine.json()["items"] as? [[String: Any]])
            let struck = items.filter { $0["kind"] as? String == "fix-item.struck" }
            #expect(struck.count == 2)
            let objects = struck.compactMap { $0["object"] as? [String: String] }
            #expect(objects == [["type": "fix-item", "id": story.itemIds[1]], ["type": "fix-item", "id": story.itemIds[0]]], "newest first")
            #expect(struck.allSatisfy { ($0["path"] as? String ?? "").hasPrefix("/") && $0["createdAt"] is String })
            #expect(struck.allSatisfy { $0["mailStatus"] as? String == "pending" && ($0["id"] as? String ?? "").hasPrefix("ntf_") })
            #expect(!items.contains { $0["kind"] as? String == "fix-item.reopened" }, "the client reopened it: the studio is told")

            let theirs = try #require(
                try await story.api.call(.get, "/v1/notifications", token: story.studioToken).json()["items"] as? [[String: Any]]
            )
            #expect(theirs.contains { $0["kind"] as? String == "fix-item.reopened" })
            #expect(!theirs.contains { $0["kind"] as? String == "fix-item.struck" })
            let clientIds = Set(items.compactMap { $0["id"] as? String })
            #expect(clientIds.isDisjoint(with: theirs.compactMap { $0["id"] as? String }), "a studio never sees the client's")

            // Page by page, the same list.
            let first = try await story.api.call(.get, "/v1/notifications?limit=1", token: story.clientToken).json()
            let cursor = try #require(first["nextCursor"] as? String)
            let second = try await story.api.call(.get, "/v1/notifications?limit=200&cursor=\(cursor)", token: story.clientToken).json()
            let paged = ((first["items"] as? [[String: Any]] ?? []) + (second["items"] as? [[String: Any]] ?? [])).compactMap { $0["id"] as? String }
            #expect(paged == items.compactMap { $0["id"] as? String })

            // A token of nobody (the head's bootstrap token) has no notifications to list.
            let nobody = try await story.api.call(.get, "/v1/notifications", token: story.summary.headToken)
            #expect(nobody.status == .forbidden)
        }
    }

    @Test func failedMailIsForCoordinatorsWithTheRelaysAnswer() async throws {
        try await Self.withStory { story in
            _ = try await story.database.strikeFixItem(story.itemIds[0], StrikeInput(note: "swipe added"), by: story.studioPrincipal)
            let record = try #require(try await story.database.notifications(of: story.client.id).first { $0.kind == .fixItemStruck })
            try await story.database.markMailFailed(record.id, reply: "550 5.1.1 <oleg@yacht.example>: mailbox unavailable")

            for token in [story.clientToken, story.studioToken] {
                #expect(try await story.api.call(.get, "/v1/notifications/failed", token: token).status == .forbidden)
            }
            let failed = try await story.api.call(.get, "/v1/notifications/failed", token: story.summary.headToken)
            #expect(failed.status == .ok)
            let items = try #require(try failed.json()["items"] as? [[String: Any]])
            #expect(items.count == 1)
            let item = try #require(items.first)
            #expect(item["id"] as? String == record.id && item["kind"] as? String == "fix-item.struck")
            #expect(item["relayAnswer"] as? String == "550 5.1.1 <oleg@yacht.example>: mailbox unavailable")
            #expect((item["recipient"] as? [String: String])?["email"] == "oleg@yacht.example")
            let mine = try await story.api.call(.get, "/v1/notifications", token: story.clientToken).json()
            #expect((mine["items"] as? [[String: Any]])?.first { $0["id"] as? String == record.id }?["mailStatus"] as? String == "failed")
        }
    }
}
