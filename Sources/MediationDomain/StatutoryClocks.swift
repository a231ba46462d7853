import Foundation

/// The statutory time limits of a mediation case (DOMAIN.md, "Statutory
/// clocks"), shown to staff as advisory dates, never as legal advice.
/// Disagreement resolution has none of these.
public struct StatutoryClocks: Sendable, Equatable, Codable {
    /// Mediation must take place within 30 calendar days of the LA being told.
    public var arrangeBy: LocalDate?
    /// Whether the meeting is later than `arrangeBy`.
    public var meetingAfterArrangeBy: Bool
    /// The mediator's certificate: 3 working days after the meeting.
    public var certificateDue: LocalDate
    /// With health issues: the LA tells the commissioning body within 3 working days of the request.
    public var healthNoticeDue: LocalDate?
    /// Tribunal appeal: the later of 2 months after the decision letter and
    /// 1 month after the certificate (informational).
    public var appealWindowEnds: LocalDate?
    /// After an agreement the LA acts within 2 weeks (non-appealable matters).
    public var agreementFollowUpDue: LocalDate?

    enum CodingKeys: String, CodingKey {
        case arrangeBy = "arrange_by"
        case meetingAfterArrangeBy = "meeting_after_arrange_by"
        case certificateDue = "certificate_due"
        case healthNoticeDue = "health_notice_due"
        case appealWindowEnds = "appeal_window_ends"
        case agreementFollowUpDue = "agreement_follow_up_due"
    }

    /// The clocks for a booking, or `nil` when it is not a mediation case.
    public init?(booking: Booking, calendar: WorkingDayCalendar) {
        guard booking.kind == .mediation else { return nil }
        let meetingEnd = LocalDate(booking.meeting.end, zoneID: booking.meeting.timezone)
        let meetingDay = booking.meeting.local.date
        arrangeBy = booking.requestedOn?.adding(days: 30)
        meetingAfterArrangeBy = arrangeBy.map { meetingDay > $0 } ?? false
        certificateDue = calendar.adding(workingDays: 3, to: meetingEnd)
        healthNoticeDue = booking.healthIssues ? booking.requestedOn.map { calendar.adding(workingDays: 3, to: $0) } : nil
        appealWindowEnds = booking.decisionLetterOn.map { max($0.adding(months: 2), certificateDue.adding(months: 1)) }
        agreementFollowUpDue = booking.agreementOn?.adding(days: 14)
    }

    /// Problems staff should see when the booking is imported.
    public var warnings: [String] {
        guard meetingAfterArrangeBy, let arrangeBy else { return [] }
        return ["the meeting is more than 30 days after the request (mediation should take place by \(arrangeBy))"]
    }
}
