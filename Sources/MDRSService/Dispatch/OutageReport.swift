import Foundation
import Messages
import Store

/// After a start-up that found emails overdue (the daemon was down when they
/// fell due), collects what became of each and, once all are settled,
/// gives staff one report: what went late, what waits for the morning, what
/// was skipped because its event had passed.
actor OutageReport {
    private var waiting: [Int64: Job]
    /// The report's sections, in the order they are listed.
    enum Section: String, CaseIterable {
        case sent = "Sent late", held = "Held for quiet hours", retrying = "Not delivered yet, retrying"
        case dead = "Failed for good (see the separate alert)", skipped = "Skipped"
    }

    private var lines: [Section: [String]] = [:]
    private let earliest: Date?

    /// - Parameter overdue: the jobs that were due before start-up.
    init(overdue: [Job]) {
        waiting = Dictionary(overdue.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        earliest = overdue.map(\.due).min()
    }

    /// The jobs that fell due more than `grace` before start-up.
    nonisolated static func overdue(_ jobs: [Job], startedAt now: Date, grace: TimeInterval = 60) -> [Job] {
        jobs.filter { $0.due < now.addingTimeInterval(-grace) }
    }

    /// Records one job's outcome. Returns the report once the last overdue
    /// job is settled, `nil` before (and for jobs not overdue).
    func record(_ id: Int64, _ outcome: Dispatcher.Outcome, service: ServiceIdentity) -> AdminAlertContext? {
        guard let job = waiting.removeValue(forKey: id) else { return nil }
        let what = "\(job.message) for \(job.bookingReference.isEmpty ? "the \(job.role)" : "\(job.bookingReference) (\(job.role))")"
        switch outcome {
        case .sent: lines[.sent, default: []].append(what)
        case .held(let until): lines[.held, default: []].append("\(what), until \(until)")
        case .retry: lines[.retrying, default: []].append(what)
        case .dead: lines[.dead, default: []].append(what)
        case .skipped(let reason): lines[.skipped, default: []].append("\(what): \(reason)")
        case .notPending: break
        }
        guard waiting.isEmpty, !lines.isEmpty else { return nil }
        let sections = Section.allCases.compactMap { section in
            lines[section].map { "\(section.rawValue) (\($0.count)):\n" + $0.map { "- \($0)" }.joined(separator: "\n") }
        }
        let count = lines.values.map(\.count).reduce(0, +)
        return AdminAlertContext(
            service: service, summary: "\(count) email(s) fell due while mdrsd was not running",
            detail: "mdrsd was not running when these emails fell due (the first at \(earliest.map { "\($0)" } ?? "?")). "
                + "Each was sent late only if its event had not yet passed.\n\n" + sections.joined(separator: "\n\n"))
    }
}
