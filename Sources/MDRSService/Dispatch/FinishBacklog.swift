import Synchronization
import Store

/// Outcomes of sends that went but could not be recorded (the store was
/// busy or full). The job stays claimed in the store; while the daemon
/// runs it is never sent again, only its outcome recorded once the store
/// takes it. Shared across reloads.
final class FinishBacklog: Sendable {
    private let outcomes = Mutex<[Int64: JobOutcome]>([:])

    func hold(_ id: Int64, _ outcome: JobOutcome) { outcomes.withLock { $0[id] = outcome } }
    func held(_ id: Int64) -> JobOutcome? { outcomes.withLock { $0[id] } }
    func release(_ id: Int64) { _ = outcomes.withLock { $0.removeValue(forKey: id) } }
}
