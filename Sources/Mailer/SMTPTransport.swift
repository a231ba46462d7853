import CCurl
import CCurlShim
import Foundation

/// Delivers over SMTP with libcurl, one recipient per message.
///
/// One easy handle lives as long as the transport, so consecutive messages
/// reuse the connection (libcurl sends RSET-free new transactions on it);
/// transfers run one at a time on the connection's queue.
public final class SMTPTransport: MailTransport, Sendable {
    private let connection: CurlConnection

    public init(settings: SMTPSettings) throws(DeliveryError) {
        guard settings.url.hasPrefix("smtp://") || settings.url.hasPrefix("smtps://") else {
            throw DeliveryError(.configuration, message: "SMTP URL must start with smtp:// or smtps://, not '\(settings.url)'")
        }
        connection = CurlConnection(label: "mdrsd.smtp") { curl throws(DeliveryError) in try Self.configure(curl, settings) }
    }

    public func send(_ envelope: MailEnvelope) async throws(DeliveryError) -> DeliveryReceipt {
        try await connection.run { curl throws(DeliveryError) in try Self.deliver(envelope, on: curl) }
    }

    /// Runs on the connection's queue.
    private static func deliver(_ envelope: MailEnvelope, on curl: CurlEasy) throws(DeliveryError) -> DeliveryReceipt {
        let transfer = Transfer(data: envelope.data)
        let context = Unmanaged.passRetained(transfer)
        defer {
            context.release()
            curl.freeLists()
        }
        try configure(curl, envelope: envelope, context: context.toOpaque())
        let code = curl_easy_perform(curl.handle)
        let reply = transfer.lastReply
        let replyCode = curl.responseCode()
        if code == CURLE_OK {
            return DeliveryReceipt(code: replyCode, reply: reply ?? "\(replyCode)")
        }
        throw Self.classify(code, replyCode: replyCode, detail: Self.explain(code, refusal: transfer.lastRefusal, reply: reply))
    }

    /// What stays the same for every message, set once per handle.
    private static func configure(_ curl: CurlEasy, _ settings: SMTPSettings) throws(DeliveryError) {
        try curl.set(CURLOPT_URL, ehloURL(settings))
        try curl.set(CURLOPT_UPLOAD, 1)
        try check(mdrs_curl_setopt_read_function(curl.handle, readBody))
        // libcurl hands SMTP reply lines to the header callback, as it does
        // FTP control lines; no verbose mode needed to learn the last reply.
        try check(mdrs_curl_setopt_header_function(curl.handle, captureReplies))
        try curl.set(CURLOPT_NOSIGNAL, 1)
        try curl.set(CURLOPT_CONNECTTIMEOUT, settings.connectTimeoutSeconds)
        try curl.set(CURLOPT_TIMEOUT, settings.timeoutSeconds)
        let tls = settings.requireTLS || settings.url.hasPrefix("smtps://") ? CURLUSESSL_ALL : CURLUSESSL_NONE
        try curl.set(CURLOPT_USE_SSL, Int(tls.rawValue))
        if let caFile = settings.caFile { try curl.set(CURLOPT_CAINFO, caFile) }
        if let username = settings.username {
            try curl.set(CURLOPT_USERNAME, username)
            try curl.set(CURLOPT_PASSWORD, settings.password ?? "")
        }
    }

    /// The envelope of one message.
    private static func configure(_ curl: CurlEasy, envelope: MailEnvelope, context: UnsafeMutableRawPointer) throws(DeliveryError) {
        try curl.set(CURLOPT_MAIL_FROM, "<\(envelope.sender)>")
        try curl.set(CURLOPT_MAIL_RCPT, list: ["<\(envelope.recipient)>"])
        try curl.set(CURLOPT_INFILESIZE_LARGE, envelope.data.count)
        try curl.set(CURLOPT_READDATA, pointer: context)
        try curl.set(CURLOPT_HEADERDATA, pointer: context)
    }

    /// libcurl says `EHLO <path of the URL>`; without a path it would say
    /// `EHLO localhost`, which some relays refuse, so the sender's domain is
    /// used when the URL names none.
    private static func ehloURL(_ settings: SMTPSettings) -> String {
        let afterScheme = settings.url.split(separator: "://", maxSplits: 1).last ?? ""
        guard !afterScheme.contains("/"), let domain = settings.ehloDomain else { return settings.url }
        return settings.url + "/" + domain
    }

