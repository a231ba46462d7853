public import MediationDomain
public import Foundation

/// An iCalendar (RFC 5545) invitation for one meeting, sent as an iMIP
/// (RFC 6047) `text/calendar` part whose `method=` matches the object's
/// METHOD, so a calendar adds, updates or removes the event.
public struct CalendarInvite: Sendable, Equatable {
    public enum Method: String, Sendable { case request = "REQUEST", cancel = "CANCEL" }

    /// The same for every version of the meeting, so changes update one event.
    public var uid: String
    /// Rises with each change (the booking's version - 1).
    public var sequence: Int
    public var method: Method
    public var summary: String
    public var description: String
    public var location: String?
    /// The online meeting's link (URL), also given in LOCATION and DESCRIPTION.
    public var url: String?
    public var start: Date
    public var end: Date
    /// `Europe/London` is written with TZID and a VTIMEZONE; other zones in UTC.
    public var zone: String
    public var organizer: (name: String, address: String)
    public var attendee: (name: String?, address: String)
    public var stamp: Date

    public init(uid: String, sequence: Int, method: Method, summary: String, description: String, location: String?,
                url: String? = nil, start: Date, end: Date, zone: String, organizer: (name: String, address: String),
                attendee: (name: String?, address: String), stamp: Date) {
        self.uid = uid
        self.sequence = sequence
        self.method = method
        self.summary = summary
        self.description = description
        self.location = location
        self.url = url
        self.start = start
        self.end = end
        self.zone = zone
        self.organizer = organizer
        self.attendee = attendee
        self.stamp = stamp
    }

    public static func == (a: CalendarInvite, b: CalendarInvite) -> Bool { a.text == b.text }

    /// The iCalendar object, CRLF line endings, lines folded at 75 octets.
    public var text: String {
        let london = zone == "Europe/London"
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//mdrsd//SEND mediation//EN", "CALSCALE:GREGORIAN",
                     "METHOD:\(method.rawValue)"]
        if london { lines += Self.londonTimeZone }
        lines += ["BEGIN:VEVENT", "UID:\(Self.escape(uid))", "SEQUENCE:\(sequence)", "DTSTAMP:\(Self.utc(stamp))"]
        if london {
            lines += ["DTSTART;TZID=Europe/London:\(Self.local(start))", "DTEND;TZID=Europe/London:\(Self.local(end))"]
        } else {
            lines += ["DTSTART:\(Self.utc(start))", "DTEND:\(Self.utc(end))"]
        }
        lines += ["SUMMARY:\(Self.escape(summary))", "DESCRIPTION:\(Self.escape(description))"]
        if let location { lines.append("LOCATION:\(Self.escape(location))") }
        // A URI value is not TEXT: written as it is, only control characters dropped.
        if let url { lines.append("URL:\(String(url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }.map(Character.init)))") }
        lines.append("ORGANIZER;CN=\(Self.parameter(organizer.name)):mailto:\(organizer.address)")
        let cn = attendee.name.map { ";CN=\(Self.parameter($0))" } ?? ""
        lines.append("ATTENDEE\(cn);ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:\(attendee.address)")
        lines.append("STATUS:\(method == .cancel ? "CANCELLED" : "CONFIRMED")")
        lines += ["END:VEVENT", "END:VCALENDAR"]
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// UK civil time since 1996: BST from the last Sunday of March 01:00 UTC
    /// to the last Sunday of October.
    static let londonTimeZone = [
        "BEGIN:VTIMEZONE", "TZID:Europe/London",
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST", "DTSTART:19810329T010000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT", "DTSTART:19961027T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "END:VTIMEZONE",
    ]

    static func utc(_ date: Date) -> String { InstantText.icalendar(date, zoneID: "UTC") + "Z" }
    static func local(_ date: Date) -> String { InstantText.icalendar(date, zoneID: "Europe/London") }

    /// TEXT values: backslash, semicolon, comma and newlines escaped; other
    /// control characters dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            default:
                // ASCII controls are known without a look-up of Unicode categories.
                let control = scalar.isASCII ? scalar.value < 0x20 || scalar.value == 0x7F : scalar.properties.generalCategory == .control
                if !control { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// A parameter value: quoted, without the characters quoting cannot hold.
    static func parameter(_ text: String) -> String {
        "\"" + String(text.unicodeScalars.filter { $0 != "\"" && $0.properties.generalCategory != .control }.map(Character.init)) + "\""
    }

    /// Folds a content line at 75 octets without splitting a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        if line.utf8.count <= 75 { return line }
        // By scalar: a fold may fall inside a character, never inside a UTF-8 sequence.
        var out = "", width = 0
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            if width + size > 75 {
                out += "\r\n "
                width = 1
            }
            out.unicodeScalars.append(scalar)
            width += size
        }
        return out
    }
}

