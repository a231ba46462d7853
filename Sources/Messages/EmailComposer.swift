import Foundation

/// Builds the RFC 5322 message: one recipient, multipart/alternative text and
/// HTML in UTF-8, a stable Message-ID, and headers no value can break out of.
///
/// This is done here rather than with libcurl's MIME API because the same
/// bytes must go to the file transport and into the delivery log, and the
/// Message-ID and Date must be ours, not generated at send time.
public struct EmailComposer: Sendable {
    public let service: ServiceIdentity

    public init(service: ServiceIdentity) {
        self.service = service
    }

    /// A Message-ID derived only from the job's stable key, so every attempt
    /// at the same job carries the same id. The key is reduced to safe
    /// characters; it holds references and roles, never personal data.
    public func messageID(forJobKey key: String) -> String {
        let safe = String(key.map { $0.isASCII && ($0.isLetter || $0.isNumber || ".-_".contains($0)) ? $0 : "." })
        return "<\(safe)@\(service.domain)>"
    }

    /// Composes the email.
    /// - Parameters:
    ///   - rendered: the subject, text and HTML from the templates.
    ///   - to: the recipient's address and name.
    ///   - jobKey: the job's stable key, for the Message-ID and MIME boundary.
    ///   - date: the `Date:` header (the real or the simulated now).
    public func compose(_ rendered: RenderedMessage, to address: String, name: String?, jobKey: String, date: Date) -> OutgoingEmail {
        let id = messageID(forJobKey: jobKey)
        let boundary = "=_mdrsd_\(String(stableHash(jobKey), radix: 36))"
        var headers: [(String, String)] = [
            ("From", HeaderEncoding.mailbox(name: service.name, address: service.fromAddress)),
            ("To", HeaderEncoding.mailbox(name: name, address: address)),
            ("Reply-To", HeaderEncoding.mailbox(name: service.name, address: service.replyTo)),
            ("Subject", HeaderEncoding.unstructured(rendered.subject)),
            ("Date", Self.rfc5322Date(date)),
            ("Message-ID", id),
            ("Auto-Submitted", "auto-generated"),
            ("MIME-Version", "1.0"),
        ]
        headers.append(("Content-Type", "multipart/alternative; boundary=\"\(boundary)\""))
        var lines = headers.map { "\($0.0): \($0.1)" }
        lines.append("")
        lines.append("This is a message in text and HTML.")
        for (type, body) in [("text/plain", rendered.text), ("text/html", rendered.html)] {
            lines.append("--\(boundary)")
            lines.append("Content-Type: \(type); charset=UTF-8")
            lines.append("Content-Transfer-Encoding: quoted-printable")
            lines.append("")
            lines.append(QuotedPrintable.encode(body))
        }
        lines.append("--\(boundary)--")
        lines.append("")
        return OutgoingEmail(sender: service.fromAddress, recipient: address, messageID: id,
                             subject: rendered.subject, data: Data(lines.joined(separator: "\r\n").utf8))
    }

    /// `Tue, 23 Mar 2027 10:00:00 +0000`
    public static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    /// FNV-1a: stable across runs and platforms, unlike `Hasher`.
    private func stableHash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
