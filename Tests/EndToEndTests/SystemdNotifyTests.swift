import Foundation
import Glibc
import MDRSTestSupport
import MediationDomain
import Testing

/// The daemon's sd_notify messages, read from a datagram socket the test
/// binds and names in NOTIFY_SOCKET, as systemd would.
@Suite struct SystemdNotifyTests {
    /// A bound AF_UNIX datagram socket that collects what arrives.
    final class NotifySocket {
        let fd: Int32
        let path: String
        let folder: TemporaryFolder

        init() throws {
            folder = try TemporaryFolder("notify")
            path = folder.path("notify.sock").path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        /// Runs `action` the moment a datagram holding `text` arrives, on a
        /// thread of its own (no hop between the two, and no thread the
        /// tests share held while waiting); `false` if none came in `seconds`.
        func when(_ text: String, within seconds: Double, _ action: @escaping @Sendable () -> Void) async throws -> Bool {
            let fd = self.fd
            return try await TestEnvironment.onOwnThread {
                let deadline = Date().addingTimeInterval(seconds)
                var buffer = [UInt8](repeating: 0, count: 4096)
                while Date() < deadline {
                    let n = recv(fd, &buffer, buffer.count, 0)
                    if n > 0, String(decoding: buffer[0..<n], as: UTF8.self).contains(text) {
                        action()
                        return true
                    }
                }
                return false
            }
        }

        /// Datagrams received so far (waits up to 100 ms for the next).
        func receive() -> [String] {
            var messages: [String] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n <= 0 { return messages }
                messages.append(String(decoding: buffer[0..<n], as: UTF8.self))
            }
        }
    }

    @Test func aReloadTheMomentItIsReadyIsTaken() async throws {
        // systemd may send SIGHUP as soon as READY=1 arrives: it must be
        // trapped by then, for SIGHUP's default is to end the process.
        let socket = try NotifySocket()
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let daemon = try DaemonProcess(config: instance.config, environment: ["NOTIFY_SOCKET": socket.path])
        let pid = daemon.process.processIdentifier
        #expect(try await socket.when("READY=1", within: 30) { kill(pid, SIGHUP) }, "\(daemon.output)")
        #expect(await TestEnvironment.eventually { daemon.output.contains("configuration and templates reloaded") }, "\(daemon.output)")
        #expect(daemon.process.isRunning)
        #expect(daemon.stop() == 0)
    }

    @Test func readyStatusAndStopping() async throws {
        let socket = try NotifySocket()
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let daemon = try DaemonProcess(config: instance.config, environment: ["NOTIFY_SOCKET": socket.path])
        var received: [String] = []
        #expect(await TestEnvironment.eventually { received += socket.receive(); return received.contains { $0.contains("READY=1") } },
                "\(daemon.output)")
        let ready = try #require(received.first { $0.contains("READY=1") })
        #expect(ready.contains("STATUS=ready; 0 emails pending"))
        #expect(daemon.stop() == 0)
        received += socket.receive()
        #expect(received.contains { $0.contains("STOPPING=1") }, "\(received)")
    }

    @Test func watchdogPingsAtHalfTheInterval() async throws {
        let socket = try NotifySocket()
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let daemon = try DaemonProcess(config: instance.config, environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "2000000"])
        var received: [String] = []
        #expect(await TestEnvironment.eventually(seconds: 10) {
            received += socket.receive()
            return received.filter { $0 == "WATCHDOG=1" }.count >= 3
        }, "\(received)")
        #expect(daemon.stop() == 0)
    }

    @Test func hangUpReloadsAtomicallyAndKeepsTheOldConfigWhenTheNewOneIsBad() async throws {
        let socket = try NotifySocket()
        let instance = try InstanceFolder(mail: "transport = \"file\"")
        let daemon = try DaemonProcess(config: instance.config, environment: ["NOTIFY_SOCKET": socket.path])
        #expect(await daemon.waitUntilReady())
        var received: [String] = []
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(await TestEnvironment.eventually { daemon.output.contains("configuration and templates reloaded") }, "\(daemon.output)")
        #expect(await TestEnvironment.eventually {
            received += socket.receive()
            return received.contains { $0.hasPrefix("READY=1") && $0.contains("STATUS=ready") }
        }, "\(received)")
        let reloading = try #require(received.first { $0.contains("RELOADING=1") })
        let microseconds = try #require(reloading.split(separator: "\n").first { $0.hasPrefix("MONOTONIC_USEC=") }
            .flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        #expect(microseconds > 0 && microseconds <= UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000)

        // A broken config: the daemon says why and carries on with the old one.
        try instance.appendConfig("[retry]\nmultiplier = \"fast\"")
        received = []
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(await TestEnvironment.eventually { daemon.output.contains("reload failed") }, "\(daemon.output)")
        #expect(daemon.output.contains("retry.multiplier"))
        #expect(await TestEnvironment.eventually { received += socket.receive(); return received.contains { $0.contains("last reload failed") } })
        #expect(daemon.process.isRunning)
        try instance.drop(IntegrationTests.booking, as: "booking.json")
        let outbox = instance.root.appendingPathComponent("var/outbox")
        #expect(await TestEnvironment.eventually { ((try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? []).count == 6 },
                "\(daemon.output)")
        #expect(daemon.stop() == 0)
    }
}
