// mail-bench: messages per second through mdrsd's libcurl SMTP transport,
// against Python's smtplib (one reused connection, same messages, same run)
// and the curl command (one process per message). The last line of output
// is one JSON object. `make bench-mail` starts the loopback sink it needs.
//
// usage: mail-bench SMTP_URL PYTHON [MESSAGES]
import Foundation
import Mailer

func message(_ n: Int) -> Data {
    // About the size of a booking confirmation: headers, text and HTML parts.
    let body = String(repeating: "Your mediation meeting is booked. Tuesday 23 March 2027, 10:00 (UK time).\r\n", count: 30)
    let text = """
    From: "SEND Mediation Service" <mediation@example.org>\r
    To: <sian@example.org>\r
    Subject: Your mediation meeting is booked: MDRS-2027-0142\r
    Date: Tue, 02 Mar 2027 09:00:00 +0000\r
    Message-ID: <bench.\(n)@example.org>\r
    MIME-Version: 1.0\r
    Content-Type: text/plain; charset=UTF-8\r
    \r
    \(body)
    """
    return Data(text.utf8)
}

func run(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchError(message: "\(executable) exited \(process.terminationStatus)") }
    return String(decoding: data, as: UTF8.self)
}

struct BenchError: Error { let message: String }

/// This process's own CPU time (user + system), children excluded.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func main() async throws {
    let arguments = CommandLine.arguments.dropFirst()
    guard arguments.count >= 2 else {
        print("usage: mail-bench SMTP_URL PYTHON [MESSAGES]")
        exit(2)
    }
    let url = arguments[arguments.startIndex], python = arguments[arguments.startIndex + 1]
    let count = arguments.count > 2 ? Int(arguments[arguments.startIndex + 2]) ?? 10_000 : 10_000
    let curlCount = 100
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mail-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let sample = folder.appendingPathComponent("message.eml")
    try message(0).write(to: sample)
    let messages = (0..<count).map { n in
        MailEnvelope(sender: "mediation@example.org", recipient: "sian@example.org", messageID: "<bench.\(n)@example.org>", data: message(n))
    }

    // mdrsd's transport: one easy handle, so one connection for every message.
    let transport = try SMTPTransport(settings: SMTPSettings(url: url, requireTLS: false))
    _ = try await transport.send(messages[0]) // connect before the clock starts, as smtplib does
    let cpuBefore = cpuSeconds()
    var start = Date()
    for envelope in messages { _ = try await transport.send(envelope) }
    let mdrsdRate = Double(count) / Date().timeIntervalSince(start)
    let clientMicros = (cpuSeconds() - cpuBefore) / Double(count) * 1e6

    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("smtplib_bench.py").path
    let smtplibOutput = try run(python, [script, url, String(count), sample.path])
    guard let smtplibRate = Double(smtplibOutput.trimmingCharacters(in: .whitespacesAndNewlines)) else {
        throw BenchError(message: "smtplib_bench.py printed \(smtplibOutput)")
    }

    start = Date()
    for _ in 0..<curlCount {
        _ = try run("/usr/bin/curl", ["-s", url, "--mail-from", "mediation@example.org", "--mail-rcpt", "sian@example.org", "-T", sample.path])
    }
    let curlRate = Double(curlCount) / Date().timeIntervalSince(start)

    func round(_ x: Double) -> Double { (x * 10).rounded() / 10 }
    print("mail-bench: \(count) messages via mdrsd and smtplib, \(curlCount) via the curl command, to \(url)")
    print("{\"messages\": \(count), \"mdrsd_msgs_per_s\": \(round(mdrsdRate)), \"smtplib_msgs_per_s\": \(round(smtplibRate)), "
        + "\"curl_cli_msgs_per_s\": \(round(curlRate)), \"ratio_vs_smtplib\": \((mdrsdRate / smtplibRate * 1000).rounded() / 1000), "
        + "\"ratio_vs_curl_cli\": \(round(mdrsdRate / curlRate)), \"mdrsd_client_cpu_us_per_msg\": \(round(clientMicros))}")
}

try await main()
