import Foundation
import Glibc

/// A throwaway Dovecot (Debian's `dovecot-imapd`) on a loopback port with
/// its own config, certificate, user and Maildir under a temporary folder;
/// STARTTLS required. Run as root it keeps Dovecot's own unprivileged
/// users and stores mail as `nobody`; run as anyone else, everything runs
/// as that user. Messages go in, and flags come out, through Python's
/// imaplib (`Tests/Support/imap_tool.py`), as a mail client would.
public final class IMAPServer: @unchecked Sendable {
    public static let dovecot = "/usr/sbin/dovecot"
    public let username = "bounces@example.org"
    public let password = "imap-s3cret-example"
    public private(set) var port = 0
    /// The certificate the server presents; trust it with `ca_file`.
    public let certificate: String

    private let temporary: TemporaryFolder
    private let process = Process()

    /// Starts the server on a thread of its own (a key is made, Dovecot
    /// starts): that must not hold one of the few threads every test in the
    /// process shares. Throws when Dovecot is missing or does not listen.
    public static func start() async throws -> IMAPServer {
        try await TestEnvironment.onOwnThread { try IMAPServer() }
    }

    private init() throws {
        temporary = try TemporaryFolder("imap")
        let root = temporary.url.path
        chmod(root, 0o755) // Dovecot's own users must reach the files below
        let pair = try SelfSignedCertificate(makingIn: temporary.url)
        certificate = pair.cert
        for folder in ["home", "run", "state"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        }
        chmod("\(root)/home", 0o777)
        try "\(username):{PLAIN}\(password)\n".write(toFile: "\(root)/passwd", atomically: true, encoding: .utf8)
        port = try Self.freePort()
        let users: String
        var privileges = ""
        if getuid() == 0 {
            users = "uid=nobody gid=nogroup"
        } else {
            let user = String(cString: getpwuid(getuid()).pointee.pw_name)
            let group = String(cString: getgrgid(getgid()).pointee.gr_name)
            users = "uid=\(user) gid=\(group)"
            privileges = "default_internal_user = \(user)\ndefault_internal_group = \(group)\ndefault_login_user = \(user)"
        }
        try privileges.write(toFile: "\(root)/users.conf", atomically: true, encoding: .utf8)
        try """
            !include \(root)/users.conf
            protocols = imap
            listen = 127.0.0.1
            base_dir = \(root)/run
            state_dir = \(root)/state
            log_path = \(root)/dovecot.log
            ssl = required
            ssl_cert = <\(certificate)
            ssl_key = <\(pair.key)
            disable_plaintext_auth = yes
            auth_mechanisms = plain login
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u \(root)/passwd
            }
            userdb {
              driver = static
              args = \(users) home=\(root)/home/%u
            }
            mail_location = maildir:~/Maildir
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = \(port)
              }
              inet_listener imaps {
                port = 0
              }
            }
            """.write(toFile: "\(root)/dovecot.conf", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: Self.dovecot)
        process.arguments = ["-F", "-c", "\(root)/dovecot.conf"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while !Self.accepts(port) {
            guard Date() < deadline, process.isRunning else {
                stop()
                throw ServerError(message: "Dovecot did not listen on \(port): \(log)")
            }
            usleep(50_000)
        }
    }

    struct ServerError: Error { let message: String }

    /// `imap://127.0.0.1:PORT` (STARTTLS).
    public var url: String { "imap://127.0.0.1:\(port)" }

    /// Dovecot's log, for failure messages.
    public var log: String { (try? String(contentsOfFile: temporary.path("dovecot.log").path, encoding: .utf8)) ?? "" }

    /// Delivers `message` into INBOX.
    public func append(_ message: [UInt8]) async throws {
        _ = try await tool(["append"], input: Data(message))
    }

    /// Every message's flags and keywords, by UID.
    public func flags() async throws -> [UInt32: Set<String>] {
        let data = try await tool(["flags"], input: nil)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: [String]] ?? [:]
        return Dictionary(uniqueKeysWithValues: object.compactMap { key, value in UInt32(key).map { ($0, Set(value)) } })
    }

    /// Takes a keyword off one message (as if the reader crashed before setting it).
    public func removeKeyword(_ keyword: String, uid: UInt32) async throws {
        _ = try await tool(["unflag", String(uid), keyword], input: nil)
    }

    /// Runs imap_tool.py on a thread of its own.
    private func tool(_ command: [String], input: Data?) async throws -> Data {
        try await TestEnvironment.onOwnThread { try self.toolHere(command, input: input) }
    }

    private func toolHere(_ command: [String], input: Data?) throws -> Data {
        let tool = Process()
        tool.executableURL = URL(fileURLWithPath: TestEnvironment.python)
        tool.arguments = [TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/imap_tool.py").path, command[0],
                          String(port), username, password, certificate] + command.dropFirst()
        let stdin = Pipe(), stdout = Pipe()
        tool.standardInput = stdin
        tool.standardOutput = stdout
        tool.standardError = FileHandle.nullDevice
        try tool.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        tool.waitUntilExit()
        guard tool.terminationStatus == 0 else { throw ServerError(message: "imap_tool.py \(command[0]) failed: \(log)") }
        return output
    }

    /// Stops Dovecot and its children.
    public func stop() {
        guard process.isRunning else { return }
        // SIGKILL: the test runner's children may have SIGINT masked, and
        // Dovecot's master stops its children with it; they notice the
        // master's end on their own and exit.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }

    /// A port nothing listens on now (the kernel's pick for port 0).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw ServerError(message: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
