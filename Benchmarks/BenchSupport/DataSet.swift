public import Foundation
import SeededRandom

/// The bench's bookings, made from a fixed seed: meetings on the working
/// days of 2027 across the mediators, families with and without advocates,
/// local authorities, sometimes health, a few Welsh speakers.
public struct DataSet {
    public static let mediators = (1...50).map { String(format: "m%02d", $0) }

    var random = SplitMix64(seed: 2027_1202)
    private let days: [String] = {
        var days: [String] = []
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London")!
        var date = calendar.date(from: DateComponents(year: 2027, month: 1, day: 11))!
        let end = calendar.date(from: DateComponents(year: 2027, month: 12, day: 17))!
        while date < end {
            let weekday = calendar.component(.weekday, from: date)
            if weekday != 1 && weekday != 7 {
                let parts = calendar.dateComponents([.year, .month, .day], from: date)
                days.append(String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!))
            }
            date = calendar.date(byAdding: .day, value: 1, to: date)!
        }
        return days
    }()

    /// The data set from its fixed seed.
    public init() {}

    private mutating func roll(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }

    /// One booking as a JSON object.
    public mutating func booking(_ reference: String) -> [String: Any] {
        let mediation = roll(5) != 0
        let youngPerson = roll(10) == 0
        var parties: [[String: Any]] = [[
            "role": youngPerson ? "young_person" : "parent", "name": "Family \(reference)", "email": "family.\(reference.lowercased())@example.org",
            "phone": "0161 496 \(String(format: "%04d", roll(10_000)))", "language": roll(20) == 0 ? "cy" : "en",
            "unavailable": [["weekday": ["mon", "tue", "wed", "thu", "fri"][roll(5)], "from": "09:00", "to": "10:30"]],
        ]]
        if roll(3) == 0 { parties.append(["role": "advocate", "name": "Advocate \(reference)", "email": "advocate.\(reference.lowercased())@example.org"]) }
        parties.append(["role": "local_authority", "name": "Officer \(reference)", "email": "officer.\(reference.lowercased())@example.org",
                        "phone": "0161 496 0100"])
        if roll(5) == 0 { parties.append(["role": "health", "name": "ICB \(reference)", "email": "icb.\(reference.lowercased())@example.org"]) }
        return [
            "reference": reference, "version": 1, "status": "booked", "kind": mediation ? "mediation" : "disagreement_resolution",
            "grounds": [mediation ? "plan_contents" : "provision"], "health_issues": false,
            "child": ["initials": "A.B.", "age": youngPerson ? 17 : 5 + roll(10)],
            "meeting": ["start": "\(days[roll(days.count)])T\(["09:30", "10:00", "13:30", "14:00"][roll(4)])", "timezone": "Europe/London",
                        "duration_minutes": 120, "venue": "Community Centre, Room \(1 + roll(5))"],
            "mediator": Self.mediators[roll(Self.mediators.count)], "parties": parties,
        ]
    }

    /// `count` bookings with references `PREFIX-000001` …, numbered in
    /// order as a case system numbers them.
    public mutating func bookings(_ count: Int, prefix: String) -> [[String: Any]] {
        (0..<count).map { booking("\(prefix)-" + String(repeating: "0", count: max(0, 6 - String($0).count)) + String($0)) }
    }

    public static func write(_ bookings: [[String: Any]], to url: URL) throws {
        try JSONSerialization.data(withJSONObject: bookings, options: []).write(to: url)
    }

    /// The bench's config: 50 mediators working long days, quiet hours off,
    /// booking files up to 200 MiB.
    public static func config(database: String, spool: String, mail: String) -> String {
        var text = """
        [service]
        name = "SEND Mediation Service"
        from = "mediation@example.org"
        [paths]
        database = "\(database)"
        spool = "\(spool)"
        templates = "\(FileManager.default.currentDirectoryPath)/Config/templates"
        [spool]
        max_file_bytes = 209715200
        [quiet_hours]
        from = "00:00"
        to = "00:00"
        [mail]
        \(mail)
        [log]
        level = "warning"

        """
        for id in mediators {
            text += "[[mediators]]\nid = \"\(id)\"\nname = \"Mediator \(id)\"\nemail = \"\(id)@example.org\"\nphone = \"0161 496 0200\"\n"
            text += "day_start = \"08:00\"\nday_end = \"18:00\"\ncalls_per_day = 12\n\n"
        }
        return text
    }
}
