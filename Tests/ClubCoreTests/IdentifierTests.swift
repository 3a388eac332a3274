import ClubCore
import Testing

/// Ids are a kind's prefix and 20 random lower-case hex digits (80 bits): never guessed, never repeated.
@Suite("Identifiers")
struct IdentifierTests {
    @Test func anIdIsItsPrefixAndTwentyRandomHexDigits() {
        let hexDigits = Set("0123456789abcdef")
        var seen: Set<String> = []
        var digitsUsed: [Set<Character>] = Array(repeating: [], count: 20)
        for _ in 0..<2_000 {
            let id = Identifier.make("cli")
            #expect(id.hasPrefix("cli_") && id.count == 24)
            let random = Array(id.dropFirst(4))
            #expect(random.allSatisfy(hexDigits.contains), "\(id)")
            for (place, digit) in random.enumerated() { digitsUsed[place].insert(digit) }
            seen.insert(id)
        }
        #expect(seen.count == 2_000, "no id came twice")
        // Every place of the 20 varies over all sixteen digits: no fixed version or variant nibble.
        #expect(digitsUsed.allSatisfy { $0.count == 16 })
        #expect(Identifier.make("").hasPrefix("_") && Identifier.make("stu_x").hasPrefix("stu_x_"))
    }
}
