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
