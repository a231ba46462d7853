public import Foundation

/// The log of every attempt to deliver, for audit.
public protocol DeliveryLog: Sendable {
    /// The attempts from `from` up to `to`, in order.
    func deliveries(from: Date, to: Date) async throws(StoreError) -> [Delivery]

    /// The most recent attempt's time and outcome, if any.
    func lastDelivery() async throws(StoreError) -> (at: Date, outcome: String)?
}

/// One entry of the delivery log, with its job.
public struct Delivery: Sendable {
    public var at: Date
    public var job: Job
    /// The job's state after the attempt (`sent`, `retry`, …) or `requeued`.
    public var outcome: String
    public var code: Int?
    public var reply: String
    /// Locale, subject and size of what was sent, when something was.
    public var rendered: String?

    /// An entry.
    public init(at: Date, job: Job, outcome: String, code: Int?, reply: String, rendered: String?) {
        self.at = at
        self.job = job
        self.outcome = outcome
        self.code = code
        self.reply = reply
        self.rendered = rendered
    }
}
