import MediationDomain

extension MeetingKind {
    /// How emails name the meeting: "mediation meeting", "disagreement
    /// resolution meeting".
    var meetingName: String { self == .mediation ? "mediation meeting" : "disagreement resolution meeting" }
}
