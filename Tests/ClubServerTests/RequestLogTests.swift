import Testing

@testable import ClubServer

@Suite("Request logs")
struct RequestLogTests {
    @Test func shareTokensNeverReachTheLogs() {
        #expect(RequestLogMiddleware.redacted("/share/shr_secret") == "/share/…")
        #expect(RequestLogMiddleware.redacted("/share/shr_secret/events") == "/share/…/events")
        #expect(RequestLogMiddleware.redacted("/invitations/inv_secret") == "/invitations/…")
        #expect(RequestLogMiddleware.redacted("/v1/studios/stu_1") == "/v1/studios/stu_1")
    }
}
