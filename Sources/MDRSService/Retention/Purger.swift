public import Foundation
import MediationDomain
public import Store

/// Keeps personal data only as long as `[retention]` says: erases it from
/// the store for bookings past retention, clears old rendered copies, and
/// deletes the outbox files of erased bookings and any older than the
/// cutoff. The daemon runs it daily from its wheel and at start-up;
/// `mdrsctl purge` runs it at once.
public struct Purger: Sendable {
    let store: any MDRSStore
    let config: Config

    /// A purger of `store` under `config`'s retention.
    public init(store: any MDRSStore, config: Config) {
        self.store = store
        self.config = config
    }

    /// What a run erased (or, dry, would erase).
    public struct Outcome: Sendable, Equatable {
        public var report: PurgeReport
        /// Outbox files deleted (or that would be).
        public var outboxFiles: Int
    }

    /// Purges what is past retention at `now`, appending it to the audit
    /// trail as `actor`'s act.
    public func run(now: Date, dryRun: Bool, actor: String) async throws(StoreError) -> Outcome {
        let cutoffs = config.retention.cutoffs(now: now)
        let report = try await store.purge(cutoffs, now: now, dryRun: dryRun)
        let files = outboxFiles(of: Set(report.bookings), orWrittenBefore: cutoffs.personalData)
        if !dryRun {
            for file in files { try? FileManager.default.removeItem(at: file) }
            try await store.audit(AuditEntry(at: now, actor: actor, action: "purge",
                                             target: "\(report.bookings.count) bookings, \(report.renderedCopies) rendered copies, \(files.count) outbox files"))
        }
        return Outcome(report: report, outboxFiles: files.count)
    }

    /// Erases one booking's personal data now (the right to erasure) with
    /// its outbox files; the files deleted, or `nil` when there is no such
    /// booking.
    public func erase(_ reference: String, now: Date) async throws(StoreError) -> Int? {
        guard try await store.erase(reference, now: now) else { return nil }
        let files = outboxFiles(of: [reference])
        for file in files { try? FileManager.default.removeItem(at: file) }
        return files.count
    }

    /// The outbox's `.eml` files of these bookings (their names carry the
    /// reference) and any written before `cutoff`; none for SMTP.
    public func outboxFiles(of references: Set<String>, orWrittenBefore cutoff: Date? = nil) -> [URL] {
        guard case .file(let outbox, _) = config.transport,
              let names = try? FileManager.default.contentsOfDirectory(atPath: outbox.path) else { return [] }
        return names.sorted().compactMap { name -> URL? in
            guard name.hasSuffix(".eml") else { return nil }
            let url = outbox.appendingPathComponent(name)
            let parts = name.split(separator: ".")
            if parts.count > 1, references.contains(String(parts[1])) { return url }
            if let cutoff, let written = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
               written < cutoff { return url }
            return nil
        }
    }

    /// When the daily purge runs next after `now`: `[retention] purge_time`
    /// in the planning zone.
    public func nextRun(after now: Date) -> Date {
        let zone = config.planning.zone
        var day = LocalDate(now, zoneID: zone)
        for _ in 0..<3 {
            if let at = LocalDateTime(date: day, time: config.retention.purgeTime).earliestInstant(in: zone), at > now { return at }
            day = day.adding(days: 1)
        }
        return now.addingTimeInterval(86_400)
    }
}
