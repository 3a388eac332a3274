import ClubCore
import GRDB

// Domain values persist as they are: their coding keys are the column names, nested values are
// stored as JSON text by GRDB.

extension Studio: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "studio"
}

extension Client: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "client"
}

extension Lead: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "lead"
}

extension Shortlist: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "shortlist"
}

extension Referral: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "referral"
}

extension Engagement: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "engagement"
}

extension Agreement: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "agreement"
}

extension CheckIn: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "checkIn"
}

extension StageFeedback: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "stageFeedback"
}

/// Dates without a time are stored as their ISO text (`2027-02-01`), which also sorts correctly.
extension Day: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { description.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Day? {
        String.fromDatabaseValue(dbValue).flatMap(Day.init)
    }
}

extension FixList: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "fixList"
}

extension FixItem: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "fixItem"
}

extension ShareLink: FetchableRecord {
    public static let databaseTableName = "shareLink"
}

extension Complaint: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "complaint"
}

extension Audit: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "audit"
}

extension EngagementExit: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "engagementExit"
}

extension ConsultingOffer: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "consultingOffer"
}

extension ConsultingSession: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "consultingSession"
}

extension Retrospective: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "retrospective"
}
