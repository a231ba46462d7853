import Foundation
import MediationDomain
import SeededRandom
import Testing

/// Local times come from offsets kept by UTC day; they must be what the
/// zone database says at every instant, on days the clocks change too.
@Suite struct ZoneOffsetTests {
    static let zones = ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham",
                        "Europe/Moscow", "America/Sao_Paulo", "Africa/Casablanca", "UTC"]

    /// The wall-clock time by the zone database directly.
    static func expected(_ instant: Date, _ zoneID: String) -> LocalDateTime {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + TimeZone(identifier: zoneID)!.secondsFromGMT(for: instant)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let minutes = (seconds - days * 86_400) / 60
        return LocalDateTime(date: LocalDate(daysSinceEpoch: days), time: LocalTime(hour: minutes / 60, minute: minutes % 60)!)
    }

    @Test(arguments: zones)
    func everyInstantHasTheZonesOwnOffset(_ zoneID: String) {
        var random = SplitMix64(seed: 2027)
        var instants = (0..<5_000).map { _ in Date(timeIntervalSince1970: TimeInterval(946_684_800 + Int(random.next() % 946_080_000))) }
        // Every quarter hour through each change of 2014 and 2027 (Moscow's
        // standard offset changed in October 2014).
        let zone = TimeZone(identifier: zoneID)!
        for year in [2014, 2027] {
            var after = Date(timeIntervalSince1970: TimeInterval((year - 1970) * 31_556_952))
            let end = after.addingTimeInterval(366 * 86_400)
            while let change = zone.nextDaylightSavingTimeTransition(after: after), change < end {
                instants += stride(from: -86_400.0, through: 86_400, by: 900).map { change.addingTimeInterval($0) }
                after = change
            }
        }
        instants += stride(from: 0.0, through: 2 * 86_400, by: 900).map { Date(timeIntervalSince1970: 1_414_195_200 + $0) }
        for instant in instants {
            #expect(LocalDateTime(instant, zoneID: zoneID) == Self.expected(instant, zoneID), "\(zoneID) at \(instant)")
        }
    }
}
