public import Foundation
import MediationDomain
import PostgresNIO
public import Store

extension PostgresStore {
    public func job(messageID: String) async throws(StoreError) -> Job? {
        try await read("job by Message-ID") { session in
            try await session.job("SELECT \(unescaped: Columns.jobSQL) FROM job WHERE message_id = \(messageID) ORDER BY id DESC LIMIT 1")
        }
    }

    /// Once per fingerprint across instances: the insert that loses the
    /// race on the primary key changes nothing.
    public func record(_ notice: BounceNotice, now: Date) async throws(StoreError) -> BounceRecorded? {
        let at = StoredValue.seconds(now)
        return try await write("record a bounce") { session in
            let inserted = try await session.values("""
                INSERT INTO bounce_notice (fingerprint, at, outcome, job_id, status)
                VALUES (\(notice.fingerprint), \(at), \(notice.outcome.rawValue), \(notice.jobID), \(notice.status))
                ON CONFLICT DO NOTHING RETURNING 1
                """, Int32.self)
            guard !inserted.isEmpty else { return nil }
            guard let id = notice.jobID else { return BounceRecorded(bounced: nil) }
            switch notice.outcome {
            case .failed:
                guard let job = try await session.job("""
                    UPDATE job SET state = 'bounced', last_error = \(notice.detail), updated_at = \(at) WHERE id = \(id) AND state = 'sent'
                    RETURNING \(unescaped: Columns.jobSQL)
                    """) else { return BounceRecorded(bounced: nil) }
                try await Self.logDelivery(id, messageID: job.messageID, outcome: JobState.bounced.rawValue, reply: notice.detail, at: at, session)
                if let address = notice.address, let reference = job.bookingReference {
                    try await session.run("""
                        INSERT INTO bounced_address (booking_reference, address, job_id, at) VALUES (\(reference), \(address.lowercased()),
                                                                                                    \(id), \(at))
                        ON CONFLICT DO NOTHING
                        """)
                }
                return BounceRecorded(bounced: job)
            case .delayed:
                let messageID = try await session.value("SELECT message_id FROM job WHERE id = \(id)", String.self)
                try await Self.logDelivery(id, messageID: messageID, outcome: "delayed", reply: notice.detail, at: at, session)
                return BounceRecorded(bounced: nil)
            default:
                return BounceRecorded(bounced: nil)
            }
        }
    }

    private static func logDelivery(_ id: Int64, messageID: String?, outcome: String, reply: String, at: Int64, _ session: Session) async throws {
        try await session.run("""
            INSERT INTO delivery (job_id, at, message_id, outcome, code, reply, rendered)
            VALUES (\(id), \(at), \(messageID ?? ""), \(outcome), NULL, \(reply), NULL)
            """)
    }

    public func hasBounced(booking reference: String, address: String) async throws(StoreError) -> Bool {
        try await read("bounced address") { session in
            try await session.value("""
                SELECT EXISTS (SELECT 1 FROM bounced_address WHERE booking_reference = \(reference) AND address = \(address.lowercased()))
                """, Bool.self) ?? false
        }
    }

    public func bounceTally(since: Date) async throws(StoreError) -> [BounceNotice.Outcome: Int] {
        try await read("bounce tally") { session in
            var tally: [BounceNotice.Outcome: Int] = [:]
            for (name, n) in try await session.rows("""
                SELECT outcome, COUNT(*) FROM bounce_notice WHERE at >= \(StoredValue.seconds(since)) GROUP BY outcome
                """, { (try $0[0].decode(String.self), try $0[1].decode(Int64.self)) }) {
                if let outcome = BounceNotice.Outcome(rawValue: name) { tally[outcome] = Int(n) }
            }
            return tally
        }
    }

    /// A new booking version: addresses it no longer has stop being
    /// bounced, and its held emails wait again (see the SQLite store).
    static func releaseHeld(_ booking: Booking, now: Date, _ session: Session) async throws {
        let addresses = booking.parties.compactMap { $0.email?.lowercased() }
        try await session.run("""
            DELETE FROM bounced_address WHERE booking_reference = \(booking.reference) AND NOT (address = ANY(\(addresses)))
            """)
        try await session.run("""
            UPDATE job SET state = 'pending', last_error = NULL, updated_at = \(StoredValue.seconds(now))
            WHERE booking_reference = \(booking.reference) AND state = 'held'
            """)
    }
}
