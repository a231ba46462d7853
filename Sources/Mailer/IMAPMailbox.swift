import CCurl
import CCurlShim
import Foundation

/// The bounce mailbox over IMAP, with libcurl: which messages are new, each
/// one's bytes, and a keyword on each once it is dealt with, so it is read
/// once, also across restarts. One connection serves a pass.
public final class IMAPMailbox: Sendable {
    private let settings: IMAPSettings
    private let connection: CurlConnection

    /// How a message was dealt with, as a keyword on it.
    public enum Mark: String, Sendable {
        /// Read and recorded (a bounce, a delay, an automatic reply, a forgery).
        case processed = "MdrsdRead"
        /// Not understood: left unread for a person, and not read again.
        case leftForPerson = "MdrsdLeft"
    }

    /// The mailbox `settings` names; nothing is sent until the first call.
    public init(settings: IMAPSettings) throws(DeliveryError) {
        guard settings.url.hasPrefix("imap://") || settings.url.hasPrefix("imaps://") else {
            throw DeliveryError(.configuration, message: "the IMAP URL must start with imaps:// or imap://, not '\(settings.url)'")
        }
        self.settings = settings
        connection = CurlConnection(label: "mdrsd.imap") { curl throws(DeliveryError) in try Self.configure(curl, settings) }
    }

    /// The UIDs of messages not yet marked, oldest first.
    public func unmarked() async throws(DeliveryError) -> [UInt32] {
        let output = try await run(url: mailboxURL, request: "UID SEARCH UNKEYWORD \(Mark.processed.rawValue) UNKEYWORD \(Mark.leftForPerson.rawValue)")
        let text = String(decoding: output, as: UTF8.self)
        return text.split(whereSeparator: \.isNewline)
            .filter { $0.hasPrefix("* SEARCH") }
            .flatMap { $0.dropFirst("* SEARCH".count).split(separator: " ").compactMap { UInt32($0) } }
            .sorted()
    }

    /// The whole message with this UID.
    public func fetch(_ uid: UInt32) async throws(DeliveryError) -> [UInt8] {
        try await run(url: "\(mailboxURL)/;UID=\(uid)", request: nil)
    }

    /// Marks the message. One left for a person is also made unread again
    /// (fetching it marked it read), so it stands out in a mail client.
    public func mark(_ uid: UInt32, _ mark: Mark) async throws(DeliveryError) {
        switch mark {
        case .processed:
            _ = try await run(url: mailboxURL, request: "UID STORE \(uid) +FLAGS.SILENT (\\Seen \(mark.rawValue))")
        case .leftForPerson:
            _ = try await run(url: mailboxURL, request: "UID STORE \(uid) +FLAGS.SILENT (\(mark.rawValue))")
            _ = try await run(url: mailboxURL, request: "UID STORE \(uid) -FLAGS.SILENT (\\Seen)")
        }
    }

    /// Closes the connection (the next call opens a new one).
    public func close() async { await connection.close() }

    private var mailboxURL: String {
        let base = settings.url.hasSuffix("/") ? String(settings.url.dropLast()) : settings.url
        return base + "/" + (settings.mailbox.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? settings.mailbox)
    }

    /// One command; a failed connection is not reused.
    private func run(url: String, request: String?) async throws(DeliveryError) -> [UInt8] {
        try await connection.run(dropOnFailure: true) { curl throws(DeliveryError) in
            let sink = Received()
            let context = Unmanaged.passRetained(sink)
            defer { context.release() }
            try curl.set(CURLOPT_URL, url)
            try curl.set(CURLOPT_CUSTOMREQUEST, request)
            try curl.set(CURLOPT_WRITEDATA, pointer: context.toOpaque())
            let code = curl_easy_perform(curl.handle)
            guard code == CURLE_OK else { throw Self.classify(code) }
            return sink.bytes
        }
    }

    private static func configure(_ curl: CurlEasy, _ settings: IMAPSettings) throws(DeliveryError) {
        guard mdrs_curl_setopt_write_function(curl.handle, collect) == CURLE_OK else {
            throw DeliveryError(.configuration, message: "libcurl refused the write callback")
        }
        try curl.set(CURLOPT_NOSIGNAL, 1)
        try curl.set(CURLOPT_CONNECTTIMEOUT, settings.connectTimeoutSeconds)
        try curl.set(CURLOPT_TIMEOUT, settings.timeoutSeconds)
        try curl.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        if let caFile = settings.caFile { try curl.set(CURLOPT_CAINFO, caFile) }
        try curl.set(CURLOPT_USERNAME, settings.username)
        try curl.set(CURLOPT_PASSWORD, settings.password)
    }

    /// Sorts a failure: our settings (tell the administrator), or the
    /// server or network (try again at the next interval).
    static func classify(_ code: CURLcode) -> DeliveryError {
        let words = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_LOGIN_DENIED:
            return DeliveryError(.configuration, message: "the mail server refused the bounce mailbox's username and password")
        case CURLE_USE_SSL_FAILED:
            return DeliveryError(.configuration, message: "the mail server does not offer STARTTLS; mdrsd never sends the password in clear")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM:
            return DeliveryError(.configuration, message: "the mail server's certificate is not trusted (\(words)); set bounces.ca_file or fix the host in bounces.imap_url")
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_REMOTE_ACCESS_DENIED, CURLE_REMOTE_FILE_NOT_FOUND:
            return DeliveryError(.configuration, message: "the bounce mailbox cannot be opened: \(words) (check bounces.imap_url and bounces.mailbox)")
        default:
            return DeliveryError(.transient, message: "cannot read the bounce mailbox: \(words)")
        }
    }
}

/// What the server sent back for one command.
private final class Received {
    var bytes: [UInt8] = []
}

private let collect: mdrs_curl_io_callback = { data, size, count, userdata in
    let length = size * count
    guard let data, let userdata else { return length }
    let sink = Unmanaged<Received>.fromOpaque(userdata).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
    return length
}
