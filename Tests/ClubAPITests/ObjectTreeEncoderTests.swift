import ClubCore
import ClubDemo
import ClubStore
import Foundation
import Testing

@testable import ClubAPI

/// Party objects are encoded straight into the tree that is redacted (`ObjectTreeEncoder`), not to
/// JSON text and back: the answers must stay what they were, byte for byte once keys are sorted.
@Suite("Answers encoded as a tree")
struct ObjectTreeEncoderTests {
    /// The way answers were built before: `JSONCoding.encoder` to text, parsed back.
    static func throughText(_ value: some Encodable) throws -> Data {
        let object = try JSONSerialization.jsonObject(with: try JSONCoding.encoder.encode(value), options: [.fragmentsAllowed])
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
    }

    /// The way answers are built now: a tree, written by `JSONTreeWriter`.
    static func asTree(_ value: some Encodable) throws -> Data {
        try JSONTreeWriter(sortedKeys: true).data(try ObjectTreeEncoder().encode(value))
    }

    /// The way a party's object was answered before: through text, redacted as Foundation objects.
    static func redactedThroughText(_ value: some Encodable, shape: String, for role: Role) throws -> Data {
        let object = try JSONSerialization.jsonObject(with: try JSONCoding.encoder.encode(value), options: [.fragmentsAllowed])
        let redacted = Redactor(role: role).redact(object, as: shape)
        return try JSONSerialization.data(withJSONObject: redacted, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
    }

    /// The way it is answered now: a `JSONTree`, redacted as such and written.
    static func redactedAsTree(_ value: some Encodable, shape: String, for role: Role) throws -> Data {
        try JSONTreeWriter(sortedKeys: true).data(Redactor(role: role).redact(try ObjectTreeEncoder().encode(value), as: shape))
    }

    static func expectSame(_ value: some Encodable, _ what: String) throws {
        let before = try throughText(value)
        let after = try asTree(value)
        #expect(after == before, "\(what):\n\(String(decoding: after, as: UTF8.self))\nwas\n\(String(decoding: before, as: UTF8.self))")
    }

    /// The reference case, loaded in a database in memory, and its head coordinator.
    static func referenceCase() async throws -> (AppDatabase, ReferenceCase.Summary, Principal) {
        let clock = ReferenceCase.clock(endingBefore: Date(), rules: ClubRules())
        let club = try AppDatabase.inMemory(clock: clock)
        let summary = try await ReferenceCase(database: club, clock: clock).load()
        return (club, summary, try #require(try await club.authenticate(secret: summary.headToken)))
    }

    @Test func theReferenceCaseAnswersTheSameAsBefore() async throws {
        let (club, summary, head) = try await Self.referenceCase()
        let all = PageRequest(limit: 200)
        let fixList = try await club.fixList(summary.fixListId, for: head)
        #expect(fixList.items.contains { !$0.rounds.isEmpty }, "the case strikes and reopens items")
        try Self.expectSame(FixListAnswer(fixList), "the fix list")
        try Self.expectSame(try await club.studios(StudioFilter(), page: all, for: head), "the studios")
        try Self.expectSame(try await club.clients(page: all, for: head), "the clients")
        try Self.expectSame(try await club.leads(LeadFilter(), page: all, for: head), "the requests")
        try Self.expectSame(try await club.engagements(EngagementFilter(), page: all, for: head), "the engagements")
        try Self.expectSame(try await club.audit(summary.auditId, for: head), "the audit")
    }

    /// Each party reads the same fields both ways: a redaction of typed values leaves out what the
    /// redaction of Foundation's objects left out, and the club is told the same.
    @Test func eachPartyReadsTheSameAsBefore() async throws {
        let (club, summary, head) = try await Self.referenceCase()
        let all = PageRequest(limit: 200)
        let fixList = FixListAnswer(try await club.fixList(summary.fixListId, for: head))
        let audit = try await club.audit(summary.auditId, for: head)
        let engagements = try await club.engagements(EngagementFilter(), page: all, for: head).items
        let studios = try await club.studios(StudioFilter(), page: all, for: head).items
        for role in Role.allCases {
            func expectSame(_ value: some Encodable, _ shape: String) throws {
                let before = try Self.redactedThroughText(value, shape: shape, for: role)
                let after = try Self.redactedAsTree(value, shape: shape, for: role)
                #expect(
                    after == before,
                    "\(shape) for \(role):\n\(String(decoding: after, as: UTF8.self))\nwas\n\(String(decoding: before, as: UTF8.self))"
                )
            }
            try expectSame(fixList, "FixList")
            try expectSame(audit, "Audit")
            try expectSame(engagements, "Engagement")
            try expectSame(studios, "Studio")
        }
        // The comparison is of redacted answers: a client reads less of a studio than the club.
        #expect(
            try Self.redactedAsTree(studios, shape: "Studio", for: .client) != (try Self.redactedAsTree(studios, shape: "Studio", for: .coordinator))
        )
    }

