import Foundation
import Messages
import Store

/// After a start-up that found emails overdue (the daemon was down when they
/// fell due), collects what became of each and, once all are settled,
/// gives staff one report: what went late, what waits for the morning, what
/// was skipped because its event had passed.
actor OutageReport {
    private var waiting: [Int64: Job]
    private var lines: [String: [String]] = [:]
    private let earliest: Date?

    /// - Parameter overdue: the jobs that were due before start-up.
    init(overdue: [Job]) {
        waiting = Dictionary(overdue.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        earliest = overdue.map(\.due).min()
    }

    /// Whether there is anything to report at all.
    nonisolated static func overdue(_ jobs: [Job], startedAt now: Date, grace: TimeInterval = 60) -> [Job] {
        jobs.filter { $0.due < now.addingTimeInterval(-grace) }
    }

    /// Records one job's outcome. Returns the report once the last overdue
    /// job is settled, `nil` before (and for jobs not overdue).
    func record(_ id: Int64, _ outcome: Dispatcher.Outcome, service: ServiceIdentity) -> AdminAlertContext? {
        guard let job = waiting.removeValue(forKey: id) else { return nil }
        let what = "\(job.message) for \(job.bookingReference.isEmpty ? "the \(job.role)" : "\(job.bookingReference) (\(job.role))")"
        switch outcome {
        case .sent: lines["Sent late", default: []].append(what)
        case .held(let until): lines["Held for quiet hours", default: []].append("\(what), until \(until)")
        case .retry: lines["Not delivered yet, retrying", default: []].append(what)
        case .dead: lines["Failed for good (see the separate alert)", default: []].append(what)
        case .skipped(let reason): lines["Skipped", default: []].append("\(what): \(reason)")
        case .notPending: break
        }
        guard waiting.isEmpty, !lines.isEmpty else { return nil }
        let sections = ["Sent late", "Held for quiet hours", "Not delivered yet, retrying", "Failed for good (see the separate alert)", "Skipped"]
            .compactMap { title in lines[title].map { "\(title) (\($0.count)):\n" + $0.map { "- \($0)" }.joined(separator: "\n") } }
        let count = lines.values.map(\.count).reduce(0, +)
        return AdminAlertContext(
            service: service, summary: "\(count) email(s) fell due while mdrsd was not running",
            detail: "mdrsd was not running when these emails fell due (the first at \(earliest.map { "\($0)" } ?? "?")). "
                + "Each was sent late only if its event had not yet passed.\n\n" + sections.joined(separator: "\n\n"))
    }
}
