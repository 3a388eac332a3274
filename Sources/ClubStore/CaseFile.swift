import ClubCore
import Foundation

/// The whole record of one engagement as one document, as one reader may read it, with the
/// journal events about it and the links of the hash chain from the first of them to the head,
/// so that anyone can check offline that none of it was altered (`clubd journal verify
/// --case-file FILE`). The records are JSON objects with what the reader may not read taken out
/// (DESIGN §2); so are the events' images, whose withheld fields are replaced by their digests
/// (DESIGN §3.11), which is all the check needs.
public struct CaseFile: Sendable {
    public static let formatName = "clubd-case-file/2"
    /// The formats `init(jsonData:)` reads: format 1 carried every event whole, hashed by scheme 1.
    public static let readableFormats: Set<String> = ["clubd-case-file/1", formatName]

    /// The sections of the document that hold records, with the shape (`FieldVisibility.table`)
    /// each record is read as. `fixLists` holds `{list, items}` pairs of `FixList` and `FixItem`; `files` lists the
    /// evidence files (docs/design.md §11.4), absent from files written before there were any.
    public static let sections: [String: String] = [
        "request": "Lead", "engagement": "Engagement", "shortlists": "Shortlist", "referrals": "Referral",
        "agreements": "Agreement", "checkIns": "CheckIn", "feedback": "StageFeedback", "fixLists": "FixList",
        "complaints": "Complaint", "audits": "Audit", "exit": "EngagementExit", "consultingOffers": "ConsultingOffer",
        "consultingSessions": "ConsultingSession", "retrospective": "Retrospective", "fixItemComments": "FixItemComment",
        "clubRatings": "ClubRating", "files": "EvidenceFile",
    ]

    public let format: String
    public let exportedAt: Date
    public let engagementId: String
    /// Whose reading of the engagement this is; nil in a file of format 1, which held everything.
    public let reader: Role?
    /// The records, one JSON object (UTF-8) keyed by section (`sections`).
    public let records: Data
    public let journal: JournalExtract

    /// The events about this engagement that the reader may read (before and after kept as the
    /// text the hash covers, less withheld fields), and every link of the chain from the first
    /// event about the engagement, read or not, to the head at export.
    public struct JournalExtract: Codable, Sendable {
        public let events: [JournalEvent]
        public let chain: [ChainLink]
    }

    public struct ChainLink: Codable, Sendable, Equatable {
        public let seq: Int64
        public let previousHash: String
        public let hash: String
    }

    /// What `verify()` reads of a document, besides the records.
    private struct Header: Codable {
        let format: String
        let exportedAt: Date
        let reader: Role?
        let journal: JournalExtract
    }

    private static let headerKeys: Set<String> = ["format", "exportedAt", "reader", "journal"]

    /// A file for `role` from the club's own records (JSON objects, unredacted) and the journal.
    static func make(
        exportedAt: Date,
        engagementId: String,
        records: [String: Any],
        events: [JournalEvent],
        chain: [ChainLink],
        for role: Role
    ) throws -> CaseFile {
        CaseFile(
            format: formatName,
            exportedAt: exportedAt,
            engagementId: engagementId,
            reader: role,
            records: try serialize(redact(records, for: role)),
            journal: JournalExtract(events: events.compactMap { $0.exported(for: role) }, chain: chain)
        )
    }

    /// The same engagement as `role` reads it: the club's file as a party's. Records and events
    /// are redacted as `make` does; a coordinator's reading is returned as it is.
    public func redacted(for role: Role) throws -> CaseFile {
        guard role != .coordinator else { return self }
        let object = try JSONSerialization.jsonObject(with: records) as? [String: Any] ?? [:]
        return CaseFile(
            format: format,
            exportedAt: exportedAt,
            engagementId: engagementId,
            reader: role,
            records: try Self.serialize(Self.redact(object, for: role)),
            journal: JournalExtract(events: journal.events.compactMap { $0.exported(for: role) }, chain: journal.chain)
        )
    }

