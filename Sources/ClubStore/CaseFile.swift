import ClubCore
import Foundation

/// The whole record of one engagement as one document, with the journal events about it and the
/// links of the hash chain from the first of them to the head, so that anyone can check offline
/// that none of it was altered (`clubd journal verify --case-file FILE`).
public struct CaseFile: Codable, Sendable {
    public static let formatName = "clubd-case-file/1"

    public let format: String
    public let exportedAt: Date
    public let request: Lead
    public let engagement: Engagement
    public let shortlists: [Shortlist]
    public let referrals: [Referral]
    public let agreements: [Agreement]
    public let checkIns: [CheckIn]
    public let feedback: [StageFeedback]
    public let fixLists: [FixListFile]
    public let complaints: [Complaint]
    public let audits: [Audit]
    public let exit: EngagementExit?
    public let consultingOffers: [ConsultingOffer]
    public let consultingSessions: [ConsultingSession]
    public let retrospective: Retrospective?
    public let journal: JournalExtract

    /// A fix list and its items.
    public struct FixListFile: Codable, Sendable {
        public let list: FixList
        public let items: [FixItem]
    }

    /// The events about this engagement (before and after kept as the exact hashed text), and
    /// every link of the chain from the first of them to the head at export.
    public struct JournalExtract: Codable, Sendable {
        public let events: [JournalEvent]
        public let chain: [ChainLink]
    }

    public struct ChainLink: Codable, Sendable, Equatable {
        public let seq: Int64
        public let previousHash: String
        public let hash: String
    }
}

extension CaseFile {
    /// Checks the extract: every event's content matches its hash, the chain links follow each
    /// other, and every event sits in the chain at its place.
    public func verify() -> JournalVerification {
        var previous: ChainLink?
        var bySeq: [Int64: ChainLink] = [:]
        for link in journal.chain {
            if let previous, link.seq != previous.seq + 1 || link.previousHash != previous.hash {
                return .broken(seq: link.seq, id: "chain", reason: "the chain link does not follow the one before it")
            }
            bySeq[link.seq] = link
            previous = link
        }
        for event in journal.events {
            if event.hash != event.expectedHash {
                return .broken(seq: event.seq, id: event.id, reason: "its content does not match its hash (the event was altered)")
            }
            guard let link = bySeq[event.seq], link.hash == event.hash, link.previousHash == event.previousHash else {
                return .broken(seq: event.seq, id: event.id, reason: "it is not in the exported hash chain at its place")
            }
        }
        return .intact(events: journal.events.count, head: journal.chain.last?.hash ?? JournalEvent.genesisHash)
    }
}
