import Foundation
import MDRSTestSupport
import MediationDomain
import Store
import Testing

/// The stored body keeps the shape earlier releases wrote with JSONEncoder.
@Suite struct BookingBodyTests {
    static func encoded(_ booking: Booking) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return String(decoding: try encoder.encode(booking), as: UTF8.self)
    }

    static var bookings: [Booking] {
        var online = BookingFixtures.booking { $0.set("meeting.online_url", "https://meet.example.org/a?b=\"c\"") }
        online.parties[0].name = "Siân \"Ó\" Briain\\\n"
        online.agreementOn = LocalDate(iso: "2027-04-01")
        var young = BookingFixtures.booking()
        young.parties = [Party(role: .youngPerson, name: "Rowan", email: nil, phone: nil, language: "cy")]
        young.meeting.venue = nil
        young.meeting.onlineURL = "https://meet.example.org"
        young.consentRecorded = true
        return [BookingFixtures.sample, online, young]
    }

    @Test func bodiesRoundTrip() throws {
        for booking in Self.bookings { #expect(try BookingBody.decode(BookingBody.encode(booking)) == booking) }
    }

    @Test func bodiesWrittenByEarlierReleasesAreRead() throws {
        for booking in Self.bookings { #expect(try BookingBody.decode(try Self.encoded(booking)) == booking) }
    }

    @Test func theBodyIsWhatJSONDecoderReads() throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        for booking in Self.bookings {
            #expect(try decoder.decode(Booking.self, from: Data(BookingBody.encode(booking).utf8)) == booking)
        }
    }
}
