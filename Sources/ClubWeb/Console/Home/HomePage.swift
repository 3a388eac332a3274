import ClubCore
import ClubStore
import Foundation
import HTTPTypes

extension ConsoleController {
    /// A studio's or a client's Home (docs/design.md §9.6): first what waits for them, each line
    /// linking to the page where they do it, then their referrals or requests and their
    /// engagements with the state in plain words.
    func home(_ signedIn: SignedIn, _ language: PageLanguage) async throws -> RenderedPage {
        let words = language.localizer
        let principal = signedIn.principal
        let all = PageRequest(limit: PageRequest.maxLimit)
        let names = ObjectNames(database: database, principal: principal)
        func section(_ id: String, _ key: String, _ lines: [SectionLine]) -> PageSection {
            PageSection(id: id, title: words.text(key), count: words.plural("plural.items", count: lines.count), lines: lines)
        }
        let awaiting = try await database.awaiting(for: principal)
        var sections = [section("awaiting", "console.home.awaiting", await awaitingLines(awaiting, signedIn, words, names))]

        if signedIn.person.role == .studio {
            let referrals = try await database.referrals(ReferralFilter(), page: all, for: principal).items
            var lines: [SectionLine] = []
            for referral in referrals.sorted(by: { $0.offeredAt > $1.offeredAt }) {
                let text = words.text("console.home.referral", ["request": await names.request(referral.requestId)])
                lines.append(
                    SectionLine(
                        text: text,
                        href: "/referrals/" + referral.id,
                        note: words.text("console.home.referralState." + referral.status.rawValue)
                    )
                )
            }
            sections.append(section("referrals", "console.home.referrals", lines))
        } else {
            let choosing = Set(awaiting.compactMap { if case .chooseStudio(let lead) = $0 { lead.id } else { nil } })
            let requests = try await database.leads(LeadFilter(), page: all, for: principal).items
            sections.append(
                section(
                    "requests",
                    "console.home.requests",
                    requests.map { lead in
                        let state = choosing.contains(lead.id) ? "choose" : lead.status.rawValue
                        return SectionLine(text: lead.statedAsk, href: "/requests/" + lead.id, note: words.text("console.home.requestState." + state))
                    }
                )
            )
        }
        let engagements = try await database.engagements(EngagementFilter(), page: all, for: principal).items
        var engagementLines: [SectionLine] = []
        for engagement in engagements {
            let other = signedIn.person.role == .studio ? await names.client(engagement.clientId) : await names.studio(engagement.studioId)
            engagementLines.append(
                SectionLine(
                    text: words.text("console.home.engagementWith", ["party": other]),
                    href: "/engagements/" + engagement.id,
                    note: words.text("console.home.engagementState." + engagement.status.rawValue)
                )
            )
        }
        sections.append(section("engagements", "console.home.engagements", engagementLines))
        var view = view(language, title: "console.home.title")
        view.asOf = words.text("console.asOf", ["date": words.format(database.clock.now(), zone: signedIn.zone), "zone": signedIn.person.timeZone])
        view.sections = sections
        return ("home", view, .ok)
    }

    /// "Waiting for you" for the notices page: a studio's or a client's duties, nil when none
    /// (a coordinator's are on Today).
    func awaitingSection(_ signedIn: SignedIn, _ words: Localizer) async throws -> PageSection? {
        let awaiting = try await database.awaiting(for: signedIn.principal)
        guard !awaiting.isEmpty else { return nil }
        let lines = await awaitingLines(awaiting, signedIn, words, ObjectNames(database: database, principal: signedIn.principal))
        return PageSection(
            id: "awaiting",
            title: words.text("console.home.awaiting"),
            count: words.plural("plural.items", count: lines.count),
            lines: lines
        )
    }