    /// Each section's records as `role` may read them. A coordinator reads everything, each
    /// object saying which of its fields the parties do not see; a party does not see a record
    /// none of whose fields it may read, nor a section this file does not know.
    static func redact(_ records: [String: Any], for role: Role) -> [String: Any] {
        let redactor = Redactor(role: role)
        func readable(_ value: Any, as shape: String) -> Any? {
            let redacted = redactor.redact(value, as: shape)
            return role != .coordinator && (redacted as? [String: Any])?.isEmpty == true ? nil : redacted
        }
        var result: [String: Any] = [:]
        for (section, value) in records {
            guard let shape = sections[section] else {
                if role == .coordinator { result[section] = value }
                continue
            }
            if let list = value as? [Any] {
                result[section] = list.compactMap { element -> Any? in
                    guard section == "fixLists", var pair = element as? [String: Any] else { return readable(element, as: shape) }
                    guard let list = pair["list"].flatMap({ readable($0, as: shape) }) else { return nil }
                    pair["list"] = list
                    pair["items"] = (pair["items"] as? [Any])?.compactMap { readable($0, as: "FixItem") } ?? []
                    return pair
                }
            } else if value is NSNull {
                result[section] = value
            } else {
                result[section] = readable(value, as: shape)
            }
        }
        return result
    }

    private static func serialize(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// The document: the records' sections beside `format`, `exportedAt`, `reader` and `journal`.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .rfc3339
        var document = try JSONSerialization.jsonObject(with: records) as? [String: Any] ?? [:]
        let header = try JSONSerialization.jsonObject(
            with: try encoder.encode(Header(format: format, exportedAt: exportedAt, reader: reader, journal: journal))
        )
        for (key, value) in header as? [String: Any] ?? [:] { document[key] = value }
        return try Self.serialize(document)
    }

    /// Reads a document as `jsonData()` wrote it, or one of format 1.
    public init(jsonData data: Data) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .rfc3339
        let header = try decoder.decode(Header.self, from: data)
        guard Self.readableFormats.contains(header.format) else { throw CaseFileError.unknownFormat(header.format) }
        let document = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let records = document.filter { !Self.headerKeys.contains($0.key) }
        self.init(
            format: header.format,
            exportedAt: header.exportedAt,
            engagementId: (records["engagement"] as? [String: Any])?["id"] as? String ?? "",
            reader: header.reader,
            records: try Self.serialize(records),
            journal: header.journal
        )
    }

    private init(format: String, exportedAt: Date, engagementId: String, reader: Role?, records: Data, journal: JournalExtract) {
        self.format = format
        self.exportedAt = exportedAt
        self.engagementId = engagementId
        self.reader = reader
        self.records = records
        self.journal = journal
    }

    /// One section of the records, as `JSONSerialization` reads it (an object, a list, or nil).
    public func section(_ name: String) -> Any? {
        ((try? JSONSerialization.jsonObject(with: records)) as? [String: Any])?[name]
    }
}

public enum CaseFileError: Error, CustomStringConvertible, Equatable {
    case unknownFormat(String)

    public var description: String {
        switch self {
        case .unknownFormat(let format):
            "not a clubd case file this version reads (format \(format); it reads \(CaseFile.readableFormats.sorted().joined(separator: ", ")))"
        }
    }
}

extension CaseFile {
    /// Checks the extract: every event's content matches its hash (by its own scheme, withheld
    /// fields by their digests), the chain links follow each other, and every event sits in the
    /// chain at its place. Events left out of a party's file are in the chain by their hashes.
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
            if let problem = event.contentProblem {
                return .broken(seq: event.seq, id: event.id, reason: problem)
            }
            guard let link = bySeq[event.seq], link.hash == event.hash, link.previousHash == event.previousHash else {
                return .broken(seq: event.seq, id: event.id, reason: "it is not in the exported hash chain at its place")
            }
        }
        return .intact(events: journal.events.count, head: journal.chain.last?.hash ?? JournalEvent.genesisHash)
    }
}

/// An evidence file as a case file lists it: what `clubd journal verify --case-file` needs to find and check it.
public struct CaseFileListedFile: Decodable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let sha256: String
    public let size: Int?
}

/// What `verifyFiles(besideCaseFileAt:)` found of one listed file.
public struct FileCheck: Sendable, Equatable, CustomStringConvertible {
    public enum Outcome: Sendable, Equatable {
        /// A file beside the case file hashes to the listed SHA-256.
        case intact(path: String)
        /// Files were found where this one would be, and none hashes to the listed SHA-256; the first is named.
        case mismatch(path: String, found: String)
        /// Nothing where it would be: not an error, since files are exported separately, if at all.
        case absent
        /// The listing cannot be checked (its hash is not a SHA-256) or the file found cannot be read.
        case uncheckable(String)
        /// The listed SHA-256 is not the one the file's journal event recorded: the listing was altered.
        case contradicted(journal: String)
    }

