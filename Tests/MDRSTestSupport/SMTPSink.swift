public import Foundation

/// A real SMTP server (aiosmtpd, `Tests/Support/smtp_sink.py`) on a free
/// loopback port; what it accepts is read back as ``ReceivedMessage``s.
public final class SMTPSink: @unchecked Sendable {
    // @unchecked: set up in init, then only read; the server's state is in its folder.
    /// How the server behaves (see smtp_sink.py).
    public enum Mode: String, Sendable { case ok, reply421 = "421", defer451Once = "451-once", reject550 = "550", stall, slow, pauseAtTen = "pause-at-10", discard }

    let process = Process()
    private let temporary: TemporaryFolder
    public var folder: URL { temporary.url }
    public private(set) var port = 0
    private let stdin = Pipe()

    /// Starts the server on a thread of its own: Python's start must not
    /// hold one of the few threads every test in the process shares.
    /// - Parameters:
    ///   - mode: how it answers.
    ///   - port: a fixed port, or 0 for a free one.
    ///   - tls: the certificate to present: STARTTLS is then required.
    ///   - auth: `user:password` to require AUTH; `mechanism` limits it to PLAIN or LOGIN.
    public static func start(mode: Mode = .ok, port: Int = 0, tls: SelfSignedCertificate? = nil,
                             auth: String? = nil, mechanism: String? = nil) async throws -> SMTPSink {
        try await TestEnvironment.onOwnThread { try SMTPSink(mode: mode, port: port, tls: tls, auth: auth, mechanism: mechanism) }
    }

    private init(mode: Mode, port: Int, tls: SelfSignedCertificate?, auth: String?, mechanism: String?) throws {
        temporary = try TemporaryFolder("sink")
        let stdout = Pipe()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.python)
        var arguments = [TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/smtp_sink.py").path, folder.path,
                         "--mode", mode.rawValue, "--port", String(port)]
        if let tls { arguments += ["--tls", tls.cert, tls.key] }
        if let auth { arguments += ["--auth", auth] }
        if let mechanism { arguments += ["--auth-mechanism", mechanism] }
        process.arguments = arguments
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

    /// The `smtp://127.0.0.1:port` URL of this server.
    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// Lets a `.pauseAtTen` relay answer again.
    public func resume() throws {
        try Data().write(to: folder.appendingPathComponent("resume"))
    }

    /// How many SMTP sessions clients opened.
    public var connections: Int {
        (try? String(contentsOf: folder.appendingPathComponent("connections"), encoding: .utf8)).flatMap { Int($0) } ?? 0
    }

    /// How many messages were accepted so far (without reading them).
    public var count: Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.count
    }

    /// Messages accepted so far, in order.
    public var messages: [ReceivedMessage] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { name in
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            return ReceivedMessage(mailFrom: object["mail_from"] as? String ?? "", rcptTos: object["rcpt_tos"] as? [String] ?? [],
                                   data: object["data"] as? String ?? "", tls: object["tls"] as? Bool ?? false,
                                   authenticated: object["auth"] as? Bool ?? false)
        }
    }

    /// Closing its stdin stops the sink (a signal may be masked in children
    /// of the test runner); SIGKILL if it has not gone within five seconds.
    public func stop() {
        try? stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// One message as the server received it.
public struct ReceivedMessage {
    public let mailFrom: String
    public let rcptTos: [String]
    public let data: String
    /// Whether it came over a STARTTLS-protected session.
    public let tls: Bool
    /// Whether the client had authenticated.
    public let authenticated: Bool

    public init(mailFrom: String, rcptTos: [String], data: String, tls: Bool, authenticated: Bool) {
        self.mailFrom = mailFrom
        self.rcptTos = rcptTos
        self.data = data
        self.tls = tls
        self.authenticated = authenticated
    }

    /// Header lines, unfolded, split at the first colon.
    public var headers: [(name: String, value: String)] {
        let head = data.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")[0]
        return head.replacingOccurrences(of: "\n ", with: " ").components(separatedBy: "\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }

    public func header(_ name: String) -> [String] { headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value) }

    /// The text/plain part, quoted-printable decoded.
    public var plainText: String {
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
