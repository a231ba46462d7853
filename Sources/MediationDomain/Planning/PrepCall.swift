public import Foundation

/// One preparatory call: the mediator phones these parties of a booking.
public struct PrepCall: Sendable, Equatable, Codable {
    public var booking: String
    public var mediator: String
    /// The roles on the call, e.g. `[parent, advocate]` for a joint family call.
    public var with: [Role]
    public var start: Date
    public var end: Date

    public init(booking: String, mediator: String, with: [Role], start: Date, end: Date) {
        self.booking = booking
        self.mediator = mediator
        self.with = with
        self.start = start
        self.end = end
    }
}

/// A call no slot could be found for: staff must arrange it by hand.
public struct UnscheduledCall: Sendable, Equatable, Codable {
    public var booking: String
    public var with: [Role]
    public var reason: String

    public init(booking: String, with: [Role], reason: String) {
        self.booking = booking
        self.with = with
        self.reason = reason
    }
}

/// What planning one booking produced.
public struct CallPlan: Sendable, Equatable {
    public var calls: [PrepCall]
    public var unscheduled: [UnscheduledCall]

    public init(calls: [PrepCall] = [], unscheduled: [UnscheduledCall] = []) {
        self.calls = calls
        self.unscheduled = unscheduled
    }
}
