import GRDB

/// A row of `delivery`: one attempt, appended, never changed.
struct DeliveryRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "delivery"

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
        static let messageId = Column("message_id")
        static let outcome = Column("outcome")
        static let code = Column("code")
        static let reply = Column("reply")
        static let rendered = Column("rendered")
    }

    init(id: Int64?, jobId: Int64, at: Int64, messageId: String, outcome: String, code: Int?, reply: String, rendered: String?) {
        self.id = id
        self.jobId = jobId
        self.at = at
        self.messageId = messageId
        self.outcome = outcome
        self.code = code
        self.reply = reply
        self.rendered = rendered
    }

    init(row: Row) throws {
        id = row[Columns.id]
        jobId = row[Columns.jobId]
        at = row[Columns.at]
        messageId = row[Columns.messageId]
        outcome = row[Columns.outcome]
        code = row[Columns.code]
        reply = row[Columns.reply]
        rendered = row[Columns.rendered]
    }

    func encode(to container: inout PersistenceContainer) throws {
        container[Columns.id] = id
        container[Columns.jobId] = jobId
        container[Columns.at] = at
        container[Columns.messageId] = messageId
        container[Columns.outcome] = outcome
        container[Columns.code] = code
        container[Columns.reply] = reply
        container[Columns.rendered] = rendered
    }
}
