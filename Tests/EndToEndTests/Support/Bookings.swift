import Foundation
import MDRSTestSupport
import MediationDomain

/// Valid bookings for the end-to-end tests: the sample, one reference and
/// meeting apart, on working days from April 2027 so their calls fit.
enum Bookings {
    /// The `n`th booking: reference MDRS-2027-(1000 + n), a meeting at 10am or 2pm.
    static func valid(_ n: Int, mediator: String = "m.okafor") -> [String: Any] {
        var day = LocalDate(iso: "2027-04-05")!
        var left = n / 2
        while left > 0 || day.isWeekend {
            day = day.adding(days: 1)
            if !day.isWeekend { left -= 1 }
        }
        var booking = try! JSONSerialization.jsonObject(with: BookingFixtures.json()) as! [String: Any]
        booking["reference"] = "MDRS-2027-\(1000 + n)"
        booking["mediator"] = mediator
        booking.set("meeting.start", "\(day)T\(n % 2 == 0 ? "10" : "14"):00")
        return booking
    }

    static func json(_ object: Any) -> Data { try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) }
}
