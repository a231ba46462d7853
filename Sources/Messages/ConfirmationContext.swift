public import Foundation
public import MediationDomain

/// What a party's message may use (confirmation, changes, cancellation,
/// reminders, call notices), true for its one reader: their role, the
/// booking's kind, and their own call — set only while it is planned and
/// still ahead. Stored properties only: Mustache reads them by reflection,
/// and a missing optional renders empty. `call` is set only for the call
/// messages, so the template check rejects it elsewhere.
public struct ConfirmationContext: Sendable {
    public struct Service: Sendable {
        public var name, email, phone: String
        /// `tel:+44…`, for a link; `nil` when the number has no digits.
        public var phoneLink: String?
    }

    /// Who the reader is, as flags the templates choose wording by.
    public struct Reader: Sendable {
        /// A parent, carer or young person.
        public var isFamily: Bool
        public var isYoungPerson: Bool
        public var isAdvocate: Bool
        public var isLocalAuthority: Bool
        /// Health, social care or a school: invited, never obliged.
        public var isProfessional: Bool
        /// The family or its advocate: offered a private break together.
        public var isFamilySide: Bool
        /// The reader's own phone number, as the booking has it.
        public var phone: String?
    }

    /// A preparatory call with this reader.
    public struct Call: Sendable {
        /// "Tuesday 16 March 2027", "Tuesday 16 March", "Tuesday", "9am", "Tuesday 16 March 2027, 9am", "30 minutes".
        public var day, shortDay, weekday, time, dayAndTime, duration: String
        /// `dayAndTime` as written after "on" (Welsh mutates it: "ar ddydd …").
        public var dayAndTimeOn: String
        /// Whether the family and its advocate are called together.
        public var isJoint: Bool
        /// Joint, and the reader is the family: "with your advocate".
        public var withAdvocate: Bool
        /// Joint, and the reader is the advocate: "with the family".
        public var withFamily: Bool
    }

    public var service: Service
    /// The recipient's own name; never another party's.
    public var recipientName: String
    public var reference: String
    public var kindName: String
    public var isMediation: Bool
    public var isDisagreementResolution: Bool
    /// "Tuesday 23 March 2027"
    public var meetingDay: String
    /// "Tuesday 23 March", for subjects.
    public var meetingShortDay: String
    /// "Tuesday"
    public var meetingWeekday: String
    /// "10am"
    public var meetingTime: String
    /// "10am to 12pm"
    public var meetingTimeRange: String
    /// "Tuesday 23 March 2027, 10am to 12pm"
    public var meetingWhen: String
    /// `meetingWhen` and `meetingShortDay` as written after "on" (the same
    /// in English; Welsh "ar ddydd Mawrth …").
    public var meetingWhenOn: String
    public var meetingShortDayOn: String
    public var duration: String
    public var venue: String?
    public var onlineURL: String?
    /// The zone, when the meeting is not on UK time; `nil` for the UK.
    public var zoneNote: String?
    public var reader: Reader
    public var mediatorName: String?
    /// Who will be there besides the mediator, by role, from the reader's side.
    public var attendees: [String]
    /// The reader's own call, only while it is planned and still ahead.
    public var ownCall: Call?
    /// The call a call message is about.
    public var call: Call?
    /// For `booking_changed`: what changed since the version the reader was told of.
    public var changes: [MeetingChange]
    public var hasChanges: Bool

