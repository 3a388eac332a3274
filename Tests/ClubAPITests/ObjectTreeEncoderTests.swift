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

    static func expectSame(_ value: some Encodable, _ what: String) throws {
        let before = try throughText(value)
        let after = try asTree(value)
        #expect(after == before, "\(what):\n\(String(decoding: after, as: UTF8.self))\nwas\n\(String(decoding: before, as: UTF8.self))")
    }

    @Test func theReferenceCaseAnswersTheSameAsBefore() async throws {
        let clock = ReferenceCase.clock(endingBefore: Date(), rules: ClubRules())
        let club = try AppDatabase.inMemory(clock: clock)
        let summary = try await ReferenceCase(database: club, clock: clock).load()
        let head = try #require(try await club.authenticate(secret: summary.headToken))
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
