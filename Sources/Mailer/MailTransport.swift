public import Foundation

/// Something that delivers one finished message to one recipient.
///
/// Transports know nothing of bookings: they get an envelope and bytes, and
/// report what the far end said or why it failed.
public protocol MailTransport: Sendable {
    /// Delivers `envelope`, returning the server's final reply.
    func send(_ envelope: MailEnvelope) async throws(DeliveryError) -> DeliveryReceipt
}

/// The envelope and content of one message.
public struct MailEnvelope: Sendable, Equatable {
    public var sender: String
    public var recipient: String
    public var messageID: String
    /// The RFC 5322 message with CRLF line endings.
    public var data: Data

    public init(sender: String, recipient: String, messageID: String, data: Data) {
        self.sender = sender
        self.recipient = recipient
        self.messageID = messageID
        self.data = data
    }
}

/// What the receiving end said when it took the message.
public struct DeliveryReceipt: Sendable, Equatable {
    /// The final reply code (250 for SMTP; 0 for a file).
    public var code: Int
    /// The final reply text, or where the file was written.
    public var reply: String

    public init(code: Int, reply: String) {
        self.code = code
        self.reply = reply
    }
}
