import GRDB

/// A row of `delivery`: one attempt, appended, never changed.
struct DeliveryRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "delivery"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var id: Int64?
    var jobId: Int64
    var at: Int64
    var messageId: String
    var outcome: String
    var code: Int?
    var reply: String
    var rendered: String?

    enum Columns {
        static let id = Column("id")
        static let jobId = Column("job_id")
        static let at = Column("at")
        static let outcome = Column("outcome")
    }
}
