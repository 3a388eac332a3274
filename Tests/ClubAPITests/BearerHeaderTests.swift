import Testing

@testable import ClubAPI

/// How the `Authorization` header yields the token the store looks up.
@Suite("Bearer header")
struct BearerHeaderTests {
    @Test(arguments: [
        ("Bearer club_abc", "club_abc"),
        ("bearer club_abc", "club_abc"),
        ("BEARER club_abc", "club_abc"),
        ("Bearer   club_abc \t ", "club_abc"),
        ("Bearer \tclub_abc", "club_abc"),
        // Only the spaces and tabs HTTP allows are trimmed: anything else is part of what is looked up.
        ("Bearer \u{A0}club_abc", "\u{A0}club_abc"),
        ("Bearer club abc", "club abc"),
        ("Bearer ключ", "ключ"),
    ])
    func theTokenIsWhatFollowsTheScheme(header: String, token: String) {
        #expect(BearerHeader.secret(in: header) == token)
    }

    @Test(arguments: ["Bearer", "Bearer ", "Bearer  \t ", "Basic dXNlcjpwdw==", "Bearerclub_abc", "Token club_abc", ""])
    func noTokenWithoutTheSchemeOrWithNothingAfterIt(header: String) {
        #expect(BearerHeader.secret(in: header) == nil)
    }
}
