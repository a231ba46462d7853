import Foundation
public import MediationDomain

/// A booking as the store keeps it: JSON in the shape `Booking`'s
/// synthesised Codable gives (property names as keys, absent optionals
/// left out, instants as seconds since 1970), which databases written by
/// earlier releases hold. Written and read by hand: `JSONEncoder` and
/// `JSONDecoder` were a tenth of the cost of ingest and of every dispatch.
public enum BookingBody {
    /// The booking's JSON text.
    public static func encode(_ booking: Booking) -> String {
        let out = JSONWriter()
        out.object {
            out.field("reference", booking.reference)
            out.field("version", booking.version)
            out.field("status", booking.status.rawValue)
            out.field("kind", booking.kind.rawValue)
            out.key("grounds")
            out.array(booking.grounds) { out.string($0.rawValue) }
            if let date = booking.requestedOn { out.field("requestedOn", date.description) }
            if let date = booking.decisionLetterOn { out.field("decisionLetterOn", date.description) }
            if let date = booking.agreementOn { out.field("agreementOn", date.description) }
            out.field("healthIssues", booking.healthIssues)
            out.field("consentRecorded", booking.consentRecorded)
            out.key("child")
            out.object {
                out.field("initials", booking.child.initials)
                out.field("age", booking.child.age)
            }
            out.key("meeting")
            out.object {
                let meeting = booking.meeting
                out.field("local", meeting.local.description)
                out.field("timezone", meeting.timezone)
                out.field("start", meeting.start.timeIntervalSince1970)
                out.field("durationMinutes", meeting.durationMinutes)
                if let venue = meeting.venue { out.field("venue", venue) }
                if let url = meeting.onlineURL { out.field("onlineURL", url) }
            }
            out.field("mediator", booking.mediator)
            out.key("parties")
            out.array(booking.parties) { party in
                out.object {
                    out.field("role", party.role.rawValue)
                    out.field("name", party.name)
                    if let email = party.email { out.field("email", email) }
                    if let phone = party.phone { out.field("phone", phone) }
                    if let language = party.language { out.field("language", language) }
                    out.key("unavailable")
                    out.array(party.unavailable) { slot in
                        out.object {
                            out.field("weekday", slot.weekday.rawValue)
                            out.field("from", slot.from.description)
                            out.field("to", slot.to.description)
                        }
                    }
                }
            }
        }
        return out.text
    }

    /// Why a stored body cannot be read.
    public struct Unreadable: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The booking a body holds.
    public static func decode(_ body: String) throws(Unreadable) -> Booking {
        let value: JSONValue
        do {
            value = try StrictJSON.parse(Data(body.utf8), maxDepth: 8)
        } catch {
            throw Unreadable(description: "not JSON: \(error)")
        }
        do {
            return try read(value)
        } catch let error as Unreadable {
            throw error
        } catch {
            throw Unreadable(description: "\(error)")
        }
    }

    private static func read(_ value: JSONValue) throws -> Booking {
        let r = Reading()
        let o = try r.object(value, "booking")
        let meeting = try r.object(o["meeting"], "meeting"), child = try r.object(o["child"], "child")
        return Booking(
            reference: try r.string(o["reference"], "reference"), version: try r.int(o["version"], "version"),
            status: try r.enumeration(o["status"], "status"), kind: try r.enumeration(o["kind"], "kind"),
            grounds: try r.array(o["grounds"], "grounds").map { try r.enumeration($0, "grounds") },
            requestedOn: try r.optional(o["requestedOn"]) { try r.iso($0, "requestedOn") as LocalDate },
            decisionLetterOn: try r.optional(o["decisionLetterOn"]) { try r.iso($0, "decisionLetterOn") as LocalDate },
            agreementOn: try r.optional(o["agreementOn"]) { try r.iso($0, "agreementOn") as LocalDate },
            healthIssues: try r.bool(o["healthIssues"], "healthIssues"),
            consentRecorded: try r.optional(o["consentRecorded"]) { try r.bool($0, "consentRecorded") } ?? false,
            child: Child(initials: try r.string(child["initials"], "child.initials"), age: try r.int(child["age"], "child.age")),
            meeting: Meeting(local: try r.iso(meeting["local"], "meeting.local"), timezone: try r.string(meeting["timezone"], "meeting.timezone"),
                             start: Date(timeIntervalSince1970: try r.number(meeting["start"], "meeting.start")),
                             durationMinutes: try r.int(meeting["durationMinutes"], "meeting.durationMinutes"),
                             venue: try r.optional(meeting["venue"]) { try r.string($0, "meeting.venue") },
                             onlineURL: try r.optional(meeting["onlineURL"]) { try r.string($0, "meeting.onlineURL") }),
            mediator: try r.string(o["mediator"], "mediator"),
            parties: try r.array(o["parties"], "parties").map { item in
                let p = try r.object(item, "parties[]")
                return Party(role: try r.enumeration(p["role"], "role"), name: try r.string(p["name"], "name"),
                             email: try r.optional(p["email"]) { try r.string($0, "email") },
                             phone: try r.optional(p["phone"]) { try r.string($0, "phone") },
                             language: try r.optional(p["language"]) { try r.string($0, "language") },
                             unavailable: try r.array(p["unavailable"] ?? .array([]), "unavailable").map { slot in
                                 let s = try r.object(slot, "unavailable[]")
                                 return Unavailability(weekday: try r.enumeration(s["weekday"], "weekday"), from: try r.iso(s["from"], "from"),
                                                       to: try r.iso(s["to"], "to"))
                             })
            })
    }

