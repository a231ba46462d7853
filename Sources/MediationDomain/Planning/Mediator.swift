/// A mediator as the config describes them: when they work and how many
/// preparatory calls they take a day.
public struct Mediator: Sendable, Equatable {
    public var id: String
    public var name: String
    public var email: String?
    public var phone: String?
    public var workingDays: Set<Weekday>
    public var dayStart: LocalTime
    public var dayEnd: LocalTime
    public var callsPerDay: Int
    /// Whole days away, inclusive.
    public var leave: [ClosedRange<LocalDate>]

    public init(id: String, name: String, email: String? = nil, phone: String? = nil,
                workingDays: Set<Weekday> = [.mon, .tue, .wed, .thu, .fri],
                dayStart: LocalTime = LocalTime(hour: 9, minute: 0)!, dayEnd: LocalTime = LocalTime(hour: 17, minute: 0)!,
                callsPerDay: Int = 6, leave: [ClosedRange<LocalDate>] = []) {
        self.id = id
        self.name = name
        self.email = email
        self.phone = phone
        self.workingDays = workingDays
        self.dayStart = dayStart
        self.dayEnd = dayEnd
        self.callsPerDay = callsPerDay
        self.leave = leave
    }

    public func isOnLeave(_ date: LocalDate) -> Bool { leave.contains { $0.contains(date) } }
}

/// How calls are laid out.
public struct PlanningRules: Sendable, Equatable {
    public var callMinutes: Int
    /// Free time kept between a mediator's calls and meetings.
    public var gapMinutes: Int
    /// Calls happen from this many calendar days before the meeting.
    public var windowDays: Int
    /// Candidate start times are this many minutes apart.
    public var stepMinutes: Int
    /// The zone mediators' hours are in.
    public var zone: String

    public init(callMinutes: Int = 30, gapMinutes: Int = 15, windowDays: Int = 7, stepMinutes: Int = 15,
                zone: String = "Europe/London") {
        self.callMinutes = callMinutes
        self.gapMinutes = gapMinutes
        self.windowDays = windowDays
        self.stepMinutes = stepMinutes
        self.zone = zone
    }
}
