import Foundation
import MDRSTestSupport
import MediationDomain
import SeededRandom

/// Makes hostile booking files from valid ones, reproducibly from a seed:
/// wrong types, huge or empty values, broken encodings, deep nesting,
/// control and direction characters, duplicate keys, impossible dates,
/// unknown mediators, truncated and bit-flipped files, broken CSV.
struct BookingMutator {
    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// One file: its name and bytes. `reference` keeps files apart.
    mutating func mutant(_ n: Int, reference: String) -> (name: String, data: Data) {
        random.next() % 5 == 0 ? ("m\(n).csv", csv(reference)) : ("m\(n).json", json(reference))
    }

    private static let paths = ["reference", "version", "status", "kind", "grounds", "requested_on", "child.initials", "child.age",
                                "meeting.start", "meeting.timezone", "meeting.duration_minutes", "meeting.venue", "meeting.online_url",
                                "mediator", "parties", "parties.0.role", "parties.0.name", "parties.0.email", "parties.0.phone",
                                "parties.0.language", "parties.0.unavailable", "parties.0.unavailable.0.from", "parties.1.email",
                                "parties.2.role", "health_issues", "consent_recorded"]

    private static var values: [Any] { [
        NSNull(), 0, -1, 1e300, 3.5, true, "", " ", [] as [Any], [:] as [String: Any], ["x"], "2027-02-30", "2027-13-01",
        "2027-03-28T01:30", "25:61", "\u{202E}gro.elpmaxe@nais", "m.okafor\u{200B}", "../m.okafor", "a\u{0}b", "line\nbreak",
        "<script>alert(1)</script>", "=?UTF-8?B?SGk=?=", "x@@example.org", "\u{1F600}", "Bcc: victim@example.org",
        String(repeating: "A", count: 100_000), "disagreement_resolution", "no_plan", "cy", "fr", "young_person", "health",
    ] }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }

    private mutating func json(_ reference: String) -> Data {
        var booking = try! JSONSerialization.jsonObject(with: BookingFixtures.json()) as! [String: Any]
        booking["reference"] = reference
        switch random.next() % 10 {
        case 0...3:
            booking.set(pick(Self.paths), pick(Self.values))
        case 4:
            booking.set(pick(Self.paths), nil)
        case 5:
            // Nested far deeper than any booking.
            var value: Any = "deep"
            for _ in 0..<Int(5 + random.next() % 200) { value = [value] }
            booking.set(pick(Self.paths), value)
        case 6:
            booking["parties"] = (0..<Int(random.next() % 60)).map { ["role": "parent", "name": "P\($0)", "email": "p\($0)@example.org"] }
        default:
            break
        }
        var bytes = Array((try? JSONSerialization.data(withJSONObject: booking, options: [.sortedKeys])) ?? Data("{}".utf8))
        switch random.next() % 8 {
        case 0:
            // A key twice: the same reference under another value.
            let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "{\"child\"", with: "{\"reference\":\"OTHER\",\"child\"")
            bytes = Array(text.utf8)
        case 1:
            bytes = Array(bytes.prefix(Int(random.next() % UInt64(max(bytes.count, 1)))))
        case 2:
            for _ in 0..<Int(1 + random.next() % 8) { bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: random.next()) }
        case 3:
            bytes.insert(contentsOf: [0xFF, 0xFE, 0xC3, 0x28], at: Int(random.next() % UInt64(bytes.count)))
        case 4:
            bytes = [0xFF, 0xFE] + Array(String(decoding: bytes, as: UTF8.self).utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        default:
            break
        }
        return Data(bytes)
    }

    private mutating func csv(_ reference: String) -> Data {
        let lines = try! String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("Config/examples/bookings.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var row = lines[1].replacingOccurrences(of: "MDRS-2027-0150", with: reference)
        switch random.next() % 8 {
        case 0: header[Int(random.next() % UInt64(header.count))] = "versoin"
        case 1: header[1] = header[0]
        case 2: row += ",extra"
        case 3: row = row.replacingOccurrences(of: "\"Community Centre, Room 3\"", with: "\"Community Centre, Room 3")
        case 4: row = row.replacingOccurrences(of: "2027-03-30T14:00", with: pick(["2027-02-30T14:00", "2027-03-28T01:30", "tomorrow"]))
        case 5: row = row.replacingOccurrences(of: "Aisha Khan", with: String(repeating: "Ä", count: 5000))
        case 6: row = row.replacingOccurrences(of: "m.okafor", with: pick(["m.okafor\u{200B}", "../m.okafor", "nobody"]))
        default: row = row.replacingOccurrences(of: ",12,", with: pick([",-3,", ",twelve,", ",99,"]))
        }
        return Data((header.joined(separator: ",") + "\n" + row + "\n").utf8)
    }
}
