import Foundation

/// The objects that carry evidence files (docs/design.md §11), named as the API's paths name them.
public enum FileOwnerKind: String, Codable, CaseIterable, Sendable {
    case fixItem = "fix-item"
    case audit
    case auditFinding = "audit-finding"
    case complaint
    case checkIn = "check-in"

    /// The collection in `POST /v1/{collection}/{id}/files`.
    public var collection: String { rawValue + "s" }

    public init?(collection: String) {
        guard collection.hasSuffix("s"), let kind = FileOwnerKind(rawValue: String(collection.dropLast())) else { return nil }
        self = kind
    }

    /// Whoever may read the object may see its files; nothing about a file is more private than its object.
    public var readAction: Action {
        switch self {
        case .fixItem: .readFixList
        case .audit, .auditFinding: .readAudit
        case .complaint: .readComplaint
        case .checkIn: .readEngagement
        }
    }

    /// The entity name of 404 answers and journal events.
    public var entity: String {
        switch self {
        case .fixItem: "fix item"
        case .audit: "audit"
        case .auditFinding: "audit finding"
        case .complaint: "complaint"
        case .checkIn: "check-in"
        }
    }
}

/// One object files hang on, as the store found it: whose it is and whether it still takes changes.
public struct FileOwner: Sendable, Equatable {
    public let kind: FileOwnerKind
    public let id: String
    public let engagementId: String
    public let ownership: Ownership
    /// Why the object takes no more files (an accepted item, a closed audit), or nil while it is open.
    public let closedBecause: String?

    public init(kind: FileOwnerKind, id: String, engagementId: String, ownership: Ownership, closedBecause: String?) {
        self.kind = kind
        self.id = id
        self.engagementId = engagementId
        self.ownership = ownership
        self.closedBecause = closedBecause
    }

    /// Files change with their object: once it is settled, its evidence is part of the record (409 otherwise).
    func requireOpen(to verb: String) throws {
        if let closedBecause {
            throw DomainError.ruleBroken(.fileObjectClosed, detail: "\(closedBecause); its files can no longer be \(verb)")
        }
    }
}

/// How much one upload and one object may hold (docs/design.md §11); configured under `files.*`.
public struct FileLimits: Sendable, Equatable {
    public var allowed: Set<FileType>
    public var maxFileBytes: Int
    /// All the files of one object together.
    public var maxObjectBytes: Int
    public var maxFilesPerObject: Int
    public var maxPixels: Int

    public init(
        allowed: Set<FileType> = FileType.defaultAllowed,
        maxFileBytes: Int = FileSniffer.defaultMaxBytes,
        maxObjectBytes: Int = 100 * 1024 * 1024,
        maxFilesPerObject: Int = 50,
        maxPixels: Int = FileSniffer.defaultMaxPixels
    ) {
        self.allowed = allowed
        self.maxFileBytes = maxFileBytes
        self.maxObjectBytes = maxObjectBytes
        self.maxFilesPerObject = maxFilesPerObject
        self.maxPixels = maxPixels
    }

    /// The sniffer for the next upload to an object already holding `count` files of `bytes` in all: its byte limit
    /// is what is left of both limits, so that a body over either is cut while it streams.
    public func sniffer(objectHolds count: Int, bytes: Int) throws(FileRefusal) -> FileSniffer {
        guard count < maxFilesPerObject else { throw .objectFull(files: maxFilesPerObject) }
        let left = maxObjectBytes - bytes
        guard left > 0 else { throw .objectTooLarge(limit: maxObjectBytes) }
        return FileSniffer(allowed: allowed, maxBytes: min(maxFileBytes, left), maxPixels: maxPixels)
    }

    /// The refusal for a body cut at `limit` bytes: the file's own limit, or what the object had left.
    public func refusalForBody(over limit: Int) -> FileRefusal {
        limit < maxFileBytes ? .objectTooLarge(limit: maxObjectBytes) : .tooLarge(limit: maxFileBytes)
    }
}

