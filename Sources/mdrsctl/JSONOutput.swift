import Foundation
import MediationDomain
import Store

/// One line of `bookings list --format json`.
struct BookingSummary: Encodable {
    let reference: String, version: Int, status: String, kind: String, mediator: String
    let meetingStart: String, timezone: String, parties: Int

    init(_ b: Booking) {
        reference = b.reference
        version = b.version
        status = b.status.rawValue
        kind = b.kind.rawValue
        mediator = b.mediator
        meetingStart = LocalDateTime.iso8601(b.meeting.start, zoneID: b.meeting.timezone)
        timezone = b.meeting.timezone
        parties = b.parties.count
    }

    enum CodingKeys: String, CodingKey {
        case reference, version, status, kind, mediator, timezone, parties
        case meetingStart = "meeting_start"
    }
}

/// `bookings show --format json`.
struct BookingDetail: Encodable {
    let booking: BookingSummary
    let jobs: [JobLine]
    /// Statutory clocks; absent for disagreement resolution.
    let clocks: StatutoryClocks?

    init(booking: Booking, jobs: [Job], clocks: StatutoryClocks?) {
        self.booking = BookingSummary(booking)
        self.jobs = jobs.map(JobLine.init)
        self.clocks = clocks
    }
}

/// One job, as listings print it.
struct JobLine: Encodable {
    let id: Int64, booking: String, message: String, role: String, due: String, state: String, attempts: Int
    let lastError: String?

    init(_ job: Job) {
        id = job.id
        booking = job.bookingReference ?? ""
        message = job.message.rawValue
        role = job.recipient.roleName
        due = LocalDateTime.iso8601(job.due, zoneID: "UTC")
        state = job.state.rawValue
        attempts = job.attempts
        lastError = job.state == .sent ? nil : job.lastError
    }

    enum CodingKeys: String, CodingKey {
        case id, booking, message, role, due, state, attempts
        case lastError = "last_error"
    }
}

/// The encoder every JSON document uses.
let jsonEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return encoder
}()

func printJSON(_ value: some Encodable) throws {
    print(String(decoding: try jsonEncoder.encode(value), as: UTF8.self))
}

/// Writes `{"KEY": [ … ]}` one element at a time, so a listing of any
/// length takes constant memory: one JSON document, elements compact.
struct JSONArrayWriter {
    private var first = true
    private let compact: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    init(key: String) { FileHandle.standardOutput.write(Data("{\"\(key)\": [".utf8)) }

    mutating func write(_ element: some Encodable) throws {
        FileHandle.standardOutput.write(Data(((first ? "\n" : ",\n") + String(decoding: try compact.encode(element), as: UTF8.self)).utf8))
        first = false
    }

    func finish() { FileHandle.standardOutput.write(Data("\n]}\n".utf8)) }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