    private static func check(_ code: CURLcode) throws(DeliveryError) {
        guard code == CURLE_OK else {
            throw DeliveryError(.configuration, message: "libcurl refused a callback: \(String(cString: curl_easy_strerror(code)))")
        }
    }

    /// What happened, in words: the relay's refusal when there was one;
    /// otherwise what libcurl found, since its last reply line (the end of
    /// EHLO, say "250 HELP") does not say what went wrong.
    static func explain(_ code: CURLcode, refusal: String?, reply: String?) -> String {
        if let refusal { return refusal }
        switch code {
        case CURLE_USE_SSL_FAILED:
            return "the relay does not offer STARTTLS, and mail.require_tls is on" + (reply.map { " (its last reply: \($0))" } ?? "")
        case CURLE_LOGIN_DENIED:
            return "the relay refused the username and password" + (reply.map { " (\($0))" } ?? "")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE:
            return "the relay's certificate is not trusted (set mail.ca_file to its CA, or fix the name in mail.smtp_url)"
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT:
            return "cannot reach the relay: \(String(cString: curl_easy_strerror(code)))"
        default:
            return reply.map { "\(String(cString: curl_easy_strerror(code))) (the relay's last reply: \($0))" }
                ?? String(cString: curl_easy_strerror(code))
        }
    }

    /// Sorts a failure into what the dispatcher should do about it.
    static func classify(_ code: CURLcode, replyCode: Int, detail: String) -> DeliveryError {
        switch code {
        case CURLE_LOGIN_DENIED, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_USE_SSL_FAILED,
             CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CONNECT_ERROR:
            return DeliveryError(.configuration, code: replyCode == 0 ? nil : replyCode, message: detail)
        default:
            break
        }
        switch replyCode {
        case 530, 534, 535, 538: return DeliveryError(.configuration, code: replyCode, message: detail)
        case 500...599: return DeliveryError(.permanent, code: replyCode, message: detail)
        case 400...499: return DeliveryError(.transient, code: replyCode, message: detail)
        default: return DeliveryError(.transient, code: replyCode == 0 ? nil : replyCode, message: detail)
        }
    }
}

/// The body being uploaded and what the server has said so far.
private final class Transfer {
    let data: Data
    var offset = 0
    /// The raw bytes of the server's latest reply line, and of its latest
    /// refusal (4xx/5xx); decoded once, after the transfer, because libcurl
    /// calls back for every line. After a refusal libcurl says QUIT, so the
    /// latest line is then "221 Bye" and the refusal is what matters.
    var lastReplyBytes: [UInt8] = []
    var lastRefusalBytes: [UInt8] = []

    init(data: Data) { self.data = data }

    var lastReply: String? { Self.text(lastReplyBytes) }
    var lastRefusal: String? { Self.text(lastRefusalBytes) }

    private static func text(_ raw: [UInt8]) -> String? {
        var bytes = raw[...]
        while let last = bytes.last, last == 10 || last == 13 || last == 32 { bytes = bytes.dropLast() }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}

private let readBody: mdrs_curl_io_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let n = min(size * count, transfer.data.count - transfer.offset)
    if n > 0 {
        transfer.data.withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + transfer.offset, byteCount: n)
        }
        transfer.offset += n
    }
    return n
}

/// Keeps the server's last reply line (`250 2.0.0 Ok: queued as …`).
private let captureReplies: mdrs_curl_io_callback = { data, size, count, userdata in
    let length = size * count
    guard let data, let userdata, length > 2 else { return length }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let line = UnsafeRawBufferPointer(start: data, count: length)
    transfer.lastReplyBytes.removeAll(keepingCapacity: true)
    transfer.lastReplyBytes.append(contentsOf: line)
    if line[0] == UInt8(ascii: "4") || line[0] == UInt8(ascii: "5") {
        transfer.lastRefusalBytes.removeAll(keepingCapacity: true)
        transfer.lastRefusalBytes.append(contentsOf: line)
    }
    return length
}
