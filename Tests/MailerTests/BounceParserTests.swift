import Foundation
import Mailer
import MDRSTestSupport
import Testing

@Suite struct BounceParserTests {
    let returnPath = "bounces+17.abcdefghijklmnop@example.org"
    let recipient = "parent.one@example.org"
    let messageID = "<job-17@mdrsd.example.org>"

    struct Expected: Sendable, CustomStringConvertible {
        var name: String
        var kind: BounceReport.Kind
        var status: String?
        var description: String { name }
    }

    static let cases: [Expected] = [
        Expected(name: "postfix", kind: .failed, status: "5.1.1"),
        Expected(name: "exim", kind: .failed, status: "5.2.1"),
        Expected(name: "microsoft365", kind: .failed, status: "5.1.10"),
        Expected(name: "gmail", kind: .failed, status: "5.1.1"),
        Expected(name: "qmail", kind: .failed, status: "5.7.1"),
        Expected(name: "delayed", kind: .delayed, status: "4.4.1"),
        Expected(name: "vacation", kind: .notABounce),
        Expected(name: "person", kind: .unreadable),
    ]

    @Test(arguments: cases) func eachShapeIsReadForWhatItSays(_ expected: Expected) throws {
        let report = BounceParser.parse(try BounceFixtures.message(expected.name, returnPath: returnPath, recipient: recipient,
                                                                   messageID: messageID))
        #expect(report.kind == expected.kind)
        #expect(report.status == expected.status)
        guard expected.kind == .failed || expected.kind == .delayed else { return }
        #expect(report.finalRecipient?.lowercased() == recipient)
        #expect(report.tokenCarriers.contains { $0.contains(returnPath) }, "the token is found in \(report.tokenCarriers)")
        #expect(report.originalMessageIDs.contains(messageID), "\(report.originalMessageIDs)")
        #expect(report.diagnostic?.isEmpty == false)
    }

    @Test func aNoticeWithoutTheOriginalIsMatchedByWhatItAnswers() throws {
        // Headers only, with the Message-ID cut: In-Reply-To still names it.
        let text = String(decoding: try BounceFixtures.message("microsoft365", returnPath: returnPath, recipient: recipient,
                                                               messageID: messageID), as: UTF8.self)
            .replacingOccurrences(of: "Message-ID: \(messageID)", with: "X-Cut: yes")
        let report = BounceParser.parse(Array(text.utf8))
        #expect(report.kind == .failed)
        #expect(report.originalMessageIDs == [messageID])
    }

    @Test func theSameBytesHaveTheSameFingerprintAndOtherBytesAnother() throws {
        let one = try BounceFixtures.message("postfix", returnPath: returnPath)
        let other = try BounceFixtures.message("postfix", returnPath: returnPath, messageID: "<job-18@mdrsd.example.org>")
        #expect(BounceParser.fingerprint(one) == BounceParser.fingerprint(one))
        #expect(BounceParser.fingerprint(one) != BounceParser.fingerprint(other))
        #expect(BounceParser.fingerprint(one).count == 64)
    }

    @Test func bareLineFeedsAndASuccessNoticeAreReadToo() {
        let success = """
            From: MAILER-DAEMON@mail.example.org
            To: \(returnPath)
            Subject: Successful Mail Delivery Report
            Content-Type: multipart/report; report-type=delivery-status; boundary="B"

            --B
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.example.org

            Final-Recipient: rfc822; \(recipient)
            Action: delivered
            Status: 2.0.0

            --B--
            """
        #expect(BounceParser.parse(Array(success.utf8)).kind == .notABounce)
    }

    @Test func brokenInputNeverCrashesAndIsLeftForAPerson() {
        let broken: [[UInt8]] = [
            [], Array("\r\n\r\n".utf8), Array("Content-Type: multipart/report; boundary=\"\"\r\n\r\n--\r\n".utf8),
            Array("Content-Type: multipart/report; boundary=x\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\n".utf8),
            Array("From: MAILER-DAEMON@x.example\r\nSubject: Undelivered Mail\r\n\r\nno codes at all".utf8),
            (0..<2_000).map { UInt8(truncatingIfNeeded: $0 &* 31) },
        ]
        for bytes in broken { #expect([.unreadable, .notABounce].contains(BounceParser.parse(bytes).kind)) }
        // Nested far deeper than a bounce ever is: read without recursing forever.
        var nested = "Content-Type: text/plain\r\n\r\nend"
        for depth in 0..<40 { nested = "Content-Type: multipart/mixed; boundary=b\(depth)\r\n\r\n--b\(depth)\r\n\(nested)\r\n--b\(depth)--\r\n" }
        #expect(BounceParser.parse(Array(nested.utf8)).kind == .unreadable)
    }

    @Test func anEnhancedCodeIsNotTakenFromAnAddressOrAVersion() {
        #expect(BounceParser.parse(Array("""
            From: MAILER-DAEMON@mx.example.net\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\n\
            host 192.0.2.5 (v2.3.19) said: 550 5.1.1 no such user\r\n
            """.utf8)).status == "5.1.1")
    }
}