    /// The fix list's answer is written by hand (`FixListAnswer.jsonTree`), not through `Encodable`:
    /// the same members in the same order, and every party reads the same of it.
    @Test func theFixListWrittenByHandIsTheOneEncodableWrites() async throws {
        let (club, summary, head) = try await Self.referenceCase()
        let answer = FixListAnswer(try await club.fixList(summary.fixListId, for: head))
        let byHand = try JSONTreeWriter().data(answer.jsonTree)
        let encoded = try JSONTreeWriter().data(try ObjectTreeEncoder().encode(answer))
        #expect(byHand == encoded, "by hand:\n\(String(decoding: byHand, as: UTF8.self))\nencoded:\n\(String(decoding: encoded, as: UTF8.self))")
        // The case reaches fields that are most often absent, so that the comparison covers them.
        let written = String(decoding: byHand, as: UTF8.self)
        for key in ["clientConfirmation", "agreedAt", "reopenedAt", "reopenReason", "acceptedAt", "acceptNote", "newDue"] {
            #expect(written.contains("\"\(key)\":"), "the reference case's list has no \(key)")
        }
        // Those it does not reach: a draft with internal notes, and an item a finding put there.
        let draft = FixList(id: "fxl_1", engagementId: "eng_1", internalNote: "watch the studio", by: head.actor, at: Date())
        let input = FixItemInput(
            statement: "The form works",
            acceptance: "a test lead arrives",
            due: try #require(Day("2027-02-01")),
            internalNote: "late twice"
        )
        let item = try FixItem(id: "fxi_1", fixListId: "fxl_1", position: 1, input: input, defaultStudioId: "stu_1", existing: [], findingId: "fnd_1")
        let cases = [
            (draft.jsonTree, try ObjectTreeEncoder().encode(draft), ["internalNote"]),
            (item.jsonTree, try ObjectTreeEncoder().encode(item), ["internalNote", "pending", "findingId"]),
        ]
        for (tree, encoded, keys) in cases {
            let written = try JSONTreeWriter().data(tree)
            #expect(written == (try JSONTreeWriter().data(encoded)))
            for key in keys { #expect(String(decoding: written, as: UTF8.self).contains("\"\(key)\":"), "no \(key)") }
        }
        for role in Role.allCases {
            let redacted = try JSONTreeWriter(sortedKeys: true).data(Redactor(role: role).redact(answer.jsonTree, as: "FixList"))
            #expect(redacted == (try Self.redactedThroughText(answer, shape: "FixList", for: role)), "FixList for \(role)")
        }
    }

    /// A flattened answer that encodes a key twice keeps the last value, as `JSONEncoder` does.
    @Test func aKeyEncodedTwiceKeepsItsLastValue() throws {
        struct Base: Encodable { let name = "base" }
        struct Flattened: Encodable {
            func encode(to encoder: any Encoder) throws {
                try Base().encode(to: encoder)
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode("extra", forKey: .name)
            }
            enum CodingKeys: String, CodingKey { case name }
        }
        #expect(String(decoding: try JSONTreeWriter().data(try ObjectTreeEncoder().encode(Flattened())), as: UTF8.self) == #"{"name":"extra"}"#)
        try Self.expectSame(Flattened(), "a flattened answer")
    }

    @Test func theTypesJSONEncoderTreatsApartAndEdgeValues() throws {
        struct Odd: Encodable {
            let when = Date(timeIntervalSince1970: 1_800_000_000.25)
            let bytes = Data([0, 1, 2, 250])
            let link = URL(string: "https://club.example/share/x?y=1")
            let nothing: String? = nil
            let ratio = 0.1
            let big = Int64.max
            let flags = [true, false]
            let nested = [["a": 1], [:]]
            let text = "quotes \" and / slashes, ₽, \\ \n\t\u{1} \u{7F} 🙂"
        }
        try Self.expectSame(Odd(), "odd values")
        #expect(throws: EncodingError.self) { try ObjectTreeEncoder().encode(Double.nan) }
    }
}
