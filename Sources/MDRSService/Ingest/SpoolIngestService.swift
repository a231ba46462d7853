import Foundation
public import LinuxPlatform
public import Logging
import MediationDomain
public import ServiceLifecycle
import Store
import Synchronization

/// Takes booking files from the spool: those waiting at start, then each
/// one inotify reports (renamed in, or written in place and closed). A good
/// file is stored with its jobs, which go on the wheel; a bad one is
/// rejected naming its record and field. When the store is briefly
/// unusable (busy, full, unreachable) the file stays in the spool and is
/// tried again with backoff, and staff are alerted once if it lasts.
public struct SpoolIngestService: Service {
    let spool: Spool
    let watcher: FolderWatcher
    let runtime: Runtime
    let scheduler: any JobScheduling
    let logger: Logger
    /// The first wait after a store failure; it doubles up to ``longestWait``.
    var firstWait: TimeInterval = 1
    var longestWait: TimeInterval = 30
    /// How long files may wait on the store before staff are told.
    var alertAfter: TimeInterval = 60

    /// The service for `spool`, watched by `watcher`.
    public init(spool: Spool, watcher: FolderWatcher, runtime: Runtime, scheduler: any JobScheduling, logger: Logger) {
        self.spool = spool
        self.watcher = watcher
        self.runtime = runtime
        self.scheduler = scheduler
        self.logger = logger
    }

    private enum Event: Sendable { case file(URL), retry(URL), spoolGone }

    public func run() async throws {
        let (events, sink) = AsyncStream.makeStream(of: Event.self)
        let stopping = Flag()
        let feeder = Task { [watcher, spool] in
            while let change = await watcher.next() {
                switch change {
                case .files(let names):
                    for name in names where Spool.isCandidate(name) { sink.yield(.file(spool.folder.appendingPathComponent(name))) }
                case .folderGone:
                    sink.yield(.spoolGone)
                }
            }
            sink.finish()
        }
        let retries = RetryTasks()
        var trouble = Trouble()
        await withGracefulShutdownHandler {
            for url in spool.waitingFiles() where !stopping.isSet {
                await take(url, stopping: stopping, trouble: &trouble, retries: retries, sink: sink)
            }
            for await event in events where !stopping.isSet {
                switch event {
                case .file(let url), .retry(let url):
                    if case .file = event, retries.isWaiting(url) { continue } // its retry is already set
                    await take(url, stopping: stopping, trouble: &trouble, retries: retries, sink: sink)
                case .spoolGone:
                    guard restoreSpool() else { continue }
                    for url in spool.waitingFiles() where !stopping.isSet {
                        await take(url, stopping: stopping, trouble: &trouble, retries: retries, sink: sink)
                    }
                }
            }
        } onGracefulShutdown: {
            stopping.set()
            watcher.stop()
        }
        feeder.cancel()
        retries.cancelAll()
    }

    /// The spool folder was removed or moved away: makes it again and
    /// watches it, so files dropped there are not left unseen until a
    /// restart. Returns whether it is watched again.
    private func restoreSpool() -> Bool {
        logger.error("the spool folder was removed or moved away; making it again", metadata: ["spool": "\(spool.folder.path)"])
        do {
            // Only the spool itself: a folder above it that is gone too
            // was removed on purpose (or the instance is being taken away).
            let parent = spool.folder.deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: parent) else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: parent]) }
            _ = try Spool(folder: spool.folder)
            try watcher.watchAgain()
            return true
        } catch {
            logger.critical("cannot make the spool folder again; booking files are not read until it is back and mdrsd is restarted",
                            metadata: ["spool": "\(spool.folder.path)", "error": "\(error)"])
            return false
        }
    }

    /// How long the store has been failing files, and whether staff know.
    private struct Trouble {
        var since: Date?
        var failures: [URL: Int] = [:]
        var alerted = false
    }

    private func take(_ url: URL, stopping: Flag, trouble: inout Trouble, retries: RetryTasks,
                      sink: AsyncStream<Event>.Continuation) async {
        retries.clear(url)
        guard spool.contains(url) else { return }
        let parts = runtime.current
        do throws(IngestError) {
            let report = try await parts.ingestor.ingest(file: url, now: Date(), isCancelled: { stopping.isSet })
            spool.accept(url)
            log(report)
            await scheduler.schedule(report.touched)
            trouble.failures[url] = nil
            if trouble.failures.isEmpty { trouble = Trouble() }
        } catch {
            switch error {
            case .invalid(let problem):
                spool.reject(url, reason: problem.description)
                trouble.failures[url] = nil
                logger.warning("booking file rejected", metadata: [
                    "file": "\(url.lastPathComponent)", "errors": "\(problem.errors.count)",
                    // Field paths and reasons only; values may be personal data.
                    "first": "record \(problem.errors.first?.record ?? 0) field \(problem.errors.first?.field ?? "?")",
                ])
            case .store(let failure):
                guard !stopping.isSet else {
                    logger.notice("stopping: the booking file stays in the spool for the next start", metadata: ["file": "\(url.lastPathComponent)"])
                    return
                }
                let count = (trouble.failures[url] ?? 0) + 1
                trouble.failures[url] = count
                let now = Date()
                let since = trouble.since ?? now
                trouble.since = since
                let wait = failure.isTransient ? min(firstWait * pow(2, Double(count - 1)), longestWait) : longestWait * 10
                logger.error("the store cannot take a booking file now; it stays in the spool and is tried again", metadata: [
                    "file": "\(url.lastPathComponent)", "error": "\(failure)", "retry_in_seconds": "\(Int(wait))"])
                if !trouble.alerted && now.timeIntervalSince(since) >= alertAfter {
                    trouble.alerted = true
                    await parts.alerts.raise([StaffAlert(
                        cause: "spool_store", summary: "Booking files are waiting: the database cannot take them",
                        detail: "Since \(LocalDateTime.iso8601(since, zoneID: parts.instance.config.planning.zone)) the database has "
                            + "refused booking files (\(failure.message)). They stay in the spool and are tried again; check the disk "
                            + "and the database (\(parts.instance.store.location)).")], now: now)
                }
                let task = Task {
                    try? await Pause.sleep(for: .seconds(wait))
                    if !Task.isCancelled { sink.yield(.retry(url)) }
                }
                retries.set(url, task)
            }
        }
    }

    private func log(_ report: IngestReport) {
        for (reference, outcome) in report.outcomes {
            logger.info("booking ingested", metadata: ["file": "\(report.file)", "reference": "\(reference)", "outcome": "\(outcome)"])
        }
        for (reference, message) in report.warnings {
            logger.warning("booking needs attention", metadata: ["reference": "\(reference)", "warning": "\(message)"])
        }
        for call in report.unscheduled {
            logger.warning("preparatory call not planned", metadata: [
                "reference": "\(call.booking)", "with": "\(call.with.map(\.rawValue).joined(separator: "+"))", "reason": "\(call.reason)",
            ])
        }
    }
}

/// A flag set once, read from anywhere.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

/// The files waiting out a store failure, each with the task that brings it back.
final class RetryTasks: Sendable {
    private let tasks = Mutex<[URL: Task<Void, Never>]>([:])

    func set(_ url: URL, _ task: Task<Void, Never>) { tasks.withLock { $0[url] = task } }
    func clear(_ url: URL) { _ = tasks.withLock { $0.removeValue(forKey: url) } }
    func isWaiting(_ url: URL) -> Bool { tasks.withLock { $0[url] != nil } }
    func cancelAll() { for task in tasks.withLock({ Array($0.values) }) { task.cancel() } }
}
