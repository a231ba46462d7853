import Foundation

/// The bounce messages in `Tests/Support/bounces`, filled in for one email.
public enum BounceFixtures {
    /// Every fixture's name, without `.eml`.
    public static let names = ["postfix", "exim", "microsoft365", "gmail", "qmail", "delayed", "vacation", "person"]

    /// The fixture `name` about the email sent with `returnPath` as its
    /// envelope sender, to `recipient`, as `messageID`; CRLF line ends.
    public static func message(_ name: String, returnPath: String, recipient: String = "parent.one@example.org",
                               messageID: String = "<job-1@mdrsd.example.org>") throws -> [UInt8] {
        let url = TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/bounces/\(name).eml")
        let text = try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "{{RETURN_PATH}}", with: returnPath)
            .replacingOccurrences(of: "{{RECIPIENT}}", with: recipient)
            .replacingOccurrences(of: "{{MESSAGE_ID}}", with: messageID)
            .replacingOccurrences(of: "\n", with: "\r\n")
        return Array(text.utf8)
    }
}
