public import Foundation
import Glibc
import MDRSTestSupport

/// A finished child: exit status, wall time from exec, peak RSS.
public struct Run {
    public var status: Int32
    public var seconds: Double
    public var peakRSSMiB: Double
    public var stdout: String
}

/// Runs a command to the end, for its exit status, wall time and peak
/// resident memory. The peak comes from GNU time, whose child starts small:
/// a child spawned straight from this (large) process would count this
/// process's pages in its own peak.
public func run(_ arguments: [String], environment: [String: String] = [:], stdout path: String? = nil) throws -> Run {
    let measured = "/tmp/scale-bench-\(getpid())-\(UUID().uuidString).time"
    defer { unlink(measured) }
    var result = try spawn(["/usr/bin/time", "-f", "%M", "-o", measured] + arguments, environment: environment, stdout: path)
    let kib = Double((try? String(contentsOfFile: measured, encoding: .utf8))?.split(separator: "\n").last.map(String.init) ?? "") ?? 0
    result.peakRSSMiB = kib / 1024
    return result
}

private func spawn(_ arguments: [String], environment: [String: String], stdout path: String?) throws -> Run {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let output = path ?? "/tmp/scale-bench-\(getpid())-\(UUID().uuidString).out"
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for p in argv + envp { free(p) } }
    var pid: pid_t = 0
    let started = Date()
    guard posix_spawnp(&pid, arguments[0], &actions, nil, argv, envp) == 0 else { throw BenchError("cannot run \(arguments[0])") }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let seconds = Date().timeIntervalSince(started)
    let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    if path == nil { unlink(output) }
    return Run(status: (status >> 8) & 0xFF, seconds: seconds, peakRSSMiB: Double(usage.ru_maxrss) / 1024, stdout: text)
}

/// A long-running child (the daemon), started with a notify socket.
public final class Daemon {
    public let process = Process()
    let notify: NotifySocket
    let started: Date

    /// Starts `arguments` with a notify socket; its stderr goes to `log`.
    public init(_ arguments: [String], log: String, environment extra: [String: String] = [:]) throws {
        notify = try NotifySocket()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notify.path
        environment.removeValue(forKey: "WATCHDOG_USEC")
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        started = Date()
        try process.run()
    }

    /// Seconds from exec to `READY=1`.
    public func waitUntilReady(timeout: Double = 300) throws -> Double {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if let message = notify.receive(timeout: 0.05), message.contains("READY=1") { return Date().timeIntervalSince(started) }
            guard process.isRunning else { throw BenchError("mdrsd exited before READY=1") }
        }
        throw BenchError("no READY=1 within \(timeout) s")
    }

    public var pid: Int32 { process.processIdentifier }

    /// Resident memory now, MiB.
    public var rssMiB: Double {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
    }

    /// Context switches of every thread over `seconds`.
    public func contextSwitches(over seconds: Double) async throws -> Int { try await ThreadSwitches(pid: pid).over(seconds: seconds) }

    /// User plus system CPU seconds of the whole process so far.
    public var cpuSeconds: Double {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

/// A bound datagram socket collecting sd_notify messages.
final class NotifySocket {
    let fd: Int32
    let path: String

    init() throws {
        path = "/tmp/scale-bench-notify-\(getpid())-\(UUID().uuidString.prefix(8))"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, byte) in path.utf8.enumerated() { raw[i] = byte } }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw BenchError("cannot bind \(path)") }
    }

    func receive(timeout: Double) -> String? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }

    deinit {
        close(fd)
        unlink(path)
    }
}

public struct BenchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The median of some measurements.
public func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

public func rounded(_ value: Double, _ places: Int = 3) -> Double {
    let scale = pow(10, Double(places))
    return (value * scale).rounded() / scale
}
