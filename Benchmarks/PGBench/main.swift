// pg-bench: mdrsd on PostgreSQL as a service running several instances
// would see it — the release binaries as whole processes, a loopback
// aiosmtpd relay, a durable PostgreSQL cluster (`make bench-pg` starts one):
// emails a second with 1, 2 and 3 instances on one database, the same run
// on SQLite, and the seconds from SIGKILLing an instance mid-send to its
// email being sent by another. The last line is one JSON object.
//
// usage: pg-bench BINARIES PYTHON WORK [--bookings N] [--lease S]
import BenchSupport
import Foundation
import Glibc
import MDRSTestSupport
import MediationDomain
import PostgresStore
import SQLiteStore
import Store

struct Options {
    var binaries: String
    var python: String
    var work: URL
    var bookings = 600
    var lease = 15

    init(_ arguments: [String]) throws {
        let parsed = try BenchArguments(arguments, usage: "usage: pg-bench BINARIES PYTHON WORK [--bookings N] [--lease S]",
                                        known: ["--bookings", "--lease"])
        (binaries, python, work) = (parsed.binaries, parsed.python, parsed.work)
        bookings = parsed.flags["--bookings"].flatMap { Int($0) } ?? bookings
        lease = parsed.flags["--lease"].flatMap { Int($0) } ?? lease
    }
}

/// One run's instances: configs in folders, on SQLite or one PostgreSQL database.
struct Instances {
    let folders: [URL]
    let store: any MDRSStore

    /// `count` instances; `url` is the PostgreSQL database, or `nil` for SQLite.
    init(_ options: Options, name: String, count: Int, url: String?, relay: String) async throws {
        let root = options.work.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: root)
        var folders: [URL] = []
        for n in 1...count {
            let folder = root.appendingPathComponent("node\(n)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let mail = "transport = \"smtp\"\nsmtp_url = \"\(relay)\"\nrequire_tls = false\ntimeout_seconds = \(options.lease - 5)"
            var text = DataSet.config(database: "state/mdrsd.sqlite", spool: "spool", mail: mail)
            if let url { text += "[store]\nurl = \"\(url)\"\ninstance = \"node\(n)\"\nlease_seconds = \(options.lease)\n" }
            try text.write(to: folder.appendingPathComponent("mdrsd.toml"), atomically: true, encoding: .utf8)
            folders.append(folder)
        }
        self.folders = folders
        if let url {
            store = try await PostgresStore.open(try PostgresSettings(url: url), instance: "pg-bench")
        } else {
            store = try SQLiteStore(path: folders[0].appendingPathComponent("state/mdrsd.sqlite").path)
        }
    }

    func config(_ n: Int) -> String { folders[n].appendingPathComponent("mdrsd.toml").path }

    func importBookings(_ options: Options, _ file: URL) throws -> Int {
        let imported = try run(["\(options.binaries)/mdrsctl", "--config", config(0), "bookings", "import", file.path])
        guard imported.status == 0 else { throw BenchError("import failed: \(imported.stdout.suffix(400))") }
        return 0
    }

    /// The ids of the emails due now.
    func due() async throws -> Set<Int64> {
        Set(try await store.jobs(JobQuery(states: JobState.waiting, dueBefore: Date().addingTimeInterval(1)), after: nil, limit: 100_000).map(\.id))
    }

    func sent(_ ids: Set<Int64>) async throws -> Int {
        try await store.jobs(JobQuery(states: [.sent]), after: nil, limit: 100_000).filter { ids.contains($0.id) }.count
    }

    func start(_ options: Options) throws -> [Daemon] {
        try folders.indices.map { n in
            try Daemon(["\(options.binaries)/mdrsd", "--config", config(n)], log: folders[n].appendingPathComponent("mdrsd.log").path)
        }
    }
}

func wait(until condition: () async throws -> Bool, seconds: Double = 600) async throws {
    let end = Date().addingTimeInterval(seconds)
    while try await !condition() {
        guard Date() < end else { throw BenchError("gave up after \(seconds) s") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

func main() async throws {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    try FileManager.default.createDirectory(at: options.work, withIntermediateDirectories: true)
    var data = DataSet()
    let file = options.work.appendingPathComponent("bookings.json")
    try DataSet.write(data.bookings(options.bookings, prefix: "MDRS-P"), to: file)
    let sink = try await SMTPSink.start(mode: .discard)
    defer { sink.stop() }
    let server = try PostgresServer.shared()
    var results: [(String, Double)] = []
    func record(_ key: String, _ value: Double, _ note: String) {
        results.append((key, value))
        print("\(key) = \(value)  (\(note))")
    }

    // Throughput: every email due at once, sent by k instances.
    for (name, count, postgres) in [("sqlite_1", 1, false), ("pg_1", 1, true), ("pg_2", 2, true), ("pg_3", 3, true)] {
        let url = postgres ? try server.makeDatabase(name) : nil
        let run = try await Instances(options, name: name, count: count, url: url, relay: sink.url)
        _ = try run.importBookings(options, file)
        let due = try await run.due()
        let started = Date()
        let daemons = try run.start(options)
        try await wait { try await run.sent(due) >= due.count }
        let seconds = Date().timeIntervalSince(started)
        for daemon in daemons { daemon.stop() }
        record("\(name)_emails_per_s", rounded(Double(due.count) / seconds, 0),
               "\(due.count) emails in \(rounded(seconds, 2)) s from exec, \(count) instance(s), \(postgres ? "PostgreSQL" : "SQLite")")
    }

    // Failover: two instances; one is killed holding a claim.
    let url = try server.makeDatabase("failover")
    let run = try await Instances(options, name: "failover", count: 2, url: url, relay: sink.url)
    _ = try run.importBookings(options, file)
    let due = try await run.due()
    let daemons = try run.start(options)
    try await wait { try await run.sent(due) >= due.count / 5 }
    var inHand: Set<Int64> = []
    for _ in 0..<200 where inHand.isEmpty {
        // Stopped, then killed, while it holds a claim.
        kill(daemons[0].pid, SIGSTOP)
        inHand = Set(try server.query("SELECT id FROM job WHERE state = 'sending' AND lease_owner = 'node1'", url: url).compactMap { Int64($0) })
        if inHand.isEmpty { kill(daemons[0].pid, SIGCONT); try await Task.sleep(for: .milliseconds(5)) }
    }
    let killedAt = Date()
    kill(daemons[0].pid, SIGKILL)
    daemons[0].process.waitUntilExit()
    guard !inHand.isEmpty else { throw BenchError("never caught the instance holding a claim") }
    try await wait { try await run.sent(inHand) == inHand.count }
    let takeover = Date().timeIntervalSince(killedAt)
    try await wait { try await run.sent(due) >= due.count }
    daemons[1].stop()
    record("failover_kill_to_resend_s", rounded(takeover, 2),
           "SIGKILL to the killed instance's email sent by the other; lease_seconds = \(options.lease)")
    record("lease_seconds", Double(options.lease), "the claim's lease in this run")

    print("{" + results.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
}

do {
    try await main()
} catch {
    FileHandle.standardError.write(Data("pg-bench: \(error)\n".utf8))
    exit(1)
}
