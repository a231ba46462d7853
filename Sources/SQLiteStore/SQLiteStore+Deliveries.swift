public import Foundation
import GRDB
public import Store

extension SQLiteStore {
    public func deliveries(from: Date, to: Date) async throws(StoreError) -> [Delivery] {
        try await read("deliveries") { db in
            let entries = try DeliveryRecord.filter(DeliveryRecord.Columns.at >= JobRecord.seconds(from)
                && DeliveryRecord.Columns.at <= JobRecord.seconds(to)).order(DeliveryRecord.Columns.id).fetchAll(db)
            var jobs: [Int64: Job] = [:]
            return try entries.map { entry in
                if jobs[entry.jobId] == nil {
                    guard let job = try Self.job(entry.jobId, db) else {
                        throw StoreError(.database, "delivery \(entry.id ?? 0) names job \(entry.jobId), which does not exist")
                    }
                    jobs[entry.jobId] = job
                }
                return Delivery(at: JobRecord.date(entry.at), job: jobs[entry.jobId]!, outcome: entry.outcome, code: entry.code,
                                reply: entry.reply, rendered: entry.rendered)
            }
        }
    }

    public func lastDelivery() async throws(StoreError) -> (at: Date, outcome: String)? {
        try await read("last delivery") { db in
            try DeliveryRecord.order(DeliveryRecord.Columns.id.desc).fetchOne(db).map { (JobRecord.date($0.at), $0.outcome) }
        }
    }
}
