public import Foundation
import GRDB
import MediationDomain
public import Store

extension SQLiteStore {
    public func job(messageID: String) async throws(StoreError) -> Job? {
        try await read("job by Message-ID") { db in
            try JobRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM job WHERE message_id = ? ORDER BY id DESC LIMIT 1"),
                                   arguments: [messageID])?.job()
        }
    }

    public func record(_ notice: BounceNotice, now: Date) async throws(StoreError) -> BounceRecorded? {
        try await write("record a bounce") { db in
            let seconds = JobRecord.seconds(now)
            try db.cachedStatement(sql: """
                INSERT INTO bounce_notice (fingerprint, at, outcome, job_id, status) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """).execute(arguments: [notice.fingerprint, seconds, notice.outcome.rawValue, notice.jobID, notice.status])
            guard db.changesCount == 1 else { return nil }
            guard let id = notice.jobID else { return BounceRecorded(bounced: nil) }
            switch notice.outcome {
            case .failed:
                // Only a sent email can bounce; a second notice changes nothing.
                guard let job = try JobRecord.fetchOne(db.cachedStatement(sql: """
                    UPDATE job SET state = 'bounced', last_error = ?, updated_at = ? WHERE id = ? AND state = 'sent' RETURNING *
                    """), arguments: [notice.detail, seconds, id])?.job() else { return BounceRecorded(bounced: nil) }
                try DeliveryRecord(id: nil, jobId: id, at: seconds, messageId: job.messageID ?? "", outcome: JobState.bounced.rawValue,
                                   code: nil, reply: notice.detail, rendered: nil).insert(db)
                if let address = notice.address, let reference = job.bookingReference {
                    try db.execute(sql: """
                        INSERT INTO bounced_address (booking_reference, address, job_id, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING
                        """, arguments: [reference, address.lowercased(), id, seconds])
                }
                return BounceRecorded(bounced: job)
            case .delayed:
                let messageID = try String.fetchOne(db, sql: "SELECT message_id FROM job WHERE id = ?", arguments: [id])
                try DeliveryRecord(id: nil, jobId: id, at: seconds, messageId: messageID ?? "", outcome: "delayed", code: nil,
                                   reply: notice.detail, rendered: nil).insert(db)
                return BounceRecorded(bounced: nil)
            default:
                return BounceRecorded(bounced: nil)
            }
        }
    }

    public func hasBounced(booking reference: String, address: String) async throws(StoreError) -> Bool {
        try await read("bounced address") { db in
            try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM bounced_address WHERE booking_reference = ? AND address = ?)
                """), arguments: [reference, address.lowercased()]) ?? false
        }
    }

    public func bounceTally(since: Date) async throws(StoreError) -> [BounceNotice.Outcome: Int] {
        try await read("bounce tally") { db in
            var tally: [BounceNotice.Outcome: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT outcome, COUNT(*) FROM bounce_notice WHERE at >= ? GROUP BY outcome",
                                        arguments: [JobRecord.seconds(since)]) {
                if let outcome = BounceNotice.Outcome(rawValue: row[0]) { tally[outcome] = row[1] }
            }
            return tally
        }
    }

    /// A new booking version: addresses it no longer has stop being
    /// bounced (the planner confirms the booking afresh to a changed
    /// address), and its held emails wait again, so the plan diff moves
    /// them to the new version and the dispatcher decides afresh.
    static func releaseHeld(_ booking: Booking, now: Date, _ db: Database) throws {
        let addresses = Set(booking.parties.compactMap { $0.email?.lowercased() })
        for address in try String.fetchAll(db.cachedStatement(sql: "SELECT address FROM bounced_address WHERE booking_reference = ?"),
                                           arguments: [booking.reference]) where !addresses.contains(address) {
            try db.execute(sql: "DELETE FROM bounced_address WHERE booking_reference = ? AND address = ?",
                           arguments: [booking.reference, address])
        }
        try db.cachedStatement(sql: """
            UPDATE job SET state = 'pending', last_error = NULL, updated_at = ? WHERE booking_reference = ? AND state = 'held'
            """).execute(arguments: [JobRecord.seconds(now), booking.reference])
    }
}