extension CalendarInvite {
    /// The invitation for a booking's meeting, addressed to one party. The
    /// summary names the kind of meeting and the case reference, never the
    /// child.
    public static func meeting(_ booking: Booking, for party: Party, address: String, service: ServiceIdentity,
                               method: Method, stamp: Date, language: String = "en") -> CalendarInvite {
        let welsh = language == "cy"
        let name = booking.kind.meetingName(language: language)
        let kind = name.prefix(1).uppercased() + name.dropFirst()
        let meeting = booking.meeting
        let location = [meeting.venue, meeting.onlineURL].compactMap { $0 }.joined(separator: " / ")
        var description = caseReference(booking, welsh: welsh)
        if let link = meeting.onlineURL { description += welsh ? " Ymuno ar-lein: \(link)" : " Join online: \(link)" }
        description += " " + questions(service, language: language)
        return CalendarInvite(
            uid: "meeting.\(booking.reference)@\(service.domain)", sequence: booking.version - 1, method: method,
            summary: "\(kind) (\(booking.reference))", description: description,
            location: location.isEmpty ? nil : location, url: meeting.onlineURL, start: meeting.start, end: meeting.end,
            zone: meeting.timezone, organizer: (service.name, service.replyTo), attendee: (party.name, address),
            stamp: stamp)
    }
}

extension CalendarInvite {
    /// The invitation (or its cancellation) for a party's preparatory call.
    /// One event per call of the booking — the family's (with its advocate),
    /// the local authority's, health's — so a moved call updates it, and a
    /// change of who joins the family's call does not make a second one.
    /// SEQUENCE follows the booking's version.
    public static func call(_ call: PrepCall, of booking: Booking, for party: Party, address: String, mediator: Mediator?,
                            service: ServiceIdentity, method: Method = .request, stamp: Date, language: String = "en") -> CalendarInvite {
        let welsh = language == "cy"
        let who = mediator.map { welsh ? "Bydd \($0.name), eich cyfryngwr," : "\($0.name), your mediator," }
            ?? (welsh ? "Bydd eich cyfryngwr" : "Your mediator")
        let number = party.phone.map { welsh ? " ar \($0)" : " on \($0)" } ?? ""
        var description = welsh
            ? "\(who) yn eich ffonio\(number) i gyflwyno'i hun a dechrau'r agenda ar gyfer y cyfarfod."
            : "\(who) will phone you\(number) to introduce themselves and start the agenda for the meeting."
        if party.phone == nil {
            description += welsh ? " Nid oes gennym rif ffôn i chi: cysylltwch â ni gyda'r rhif gorau i'ch ffonio."
                : " We do not have a phone number for you: please contact us with the best number to call."
        }
        description += " " + caseReference(booking, welsh: welsh) + " " + questions(service, language: language)
        let group = call.with.contains(where: \.isFamilyFacing) ? "family" : call.with.map(\.rawValue).joined(separator: "+")
        return CalendarInvite(
            uid: "call.\(booking.reference).\(group)@\(service.domain)",
            sequence: booking.version - 1, method: method,
            summary: welsh ? "Galwad ffôn gyda'ch cyfryngwr (\(booking.reference))" : "Phone call with your mediator (\(booking.reference))",
            description: description,
            location: party.phone.map { welsh ? "Ffôn: \($0)" : "Phone: \($0)" }, start: call.start, end: call.end,
            zone: booking.meeting.timezone, organizer: (service.name, service.replyTo), attendee: (party.name, address), stamp: stamp)
    }
}

extension CalendarInvite {
    /// "Case reference MDRS-2027-0142."
    static func caseReference(_ booking: Booking, welsh: Bool) -> String {
        welsh ? "Cyfeirnod yr achos \(booking.reference)." : "Case reference \(booking.reference)."
    }

    /// Whom to ask: the service by its name in the reader's language.
    static func questions(_ service: ServiceIdentity, language: String) -> String {
        (language == "cy" ? "Cwestiynau: " : "Questions: ") + "\(service.name(in: language)), \(service.phone), \(service.replyTo)."
    }
}
