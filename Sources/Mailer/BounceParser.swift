import Crypto
import Foundation

/// Reads a message from the bounce mailbox into a ``BounceReport``: first as
/// an RFC 3464 notice (`multipart/report`, `message/delivery-status`: Action,
/// Status, Final-Recipient), which Postfix, current Exim, Microsoft 365 and
/// Gmail send; then as the plain-text bounces of older servers (Exim's
/// "Mail delivery failed", qmail's "failure notice"); an automatic reply is
/// no bounce. Pure: bytes in, report out.
public enum BounceParser {
    /// What `message` says.
    public static func parse(_ message: some Collection<UInt8>) -> BounceReport {
        let root = MIMEEntity(message)
        let entities = root.walk()
        let carriers = ["to", "delivered-to", "x-original-to", "envelope-to", "x-envelope-to", "x-original-recipient"]
            .flatMap { root.fields($0) }
        // The returned original's own Message-ID first; then what the
        // notice says it answers (Microsoft 365 and Gmail set both).
        var originals = enclosedMessageIDs(entities)
        let answered = (root.fields("in-reply-to") + root.fields("references").flatMap { $0.split(separator: " ").map(String.init) })
            .filter { $0.hasPrefix("<") && $0.hasSuffix(">") }
        if let notice = entities.first(where: { ["message/delivery-status", "message/global-delivery-status"].contains($0.contentType) }) {
            let groups = fieldGroups(notice.body)
            let envelope = ["x-postfix-sender", "original-envelope-id"].compactMap { name in groups.first?.first { $0.name == name }?.value }
            return report(groups.dropFirst(), carriers: carriers + envelope, originals: unique(originals + answered))
        }
        guard looksLikeBounce(root) else {
            return BounceReport(kind: isAutomaticReply(root) ? .notABounce : .unreadable, tokenCarriers: carriers)
        }
        let text = (entities.first { $0.contentType == "text/plain" } ?? root).text
        let (notice, copy) = splitAtReturnedCopy(text)
        if originals.isEmpty { originals = messageIDs(inText: copy) }
        return plainTextReport(notice, failedRecipient: root.field("x-failed-recipients"), carriers: carriers,
                               originals: unique(originals + answered))
    }

    private static func unique(_ ids: [String]) -> [String] {
        var seen: Set<String> = []
        return ids.filter { seen.insert($0).inserted }
    }

    /// A digest of the whole message: the key it is recorded once by.
    public static func fingerprint(_ message: some Collection<UInt8>) -> String {
        SHA256.hash(data: Array(message)).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: - RFC 3464

    private static func report(_ recipients: ArraySlice<[(name: String, value: String)]>, carriers: [String],
                               originals: [String]) -> BounceReport {
        func value(_ group: [(name: String, value: String)], _ name: String) -> String? { group.first { $0.name == name }?.value }
        // One recipient an email, but a notice may list more: the worst counts.
        let ranked = recipients.filter { value($0, "action") != nil || value($0, "status") != nil }
        let chosen = ranked.first { value($0, "action")?.lowercased() == "failed" }
            ?? ranked.first { value($0, "action")?.lowercased() == "delayed" } ?? ranked.first
        guard let chosen else { return BounceReport(kind: .unreadable, tokenCarriers: carriers, originalMessageIDs: originals) }
        let status = value(chosen, "status").flatMap(enhancedStatus(in:))
        let kind: BounceReport.Kind
        switch value(chosen, "action")?.lowercased() {
        case "failed": kind = .failed
        case "delayed": kind = .delayed
        case "delivered", "relayed", "expanded": kind = .notABounce
        default:
            kind = status?.first == "5" ? .failed : status?.first == "4" ? .delayed : .unreadable
        }
        return BounceReport(kind: kind, status: status, finalRecipient: value(chosen, "final-recipient").map(afterType),
                            diagnostic: value(chosen, "diagnostic-code").map(afterType), tokenCarriers: carriers,
                            originalMessageIDs: originals)
    }

    /// `rfc822; a@example.org` → `a@example.org`; `smtp; 550 …` → `550 …`.
    private static func afterType(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value }
        return value[value.index(after: semicolon)...].trimmingCharacters(in: .whitespaces)
    }