/// A file attached to a fix item, an audit, a finding, a complaint or a check-in (docs/design.md §11).
///
/// The content lives once under the data folder, named by `sha256`; the row keeps what a person needs to know of it.
/// `name` is for display only and never becomes a path.
public struct EvidenceFile: Codable, Sendable, Equatable {
    public static let captionLimit = 500

    public let id: String
    public let objectType: FileOwnerKind
    public let objectId: String
    public let engagementId: String
    public let sha256: String
    public let size: Int
    public let type: FileType
    public let width: Int?
    public let height: Int?
    public let name: String
    public let caption: String?
    public let uploadedBy: String
    /// The person or token that uploaded it: the one besides a coordinator who may remove it.
    public let uploadedById: String
    public let uploadedAt: Date

    /// Admits a file the sniffer accepted onto an open object within the caller's reach.
    public init(
        id: String,
        on owner: FileOwner,
        content: SniffedFile,
        sha256: String,
        name: String,
        caption: String?,
        by principal: Principal,
        at now: Date
    ) throws {
        try Self.checkAttach(to: owner, by: principal)
        var validator = Validator()
        let displayName: String
        do {
            displayName = try FileDisplayName(name).value
        } catch {
            validator.check(false, "name", error.detail)
            displayName = name
        }
        let caption = validator.optionalText(caption, "caption", maxLength: Self.captionLimit)
        validator.check(sha256.count == 64 && sha256.allSatisfy(\.isHexDigit), "sha256", "must be 64 hexadecimal digits")
        try validator.finish()
        self.id = id
        self.objectType = owner.kind
        self.objectId = owner.id
        self.engagementId = owner.engagementId
        self.sha256 = sha256.lowercased()
        self.size = content.size
        self.type = content.type
        self.width = content.width
        self.height = content.height
        self.name = displayName
        self.caption = caption
        self.uploadedBy = principal.actor.name
        self.uploadedById = principal.tokenId
        self.uploadedAt = now
    }

    /// Whether the caller may add files to `owner` now: 403 for a role that never may, 404 out of reach, 409 once the
    /// object is settled. Asked before an upload's body is read, and again with its row.
    public static func checkAttach(to owner: FileOwner, by principal: Principal) throws {
        try requireReach(principal, .attachFile, owner)
        try owner.requireOpen(to: "added")
    }

    /// A file is removed by whoever uploaded it or by a coordinator, and only while its object is open.
    public func checkRemoval(from owner: FileOwner, by principal: Principal) throws {
        try Self.requireReach(principal, .removeFile, owner)
        // A settled object's files are part of its record for everybody, whoever uploaded them.
        try owner.requireOpen(to: "removed")
        guard isRemovable(by: principal) else { throw DomainError.forbidden(Action.removeFile.refusal) }
    }

    /// Whether the caller is one who may remove this file (its uploader, or a coordinator), whatever the object's
    /// state; pages ask it to decide whether to offer the button.
    public func isRemovable(by principal: Principal) -> Bool {
        Policy.allows(principal, .removeFile) && (principal.role == .coordinator || principal.tokenId == uploadedById)
    }

    /// 403 for a role that never may, 404 for an object outside the caller's reach (DESIGN §2).
    static func requireReach(_ principal: Principal, _ action: Action, _ owner: FileOwner) throws {
        try Policy.require(principal, action)
        guard Policy.reaches(principal, owner.kind.readAction, owner.ownership), Policy.reaches(principal, action, owner.ownership)
        else { throw DomainError.notFound(entity: owner.kind.entity, id: owner.id) }
    }

    /// Whether the caller may see the files of `owner` (404 for anyone else, as for the object itself).
    public static func checkRead(of owner: FileOwner, by principal: Principal) throws {
        guard Policy.reaches(principal, owner.kind.readAction, owner.ownership) else {
            throw DomainError.notFound(entity: owner.kind.entity, id: owner.id)
        }
    }
}
