import ClubCore
import ClubStore
import Foundation
import Testing

@testable import ClubNotify

/// Every notification's e-mail in each language the program carries (docs/design.md §10.3).
@Suite("Mail composition")
struct MailComposerTests {
    static let composer = MailComposer(from: try! MailAddress("club@club.example", displayName: "Club")) { "https://club.example" }

    static func mail(_ kind: NotificationKind, language: Language, name: String = "Oleg") -> OutgoingMail {
        OutgoingMail(
            notification: NotificationRecord(
                id: "ntf_1",
                eventId: "msg_1",
                kind: kind,
                entityType: "fix-item",
                entityId: "fxi_1",
                path: "/fix-items/fxi_1",
                createdAt: Date(timeIntervalSince1970: 1_800_000_000)
            ),
            recipient: MailRecipient(personId: "per_1", email: "oleg@yacht.example", name: name, language: language, timeZone: "UTC", role: .client)
        )
    }

    @Test(arguments: Language.available)
    func everyKindHasItsOwnSubjectAndWordsInEveryLanguage(language: Language) throws {
        let words = Catalogs.bundled.localizer(for: language.rawValue)
        var subjects = Set<String>()
        for kind in NotificationKind.allCases where kind != .dailyDigest {
            let message = try Self.composer.message(for: Self.mail(kind, language: language), unsubscribeToken: "per_1.\(kind.rawValue).ab")
            #expect(message.language == language.rawValue)
            #expect(message.subject == words.text("notify.subject." + kind.rawValue))
            #expect(!message.subject.hasPrefix("notify."), "no text for \(kind) in \(language.rawValue)")
            #expect(message.text.contains(words.text("notify.body." + kind.rawValue, ["hours": "6"])))
            #expect(message.text.contains("https://club.example/fix-items/fxi_1"))
            #expect(message.html.contains("href=\"https://club.example/fix-items/fxi_1\""))
            #expect(message.unsubscribeURL == "https://club.example/unsubscribe/per_1.\(kind.rawValue).ab")
            #expect(message.messageID == "ntf_1@club.example")
            subjects.insert(message.subject)
        }
        #expect(subjects.count == NotificationKind.allCases.count - 1)
    }

    @Test func aNameIsEscapedInTheHTMLPart() throws {
        let message = try Self.composer.message(
            for: Self.mail(.fixItemStruck, language: .en, name: "<script>x</script>"),
            unsubscribeToken: "t"
        )
        #expect(!message.html.contains("<script>"))
        #expect(message.html.contains("&lt;script&gt;"))
        #expect(message.text.contains("Hello, <script>x</script>,"))
    }

    @Test func theDigestCountsWhatWaitsWithRussianPluralsAndListsWhatWasKept() throws {
        let mail = Self.mail(.dailyDigest, language: .ru)
        let kept = NotificationRecord(
            id: "ntf_2",
            eventId: "msg_2",
            kind: .agreementAwaitingConfirmation,
            entityType: "agreement",
            entityId: "agr_1",
            path: "/engagements/eng_1",
            createdAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
        let digest = DigestMail(recipient: mail.recipient, day: "2027-01-16", notifications: [kept], followUps: nil)
        let message = try Self.composer.message(for: mail, unsubscribeToken: "t", digest: digest)
        #expect(message.subject == "Ваша ежедневная сводка, 2027-01-16")
        let line = "Договорённость ждёт вашего подтверждения — https://club.example/engagements/eng_1"
        #expect(message.text.contains(line))
    }
}
