import MediationDomain

extension MeetingKind {
    /// How emails name the meeting: "mediation meeting", "disagreement
    /// resolution meeting"; in Welsh "cyfarfod cyfryngu", "cyfarfod datrys
    /// anghytundeb".
    func meetingName(language: String = "en") -> String {
        switch (self, language == "cy") {
        case (.mediation, false): "mediation meeting"
        case (.disagreementResolution, false): "disagreement resolution meeting"
        case (.mediation, true): "cyfarfod cyfryngu"
        case (.disagreementResolution, true): "cyfarfod datrys anghytundeb"
        }
    }
}