    /// Typed access to the decoded body, each failure naming the key.
    private struct Reading {
        func fail(_ key: String) -> Unreadable { Unreadable(description: "'\(key)' is missing or of the wrong type") }

        func object(_ value: JSONValue?, _ key: String) throws -> [String: JSONValue] {
            guard case .object(let object)? = value else { throw fail(key) }
            return object
        }
        func array(_ value: JSONValue?, _ key: String) throws -> [JSONValue] {
            guard case .array(let items)? = value else { throw fail(key) }
            return items
        }
        func string(_ value: JSONValue?, _ key: String) throws -> String {
            guard case .string(let text)? = value else { throw fail(key) }
            return text
        }
        func number(_ value: JSONValue?, _ key: String) throws -> Double {
            guard case .number(let number)? = value else { throw fail(key) }
            return number
        }
        func int(_ value: JSONValue?, _ key: String) throws -> Int {
            let number = try number(value, key)
            guard number.rounded() == number, abs(number) < 1e15 else { throw fail(key) }
            return Int(number)
        }
        func bool(_ value: JSONValue?, _ key: String) throws -> Bool {
            guard case .bool(let flag)? = value else { throw fail(key) }
            return flag
        }
        func enumeration<E: RawRepresentable>(_ value: JSONValue?, _ key: String) throws -> E where E.RawValue == String {
            guard let parsed = E(rawValue: try string(value, key)) else { throw fail(key) }
            return parsed
        }
        func iso<T: ISOText>(_ value: JSONValue?, _ key: String) throws -> T {
            guard let parsed = T(iso: try string(value, key)) else { throw fail(key) }
            return parsed
        }
        func optional<T>(_ value: JSONValue?, _ read: (JSONValue) throws -> T) rethrows -> T? {
            guard let value, value != .null else { return nil }
            return try read(value)
        }
    }
}

/// Appends JSON text: objects, arrays and escaped strings.
private final class JSONWriter {
    var text = ""
    private var needsComma = false

    init() { text.reserveCapacity(1024) }

    func object(_ body: () -> Void) {
        text += "{"
        needsComma = false
        body()
        text += "}"
        needsComma = true
    }

    func array<T>(_ items: [T], _ each: (T) -> Void) {
        text += "["
        needsComma = false
        for item in items {
            if needsComma { text += "," }
            needsComma = false
            each(item)
            needsComma = true
        }
        text += "]"
        needsComma = true
    }

    func key(_ name: String) {
        if needsComma { text += "," }
        text += "\"\(name)\":"
        needsComma = false
    }

    func field(_ name: String, _ value: String) { key(name); string(value) }
    func field(_ name: String, _ value: Int) { key(name); text += String(value); needsComma = true }
    func field(_ name: String, _ value: Bool) { key(name); text += value ? "true" : "false"; needsComma = true }
    func field(_ name: String, _ value: Double) {
        key(name)
        text += value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
        needsComma = true
    }

    func string(_ value: String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            default:
                if scalar.value < 0x20 {
                    text += "\\u" + Padded4.hex(scalar.value)
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
        needsComma = true
    }
}

private enum Padded4 {
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
