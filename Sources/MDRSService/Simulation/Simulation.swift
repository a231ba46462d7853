import Foundation
import Logging
import Mailer
import Store

/// Runs the real scheduler and dispatcher over a copy of the store on a
/// ``VirtualClock`` (`mdrsctl simulate`): every email the coming days would
/// bring goes through the given transport with the virtual `Date:`, and the
/// real store is never touched.
public struct Simulation: Sendable {
    /// One delivery attempt in the simulated span, from the copy's delivery
    /// log: when, which job, what became of it and the relay's (or the
    /// skip's) words.
    public struct Event: Sendable, Encodable {
        public var at: Date
        public var job: Int64
        public var message: String
        public var booking: String
        public var role: String
        public var outcome: String
        public var detail: String
    }

    /// The instance, on a copy of the store.
    public let instance: Instance
    /// Where the simulated emails go.
    public let transport: any MailTransport
    public let logger: Logger

    /// - Parameter instance: an instance whose store is already a copy.
    public init(instance: Instance, transport: any MailTransport, logger: Logger) {
        self.instance = instance
        self.transport = transport
        self.logger = logger
    }

    /// Runs from `start` to `end`; returns what happened, in order.
    public func run(from start: Date, to end: Date) async throws -> [Event] {
        let runtime = try Runtime(instance: instance, logger: logger, transport: transport)
        let clock = VirtualClock(from: start, to: end)
        let scheduler = Scheduler(source: clock, logger: logger) { job, now in
            switch await runtime.current.dispatcher.dispatch(job, now: now) {
            case .retry(let next), .held(let next): return next
            default: return nil
            }
        }
        let store = instance.store
        _ = try store.requeueInterruptedSends(now: start)
        await scheduler.schedule(try store.pendingJobs().map { ($0.id, $0.due) })
        let loop = Task { await scheduler.runLoop() }
        await clock.finished()
        await scheduler.stop()
        await loop.value
        return try store.deliveries(from: start, to: end).map {
            Event(at: $0.at, job: $0.job.id, message: $0.job.message, booking: $0.job.bookingReference, role: $0.job.role,
                  outcome: $0.outcome, detail: $0.reply)
        }
    }
}
