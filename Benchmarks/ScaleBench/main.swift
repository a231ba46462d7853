// scale-bench: mdrsd at the scale of a large service — 100k bookings across
// 50 mediators (about a million pending jobs) — measured as a user sees it:
// whole processes of the release binaries, wall time from exec, peak RSS,
// READY=1 on a real notify socket, context switches of every thread. Each
// row of issue 15's table is one key of the JSON object printed last.
//
// usage: scale-bench BINARIES PYTHON WORK [--bookings N] [--only KEY,KEY]
import BenchSupport
import Foundation
import GRDB
import MediationDomain
import SQLiteStore
import Store

struct Options {
    var binaries: String
    var python: String
    var work: URL
    var bookings = 100_000
    var only: Set<String> = []
    var idleSeconds = 60.0

    init(_ arguments: [String]) throws {
        let parsed = try BenchArguments(arguments, usage: "usage: scale-bench BINARIES PYTHON WORK [--bookings N] [--only KEYS] [--idle S]",
                                        known: ["--bookings", "--only", "--idle"])
        (binaries, python, work) = (parsed.binaries, parsed.python, parsed.work)
        bookings = parsed.flags["--bookings"].flatMap { Int($0) } ?? bookings
        only = parsed.flags["--only"].map { Set($0.split(separator: ",").map(String.init)) } ?? only
        idleSeconds = parsed.flags["--idle"].flatMap { Double($0) } ?? idleSeconds
    }

    func wants(_ step: String) -> Bool { only.isEmpty || only.contains(step) }
}

/// One mdrsd instance of the bench: its config, store and spool in a folder.
struct BenchInstance {
    let folder: URL
    var config: URL { folder.appendingPathComponent("mdrsd.toml") }
    var database: URL { folder.appendingPathComponent("state/mdrsd.sqlite") }
    var spool: URL { folder.appendingPathComponent("spool") }

    init(_ work: URL, _ name: String, mail: String = "transport = \"file\"\noutbox = \"outbox\"") throws {
        folder = work.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try DataSet.config(database: "state/mdrsd.sqlite", spool: "spool", mail: mail).write(to: config, atomically: true, encoding: .utf8)
    }

    func mdrsctl(_ options: Options, _ arguments: [String]) throws -> Run {
        try run(["\(options.binaries)/mdrsctl", "--config", config.path] + arguments)
    }

    /// Marks every job due within the hour sent, as a service running for a
    /// while would have them: what remains is the reminders ahead.
    func settle() throws -> Int {
        let queue = try DatabaseQueue(path: database.path)
        return try queue.write { db in
            try db.execute(sql: "UPDATE job SET state = 'sent' WHERE state IN ('pending', 'retry') AND due_at < ?",
                           arguments: [Int(Date().timeIntervalSince1970) + 3600])
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE state IN ('pending', 'retry')") ?? 0
        }
    }
}

/// The figures so far, printed as JSON at the end.
final class Results: @unchecked Sendable {
    // @unchecked: only the bench's one task touches it.
    var rows: [(String, Double)] = []

    func record(_ key: String, _ value: Double, _ note: String = "") {
        rows.append((key, value))
        FileHandle.standardOutput.write(Data("\(key) = \(value)\(note.isEmpty ? "" : "  (\(note))")\n".utf8))
    }
}
let results = Results()
func record(_ key: String, _ value: Double, _ note: String = "") { results.record(key, value, note) }

