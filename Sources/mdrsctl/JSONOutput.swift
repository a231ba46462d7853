import ArgumentParser
import Foundation
import MDRSService
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
        meetingStart = ISO8601Local.format(b.meeting.start, zone: b.meeting.timezone)
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

struct JobLine: Encodable {
    let id: Int64, booking: String, message: String, role: String, due: String, state: String, attempts: Int

    init(_ job: Job) {
        id = job.id
        booking = job.bookingReference
        message = job.message
        role = job.role
        due = ISO8601Local.format(job.due, zone: "UTC")
        state = job.state.rawValue
        attempts = job.attempts
    }
}

/// ISO 8601 with the zone's UTC offset, e.g. `2027-03-23T10:00:00+00:00`.
enum ISO8601Local {
    static func format(_ date: Date, zone: String) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: zone) ?? .gmt
        formatter.formatOptions = [.withInternetDateTime, .withColonSeparatorInTimeZone]
        return formatter.string(from: date)
    }
}

func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
