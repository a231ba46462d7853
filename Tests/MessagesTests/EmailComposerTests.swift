import Foundation
import MDRSTestSupport
import Messages
import SeededRandom
import Testing

@Suite struct EmailComposerTests {
    let composer = EmailComposer(service: ServiceIdentity(name: "SEND Mediation Service", fromAddress: "mediation@example.org",
                                                          replyTo: "help@example.org", phone: "0161 496 0999"))
    let date = Date(timeIntervalSince1970: 1_805_796_000)

    func headers(_ email: OutgoingEmail) -> [String] {
        let text = String(decoding: email.data, as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n")[0]
        // Unfold continuation lines, then one header per line.
        return head.replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n")
    }

    @Test func headersAreCompleteAndStable() {
        let rendered = RenderedMessage(subject: "Your meeting is booked: MDRS-2027-0142", text: "Hello", html: "<p>Hello</p>")
        let email = composer.compose(rendered, to: "sian@example.org", name: "Sian", jobKey: "booking_confirmation.MDRS-2027-0142.v1.parent.0", date: date)
        let lines = headers(email)
        #expect(lines.contains("From: \"SEND Mediation Service\" <mediation@example.org>"))
        #expect(lines.filter { $0.hasPrefix("To:") } == ["To: \"Sian\" <sian@example.org>"])
        #expect(lines.contains("Reply-To: \"SEND Mediation Service\" <help@example.org>"))
        #expect(lines.contains("Date: Tue, 23 Mar 2027 10:00:00 +0000"))
        #expect(lines.contains("Auto-Submitted: auto-generated"))
        #expect(lines.contains("Message-ID: <booking_confirmation.MDRS-2027-0142.v1.parent.0@example.org>"))
        let again = composer.compose(rendered, to: "sian@example.org", name: "Sian", jobKey: "booking_confirmation.MDRS-2027-0142.v1.parent.0", date: date.addingTimeInterval(600))
        #expect(again.messageID == email.messageID)
    }

    @Test func nonASCIIBecomesEncodedWords() {
        let rendered = RenderedMessage(subject: "Cyfarfod wedi’i drefnu: MDRS-1", text: "Siân", html: "Siân")
        let email = composer.compose(rendered, to: "sian@example.org", name: "Siân Ó Briain", jobKey: "k", date: date)
        let lines = headers(email)
        #expect(lines.contains { $0.hasPrefix("Subject: =?UTF-8?B?") })
        #expect(lines.contains { $0.hasPrefix("To: =?UTF-8?B?") && $0.hasSuffix("<sian@example.org>") })
        let raw = String(decoding: email.data, as: UTF8.self)
        #expect(raw.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test(arguments: ["Evil\r\nBcc: victim@example.org", "Evil\nBcc: victim@example.org", "Evil\rBcc: victim@example.org"])
    func crlfCannotInjectHeaders(hostile: String) {
        let rendered = RenderedMessage(subject: "Ref \(hostile)", text: "t", html: "h")
        let email = composer.compose(rendered, to: "sian@example.org\r\nBcc: victim@example.org", name: hostile, jobKey: "k\r\nX: y", date: date)
        let lines = headers(email)
        #expect(!lines.contains { $0.hasPrefix("Bcc:") || $0.hasPrefix("X:") })
        #expect(lines.filter { $0.hasPrefix("To:") }.count == 1)
    }
}

@Suite struct HeaderEncodingTests {
    /// A long non-ASCII name splits into encoded words of at most 75
    /// characters that decode back to it (in one pass: each character once).
    @Test func longNamesBecomeWordsThatDecodeBack() throws {
        let name = String(repeating: "Siân Ó Briain ", count: 2000)
        let composer = EmailComposer(service: ServiceIdentity(name: "S", fromAddress: "a@example.org", replyTo: "a@example.org", phone: "0"))
        let email = composer.compose(RenderedMessage(subject: "s", text: "t", html: "h"), to: "b@example.org", name: name, jobKey: "k", date: Date())
        let text = String(decoding: email.data, as: UTF8.self)
        let header = text.components(separatedBy: "\r\n").drop { !$0.hasPrefix("To: ") }.prefix { $0.hasPrefix("To: ") || $0.hasPrefix(" ") }
        try #require(!header.isEmpty, "no To: header")
        let words = header.joined().replacingOccurrences(of: "To: ", with: "").split(separator: " ").filter { $0.hasPrefix("=?") }
        #expect(words.allSatisfy { $0.count <= 75 })
        let decoded = words.map { word -> String in
            let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64))!, as: UTF8.self)
        }.joined()
        #expect(decoded == name)
    }
}

/// Quoted-printable bodies: random text of ASCII, spaces and tabs at line
/// ends, `=`, accents, Welsh and emoji comes back byte for byte, and every
/// encoded line is short, printable and free of trailing white space.
@Suite struct QuotedPrintableBodyTests {
    let composer = EmailComposer(service: ServiceIdentity(name: "S", fromAddress: "mediation@example.org",
                                                          replyTo: "help@example.org", phone: "0161 496 0999"))

    @Test func randomBodiesRoundTripWithinTheLineLimit() {
        let pieces = ["a", "Z", "9", " ", "\t", "=", ".", "é", "ŵ", "ŷ", "👍", "\n", "\r\n", "<p>", "=20", "x".padding(toLength: 80, withPad: "y", startingAt: 0)]
        var rng = SplitMix64(seed: 2045)
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...60, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let email = composer.compose(RenderedMessage(subject: "s", text: text, html: "h"), to: "a@example.org", name: nil,
                                         jobKey: "k", date: Date(timeIntervalSince1970: 0))
            let message = ReceivedMessage(mailFrom: "", rcptTos: [], data: String(decoding: email.data, as: UTF8.self), tls: false,
                                          authenticated: false)
            #expect(message.plainText == text.replacingOccurrences(of: "\r\n", with: "\n"), "\(text.debugDescription)")
            let body = String(decoding: email.data, as: UTF8.self).components(separatedBy: "quoted-printable\r\n\r\n")[1]
                .components(separatedBy: "\r\n--")[0]
            for line in body.components(separatedBy: "\r\n") {
                #expect(line.utf8.count <= 76)
                #expect(line.utf8.allSatisfy { $0 == 9 || (32...126).contains($0) })
                #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"))
            }
        }
    }
}
