public import Foundation
public import MediationDomain

/// A valid booking as JSON text, with fictional people at example.org; tests
/// change one field at a time.
public enum BookingFixtures {
    /// The booking as JSON, after `edit`.
    public static func json(_ edit: (inout [String: Any]) -> Void = { _ in }) -> Data {
        var booking: [String: Any] = [
            "reference": "MDRS-2027-0142", "version": 1, "status": "booked", "kind": "mediation",
            "grounds": ["plan_contents"], "requested_on": "2027-02-26", "decision_letter_on": "2027-02-10",
            "health_issues": false, "child": ["initials": "J.B.", "age": 9],
            "meeting": ["start": "2027-03-23T10:00", "timezone": "Europe/London", "duration_minutes": 120,
                        "venue": "Community Centre, Room 2"],
            "mediator": "m.okafor",
            "parties": [
                ["role": "parent", "name": "Siân Ó Briain", "email": "sian@example.org",
                 "unavailable": [["weekday": "mon", "from": "08:30", "to": "09:15"]]],
                ["role": "advocate", "name": "Tomasz Nowak", "email": "tomasz@example.org"],
                ["role": "local_authority", "name": "Priya Shah", "email": "priya.shah@example.org"],
            ],
        ]
        edit(&booking)
        return try! JSONSerialization.data(withJSONObject: booking, options: [.sortedKeys])
    }
}

extension BookingFixtures {
    /// The booking, parsed and validated, after `edit`.
    public static func booking(_ edit: (inout [String: Any]) -> Void = { _ in }) -> Booking {
        try! BookingParser.parseJSON(json(edit), file: "booking.json")[0]
    }

    /// The shipped sample booking file (`Config/examples/booking.json`).
    public static var sampleFile: URL { TestEnvironment.packageRoot.appendingPathComponent("Config/examples/booking.json") }

    /// The shipped sample booking, parsed.
    public static var sample: Booking {
        try! BookingParser.parseJSON(Data(contentsOf: sampleFile), file: "booking.json")[0]
    }
}

extension Dictionary where Key == String, Value == Any {
    /// Sets a value inside nested objects and arrays by path, e.g. `parties.1.email`.
    public mutating func set(_ path: String, _ value: Any?) {
        self = Self.setting(self, path.split(separator: ".").map(String.init), value) as! [String: Any]
    }

    private static func setting(_ node: Any, _ path: [String], _ value: Any?) -> Any {
        guard let key = path.first else { return value as Any }
        if var array = node as? [Any], let index = Int(key) {
            array[index] = setting(array[index], Array(path.dropFirst()), value)
            return array
        }
        var object = node as! [String: Any]
        if path.count == 1, value == nil { object[key] = nil; return object }
        object[key] = setting(object[key] ?? [String: Any](), Array(path.dropFirst()), value)
        return object
    }
}