    /// The blocks of fields in a delivery-status body, split at blank lines.
    static func fieldGroups(_ body: [UInt8]) -> [[(name: String, value: String)]] {
        var groups: [[UInt8]] = [[]]
        var line: [UInt8] = []
        for byte in body + [10] {
            guard byte == 10 else { line.append(byte); continue }
            if line.last == 13 { line.removeLast() }
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) {
                if !(groups.last?.isEmpty ?? true) { groups.append([]) }
            } else {
                groups[groups.count - 1] += line + [10]
            }
            line.removeAll(keepingCapacity: true)
        }
        return groups.filter { !$0.isEmpty }.map(MIMEEntity.parseFields)
    }

    /// The Message-IDs of the originals a notice returns, whole or headers only.
    private static func enclosedMessageIDs(_ entities: [MIMEEntity]) -> [String] {
        entities.filter { ["message/rfc822", "text/rfc822-headers", "message/global"].contains($0.contentType) }
            .compactMap { $0.parts().first?.field("message-id") }
    }

    // MARK: - Plain-text bounces

    /// Sent by a mail system rather than a person, about a delivery.
    private static func looksLikeBounce(_ root: MIMEEntity) -> Bool {
        if root.field("x-failed-recipients") != nil { return true }
        let from = (root.field("from") ?? "").lowercased()
        let subject = (root.field("subject") ?? "").lowercased()
        let bySystem = ["mailer-daemon", "postmaster", "mail delivery"].contains { from.contains($0) }
        let aboutDelivery = ["undeliver", "delivery status notification", "delivery failed", "delivery failure", "returned mail",
                             "failure notice", "delivery delayed", "delivery has failed", "could not be delivered", "warning: message"]
            .contains { subject.contains($0) }
        return bySystem && aboutDelivery || bySystem && root.field("auto-submitted") != nil
    }

    /// An out-of-office or other automatic reply (RFC 3834), never a bounce.
    private static func isAutomaticReply(_ root: MIMEEntity) -> Bool {
        if let submitted = root.field("auto-submitted")?.lowercased(), !submitted.hasPrefix("no") { return true }
        if root.field("x-autoreply") != nil || root.field("x-autorespond") != nil { return true }
        if root.field("precedence")?.lowercased() == "auto_reply" { return true }
        let subject = (root.field("subject") ?? "").lowercased()
        return ["out of office", "automatic reply", "auto:", "autoreply", "away from"].contains { subject.contains($0) }
    }

    /// The notice's own words, and the returned copy after its marker line.
    private static func splitAtReturnedCopy(_ text: String) -> (notice: String, copy: String) {
        let lower = text.lowercased()
        let markers = ["this is a copy of the message", "below this line is a copy of the message", "original message follows",
                       "----- original message", "------ this is a copy", "the headers of the message"]
        let cut = markers.compactMap { lower.range(of: $0)?.lowerBound }.min()
        guard let cut else { return (text, "") }
        let offset = lower.distance(from: lower.startIndex, to: cut)
        let index = text.index(text.startIndex, offsetBy: offset)
        return (String(text[..<index]), String(text[index...]))
    }

    private static func plainTextReport(_ notice: String, failedRecipient: String?, carriers: [String],
                                        originals: [String]) -> BounceReport {
        let lower = notice.lowercased()
        let status = enhancedStatus(in: notice)
        let kind: BounceReport.Kind
        if let status, status.first == "5" || status.first == "4" {
            kind = status.first == "5" ? .failed : .delayed
        } else if lower.contains("permanent error") || lower.contains("permanent failure") {
            kind = .failed
        } else if ["not yet been delivered", "delivery attempts will continue", "will keep trying", "delayed"].contains(where: lower.contains) {
            kind = .delayed
        } else if ["could not be delivered", "couldn't be delivered", "wasn't able to deliver", "undeliverable"].contains(where: lower.contains) {
            kind = .failed
        } else {
            return BounceReport(kind: .unreadable, tokenCarriers: carriers, originalMessageIDs: originals)
        }
        let lines = notice.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        let diagnostic = lines.first { line in status.map { line.contains($0) } ?? false }
            ?? lines.first { $0.lowercased().contains("smtp error") || $0.hasPrefix("5") || $0.hasPrefix("4") }
        let recipient = failedRecipient ?? lines.lazy.compactMap(firstAddress(in:)).first
        return BounceReport(kind: kind, status: status ?? (kind == .failed ? "5.0.0" : "4.0.0"), finalRecipient: recipient,
                            diagnostic: diagnostic, tokenCarriers: carriers, originalMessageIDs: originals)
    }

    /// The first `class.subject.detail` code (RFC 3463) in text.
    static func enhancedStatus(in text: String) -> String? {
        guard let match = text.firstMatch(of: #/(?:^|[^\w.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/#) else { return nil }
        return "\(match.1).\(match.2).\(match.3)"
    }

    private static func firstAddress(in line: String) -> String? {
        guard let match = line.firstMatch(of: #/[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/#) else { return nil }
        return String(match.0)
    }

    private static func messageIDs(inText text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.lowercased().hasPrefix("message-id:") else { return nil }
            return trimmed.dropFirst("message-id:".count).trimmingCharacters(in: .whitespaces)
        }
    }
}