    /// One line per duty, naming the object as the person knows it and saying how urgent it is.
    private func awaitingLines(_ items: [AwaitingItem], _ signedIn: SignedIn, _ words: Localizer, _ names: ObjectNames) async -> [SectionLine] {
        let now = database.clock.now()
        func date(_ value: Date) -> String { words.format(value, zone: signedIn.zone) }
        func item(_ item: FixItem) -> [String: String] { ["position": String(item.position), "statement": item.statement] }
        var lines: [SectionLine] = []
        for awaiting in items {
            switch awaiting {
            case .answerReferral(let referral):
                let note = ReferralDeadlineText(due: referral.dueAt, now: now, words: words, zone: signedIn.zone).short
                let text = words.text("console.home.await.answerReferral", ["request": await names.request(referral.requestId)])
                lines.append(SectionLine(text: text, href: "/referrals/" + referral.id, note: note))
            case .confirmAgreement(let agreement):
                lines.append(
                    SectionLine(
                        text: words.text("console.home.await.confirmAgreement", ["what": agreement.what]),
                        href: "/engagements/\(agreement.engagementId)#agreement-\(agreement.id)",
                        note: words.text("console.due", ["date": words.format(agreement.due)])
                    )
                )
            case .confirmFixList(let list):
                let key = list.status == .amending ? "console.home.await.confirmAmendment" : "console.home.await.confirmFixList"
                lines.append(
                    SectionLine(
                        text: words.text(key, ["engagement": await names.engagement(list.engagementId)]),
                        href: "/fix-lists/" + list.id,
                        note: nil
                    )
                )
            case .fixReopened(let fix):
                let note = words.text(
                    "console.home.await.reopenedNote",
                    ["reason": fix.reopenReason ?? "", "date": words.format(fix.due)]
                )
                lines.append(
                    SectionLine(
                        text: words.text("console.home.await.fixReopened", item(fix)),
                        href: "/fix-lists/\(fix.fixListId)#item-\(fix.id)",
                        note: note
                    )
                )
            case .fixDue(let fix, let overdue):
                let note =
                    overdue
                    ? words.text("console.home.await.overdue", ["date": words.format(fix.due)])
                    : words.text("console.due", ["date": words.format(fix.due)])
                lines.append(
                    SectionLine(
                        text: words.text("console.home.await.fixDue", item(fix)),
                        href: "/fix-lists/\(fix.fixListId)#item-\(fix.id)",
                        note: note
                    )
                )
            case .giveAccount(let complaint):
                let text = words.text("console.home.await.giveAccount", ["engagement": await names.engagement(complaint.engagementId)])
                lines.append(SectionLine(text: text, href: "/complaints/" + complaint.id, note: nil))
            case .argueAudit(let audit):
                lines.append(
                    SectionLine(text: words.text("console.home.await.argueAudit", ["auditor": audit.auditor]), href: "/audits/" + audit.id, note: nil)
                )
            case .chooseStudio(let lead):
                lines.append(
                    SectionLine(
                        text: words.text("console.home.await.chooseStudio", ["request": lead.statedAsk]),
                        href: "/requests/" + lead.id,
                        note: nil
                    )
                )
            case .checkFix(let fix, let deadline):
                let note = deadline.map { words.text("console.home.await.checkBy", ["date": date($0)]) }
                lines.append(SectionLine(text: words.text("console.home.await.checkFix", item(fix)), href: "/fix-items/" + fix.id, note: note))
            case .giveFeedback(let engagement, let stages):
                let text = words.text("console.home.await.giveFeedback", ["studio": await names.studio(engagement.studioId)])
                lines.append(SectionLine(text: text, href: "/engagements/\(engagement.id)#feedback", note: stages.joined(separator: ", ")))
            case .answerConsultingOffer(let offer, let engagementId):
                let note = words.text("console.home.await.validUntil", ["date": date(offer.validUntil)])
                lines.append(
                    SectionLine(text: words.text("console.home.await.consulting"), href: "/engagements/\(engagementId)#consulting", note: note)
                )
            case .answerResolution(let complaint):
                lines.append(SectionLine(text: words.text("console.home.await.answerResolution"), href: "/complaints/" + complaint.id, note: nil))
            case .rateClub(let engagement):
                let text = words.text("console.home.await.rateClub", ["studio": await names.studio(engagement.studioId)])
                lines.append(SectionLine(text: text, href: "/engagements/\(engagement.id)#club-rating", note: nil))
            }
        }
        return lines
    }
}
