import ClubCore
import ClubStore
import Foundation

/// What an engagement page shows beyond the engagement's own record: its fix lists, complaints
/// and audits, the exit with its consulting offer and sessions. The store gathers these for the
/// case file, read as the viewer may read them; a viewer who may not export one (a studio) gets
/// nil, and the page shows none of it.
struct EngagementExtras {
    let fixLists: [EngagementRelatedLine]
    let complaints: [EngagementRelatedLine]
    let audits: [EngagementRelatedLine]
    let exit: EngagementExit?
    let offer: ConsultingOffer?
    let sessions: [ConsultingSession]

    /// The lines of the engagement's fix lists that `principal` reads (`AppDatabase.fixLists(ofEngagement:for:)`),
    /// for a viewer without the case file: a studio. None when it reads none.
    static func fixListLines(of engagementId: String, database: AppDatabase, principal: Principal, words: Localizer) async -> [EngagementRelatedLine]
    {
        guard let records = try? await database.fixLists(ofEngagement: engagementId, for: principal) else { return [] }
        return records.map { fixListLine($0.list.id, items: $0.items.count, status: $0.list.status.rawValue, words: words) }
    }

    private static func fixListLine(_ id: String, items: Int, status: String?, words: Localizer) -> EngagementRelatedLine {
        EngagementRelatedLine(
            href: "/fix-lists/" + id,
            text: words.text("console.engagements.related.fixList", ["count": words.plural("plural.items", count: items)]),
            note: status.map { words.text("console.engagements.fixList." + $0) } ?? ""
        )
    }

    static func read(_ engagementId: String, database: AppDatabase, principal: Principal, words: Localizer) async -> EngagementExtras? {
        guard Policy.allows(principal, .exportCaseFile), let file = try? await database.caseFile(engagementId, for: principal) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .rfc3339
        func decode<Value: Decodable>(_ type: Value.Type, _ object: Any?) -> Value? {
            guard let object, !(object is NSNull), let data = try? JSONSerialization.data(withJSONObject: object) else { return nil }
            return try? decoder.decode(type, from: data)
        }
        func objects(_ section: String) -> [[String: Any]] { file.section(section) as? [[String: Any]] ?? [] }
        func status(_ prefix: String, _ object: [String: Any]) -> String {
            (object["status"] as? String).map { words.text(prefix + $0) } ?? ""
        }
        let fixLists = objects("fixLists").compactMap { pair -> EngagementRelatedLine? in
            guard let list = pair["list"] as? [String: Any], let id = list["id"] as? String else { return nil }
            return fixListLine(id, items: (pair["items"] as? [Any])?.count ?? 0, status: list["status"] as? String, words: words)
        }
        let complaints = objects("complaints").compactMap { complaint -> EngagementRelatedLine? in
            guard let id = complaint["id"] as? String else { return nil }
            return EngagementRelatedLine(
                href: "/complaints/" + id,
                text: complaint["summary"] as? String ?? id,
                note: status("console.engagements.complaint.", complaint)
            )
        }
        let audits = objects("audits").compactMap { audit -> EngagementRelatedLine? in
            guard let id = audit["id"] as? String else { return nil }
            let text = [audit["auditor"] as? String, audit["subject"] as? String].compactMap { $0 }.joined(separator: " — ")
            return EngagementRelatedLine(href: "/audits/" + id, text: text.isEmpty ? id : text, note: status("console.engagements.audit.", audit))
        }
        let offers = objects("consultingOffers").compactMap { decode(ConsultingOffer.self, $0) }
        let offer = offers.last
        return EngagementExtras(
            fixLists: fixLists,
            complaints: complaints,
            audits: audits,
            exit: decode(EngagementExit.self, file.section("exit")),
            offer: offer,
            sessions: objects("consultingSessions").compactMap { decode(ConsultingSession.self, $0) }.filter { $0.offerId == offer?.id }
        )
    }
}
