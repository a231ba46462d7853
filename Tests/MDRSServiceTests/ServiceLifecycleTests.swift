import Foundation
import LinuxPlatform
import Logging
import Mailer
import MDRSService
import MDRSTestSupport
import MediationDomain
import ServiceLifecycle
import ServiceLifecycleTestKit
import SQLiteStore
import Store
import Testing

/// Each named service starts, does its one job, and returns promptly on
/// graceful shutdown (swift-service-lifecycle's test kit).
@Suite struct ServiceLifecycleTests {
    let folder: TemporaryFolder
    let instance: Instance
    let transport = ScriptedTransport()
    let logger = Logger(label: "test")

    init() throws {
        folder = try TemporaryFolder("services")
        var config = try ConfigLoader.load(path: TestEnvironment.config.path)
        config.spool = folder.path("spool")
        config.quietHours = QuietHours(from: LocalTime(hour: 0, minute: 0)!, to: LocalTime(hour: 0, minute: 0)!)
        instance = try Instance(config: config, store: try SQLiteStore(path: folder.path("db.sqlite").path))
    }

    func runtime(_ link: SchedulerLink) throws -> Runtime {
        try Runtime(instance: instance, logger: logger, scheduler: link, transport: transport)
    }

    @Test func theJobRunnerSendsWhatIsDueAndStopsOnShutdown() async throws {
        let link = SchedulerLink()
        let runtime = try runtime(link)
        _ = try await runtime.current.ingestor.store([BookingFixtures.sample], now: Date())
        let runner = try await JobRunnerService.prepare(runtime: runtime, source: try TimerFDWakeSource(), link: link,
                                                         notifier: SystemdNotifier(environment: [:]), logger: logger, now: Date())
        #expect(runner.waitingAtStart > 0)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await runner.run() }
                // The confirmations are due now.
                #expect(await TestEnvironment.eventually { transport.recipients.count >= 3 })
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(Set(transport.recipients).isSuperset(of: ["sian@example.org", "tomasz@example.org", "priya.shah@example.org"]))
    }

    /// Runs a spool service with a real inotify watch while `body` works
    /// in the spool, then shuts it down gracefully.
    func withSpoolService(_ body: (Spool) async throws -> Void) async throws {
        let link = SchedulerLink()
        let runtime = try runtime(link)
        let spool = try Spool(folder: instance.config.spool)
        let service = SpoolIngestService(spool: spool, watcher: try FolderWatcher(folder: spool.folder), runtime: runtime,
                                         scheduler: link, logger: logger)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                try await body(spool)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    /// Whether the spool has filed `name` as processed, waiting for it.
    func processed(_ spool: Spool, _ name: String) async -> Bool {
        await TestEnvironment.eventually { FileManager.default.fileExists(atPath: spool.processed.appendingPathComponent(name).path) }
    }

    @Test func theSpoolIngestServiceStoresAFileAndStopsOnShutdown() async throws {
        try await withSpoolService { spool in
            // Written in place and closed, not renamed: taken too.
            try BookingFixtures.json().write(to: spool.folder.appendingPathComponent("in-place.json"))
            #expect(await processed(spool, "in-place.json"))
            #expect(try await instance.store.bookingCount() == 1)
        }
    }

    /// An administrator removes the spool folder, or moves it away, under
    /// the running service: it is made again and files dropped there later
    /// are read, not left unseen until a restart.
    @Test(arguments: [false, true])
    func aSpoolRemovedOrMovedAwayIsMadeAgainAndWatched(moved: Bool) async throws {
        try await withSpoolService { spool in
            try BookingFixtures.json().write(to: spool.folder.appendingPathComponent("first.json"))
            #expect(await processed(spool, "first.json"))
            if moved {
                try FileManager.default.moveItem(at: spool.folder, to: folder.path("spool.old"))
            } else {
                try FileManager.default.removeItem(at: spool.folder)
            }
            #expect(await TestEnvironment.eventually { FileManager.default.fileExists(atPath: spool.processed.path) }, "the spool is made again")
            try BookingFixtures.json { $0["reference"] = "MDRS-2027-0143" }.write(to: spool.folder.appendingPathComponent("second.json"))
            #expect(await processed(spool, "second.json"))
            #expect(try await instance.store.bookingCount() == 2)
        }
    }

    @Test func theStoreChangeListenerStopsOnShutdown() async throws {
        let link = SchedulerLink()
        let runner = try await JobRunnerService.prepare(runtime: try runtime(link), source: try TimerFDWakeSource(), link: link,
                                                         notifier: SystemdNotifier(environment: [:]), logger: logger, now: Date())
        let service = StoreChangeService(store: instance.store, scheduler: runner.scheduler, logger: logger)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                try await Task.sleep(for: .milliseconds(100))
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    @Test func theReloadServiceStopsOnShutdown() async throws {
        let link = SchedulerLink()
        let runtime = try runtime(link)
        let runner = try await JobRunnerService.prepare(runtime: runtime, source: try TimerFDWakeSource(), link: link,
                                                         notifier: SystemdNotifier(environment: [:]), logger: logger, now: Date())
        let service = await ReloadService(runtime: runtime, scheduler: runner.scheduler, notifier: SystemdNotifier(environment: [:]), logger: logger)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                try await Task.sleep(for: .milliseconds(100))
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }
}
