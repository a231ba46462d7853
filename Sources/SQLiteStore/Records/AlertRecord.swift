import GRDB

/// A row of `staff_alert`: one alert, carried by the digest job of its cause.
struct AlertRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "staff_alert"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var cause: String
    var reference: String?
    var summary: String
    var detail: String
    var raisedAt: Int64
    var jobId: Int64

    enum Columns {
        static let id = Column("id")
        static let jobId = Column("job_id")
    }
}
