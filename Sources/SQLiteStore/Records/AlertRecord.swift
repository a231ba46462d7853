import GRDB

/// A row of `staff_alert`: one alert, carried by the digest job of its cause.
struct AlertRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "staff_alert"

    var id: Int64?
    var cause: String
    var reference: String?
    var summary: String
    var detail: String
    var raisedAt: Int64
    var jobId: Int64

    enum Columns {
        static let id = Column("id")
        static let cause = Column("cause")
        static let reference = Column("reference")
        static let summary = Column("summary")
        static let detail = Column("detail")
        static let raisedAt = Column("raised_at")
        static let jobId = Column("job_id")
    }

    init(id: Int64?, cause: String, reference: String?, summary: String, detail: String, raisedAt: Int64, jobId: Int64) {
        self.id = id
        self.cause = cause
        self.reference = reference
        self.summary = summary
        self.detail = detail
        self.raisedAt = raisedAt
        self.jobId = jobId
    }

    init(row: Row) throws {
        id = row[Columns.id]
        cause = row[Columns.cause]
        reference = row[Columns.reference]
        summary = row[Columns.summary]
        detail = row[Columns.detail]
        raisedAt = row[Columns.raisedAt]
        jobId = row[Columns.jobId]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.cause] = cause
        container[Columns.reference] = reference
        container[Columns.summary] = summary
        container[Columns.detail] = detail
        container[Columns.raisedAt] = raisedAt
        container[Columns.jobId] = jobId
    }
}
