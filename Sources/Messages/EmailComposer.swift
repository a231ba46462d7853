public import Foundation
import MediationDomain

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
    ///   - invite: a calendar invitation to attach, if any.
    ///   - language: the templates' language, for `Content-Language:` and the sender's name.
    public func compose(_ rendered: RenderedMessage, to address: String, name: String?, jobKey: String, date: Date,
                        invite: CalendarInvite? = nil, language: String = "en") -> OutgoingEmail {
        let id = messageID(forJobKey: jobKey)
        let boundary = "=_mdrsd_\(String(stableHash(jobKey), radix: 36))"
        var lines = [
            "From: " + HeaderEncoding.mailbox(name: service.name(in: language), address: service.fromAddress),
            "To: " + HeaderEncoding.mailbox(name: name, address: address),
            "Reply-To: " + HeaderEncoding.mailbox(name: service.name(in: language), address: service.replyTo),
            "Subject: " + HeaderEncoding.unstructured(rendered.subject),
            "Date: " + InstantText.rfc5322(date),
            "Message-ID: " + id,
            "Auto-Submitted: auto-generated",
            // Which language a screen reader speaks the message in.
            "Content-Language: " + HeaderEncoding.sanitized(language),
            "MIME-Version: 1.0",
        ]
        let alternative = Self.alternative(rendered, boundary: boundary + ".a")
        if let invite {
            lines.append("Content-Type: multipart/mixed; boundary=\"\(boundary)\"")
            lines += ["", "This is a message in text and HTML with a calendar invitation.", "--\(boundary)"]
            lines += alternative
            lines += ["--\(boundary)",
                      "Content-Type: text/calendar; charset=UTF-8; method=\(invite.method.rawValue); name=\"invite.ics\"",
                      "Content-Disposition: attachment; filename=\"invite.ics\"",
                      "Content-Transfer-Encoding: base64", ""]
            lines += Self.base64Lines(Data(invite.text.utf8))
            lines += ["--\(boundary)--", ""]
        } else {
            lines += alternative.prefix(1)
            lines += ["", "This is a message in text and HTML."]
            lines += alternative.dropFirst(2)
        }
        return OutgoingEmail(sender: service.fromAddress, recipient: address, messageID: id,
                             subject: rendered.subject, data: Data(lines.joined(separator: "\r\n").utf8))
    }

    /// The text and HTML as one multipart/alternative entity: its
    /// Content-Type line, a blank line, then the parts.
    private static func alternative(_ rendered: RenderedMessage, boundary: String) -> [String] {
        var lines = ["Content-Type: multipart/alternative; boundary=\"\(boundary)\"", ""]
        for (type, body) in [("text/plain", rendered.text), ("text/html", rendered.html)] {
            lines += ["--\(boundary)", "Content-Type: \(type); charset=UTF-8", "Content-Transfer-Encoding: quoted-printable", "",
                      QuotedPrintable.encode(body)]
        }
        lines += ["--\(boundary)--", ""]
        return lines
    }

    private static func base64Lines(_ data: Data) -> [String] {
        let text = Array(data.base64EncodedString().utf8)
        return stride(from: 0, to: text.count, by: 76).map { String(decoding: text[$0..<min($0 + 76, text.count)], as: UTF8.self) }
    }

    /// FNV-1a: stable across runs and platforms, unlike `Hasher`.
    private func stableHash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
