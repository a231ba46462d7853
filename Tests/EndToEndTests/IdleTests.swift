import Foundation
import MDRSTestSupport
import MediationDomain
import Store
import Testing

/// An idle daemon costs the machine nothing: every thread of the real
/// `mdrsd` process is counted (`/proc/PID/task/*/status`), not one loop's
/// own tally. It has done real work first — stored a booking from the
/// spool, sent its confirmations, heard an `mdrsctl` change — so whatever
/// that work started (threads, timers, pauses) is counted too.
@Suite struct IdleTests {
    /// A daemon that stored a booking, sent what was due, and heard a retry
    /// from `mdrsctl`; a minute later, with months to go until the next
    /// email, nothing has run.
    /// - Parameter postgres: on a PostgreSQL store (listening for other
    ///   instances) rather than SQLite.
    private func busyThenIdle(postgres: Bool = false, environment: [String: String] = [:]) async throws -> (DaemonProcess, InstanceFolder) {
        let instance = try InstanceFolder(mail: "transport = \"file\"\noutbox = \"var/outbox\"")
        var url: String?
        if postgres {
            url = try await PostgresServer.database("idle")
            try instance.appendConfig("[store]\nurl = \"\(url!)\"")
        }
        let daemon = try DaemonProcess(config: instance.config, environment: environment)
        #expect(await daemon.waitUntilReady(), "\(daemon.output)")
        try instance.drop(BookingFixtures.json(), as: "booking.json")
        // Three confirmations and three call notices go at once.
        #expect(await TestEnvironment.eventually { sentCount(daemon) == 6 }, "\(daemon.output)")
        // A change by another process: the listener looks again after a pause.
        let probe = if let url { try await StoreProbe(postgres: url) } else { try StoreProbe(instance.database) }
        let sent = try #require(try await probe.jobs(state: .sent).first)
        let retried = try await CommandRun.mdrsctl(["--config", instance.config.path, "outbox", "retry", "\(sent.id)"])
        #expect(retried.status != 0, "a sent email is not retried: \(retried.stdout)")
        let reminder = try #require(try await probe.waiting().first { $0.message == .meetingReminder })
        #expect(try await CommandRun.mdrsctl(["--config", instance.config.path, "outbox", "retry", "\(reminder.id)"]).status == 0)
        #expect(await TestEnvironment.eventually { sentCount(daemon) == 7 }, "\(daemon.output)")
        // What that work left behind fires once and is gone: worker threads
        // park for up to 5 s, then end; a cancelled timeout (PostgresNIO's
        // 10 s connect deadline) still wakes its event loop once. Twice
        // that, for a machine loaded by other tests.
        try await Task.sleep(for: .seconds(20))
        return (daemon, instance)
    }

    private func sentCount(_ daemon: DaemonProcess) -> Int { daemon.output.components(separatedBy: "email sent").count - 1 }

    @Test(arguments: [false, true])
    func anIdleDaemonWakesNoThreadInAMinute(postgres: Bool) async throws {
        // The instance folder is kept to the end: were it removed, the spool
        // watch would end (inotify's IN_IGNORED) and wake the daemon.
        let (daemon, instance) = try await busyThenIdle(postgres: postgres)
        let (switches, seen) = try await ThreadSwitches(pid: daemon.process.processIdentifier).timeline(over: 60)
        #expect(switches.values.reduce(0, +) == 0, "context switches of all threads over 60 s with nothing due: \(switches), seen \(seen)")
        #expect(daemon.stop() == 0, "\(daemon.output.suffix(3000))")
        withExtendedLifetime(instance) {}
    }

    @Test func withAWatchdogOnlyItsBeatsWake() async throws {
        let socket = try SystemdNotifyTests.NotifySocket()
        // A beat every 5 s: about 12 in the minute.
        let (daemon, instance) = try await busyThenIdle(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "10000000"])
        _ = socket.receive()
        let switches = try await ThreadSwitches(pid: daemon.process.processIdentifier).byThread(over: 60)
        let beats = socket.receive().filter { $0 == "WATCHDOG=1" }.count
        #expect((11...13).contains(beats), "watchdog beats in 60 s")
        // A beat is the timer's thread waking and the loop answering (about
        // four switches in all, two on the busiest thread); a thread of its
        // own waking every second (a pool monitor: 60) is not a beat.
        let total = switches.values.reduce(0, +)
        #expect(total > 0 && total <= beats * 6, "\(total) context switches for \(beats) beats")
        #expect(switches.values.allSatisfy { $0 <= beats * 2 + 2 }, "by thread: \(switches)")
        #expect(daemon.stop() == 0)
        withExtendedLifetime(instance) {}
    }
}
