import Testing

@testable import ClubStore

/// Tokens are stored and looked up by their SHA-256 in lower-case hex (DESIGN §2). The hex is
/// written by hand, not by `String(format:)`, since every request with a bearer token hashes it.
@Suite("Token secrets")
struct TokenSecretTests {
    @Test func aSecretIsStoredAsItsSHA256InLowerCaseHex() {
        #expect(TokenSecret.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(TokenSecret.hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(TokenSecret.hash("The quick brown fox jumps over the lazy dog") == "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")
        let hexDigits = Set("0123456789abcdef")
        for _ in 0..<20 {
            let hash = TokenSecret.hash(TokenSecret.generate())
            #expect(hash.count == 64 && hash.allSatisfy(hexDigits.contains))
        }
    }
}
