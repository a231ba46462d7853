import MediationDomain

/// One thing about a meeting that changed since the version a reader was
/// last told of: what it is, as it was, as it is now.
public struct MeetingChange: Sendable, Equatable {
    public var what, before, after: String

    /// Each change a reader would notice, in the order they read a meeting's
    /// details: the kind, the day, the time, the length, in person or
    /// online, the place, the link. Written in `formatter`'s language and the
    /// new meeting's zone.
    static func between(_ old: Booking, _ new: Booking, formatter: LocalTimeFormatter) -> [MeetingChange] {
        let welsh = formatter.language == "cy"
        var changes: [MeetingChange] = []
        func add(_ english: String, _ cymraeg: String, _ before: String, _ after: String) {
            if before != after { changes.append(MeetingChange(what: welsh ? cymraeg : english, before: before, after: after)) }
        }
        let language = formatter.language
        add("Kind of meeting", "Math o gyfarfod", old.kind.meetingName(language: language), new.kind.meetingName(language: language))
        add("Day", "Diwrnod", formatter.day(old.meeting.start), formatter.day(new.meeting.start))
        add("Time", "Amser", formatter.timeRange(old.meeting.start, old.meeting.end), formatter.timeRange(new.meeting.start, new.meeting.end))
        add("Length", "Hyd", formatter.duration(minutes: old.meeting.durationMinutes), formatter.duration(minutes: new.meeting.durationMinutes))
        add("In person or online", "Wyneb yn wyneb neu ar-lein", how(old.meeting, welsh: welsh), how(new.meeting, welsh: welsh))
        if let before = old.meeting.venue, let after = new.meeting.venue { add("Place", "Lle", before, after) }
        if let before = old.meeting.onlineURL, let after = new.meeting.onlineURL { add("Online link", "Dolen ar-lein", before, after) }
        return changes
    }

    private static func how(_ meeting: Meeting, welsh: Bool) -> String {
        switch (meeting.venue != nil, meeting.onlineURL != nil) {
        case (true, true): welsh ? "wyneb yn wyneb, neu ar-lein" : "in person, or online"
        case (false, true): welsh ? "ar-lein" : "online"
        default: welsh ? "wyneb yn wyneb" : "in person"
        }
    }
}