    public let file: CaseFileListedFile
    public let outcome: Outcome

    /// A mismatch, or a file that could not be checked, fails the verification; an absent file does not.
    public var failed: Bool {
        switch outcome {
        case .intact, .absent: false
        case .mismatch, .uncheckable, .contradicted: true
        }
    }

    public var description: String {
        let what = "file \(file.id) \"\(file.name)\" (sha256 \(file.sha256))"
        return switch outcome {
        case .intact(let path): "\(what): intact at \(path)"
        case .absent: "\(what): absent, not beside the case file"
        case .mismatch(let path, let found): "\(what): MISMATCH at \(path), which hashes to \(found)"
        case .uncheckable(let reason): "\(what): cannot be checked: \(reason)"
        case .contradicted(let journal): "\(what): ALTERED listing, the journal recorded sha256 \(journal)"
        }
    }

    /// "3 files intact, 1 absent", with mismatches and unchecked files when there are any.
    public static func summary(_ checks: [FileCheck]) -> String {
        func count(_ matches: (Outcome) -> Bool) -> Int { checks.count { matches($0.outcome) } }
        let intact = count { if case .intact = $0 { true } else { false } }
        var parts = ["\(intact) \(intact == 1 ? "file" : "files") intact"]
        let others: [(Int, String)] = [
            (count { $0 == .absent }, "absent"),
            (count { if case .mismatch = $0 { true } else { false } }, "mismatched"),
            (count { if case .uncheckable = $0 { true } else { false } }, "not checkable"),
            (count { if case .contradicted = $0 { true } else { false } }, "contradicted by the journal"),
        ]
        parts += others.filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        return parts.joined(separator: ", ")
    }
}

extension CaseFile {
    /// The evidence files the records list; none in a file written before there were any.
    public func listedFiles() throws -> [CaseFileListedFile] {
        guard let list = section("files") else { return [] }
        return try JSONDecoder().decode([CaseFileListedFile].self, from: try JSONSerialization.data(withJSONObject: list))
    }

    /// Checks each listed file that is beside the case file at `path` (docs/design.md §11.4): in its folder or in
    /// `<path>-files/` (or the same without the case file's extension), named by its SHA-256 or by its display name.
    public func verifyFiles(besideCaseFileAt path: String) throws -> [FileCheck] {
        let caseFile = URL(fileURLWithPath: path)
        let folders = [
            caseFile.deletingLastPathComponent().path, caseFile.path + "-files", caseFile.deletingPathExtension().path + "-files",
        ]
        var seen: Set<String> = []
        let unique = folders.filter { seen.insert($0).inserted }
        let recorded = recordedHashes()
        return try listedFiles().map { file in
            if let journal = recorded[file.id], journal != file.sha256 { return FileCheck(file: file, outcome: .contradicted(journal: journal)) }
            return FileCheck(file: file, outcome: Self.check(file, in: unique))
        }
    }

    /// The hash each file's creation event recorded, for the files whose events this reader's extract holds: the records
    /// are not under the hash chain, the events are, so a listing altered to match an altered file is still caught.
    private func recordedHashes() -> [String: String] {
        var hashes: [String: String] = [:]
        for event in journal.events where event.entityType == evidenceFileEntity && event.action == "created" {
            if let sha256 = JournalImage.object(event.after)?["sha256"] as? String { hashes[event.entityId] = sha256 }
        }
        return hashes
    }

    private static func check(_ file: CaseFileListedFile, in folders: [String]) -> FileCheck.Outcome {
        guard FileVault.isHash(file.sha256) else { return .uncheckable("the listed sha256 is not 64 lowercase hexadecimal digits") }
        // The display name is a lookup only when it could be a file's name: never a path (docs/design.md §11.1).
        let names = [file.sha256] + ((try? FileDisplayName(file.name)).map { $0.value == "." ? [] : [$0.value] } ?? [])
        var firstMismatch: FileCheck.Outcome?
        var firstError: FileCheck.Outcome?
        for folder in folders {
            for name in names {
                let candidate = folder + "/" + name
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                do {
                    let found = try FileVault.sha256(ofFileAt: candidate)
                    if found == file.sha256 { return .intact(path: candidate) }
                    firstMismatch = firstMismatch ?? .mismatch(path: candidate, found: found)
                } catch {
                    firstError = firstError ?? .uncheckable("\(candidate) cannot be read: \(error)")
                }
            }
        }
        return firstMismatch ?? firstError ?? .absent
    }
}
