import Foundation
import GRDB
import MediationDomain
import Store

/// A row of `booking`: the latest version of one booking, its body as JSON
/// and the columns queries filter on.
struct BookingRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "booking"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var reference: String
    var version: Int
    var status: String
    var mediator: String
    var meetingStart: Int64
    var meetingEnd: Int64
    var body: String
    var updatedAt: Int64

    enum Columns {
        static let reference = Column("reference")
        static let status = Column("status")
        static let mediator = Column("mediator")
        static let meetingStart = Column("meeting_start")
        static let meetingEnd = Column("meeting_end")
        static let body = Column("body")
    }

    init(_ booking: Booking, now: Date) throws(StoreError) {
        reference = booking.reference
        version = booking.version
        status = booking.status.rawValue
        mediator = booking.mediator
        meetingStart = Int64(booking.meeting.start.timeIntervalSince1970)
        meetingEnd = Int64(booking.meeting.end.timeIntervalSince1970)
        body = try BookingBody.encode(booking)
        updatedAt = Int64(now.timeIntervalSince1970)
    }

    func booking() throws(StoreError) -> Booking { try BookingBody.decode(body, reference: reference) }
}

/// A booking's stored JSON. The encoding is fixed (sorted keys, seconds
/// since 1970) because stored bodies are compared and read back by later
/// releases.
enum BookingBody {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    static func encode(_ booking: Booking) throws(StoreError) -> String {
        do {
            return String(decoding: try encoder.encode(booking), as: UTF8.self)
        } catch {
            throw StoreError(.database, "cannot encode booking \(booking.reference): \(error)", reference: booking.reference, cause: error)
        }
    }

    static func decode(_ body: String, reference: String) throws(StoreError) -> Booking {
        do {
            return try decoder.decode(Booking.self, from: Data(body.utf8))
        } catch {
            throw StoreError(.database, "booking \(reference) in the database cannot be read: \(error)", reference: reference, cause: error)
        }
    }
}
