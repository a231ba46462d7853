import Foundation
import MediationDomain
import SeededRandom
import Testing

/// The hand-written machine formats agree with Foundation's formatter, which
/// they replace for speed, across leap years, DST changes and the epoch.
@Suite struct InstantTextTests {
    static func formatter(_ format: String, zone: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone)
        formatter.dateFormat = format
        return formatter
    }

    @Test func agreesWithFoundationOnTenThousandInstants() {
        let rfc = Self.formatter("EEE, dd MMM yyyy HH:mm:ss Z", zone: "UTC")
        let london = Self.formatter("yyyyMMdd'T'HHmmss", zone: "Europe/London")
        let utc = Self.formatter("yyyyMMdd'T'HHmmss", zone: "UTC")
        var rng = SplitMix64(seed: 5322)
        // 1970 to 2100, whole seconds.
        for _ in 0..<10_000 {
            let instant = Date(timeIntervalSince1970: TimeInterval(Int.random(in: 0..<4_102_444_800, using: &rng)))
            #expect(InstantText.rfc5322(instant) == rfc.string(from: instant))
            #expect(InstantText.icalendar(instant, zoneID: "Europe/London") == london.string(from: instant))
            #expect(InstantText.icalendar(instant, zoneID: "UTC") == utc.string(from: instant))
        }
    }

    @Test func writesTheDocumentedShapes() {
        let instant = try! LocalDateTime(iso: "2027-03-23T10:00")!.instant(in: "UTC")
        #expect(InstantText.rfc5322(instant) == "Tue, 23 Mar 2027 10:00:00 +0000")
        // 29 Feb 2028 01:30 UTC is 01:30 GMT; 28 Mar 2027 01:30 UTC is 02:30 BST.
        #expect(InstantText.icalendar(try! LocalDateTime(iso: "2028-02-29T01:30")!.instant(in: "UTC"), zoneID: "Europe/London")
                == "20280229T013000")
        #expect(InstantText.icalendar(try! LocalDateTime(iso: "2027-03-28T01:30")!.instant(in: "UTC"), zoneID: "Europe/London")
                == "20270328T023000")
    }
}
