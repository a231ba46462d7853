/// What one message in the bounce mailbox says about an email sent earlier:
/// read from an RFC 3464 delivery status notification, or from the plain
/// text bounces some servers still send.
public struct BounceReport: Sendable, Equatable {
    /// What the message is.
    public enum Kind: String, Sendable, Equatable {
        /// The email will not arrive (Action `failed`, Status 5.x.x).
        case failed
        /// Not delivered yet; the far server keeps trying (4.x.x).
        case delayed
        /// Not a bounce: an out-of-office reply, a success notice, a person.
        case notABounce = "not_a_bounce"
        /// Looks like a bounce but says nothing that can be read for sure:
        /// a person should look at it.
        case unreadable
    }

    /// What the message is.
    public var kind: Kind
    /// The enhanced status code, `5.1.1`, when one was given.
    public var status: String?
    /// The address the far server tried, as it reported it.
    public var finalRecipient: String?
    /// The far server's words (`550 5.1.1 User unknown`), one line.
    public var diagnostic: String?
    /// Header values that may carry the bounce address's token: the
    /// bounce's own recipients, and the notice's envelope fields.
    public var tokenCarriers: [String]
    /// Message-IDs of the returned original, best first.
    public var originalMessageIDs: [String]

    /// A report.
    public init(kind: Kind, status: String? = nil, finalRecipient: String? = nil, diagnostic: String? = nil,
                tokenCarriers: [String] = [], originalMessageIDs: [String] = []) {
        self.kind = kind
        self.status = status
        self.finalRecipient = finalRecipient
        self.diagnostic = diagnostic
        self.tokenCarriers = tokenCarriers
        self.originalMessageIDs = originalMessageIDs
    }
}