    /// Builds the context for one party of one booking.
    /// - Parameters:
    ///   - mediator: the mediator's name, when known.
    ///   - call: the call a call message is about.
    ///   - ownCall: the reader's planned call, whatever the message; kept only if after `now`.
    ///   - previous: the version the reader was last told of, for `booking_changed`.
    ///   - now: when the email is written.
    ///   - language: the language dates are written in (`en`, `cy`).
    public init(booking: Booking, party: Party, service: ServiceIdentity, mediator: String? = nil, call: PrepCall? = nil,
                ownCall: PrepCall? = nil, previous: Booking? = nil, now: Date = Date(), language: String = "en") {
        let formatter = LocalTimeFormatter(zoneID: booking.meeting.timezone, language: language)
        let meeting = booking.meeting
        self.service = Service(name: service.name(in: language), email: service.replyTo, phone: service.phone, phoneLink: TelephoneLink.uri(service.phone))
        recipientName = party.name
        reference = booking.reference
        kindName = booking.kind.meetingName(language: language)
        isMediation = booking.kind == .mediation
        isDisagreementResolution = booking.kind == .disagreementResolution
        meetingDay = formatter.day(meeting.start)
        meetingShortDay = formatter.dayWithoutYear(meeting.start)
        meetingWeekday = formatter.weekdayName(meeting.start)
        meetingTime = formatter.time(meeting.start)
        meetingTimeRange = formatter.timeRange(meeting.start, meeting.end)
        meetingWhen = formatter.dayAndTimeRange(meeting.start, meeting.end)
        meetingWhenOn = formatter.afterOn(meetingWhen)
        meetingShortDayOn = formatter.afterOn(meetingShortDay)
        duration = formatter.duration(minutes: meeting.durationMinutes)
        venue = meeting.venue
        onlineURL = meeting.onlineURL
        zoneNote = Self.ukZones.contains(meeting.timezone) ? nil : meeting.timezone
        let role = party.role
        reader = Reader(isFamily: role.isFamily, isYoungPerson: role == .youngPerson, isAdvocate: role == .advocate,
                        isLocalAuthority: role == .localAuthority, isProfessional: [.health, .socialCare, .school].contains(role),
                        isFamilySide: role.isFamilyFacing, phone: party.phone)
        mediatorName = mediator
        var seen = Set<String>()
        // The reader first ("you"), then the others in the booking's order.
        let parties = booking.parties.filter { $0.role == role } + booking.parties.filter { $0.role != role }
        attendees = parties.map { $0.role.named(to: role, language: language) }.filter { seen.insert($0).inserted }
        func described(_ call: PrepCall) -> Call {
            let joint = call.with.count > 1
            let dayAndTime = formatter.dayAndTime(call.start)
            return Call(day: formatter.day(call.start), shortDay: formatter.dayWithoutYear(call.start), weekday: formatter.weekdayName(call.start),
                        time: formatter.time(call.start), dayAndTime: dayAndTime,
                        duration: formatter.duration(minutes: Int(call.end.timeIntervalSince(call.start) / 60)),
                        dayAndTimeOn: formatter.afterOn(dayAndTime),
                        isJoint: joint, withAdvocate: joint && role.isFamily, withFamily: joint && role == .advocate)
        }
        self.call = call.map(described)
        self.ownCall = ownCall.flatMap { $0.start > now ? described($0) : nil }
        changes = previous.map { MeetingChange.between($0, booking, formatter: formatter) } ?? []
        hasChanges = !changes.isEmpty
    }

    /// Zones whose readers need no "(… time)" after a time.
    static let ukZones: Set<String> = ["Europe/London", "GB", "Europe/Belfast"]

    /// A context with every field set, for checking templates.
    static func sample(service: ServiceIdentity, withCall: Bool) -> ConfirmationContext {
        let start = LocalDateTime(iso: "2027-03-23T10:00")!
        let booking = Booking(
            reference: "MDRS-0", version: 2, status: .booked, kind: .mediation, grounds: [.planContents], requestedOn: nil,
            decisionLetterOn: nil, healthIssues: false, child: Child(initials: "A.B.", age: 9),
            meeting: Meeting(local: start, timezone: "Europe/Paris", start: (try? start.instant(in: "Europe/London")) ?? Date(),
                             durationMinutes: 120, venue: "Venue", onlineURL: "https://example.org"),
            mediator: "m", parties: [Party(role: .parent, name: "Name", phone: "0")])
        var previous = booking
        previous.meeting.durationMinutes = 180
        let call = PrepCall(booking: "MDRS-0", mediator: "m", with: [.parent, .advocate], start: booking.meeting.start,
                            end: booking.meeting.start.addingTimeInterval(1800))
        return ConfirmationContext(booking: booking, party: booking.parties[0], service: service, mediator: "Mediator",
                                   call: withCall ? call : nil, ownCall: call, previous: previous,
                                   now: booking.meeting.start.addingTimeInterval(-86400))
    }
}
