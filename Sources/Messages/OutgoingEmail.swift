public import Foundation

/// One finished email to one recipient: the envelope and the RFC 5322 bytes.
public struct OutgoingEmail: Sendable, Equatable {
    /// Envelope sender (`MAIL FROM`).
    public var sender: String
    /// The one envelope recipient (`RCPT TO`); never more than one.
    public var recipient: String
    /// `<…@domain>`, stable for the job, so a resend is recognisably the same.
    public var messageID: String
    public var subject: String
    /// The whole message, CRLF line endings, ready for `DATA`.
    public var data: Data
}
