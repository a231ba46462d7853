import Foundation

/// A real SMTP server (aiosmtpd, `Tests/Support/smtp_sink.py`) on a free
/// loopback port; what it accepts is read back as ``ReceivedMessage``s.
final class SMTPSink {
    let process = Process()
    let folder: URL
    private(set) var port = 0
    private let stdin = Pipe()

    init() throws {
        folder = try TestEnvironment.temporaryFolder("sink")
        let stdout = Pipe()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.python)
        process.arguments = [TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/smtp_sink.py").path, folder.path]
        process.standardOutput = stdout
        process.standardInput = stdin
        try process.run()
        let line = String(decoding: stdout.fileHandleForReading.availableDataLine(), as: UTF8.self)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw SinkError(message: "smtp_sink.py did not start (\(TestEnvironment.python)): \(line)")
        }
        self.port = port
    }

    struct SinkError: Error { let message: String }

    var messages: [ReceivedMessage] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { name in
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            return ReceivedMessage(mailFrom: object["mail_from"] as? String ?? "", rcptTos: object["rcpt_tos"] as? [String] ?? [],
                                   data: object["data"] as? String ?? "")
        }
    }

    /// Closing its stdin stops the sink (a signal may be masked in children
    /// of the test runner); SIGKILL if it has not gone within five seconds.
    func stop() {
        try? stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// One message as the server received it.
struct ReceivedMessage {
    let mailFrom: String
    let rcptTos: [String]
    let data: String

    /// Header lines, unfolded, split at the first colon.
    var headers: [(name: String, value: String)] {
        let head = data.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")[0]
        return head.replacingOccurrences(of: "\n ", with: " ").components(separatedBy: "\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }

    func header(_ name: String) -> [String] { headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value) }

    /// The text/plain part, quoted-printable decoded.
    var plainText: String {
        let normal = data.replacingOccurrences(of: "\r\n", with: "\n")
        guard let start = normal.range(of: "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n") else { return "" }
        let rest = normal[start.upperBound...]
        let body = rest.components(separatedBy: "\n--").first ?? ""
        return Self.decodeQuotedPrintable(body)
    }

    static func decodeQuotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let unfolded = text.replacingOccurrences(of: "=\n", with: "")
        var i = unfolded.utf8.startIndex
        let utf8 = unfolded.utf8
        while i < utf8.endIndex {
            let byte = utf8[i]
            if byte == UInt8(ascii: "="), let end = utf8.index(i, offsetBy: 3, limitedBy: utf8.endIndex),
               let value = UInt8(String(decoding: utf8[utf8.index(after: i)..<end], as: UTF8.self), radix: 16) {
                bytes.append(value)
                i = end
            } else {
                bytes.append(byte)
                i = utf8.index(after: i)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension FileHandle {
    /// Reads up to the first newline (blocking), for a child's ready line.
    func availableDataLine() -> Data {
        var line = Data()
        while let byte = try? read(upToCount: 1), let first = byte.first, first != 10 { line.append(first) }
        return line
    }
}
