import ClubCore
import ClubDemo
import Crypto
import Foundation
import Testing

@testable import ClubStore

/// A journal image's fields are written from a `JSONTree` (`JSONText.fieldTexts`), no longer through
/// `JSONEncoder` and `JSONSerialization`. The hashes cover those texts and verification writes them
/// again from the stored image with `JSONSerialization`, so they must stay byte for byte the same.
@Suite("Journal images written from a tree")
struct JournalTextTests {
    /// The way the images' fields were written before: `JSONEncoder` (sorted keys, RFC 3339), parsed
    /// back, each field serialised by `JSONText.encode`.
    static func throughText(_ value: some Encodable) throws -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .rfc3339
        let object = try #require(try JSONSerialization.jsonObject(with: try encoder.encode(value)) as? [String: Any])
        return object.filter { !["version", "updatedAt"].contains($0.key) }.mapValues(JSONText.encode)
    }

    static func expectSame(_ value: some Encodable, _ what: String) throws {
        let texts = JSONText.fieldTexts(of: value)
        #expect(!texts.isEmpty, "\(what) has fields")
        #expect(texts == (try Self.throughText(value)), "\(what)")
    }

    /// Each field is salted from one HMAC keyed once per event and copied per field; the salts
    /// must be what HMAC-SHA-256 under the field key gives each field alone, as verification
    /// derives them, however many fields share the keyed state and in whatever order.
    @Test func saltsFromOneKeyedHMACAreEachFieldsOwn() {
        let fieldKey = SymmetricKey(size: .bits256)
        let keyed = HMAC<SHA256>(key: fieldKey)
        let names = ["state", "struckAt", "rounds", "заметка", "version", "state"]
        for side in [JournalImage.Side.before, .after] {
            for name in names {
                let alone = HMAC<SHA256>.authenticationCode(for: Data((side.rawValue + "\u{1F}" + name).utf8), using: fieldKey)
                let expected = alone.prefix(16).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
                    .joined()
                #expect(HexDigest.salt(name, side: side, keyed: keyed) == expected, "\(side) \(name)")
                #expect(HexDigest.salt(name, side: side, keyed: HMAC<SHA256>(key: fieldKey)) == expected, "keyed afresh")
            }
        }
        #expect(HexDigest.salt("state", side: .before, keyed: keyed) != HexDigest.salt("state", side: .after, keyed: keyed))
    }

    /// A field's digest is hashed part by part, never joined into one string; it must be the
    /// digest of the joined text that DESIGN §3.11 defines, for any text, non-ASCII included.
    @Test func aDigestOfPartsIsTheDigestOfTheirJoinedText() {
        let fields = [("00ff", "state", "\"struck\""), ("salt", "заметка", "\"ёлка / 🎄\""), ("", "", "")]
        for (salt, key, json) in fields {
            let joined = salt + "\u{1F}" + key + "\u{1F}" + json
            let expected = SHA256.hash(data: Data(joined.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(JournalImage.Field(key: key, json: json, salt: salt).digest == expected, "\(key)")
        }
    }

    @Test func theReferenceCaseImagesAreWrittenAsBefore() async throws {
        let clock = ReferenceCase.clock(endingBefore: Date(), rules: ClubRules())
        let club = try AppDatabase.inMemory(clock: clock)
        let summary = try await ReferenceCase(database: club, clock: clock).load()
        let head = try #require(try await club.authenticate(secret: summary.headToken))
        let all = PageRequest(limit: 200)
        let fixList = try await club.fixList(summary.fixListId, for: head)
        try Self.expectSame(fixList.list, "the fix list")
        for item in fixList.items { try Self.expectSame(item, "fix item \(item.id)") }
        // Items and lists are imaged from the trees written by hand (`jsonTree`): the same texts.
        #expect(JSONText.fieldTexts(ofTree: fixList.list.jsonTree) == JSONText.fieldTexts(of: fixList.list))
        for item in fixList.items { #expect(JSONText.fieldTexts(ofTree: item.jsonTree) == JSONText.fieldTexts(of: item), "\(item.id)") }
        try Self.expectSame(try await club.audit(summary.auditId, for: head), "the audit")
        for studio in try await club.studios(StudioFilter(), page: all, for: head).items { try Self.expectSame(studio, studio.id) }
        for client in try await club.clients(page: all, for: head).items { try Self.expectSame(client, client.id) }
        for lead in try await club.leads(LeadFilter(), page: all, for: head).items { try Self.expectSame(lead, lead.id) }
        for engagement in try await club.engagements(EngagementFilter(), page: all, for: head).items {
            try Self.expectSame(engagement, engagement.id)
        }
        guard case .intact(let events, _) = try club.verifyJournal() else {
            Issue.record("the events written this way do not verify")
            return
        }
        #expect(events > 100, "the whole case is journaled")
    }

    @Test func numbersTimesAndOddTextAreWrittenAsBefore() throws {
        struct Odd: Encodable {
            let when = Date(timeIntervalSince1970: 1_800_000_000.25)
            let bytes = Data([0, 1, 2, 250])
            let link = URL(string: "https://club.example/share/x?y=1")
            let nothing: String? = nil
            let ratios = [0.1, 1.0, 3.0, 1e-7, 12_345.678, -2.5, 0.35]
            let big = Int64.max
            let flags = [true, false]
            let nested = ["b": ["z": 1, "a": 2], "A": [:]]
            let text = "quotes \" and / slashes, ₽, \\ \n\t\u{1} \u{7F} 🙂"
        }
        try Self.expectSame(Odd(), "odd values")
    }

    @Test func onlyTheFieldsThatChangedAreImagedAndAVanishedOneIsNull() {
        let (before, after) = JSONText.difference(["a": "1", "b": "\"x\"", "gone": "true"], ["a": "1", "b": "\"y\"", "new": "[]"])
        #expect(before == ["b": "\"x\"", "gone": "true", "new": "null"])
        #expect(after == ["b": "\"y\"", "gone": "null", "new": "[]"])
    }
}