func main() async throws {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    try FileManager.default.createDirectory(at: options.work, withIntermediateDirectories: true)
    // Hundreds of thousands of .eml files: removed now and at the end,
    // never just before a step writes as many. On ext4 without a journal,
    // creating files soon after a mass delete is slow (the inode allocator
    // checks each recently freed inode): here a plain Python loop took
    // 3.4 s for 142k files on a quiet disk and 37-77 s right after deleting
    // as many, which timed the file system rather than mdrsd.
    removeOutput(options.work)
    defer { removeOutput(options.work) }
    let data = options.work.appendingPathComponent("data")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    var set = DataSet()
    let big = data.appendingPathComponent("bookings-\(options.bookings).json")
    try DataSet.write(set.bookings(options.bookings, prefix: "MDRS-S"), to: big)
    let tenK = data.appendingPathComponent("bookings-10k.json")
    let tenKBookings = set.bookings(10_000, prefix: "MDRS-T")
    try DataSet.write(tenKBookings, to: tenK)
    let files = data.appendingPathComponent("10k-in-100")
    try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
    for n in 0..<100 { try DataSet.write(Array(tenKBookings[(n * 100)..<(n * 100 + 100)]), to: files.appendingPathComponent("f\(n).json")) }
    print("scale-bench: \(options.bookings) bookings, \(DataSet.mediators.count) mediators, meetings over 2027; data in \(data.path)")

    let large = try BenchInstance(options.work, "large")
    if options.wants("ingest") || options.wants("ready") || options.wants("status") || options.wants("idle") || options.wants("one") {
        let ingest = try large.mdrsctl(options, ["bookings", "import", big.path])
        guard ingest.status == 0 else { throw BenchError("import failed: \(ingest.stdout.suffix(500))") }
        record("ingest_100k_s", rounded(ingest.seconds, 2), "\(options.bookings) bookings in one file, mdrsctl bookings import")
        record("ingest_peak_rss_mb", rounded(ingest.peakRSSMiB, 1))
        let pending = try large.settle()
        print("pending after settling: \(pending)")

        var statusRuns: [Run] = []
        for _ in 0..<5 { statusRuns.append(try large.mdrsctl(options, ["status", "--format", "json"])) }
        record("status_ms", rounded(median(statusRuns.map(\.seconds)) * 1000, 1), "mdrsctl status, whole process, median of 5")
        record("status_rss_mb", rounded(median(statusRuns.map(\.peakRSSMiB)), 1))

        let daemon = try Daemon(["\(options.binaries)/mdrsd", "--config", large.config.path], log: large.folder.appendingPathComponent("mdrsd.log").path)
        let ready = try daemon.waitUntilReady()
        record("ready_s", rounded(ready, 3), "exec to READY=1 with \(pending) pending")
        try await Task.sleep(for: .milliseconds(200))
        record("ready_rss_mb", rounded(daemon.rssMiB, 1))

        // Let start-up's worker threads settle, then count over the whole span.
        try await Task.sleep(for: .seconds(5))
        let switches = Double(try await daemon.contextSwitches(over: options.idleSeconds)) * 60 / options.idleSeconds
        record("idle_switches_per_min", switches, "all threads, over \(Int(options.idleSeconds)) s with nothing due")

        var one: [Double] = []
        for n in 0..<10 {
            let file = data.appendingPathComponent("one-\(n).json")
            try DataSet.write([set.booking("MDRS-ONE-\(n)")], to: file)
            let hidden = large.spool.appendingPathComponent(".one-\(n).part"), target = large.spool.appendingPathComponent("one-\(n).json")
            try FileManager.default.copyItem(at: file, to: hidden)
            let processed = large.spool.appendingPathComponent("processed/one-\(n).json")
            let start = Date()
            rename(hidden.path, target.path)
            while !FileManager.default.fileExists(atPath: processed.path) {
                guard Date().timeIntervalSince(start) < 60 else { throw BenchError("one-booking file not processed in 60 s") }
                usleep(500)
            }
            one.append(Date().timeIntervalSince(start) * 1000)
        }
        record("ingest_one_into_100k_ms", rounded(median(one), 1), "file renamed into the spool to filed as processed, median of 10")
        daemon.stop()
    }

    if options.wants("files") || options.wants("simulate") {
        let single = try BenchInstance(options.work, "ten-k-one-file")
        let oneFile = try single.mdrsctl(options, ["bookings", "import", tenK.path])
        let many = try BenchInstance(options.work, "ten-k-100-files")
        let paths = (0..<100).map { files.appendingPathComponent("f\($0).json").path }
        let hundred = try many.mdrsctl(options, ["bookings", "import"] + paths)
        guard oneFile.status == 0, hundred.status == 0 else { throw BenchError("10k import failed") }
        record("files_ratio_100_vs_1", rounded(hundred.seconds / oneFile.seconds, 2),
               "10k bookings: \(rounded(hundred.seconds, 2)) s in 100 files, \(rounded(oneFile.seconds, 2)) s in one")

        if options.wants("simulate") {
            let outbox = options.work.appendingPathComponent("simulated")
            let simulated = try single.mdrsctl(options, ["simulate", "--from", "2027-01-01T00:00", "--to", "2028-01-01T00:00",
                                                         "--outbox", outbox.path, "--format", "json"])
            guard simulated.status == 0 else { throw BenchError("simulate failed: \(simulated.stdout.suffix(300))") }
            let emails = (try? FileManager.default.contentsOfDirectory(atPath: outbox.path).count) ?? 0
            record("simulate_10k_year_s", rounded(simulated.seconds, 1), "\(emails) emails written")
        }
    }

    if options.wants("dispatch") {
        let sink = Process()
        sink.executableURL = URL(fileURLWithPath: options.python)
        let sinkFolder = options.work.appendingPathComponent("sink")
        try FileManager.default.createDirectory(at: sinkFolder, withIntermediateDirectories: true)
        sink.arguments = ["Tests/Support/smtp_sink.py", sinkFolder.path, "--mode", "discard"]
        let out = Pipe(), input = Pipe()
        sink.standardOutput = out
        sink.standardInput = input
        try sink.run()
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = line.split(separator: " ").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            throw BenchError("no sink port: \(line)")
        }
        let url = "smtp://127.0.0.1:\(port)"
        let instance = try BenchInstance(options.work, "dispatch", mail: "transport = \"smtp\"\nsmtp_url = \"\(url)\"\nrequire_tls = false")
        let dispatchFile = data.appendingPathComponent("dispatch-1000.json")
        try DataSet.write(set.bookings(1000, prefix: "MDRS-D"), to: dispatchFile)
        guard try instance.mdrsctl(options, ["bookings", "import", dispatchFile.path]).status == 0 else { throw BenchError("import failed") }
        let store = try SQLiteStore(path: instance.database.path)
        let due = try await store.due(before: Date().addingTimeInterval(60)).count
        let daemon = try Daemon(["\(options.binaries)/mdrsd", "--config", instance.config.path],
                                log: instance.folder.appendingPathComponent("mdrsd.log").path)
        _ = try daemon.waitUntilReady()
        let cpu = daemon.cpuSeconds, start = Date()
        while (try await store.counts()[.sent] ?? 0) < due {
            guard Date().timeIntervalSince(start) < 600 else { throw BenchError("dispatch did not finish") }
            try await Task.sleep(for: .milliseconds(20))
        }
        let seconds = Date().timeIntervalSince(start)
        let perEmail = (daemon.cpuSeconds - cpu) / Double(due) * 1e6
        daemon.stop()
        let bench = try run(["\(options.binaries)/mail-bench", url, options.python, "5000"])
        let json = bench.stdout.split(separator: "\n").last.map { Data($0.utf8) } ?? Data()
        let transport = (try JSONSerialization.jsonObject(with: json) as? [String: Any])?["mdrsd_msgs_per_s"] as? Double ?? 0
        let endToEnd = Double(due) / seconds
        record("dispatch_ratio_vs_transport", rounded(endToEnd / transport, 2),
               "\(due) emails end to end at \(rounded(endToEnd, 0))/s; the transport alone \(rounded(transport, 0))/s")
        record("dispatch_cpu_us_per_email", rounded(perEmail, 0), "daemon CPU, all threads")
        try? input.fileHandleForWriting.close()
        sink.waitUntilExit()
    }

    let object = results.rows.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ")
    print("{\(object)}")
}

/// The emails earlier steps wrote: the large instance's day and the
/// simulated year.
func removeOutput(_ work: URL) {
    for folder in ["simulated", "large/outbox"] { try? FileManager.default.removeItem(at: work.appendingPathComponent(folder)) }
}

do {
    try await main()
} catch {
    FileHandle.standardError.write(Data("scale-bench: \(error)\n".utf8))
    exit(1)
}
