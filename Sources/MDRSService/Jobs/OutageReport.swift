import Foundation
import MediationDomain
import Store

/// After a start-up that found emails overdue (the daemon was down when they
/// fell due), collects what became of each and, once all are settled,
/// gives staff one report: what went late, what waits for the morning, what
/// was skipped because its event had passed. Each section counts all its
/// emails but names only the first ``listed``: after a long outage at a
/// large service, thousands of lines would bury the alert (and the journal
/// entry) they belong to.
actor OutageReport {
    /// The report's sections, in the order they are listed.
    enum Section: String, CaseIterable {
        case sent = "Sent late", held = "Held for quiet hours", retrying = "Not delivered yet, retrying"
        case dead = "Failed for good (see the separate alert)", skipped = "Skipped"
    }

    private var waiting: [Int64: Job]
    private var lines: [Section: [String]] = [:]
    private let earliest: Date?
    private let startedAt: Date

    /// - Parameter overdue: the jobs that were due before start-up.
    init(overdue: [Job], startedAt: Date) {
        waiting = Dictionary(overdue.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        earliest = overdue.map(\.due).min()
        self.startedAt = startedAt
    }

    /// How long before start-up a job must have been due to count as overdue.
    static let grace: TimeInterval = 60
    /// How many emails each section names.
    static let listed = 30

    /// Records one job's outcome. Returns the report once the last overdue
    /// job is settled, `nil` before (and for jobs not overdue).
    func record(_ id: Int64, _ outcome: Dispatcher.Outcome) -> StaffAlert? {
        guard let job = waiting[id] else { return nil }
        let what = "\(job.message.rawValue) for " + (job.bookingReference.map { "\($0) (\(job.recipient.roleName))" } ?? "the \(job.recipient.roleName)")
        switch outcome {
        case .sent: lines[.sent, default: []].append(what)
        case .held(let until): lines[.held, default: []].append("\(what), until \(LocalDateTime.iso8601(until, zoneID: "UTC"))")
        case .retry: lines[.retrying, default: []].append(what)
        case .dead: lines[.dead, default: []].append(what)
        case .skipped(let reason): lines[.skipped, default: []].append("\(what): \(reason)")
        case .notPending, .heldAfterBounce: break
        case .storeUnavailable: return nil // not settled: it comes back
        }
        waiting[id] = nil
        guard waiting.isEmpty, !lines.isEmpty else { return nil }
        let sections = Section.allCases.compactMap { section in
            lines[section].map { all in
                var named = all.prefix(Self.listed).map { "- \($0)" }
                if all.count > Self.listed { named.append("- and \(all.count - Self.listed) more") }
                return "\(section.rawValue) (\(all.count)):\n" + named.joined(separator: "\n")
            }
        }
        let count = lines.values.map(\.count).reduce(0, +)
        let more = lines.values.contains { $0.count > Self.listed }
            ? "\n\n`mdrsctl jobs list --state STATE` lists every email in a state (sent, pending, retry, dead, skipped); add --booking for one booking's." : ""
        return StaffAlert(
            cause: "outage.\(Int(startedAt.timeIntervalSince1970))",
            summary: count == 1 ? "1 email fell due while mdrsd was not running" : "\(count) emails fell due while mdrsd was not running",
            detail: "mdrsd was not running when these emails fell due (the first at \(earliest.map { LocalDateTime.iso8601($0, zoneID: "UTC") } ?? "?")). "
                + "Each was sent late only if its event had not yet passed.\n\n" + sections.joined(separator: "\n\n") + more)
    }
}
