import Foundation
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

    @Test func durationsAreWrittenAsPrintfWroteThem() {
        #expect(RequestLogMiddleware.milliseconds(.zero) == "0.0")
        #expect(RequestLogMiddleware.milliseconds(.milliseconds(12) + .microseconds(340)) == "12.3")
        #expect(RequestLogMiddleware.milliseconds(.microseconds(960)) == "1.0")
        #expect(RequestLogMiddleware.milliseconds(.seconds(2) + .microseconds(7)) == "2000.0")
        // Away from exact halves (where printf rounds the binary value), every microsecond count
        // up to 3 s is written as `%.1f` writes it.
        for microseconds in stride(from: 1, to: 3_000_000, by: 997) where microseconds % 100 != 50 {
            let elapsed = Duration.microseconds(microseconds)
            #expect(RequestLogMiddleware.milliseconds(elapsed) == String(format: "%.1f", Double(microseconds) / 1000))
        }
    }
}
