import ClubCore
import ClubStore
import Foundation

/// What an engagement page shows beyond the engagement's own record: its fix lists, complaints
/// and audits, the exit with its consulting offer and sessions. The store gathers these for the
/// case file, read as the viewer may read them; a viewer who may not export one (a studio) gets
/// nil, and its page lists the fix lists, complaints and audits of its work through
/// `EngagementRelated` instead.
struct EngagementExtras {
    let fixLists: [EngagementRelatedLine]
    let complaints: [EngagementRelatedLine]
    let audits: [EngagementRelatedLine]
    let exit: EngagementExit?
    let offer: ConsultingOffer?
    let sessions: [ConsultingSession]

    static func complaintLine(_ id: String, summary: String?, status: String?, words: Localizer) -> EngagementRelatedLine {
        EngagementRelatedLine(
            href: "/complaints/" + id,
            text: summary ?? id,
            note: status.map { words.text("console.engagements.complaint." + $0) } ?? ""
        )
    }

    static func auditLine(_ id: String, parts: [String], status: String?, words: Localizer) -> EngagementRelatedLine {
        let text = parts.joined(separator: " — ")
        return EngagementRelatedLine(
            href: "/audits/" + id,
            text: text.isEmpty ? id : text,
            note: status.map { words.text("console.engagements.audit." + $0) } ?? ""
        )
    }

    static func fixListLine(_ id: String, items: Int, status: String?, words: Localizer) -> EngagementRelatedLine {
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
        let fixLists = objects("fixLists").compactMap { pair -> EngagementRelatedLine? in
            guard let list = pair["list"] as? [String: Any], let id = list["id"] as? String else { return nil }
            return fixListLine(id, items: (pair["items"] as? [Any])?.count ?? 0, status: list["status"] as? String, words: words)
        }
        let complaints = objects("complaints").compactMap { complaint -> EngagementRelatedLine? in
            guard let id = complaint["id"] as? String else { return nil }
            return complaintLine(id, summary: complaint["summary"] as? String, status: complaint["status"] as? String, words: words)
        }
        let audits = objects("audits").compactMap { audit -> EngagementRelatedLine? in
            guard let id = audit["id"] as? String else { return nil }
            let parts = [audit["auditor"] as? String, audit["subject"] as? String].compactMap { $0 }
            return auditLine(id, parts: parts, status: audit["status"] as? String, words: words)
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

/// The lines of an engagement's fix lists, complaints and audits, as its page lists them.
struct EngagementRelated {
    let fixLists: [EngagementRelatedLine]
    let complaints: [EngagementRelatedLine]
    let audits: [EngagementRelatedLine]

    var isEmpty: Bool { fixLists.isEmpty && complaints.isEmpty && audits.isEmpty }

    /// For a viewer without the case file (a studio): each read as the API's lists read it, so a
    /// studio sees the lists it works on and the complaints and audits of its own work.
    static func read(of engagementId: String, database: AppDatabase, principal: Principal, words: Localizer) async -> EngagementRelated {
        let lists = (try? await database.fixLists(ofEngagement: engagementId, for: principal)) ?? []
        let complaints = (try? await database.complaints(ofEngagement: engagementId, for: principal)) ?? []
        let audits = (try? await database.audits(ofEngagement: engagementId, for: principal)) ?? []
        return EngagementRelated(
            fixLists: lists.map { EngagementExtras.fixListLine($0.list.id, items: $0.items.count, status: $0.list.status.rawValue, words: words) },
            complaints: complaints.map { EngagementExtras.complaintLine($0.id, summary: $0.summary, status: $0.status.rawValue, words: words) },
            audits: audits.map { EngagementExtras.auditLine($0.id, parts: [$0.auditor, $0.subject], status: $0.status.rawValue, words: words) }
        )
    }
}
